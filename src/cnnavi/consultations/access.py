"""Access helpers for slots, bookings, CO2-support cases and hands-on cases (built on
orgs.access).

Each returns the object with the role (``CaseRole``) the user holds on it: staff (of the office that runs
the case), expert (the case's expert, while the company's consent is in force) or company
(a member of the company). Another tenant's object is 404; too low a role is 403. Reads by
staff and experts are written to the audit log.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cnnavi.audit.services import audit_record
from cnnavi.consultations.models import (
    AvailabilityRule,
    Booking,
    BookingStatus,
    CalcSupportCase,
    CalcVisit,
    HandsOnCase,
    ScreeningCriterion,
    Slot,
)
from cnnavi.consultations.services import booking_id_from_token
from cnnavi.orgs.access import int_or_404, resolve_company_access
from cnnavi.orgs.models import (
    Consent,
    ExpertAssignment,
    Membership,
    OfficeStaff,
    Role,
    SupportOffice,
)

COMPANY_WRITERS = (Role.OWNER, Role.EDITOR)


class CaseRole(models.TextChoices):
    """The roles a user can hold on a slot, booking or case (strings, so templates, the
    workflow rules and the audit log compare and store them as before)."""

    STAFF = "staff"
    EXPERT = "expert"
    COMPANY = "company"


@dataclass(frozen=True)
class CaseAccess:
    obj: object
    role: CaseRole  # the first the user holds, in the order staff, expert, company
    member_role: str = ""  # owner | editor | viewer when the user is a member
    roles: frozenset = frozenset()  # every role the user holds on the object

    @property
    def company_can_write(self) -> bool:
        return self.member_role in COMPANY_WRITERS

    def acting_as(self, *preferred: CaseRole) -> CaseRole:
        """The first of ``preferred`` roles the user holds (for the step being taken)."""
        for role in preferred:
            if role in (self.roles or {self.role}):
                return role
        return self.role


def _is_staff(user, office_id) -> bool:
    return OfficeStaff.objects.filter(user=user, office_id=office_id).exists()


def _consent(company_id, office_id) -> Consent | None:
    return Consent.objects.in_force().filter(company_id=company_id, office_id=office_id).first()


def _log(request, obj, company, office, role):
    audit_record(
        actor=request.user,
        action="company.read",
        target=obj,
        company=company,
        office=office,
        data={"path": request.path, "role": role},
    )


def _case_roles(
    request, *, company, office, expert_ids: set[int], staff_needs_consent: bool
) -> tuple[list[CaseRole], str]:
    """The user's roles on a case of ``company`` run by ``office``: the office's staff (while
    the consent is in force when the case holds the company's data), an expert of the case
    while the company's consent to the office is in force, a member (with the member's role)."""
    user = request.user
    roles = []
    consent = _consent(company.pk, office.pk)
    if _is_staff(user, office.pk) and (consent is not None or not staff_needs_consent):
        roles.append(CaseRole.STAFF)
    if (
        consent is not None
        and expert_ids
        and ExpertAssignment.objects.filter(
            company=company,
            ended_at__isnull=True,
            expert__user=user,
            expert__active=True,
            expert_id__in=expert_ids,
        ).exists()
    ):
        roles.append(CaseRole.EXPERT)
    membership = Membership.objects.filter(company=company, user=user).first()
    if membership is not None:
        roles.append(CaseRole.COMPANY)
    return roles, membership.role if membership else ""


def _case_access(
    request, obj, *, company, office, expert_ids, staff_needs_consent: bool
) -> CaseAccess:
    roles, member_role = _case_roles(
        request,
        company=company,
        office=office,
        expert_ids=expert_ids,
        staff_needs_consent=staff_needs_consent,
    )
    if not roles:
        raise Http404
    if roles[0] != CaseRole.COMPANY:
        _log(request, obj, company, office, roles[0])
    return CaseAccess(obj, roles[0], member_role, frozenset(roles))


def _future_slots():
    """Slots not withdrawn, in the future, of an active expert."""
    return Slot.objects.filter(
        withdrawn=False, starts_at__gt=timezone.now(), expert__active=True
    ).select_related("expert__office")


def get_bookable_slot(slot_id) -> Slot:
    """A free slot in the future (anyone may book it); a taken or past slot is 404."""
    return get_object_or_404(
        _future_slots().exclude(bookings__status=BookingStatus.BOOKED),
        pk=int_or_404(slot_id),
    )


def get_slot_for_submission(slot_id) -> Slot:
    """A future slot a booking form was submitted for, even if someone has taken it since the
    form was opened (the form then offers the nearest free slots); otherwise 404."""
    return get_object_or_404(_future_slots(), pk=int_or_404(slot_id))


def get_booking(request: HttpRequest, booking_id) -> CaseAccess:
    """The booking for its booker, the company's members, its expert or the office's staff."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    booking = get_object_or_404(
        Booking.objects.select_related("slot", "expert__office", "expert__user", "company"),
        pk=int_or_404(booking_id),
    )
    office = booking.expert.office
    if _is_staff(user, office.pk):
        _log(request, booking, booking.company, office, CaseRole.STAFF)
        return CaseAccess(booking, CaseRole.STAFF)
    if booking.expert.user_id == user.pk:
        return CaseAccess(booking, CaseRole.EXPERT)
    if booking.user_id == user.pk:
        return CaseAccess(booking, CaseRole.COMPANY, Role.OWNER)
    if booking.company_id:
        membership = Membership.objects.filter(company=booking.company, user=user).first()
        if membership is not None:
            return CaseAccess(booking, CaseRole.COMPANY, membership.role)
    raise Http404


def get_booking_by_token(token: str) -> Booking:
    """The booking a signed manage link points to; an altered or forged link is 404."""
    booking_id = booking_id_from_token(token)
    if not booking_id:
        raise Http404
    return get_object_or_404(
        Booking.objects.select_related("slot", "expert__office"), pk=booking_id
    )


def get_calc_case(request: HttpRequest, case_id, *, write: bool = False) -> CaseAccess:
    if not request.user.is_authenticated:
        raise Http404
    case = get_object_or_404(
        CalcSupportCase.objects.select_related("company", "office", "expert"),
        pk=int_or_404(case_id),
    )
    access = _case_access(
        request,
        case,
        company=case.company,
        office=case.office,
        expert_ids={case.expert_id} if case.expert_id else set(),
        staff_needs_consent=True,  # visits hold the company's energy data
    )
    if write and access.role == CaseRole.COMPANY and not access.company_can_write:
        raise PermissionDenied
    return access


def get_calc_visit(access: CaseAccess, visit_id) -> CalcVisit:
    return get_object_or_404(
        CalcVisit.objects.filter(case=access.obj).select_related("expert"),
        pk=int_or_404(visit_id),
    )


def get_handson_case(request: HttpRequest, case_id) -> CaseAccess:
    if not request.user.is_authenticated:
        raise Http404
    case = get_object_or_404(
        HandsOnCase.objects.select_related("company", "office"), pk=int_or_404(case_id)
    )
    return _case_access(
        request,
        case,
        company=case.company,
        office=case.office,
        expert_ids=set(case.plan_team.values_list("pk", flat=True)),
        staff_needs_consent=False,  # the application is addressed to the office
    )


def get_office_rule(office: SupportOffice, rule_id) -> AvailabilityRule:
    return get_object_or_404(
        AvailabilityRule.objects.filter(expert__office=office), pk=int_or_404(rule_id)
    )


def get_office_calc_case(office: SupportOffice, case_id) -> CalcSupportCase:
    return get_object_or_404(
        CalcSupportCase.objects.filter(office=office).select_related("company", "expert"),
        pk=int_or_404(case_id),
    )


def require_role(access: CaseAccess, *roles: CaseRole) -> None:
    if not (set(access.roles or {access.role}) & set(roles)):
        raise PermissionDenied


def can_edit_company_data(user, company) -> bool:
    """Whether the user may edit the company's energy data in Measure (for an expert: the
    company's edit consent is in force and the expert is assigned)."""
    access = resolve_company_access(user, company.pk)
    return access is not None and access.can_edit


def can_view_company_data(user, company) -> bool:
    """Whether the user may read the company's own data (member, or staff/expert while the
    company's consent is in force)."""
    return resolve_company_access(user, company.pk) is not None


def get_office_criterion(office: SupportOffice, criterion_id) -> ScreeningCriterion:
    return get_object_or_404(
        ScreeningCriterion.objects.filter(office=office), pk=int_or_404(criterion_id)
    )
