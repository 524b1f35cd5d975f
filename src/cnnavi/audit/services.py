from django.db import models

from cnnavi.audit.context import current_ip
from cnnavi.audit.models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    company=None,
    office=None,
    data: dict | None = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction, so that the entry
    and the change it describes are saved together or not at all."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_email=actor.email if actor else "",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        company=company,
        office=office,
        ip=current_ip.get(),
        data=data or {},
    )


def apply_changes(obj: models.Model, fields: dict) -> dict:
    """Set ``fields`` on ``obj`` and return what changed as {name: [old, new]} for the audit
    entry of an update."""
    changed = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            changed[name] = [str(old), str(value)]
            setattr(obj, name, value)
    return changed


def create_audited(
    obj: models.Model,
    fields: dict,
    *,
    allowed=None,
    actor,
    action: str,
    company=None,
    office=None,
):
    """The body of a create service: ``obj`` is the new row with what the service decides
    (its company or office, its place); set ``fields`` on it (only the names in ``allowed``,
    where given), validate it, save it and write one audit entry. Call it inside the
    service's transaction; it returns ``obj``."""
    for name, value in _allowed(fields, allowed).items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=action, target=obj, company=company, office=office)
    return obj


def _allowed(fields: dict, allowed) -> dict:
    if allowed is None:
        return fields
    return {name: value for name, value in fields.items() if name in allowed}


def update_audited(
    obj: models.Model,
    fields: dict,
    *,
    allowed=None,
    actor,
    action: str,
    company=None,
    office=None,
) -> dict:
    """The body of an update service: set ``fields`` on ``obj`` (only the names in
    ``allowed``, where given: a form may send more), validate the whole row, save it and write
    one audit entry with what changed (``{"changed": {name: [old, new]}}``). Call it inside the
    service's transaction; it returns what changed."""
    changed = apply_changes(obj, _allowed(fields, allowed))
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        action=action,
        target=obj,
        company=company,
        office=office,
        data={"changed": changed},
    )
    return changed
