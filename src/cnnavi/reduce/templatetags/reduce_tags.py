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
