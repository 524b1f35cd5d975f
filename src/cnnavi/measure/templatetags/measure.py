from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cnnavi.measure import labels

register = template.Library()


@register.filter
def plain(value) -> str:
    """A Decimal without exponent or trailing zeros: 12500.000000 -> 12500."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@register.filter
def grouped(value) -> str:
    """Like ``plain`` with thousands separators: 12500.5 -> 12,500.5."""
    text = plain(value)
    if not text:
        return text
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-') or 0):,}"
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


@register.filter
def fixed(value, digits=3) -> str:
    """Rounded to ``digits`` decimals with thousands separators (display only)."""
    if value is None or value == "":
        return "—"
    return f"{float(value):,.{int(digits)}f}"


@register.filter
def pct(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{value * 100:+.1f}%"


@register.filter
def unit_label(unit) -> str:
    """Unit codes as written in Japan (千m3) read as 1,000 m3 on English pages."""
    text = str(unit or "")
    if (get_language() or "ja").startswith("en"):
        text = text.replace("千", "1,000 ")
    return text


@register.filter
def factor_value(value) -> str:
    """A factor for display: as ``plain``, but a value the ordinance's formula makes with
    endless digits (heat value x carbon factor x 44/12) to 7 significant digits."""
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    if len(d.as_tuple().digits) > 10:
        d = round(d, 7 - d.adjusted() - 1)
    return plain(d)


@register.filter
def core_error(error) -> str:
    """A core error (``RowError`` or exception) in the current language (safe HTML)."""
    from cnnavi.measure.messages import error_message

    return error_message(error) if error else ""


@register.filter
def core_note(note) -> str:
    """A core warning (``CoreNote`` or the dashboard's plain dict, with its number of records)
    in the current language (safe HTML)."""
    from cnnavi.measure.messages import note_message

    return note_message(note) if note else ""


BASIS_LABELS = {
    "ordinance": _("省令・告示の値"),
    "supplier_menu": _("事業者のメニュー"),
    "residual": _("残差メニュー"),
    "whole": _("事業者全体"),
    "reference": _("参考値（事業者全体）"),
    "grid": _("送配電事業者"),
    "default": _("代替値"),
    "national_average": _("全国平均係数"),
    "heat_value": _("発熱量"),
    "primary_energy": _("一次エネルギー換算係数"),
    # the core's user-entered values (corenum, decision 0403): never shown as official
    "user_supplier": _("事業者公表値（利用者入力）"),
    "supplier_heat_value": _("供給事業者の標準熱量（利用者入力）"),
}


@register.filter
def basis_label(basis) -> str:
    return str(BASIS_LABELS.get(basis, basis))


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when absent)."""
    if not mapping:
        return None
    return mapping.get(key)


# The dashboard's long table views (one row per facility x energy, per flow link) as one
# filter each: the same HTML as a {% for %} loop of cells, without a template node per cell.


@register.filter
def completeness_rows(rows) -> str:
    return format_html_join(
        "",
        '<tr><td>{}</td><td>{}</td><td class="num">{}</td><td>{}</td></tr>',
        (
            (
                r.facility,
                r.energy_label,
                r.months_with_data,
                format_html(
                    '<span class="badge badge-warn">{}</span> {}',
                    len(r.missing),
                    ", ".join(r.missing),
                )
                if r.missing
                else "—",
            )  # fmt: skip
            for r in rows
        ),
    )


def _percent(share) -> str:
    """As ``{% widthratio share 1 100 %}``."""
    return str(round(float(share) / 1.0 * 100))


@register.filter
def pareto_rows(items) -> str:
    return format_html_join(
        "",
        '<tr><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}%</td></tr>',
        ((p.facility, p.energy, fixed(p.tco2, 3), _percent(p.cumulative_share)) for p in items),
    )


@register.filter
def flow_rows(links) -> str:
    return format_html_join(
        "",
        '<tr><td>{}</td><td>{}</td><td class="num">{}</td></tr>',
        ((lk["source"], lk["target"], fixed(lk["value"], 3)) for lk in links),
    )


@register.filter
def use_label(use: str) -> str:
    """A standard use in the page's language (see ``labels.use_label``)."""
    return labels.use_label(use)
