from django import template

from cnnavi.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str):
    return _action_label(code)


@register.filter
def audit_changes(data) -> str:
    """What an update changed, from its audit data: ``{"changed": {field: [old, new]}}`` (the
    services' ``apply_changes``) or ``{"fields": [...]}`` (the admin) -> "status: idea → done"."""
    if not isinstance(data, dict):
        return ""
    changed = data.get("changed")
    if isinstance(changed, dict) and changed:
        parts = []
        for name, values in sorted(changed.items())[:6]:  # JSONB does not keep key order
            if isinstance(values, list | tuple) and len(values) == 2:
                old, new = (str(v)[:40] for v in values)
                parts.append(f"{name}: {old} → {new}")
            else:
                parts.append(str(name))
        return "; ".join(parts)
    fields = data.get("fields")
    if isinstance(fields, list | tuple) and fields:
        return ", ".join(str(f) for f in fields[:10])
    return ""
