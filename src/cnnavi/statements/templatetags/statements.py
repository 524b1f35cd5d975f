"""Template tags that let measure's pages show what the statements app knows: the bill evidence of
the grid's cells (one query) and the period of the dashboard."""

from django import template

from cnnavi.core.periods import fiscal_year_of, month_text
from cnnavi.measure.labels import energy_label
from cnnavi.measure.rules import parse_month_text
from cnnavi.statements import present, selectors
from cnnavi.statements.rules import format_code
from cnnavi.statements.selectors import evidence_of_facility_year

register = template.Library()


@register.simple_tag
def evidence_map(facility, months):
    """(YYYY-MM, energy) -> evidence of the facility in the given months."""
    return evidence_of_facility_year(facility=facility, months=months)


@register.simple_tag
def evidence_for(mapping, month, energy):
    if not mapping:
        return []
    key = month if isinstance(month, str) else month_text(month)
    return mapping.get((key, energy), [])


@register.filter
def evidence_all(mapping):
    """Every evidence of the map, in month and energy order."""
    if not mapping:
        return []
    return [ev for key in sorted(mapping) for ev in mapping[key]]


@register.filter
def energy_name(code):
    return energy_label(code)


@register.filter
def statement_code(code):
    return format_code(code or "")


@register.filter
def shk_year(month):
    """The SHK fiscal year (April–March) of a month ("YYYY-MM" or a date)."""
    if isinstance(month, str):
        month = parse_month_text(month)
    return fiscal_year_of(month)


@register.simple_tag
def dashboard_period(company, year, kind):
    """The period of measure's dashboard, named, with its figures where it is not the SHK
    fiscal year (``selectors.dashboard_period``)."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        return None
    p = selectors.dashboard_period(company=company, kind=kind or "", year=year)
    figures = p["figures"]
    return {
        **p,
        "label": present.period_label(p["period"]),
        "note": present.period_note(p["period"]),
        "view": present.build(figures, demo=company.is_demo) if figures else None,
    }
