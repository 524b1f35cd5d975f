from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def cost_per_t(row, basis):
    return row.effect.cost_per_t(basis)


@register.filter
def saved(overview, basis):
    return overview.saved(basis)


@register.filter
def pct(value):
    """A share (0.336) as a percentage (33.6)."""
    return None if value is None else Decimal(value) * 100


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


@register.filter
def month_ranges(months) -> str:
    """["2025-07", "2025-08", "2025-09", "2025-11"] -> "2025-07〜2025-09, 2025-11"."""
    ordered = sorted(set(months or ()), key=_month_index)
    parts: list[str] = []
    start = prev = None
    for m in ordered:
        if prev is not None and _month_index(m) == _month_index(prev) + 1:
            prev = m
            continue
        if start is not None:
            parts.append(start if start == prev else f"{start}〜{prev}")
        start = prev = m
    if start is not None:
        parts.append(start if start == prev else f"{start}〜{prev}")
    return ", ".join(parts)
