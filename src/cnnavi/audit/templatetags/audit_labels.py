from django import template

from cnnavi.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str):
    return _action_label(code)
