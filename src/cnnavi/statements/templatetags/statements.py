"""Template tags that let measure's grid show the bill evidence of its cells (one query)."""

from django import template

from cnnavi.core.periods import month_text
from cnnavi.measure.labels import energy_label
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
