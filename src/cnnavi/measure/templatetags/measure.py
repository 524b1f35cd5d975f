from decimal import Decimal

from django import template

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
