"""Access helpers of the statements app, built on ``orgs.access``: another tenant's
statement, link or evidence is 404 (also by direct URL), too low a role 403."""

from django.shortcuts import get_object_or_404

from cnnavi.orgs.access import (
    CompanyAccess,
    Need,
    get_company_access,
    int_or_404,
    resolve_company_access,
)
from cnnavi.statements import selectors
from cnnavi.statements.models import Evidence, ShareLink, Statement


def get_statement(request, company_id, statement_id, *, need: Need = Need.VIEW):
    access = get_company_access(request, company_id, need=need)
    statement = get_object_or_404(
        Statement.objects.filter(company=access.company), pk=int_or_404(statement_id)
    )
    return access, statement


def get_link(access: CompanyAccess, statement: Statement, link_id) -> ShareLink:
    return get_object_or_404(ShareLink.objects.filter(statement=statement), pk=int_or_404(link_id))


def get_evidence(request, company_id, evidence_id, *, need: Need = Need.VIEW):
    access = get_company_access(request, company_id, need=need)
    evidence = get_object_or_404(
        Evidence.objects.filter(facility__company=access.company).select_related("facility"),
        pk=int_or_404(evidence_id),
    )
    return access, evidence


def evidence_listing(request, company) -> list[Evidence] | None:
    """The company's bill evidence (without the bytes) for a page of another app that shows it
    beside its own (the expert's CO2 calculation support case): None unless the user may read
    the company's data (a member; office staff or an assigned expert while the company's
    consent is in force). A read through an office is audited as every other
    (``get_company_access``)."""
    if resolve_company_access(request.user, company.pk) is None:
        return None
    access = get_company_access(request, company.pk)
    return list(selectors.evidence_of_company(company=access.company))
