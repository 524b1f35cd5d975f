from datetime import date

from django.db.models import Q, QuerySet

from cnnavi.audit.models import AuditEntry


def audit_entries_for_office(
    *,
    office,
    visible_company_ids,
    actor: str = "",
    action: str = "",
    company_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries a support office may browse: its own staff's and experts' actions, and every
    entry about a company while that company's data is visible to the office
    (``visible_company_ids``: ``orgs.selectors.company_ids_visible_to_office``; audit sits
    below orgs and takes them from the caller)."""
    qs = AuditEntry.objects.filter(
        Q(office=office) | Q(company_id__in=visible_company_ids)
    ).select_related("company")
    if actor:
        qs = qs.filter(actor_email__icontains=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if company_id:
        qs = qs.filter(company_id=company_id)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs
