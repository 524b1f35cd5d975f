"""Reads on offices and companies."""

from django.db.models import Count, Prefetch, QuerySet

from cnnavi.orgs.models import (
    Company,
    Consent,
    Expert,
    ExpertAssignment,
    Facility,
    Invitation,
    Membership,
    SupportOffice,
)


def companies_of_member(*, user) -> QuerySet[Company]:
    return Company.objects.filter(memberships__user=user).annotate(
        facility_count=Count("facilities", distinct=True)
    )


def memberships_of_user(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("company").order_by("company__name")


def company_ids_visible_to_office(*, office: SupportOffice) -> QuerySet:
    return Consent.objects.in_force().filter(office=office).values("company_id")


def companies_of_office(*, office: SupportOffice) -> QuerySet[Company]:
    """Companies whose consent to the office is in force, with their active experts."""
    return (
        Company.objects.filter(pk__in=company_ids_visible_to_office(office=office))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ExpertAssignment.objects.filter(
                    ended_at__isnull=True, expert__office=office
                ).select_related("expert"),
                to_attr="active_assignments",
            ),
            Prefetch(
                "consents",
                queryset=Consent.objects.in_force().filter(office=office),
                to_attr="office_consents",
            ),
        )
        .annotate(facility_count=Count("facilities", distinct=True))
        .order_by("name")
    )


def companies_of_expert(*, user) -> QuerySet[Company]:
    """Companies an expert is assigned to whose consent to the expert's office is in force."""
    pairs = set(
        ExpertAssignment.objects.filter(
            ended_at__isnull=True, expert__user=user, expert__active=True
        ).values_list("expert__office_id", "company_id")
    )
    in_force = set(
        Consent.objects.in_force()
        .filter(company_id__in=[c for _, c in pairs])
        .values_list("office_id", "company_id")
    )
    return Company.objects.filter(pk__in=[c for o, c in pairs & in_force]).order_by("name")


def facilities_of_company(*, company: Company) -> QuerySet[Facility]:
    return Facility.objects.filter(company=company)


def members_of_company(*, company: Company) -> QuerySet[Membership]:
    return Membership.objects.filter(company=company).select_related("user")


def open_invitations_of_company(*, company: Company) -> list[Invitation]:
    qs = Invitation.objects.filter(
        company=company, accepted_at__isnull=True, revoked_at__isnull=True
    )
    return [i for i in qs if i.is_open]


def consents_of_company(*, company: Company) -> QuerySet[Consent]:
    return Consent.objects.filter(company=company).select_related("office", "granted_by")


def offices_for_consent() -> QuerySet[SupportOffice]:
    return SupportOffice.objects.all()


def experts_of_office(*, office: SupportOffice) -> QuerySet[Expert]:
    return Expert.objects.filter(office=office, active=True).select_related("user")
