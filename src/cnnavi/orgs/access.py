"""Access helpers: the only way views look up company data.

Each helper finds the object *within* what the user may see. Another tenant's object, or one
that does not exist, is ``Http404``; too low a role is ``PermissionDenied`` (403). Support staff
and experts see a company only while its consent to their office is in force, and every such
read is written to the audit log.
"""

from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from cnnavi.audit.services import audit_record
from cnnavi.orgs.models import (
    Company,
    Consent,
    ConsentScope,
    Expert,
    ExpertAssignment,
    Facility,
    Invitation,
    Membership,
    OfficeStaff,
    Role,
    SupportOffice,
)


class Need(Enum):
    VIEW = "view"
    EDIT = "edit"
    MANAGE = "manage"  # members, consent, company settings: owners only


@dataclass(frozen=True)
class CompanyAccess:
    company: Company
    role: str  # owner, editor, viewer, staff or expert
    consent: Consent | None = None

    @property
    def via_office(self) -> bool:
        return self.role in ("staff", "expert")

    @property
    def can_edit(self) -> bool:
        if self.via_office:
            return self.consent is not None and self.consent.scope == ConsentScope.EDIT
        return self.role in (Role.OWNER, Role.EDITOR)

    @property
    def can_manage(self) -> bool:
        return self.role == Role.OWNER

    def allows(self, need: Need) -> bool:
        if need is Need.MANAGE:
            return self.can_manage
        if need is Need.EDIT:
            return self.can_edit
        return True


def int_or_404(value) -> int:
    """An id from a URL or an API path; anything that is not a number, or no id the database
    can hold (ids are positive 64-bit integers), is a 404. Lookups through a foreign key's
    column (``company_id=``) are not range-checked by Django, and SQLite refuses such a number."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**63:
        raise Http404
    return number


def resolve_company_access(user, company_id) -> CompanyAccess | None:
    """What the user may do with the company, without logging; None if nothing."""
    if not user.is_authenticated:
        return None
    company_id = int_or_404(company_id)
    # a member's access in one query (the common case: every page of the company's own users)
    membership = (
        Membership.objects.filter(company_id=company_id, user=user)
        .select_related("company")
        .first()
    )
    if membership is not None:
        return CompanyAccess(company=membership.company, role=membership.role)
    company = Company.objects.filter(pk=company_id).first()
    if company is None:
        return None
    consents = Consent.objects.in_force().filter(company=company).select_related("office")
    staff_office_ids = set(
        OfficeStaff.objects.filter(user=user).values_list("office_id", flat=True)
    )
    for consent in consents:
        if consent.office_id in staff_office_ids:
            return CompanyAccess(company=company, role="staff", consent=consent)
    expert_office_ids = set(
        Expert.objects.filter(
            user=user,
            active=True,
            assignments__company=company,
            assignments__ended_at__isnull=True,
        ).values_list("office_id", flat=True)
    )
    for consent in consents:
        if consent.office_id in expert_office_ids:
            return CompanyAccess(company=company, role="expert", consent=consent)
    return None


def get_company_access(
    request: HttpRequest, company_id, *, need: Need = Need.VIEW
) -> CompanyAccess:
    access = resolve_company_access(request.user, company_id)
    if access is None:
        raise Http404
    if not access.allows(need):
        raise PermissionDenied
    if access.via_office:
        audit_record(
            actor=request.user,
            action="company.read" if need is Need.VIEW else "company.open_for_edit",
            target=access.company,
            company=access.company,
            office=access.consent.office,
            data={"path": request.path, "role": access.role},
        )
    return access


def get_facility_access(
    request: HttpRequest, company_id, facility_id, *, need: Need = Need.VIEW
) -> tuple[CompanyAccess, Facility]:
    access = get_company_access(request, company_id, need=need)
    facility = get_object_or_404(Facility, company=access.company, pk=int_or_404(facility_id))
    return access, facility


def get_membership(access: CompanyAccess, membership_id) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"),
        company=access.company,
        pk=int_or_404(membership_id),
    )


def get_invitation(access: CompanyAccess, invitation_id) -> Invitation:
    return get_object_or_404(Invitation, company=access.company, pk=int_or_404(invitation_id))


def get_consent(access: CompanyAccess, consent_id) -> Consent:
    return get_object_or_404(Consent, company=access.company, pk=int_or_404(consent_id))


def get_open_invitation_by_token(request: HttpRequest, token: str) -> Invitation:
    """An open invitation addressed to the logged-in user's e-mail address."""
    invitations = Invitation.objects.open().filter(email__iexact=request.user.email)
    return get_object_or_404(invitations.select_related("company"), token=token)


def get_staff_office(request: HttpRequest) -> SupportOffice:
    """The office whose back office the user works in; 403 if the user is not staff."""
    role = (
        OfficeStaff.objects.filter(user=request.user)
        .select_related("office")
        .order_by("id")
        .first()
        if request.user.is_authenticated
        else None
    )
    if role is None:
        raise PermissionDenied
    return role.office


def get_expert_profiles(request: HttpRequest) -> list[Expert]:
    profiles = (
        list(Expert.objects.filter(user=request.user, active=True).select_related("office"))
        if request.user.is_authenticated
        else []
    )
    if not profiles:
        raise PermissionDenied
    return profiles


def get_office_company(request: HttpRequest, office: SupportOffice, company_id) -> Company:
    """A company whose consent to this office is in force (404 otherwise); the read is logged.
    A company may hold several consents in force to one office: any of them will do."""
    consenting = Consent.objects.in_force().filter(office=office).values("company_id")
    company = get_object_or_404(
        Company.objects.filter(pk__in=consenting), pk=int_or_404(company_id)
    )
    audit_record(
        actor=request.user,
        action="company.read",
        target=company,
        company=company,
        office=office,
        data={"path": request.path, "role": "staff"},
    )
    return company


def get_open_assignment(office: SupportOffice, company: Company, expert_id) -> ExpertAssignment:
    """The open assignment of one of the office's experts to the company (404 otherwise); at
    most one, by the constraint ``uniq_active_assignment``."""
    assignments = ExpertAssignment.objects.filter(
        company=company, expert__office=office, ended_at__isnull=True
    )
    return get_object_or_404(assignments, expert_id=int_or_404(expert_id))
