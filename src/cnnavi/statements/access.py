"""Access helpers of the statements app, built on ``orgs.access``: another tenant's
statement, link or evidence is 404 (also by direct URL), too low a role 403."""

from django.http import Http404

from cnnavi.orgs.access import CompanyAccess, Need, get_company_access, int_or_404
from cnnavi.statements.models import Evidence, ShareLink, Statement


def get_statement(request, company_id, statement_id, *, need: Need = Need.VIEW):
    access = get_company_access(request, company_id, need=need)
    statement = Statement.objects.filter(
        company=access.company, pk=int_or_404(statement_id)
    ).first()
    if statement is None:
        raise Http404
    return access, statement


def get_link(access: CompanyAccess, statement: Statement, link_id) -> ShareLink:
    link = ShareLink.objects.filter(statement=statement, pk=int_or_404(link_id)).first()
    if link is None:
        raise Http404
    return link


def get_evidence(request, company_id, evidence_id, *, need: Need = Need.VIEW):
    access = get_company_access(request, company_id, need=need)
    evidence = (
        Evidence.objects.filter(facility__company=access.company, pk=int_or_404(evidence_id))
        .select_related("facility")
        .first()
    )
    if evidence is None:
        raise Http404
    return access, evidence
