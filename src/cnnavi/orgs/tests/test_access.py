"""Who may open which company page: members by role, office staff and experts by consent."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cnnavi.audit.models import AuditEntry
from cnnavi.orgs import services
from cnnavi.orgs.models import (
    Consent,
    ConsentScope,
    Expert,
    Invitation,
    OfficeStaff,
    Role,
    SupportOffice,
)
from cnnavi.testing import make_company, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(db):
    owner = make_user("owner@example.com")
    return make_company(owner, name="Owner Co")


def _login(client, user):
    client.force_login(user)
    return client


def test_owner_editor_viewer_and_outsider(client, company):
    owner = company.memberships.get().user
    editor, viewer, outsider = (make_user(f"{r}@example.com") for r in ("editor", "viewer", "out"))
    company.memberships.create(user=editor, role=Role.EDITOR)
    company.memberships.create(user=viewer, role=Role.VIEWER)
    detail = reverse("orgs:company_detail", args=[company.pk])
    edit = reverse("orgs:company_edit", args=[company.pk])
    new_facility = reverse("orgs:facility_create", args=[company.pk])
    expectations = {
        owner: (200, 200, 200),
        editor: (200, 403, 200),
        viewer: (200, 403, 403),
        outsider: (404, 404, 404),
    }
    for user, (d, e, f) in expectations.items():
        _login(client, user)
        assert (
            client.get(detail).status_code,
            client.get(edit).status_code,
            client.get(new_facility).status_code,
        ) == (d, e, f), user.email


def test_anonymous_is_sent_to_login(client, company):
    response = client.get(reverse("orgs:company_detail", args=[company.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _office_with_staff_and_expert():
    office = SupportOffice.objects.create(name="北陸本部", prefectures=["16", "17", "18"])
    staff = make_user("staff@example.com", totp=True)
    OfficeStaff.objects.create(office=office, user=staff)
    expert_user = make_user("expert@example.com", totp=True)
    expert = Expert.objects.create(office=office, user=expert_user, display_name="Expert")
    return office, staff, expert


def test_staff_and_expert_see_a_company_only_while_consent_is_in_force(client, company):
    owner = company.memberships.get().user
    office, staff, expert = _office_with_staff_and_expert()
    detail = reverse("orgs:company_detail", args=[company.pk])

    _login(client, staff)
    assert client.get(detail).status_code == 404  # no consent yet

    consent = services.consent_grant(
        actor=owner, company=company, office=office, scope=ConsentScope.READ, valid_until=None
    )
    services.expert_assign(actor=staff, office=office, company=company, expert=expert)
    assert client.get(detail).status_code == 200
    # Read-only consent: staff cannot edit.
    assert client.get(reverse("orgs:facility_create", args=[company.pk])).status_code == 403
    _login(client, expert.user)
    response = client.get(detail)
    assert response.status_code == 200
    assert "閲覧は記録されます" in response.content.decode()
    reads = AuditEntry.objects.filter(action="company.read", company=company)
    assert set(reads.values_list("actor_email", flat=True)) == {
        "staff@example.com",
        "expert@example.com",
    }
    assert reads.first().data["path"] == detail

    services.consent_revoke(actor=owner, consent=consent)
    assert client.get(detail).status_code == 404
    _login(client, staff)
    assert client.get(detail).status_code == 404


def test_expired_consent_no_longer_gives_access(client, company):
    owner = company.memberships.get().user
    office, staff, _expert = _office_with_staff_and_expert()
    consent = services.consent_grant(
        actor=owner,
        company=company,
        office=office,
        scope=ConsentScope.EDIT,
        valid_until=timezone.localdate(),
    )
    _login(client, staff)
    detail = reverse("orgs:company_detail", args=[company.pk])
    assert client.get(detail).status_code == 200
    Consent.objects.filter(pk=consent.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert client.get(detail).status_code == 404


def test_an_expert_without_assignment_sees_nothing(client, company):
    owner = company.memberships.get().user
    office, _staff, expert = _office_with_staff_and_expert()
    services.consent_grant(
        actor=owner, company=company, office=office, scope=ConsentScope.READ, valid_until=None
    )
    _login(client, expert.user)
    assert client.get(reverse("orgs:company_detail", args=[company.pk])).status_code == 404


def test_staff_without_totp_are_sent_to_set_it_up(client, company):
    office = SupportOffice.objects.create(name="Office")
    staff = make_user("no-totp@example.com")
    OfficeStaff.objects.create(office=office, user=staff)
    _login(client, staff)
    response = client.get(reverse("staff:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # A company owner without a back-office role is not asked.
    _login(client, company.memberships.get().user)
    assert client.get(reverse("orgs:company_list")).status_code == 200


def test_company_owner_is_forbidden_from_staff_pages(client, company):
    _login(client, company.memberships.get().user)
    assert client.get(reverse("staff:index")).status_code == 403
    assert client.get(reverse("experts:index")).status_code == 403


def test_consents_in_force_are_those_neither_revoked_nor_past_their_end(company):
    """``Consent.objects.in_force()`` agrees with each consent's own ``in_force()``, on the
    last valid day and the day after."""
    today = timezone.localdate()
    offices = [SupportOffice.objects.create(name=f"Office {n}") for n in range(4)]
    open_ended, last_day, expired, revoked = (
        Consent.objects.create(company=company, office=o, scope=ConsentScope.READ) for o in offices
    )
    Consent.objects.filter(pk=last_day.pk).update(valid_until=today)
    Consent.objects.filter(pk=expired.pk).update(valid_until=today - timedelta(days=1))
    Consent.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    in_force = set(Consent.objects.in_force().values_list("pk", flat=True))
    assert in_force == {open_ended.pk, last_day.pk}
    assert in_force == {c.pk for c in Consent.objects.all() if c.in_force()}
    tomorrow = set(Consent.objects.in_force(today + timedelta(days=1)).values_list("pk", flat=True))
    assert tomorrow == {open_ended.pk}


def test_an_invitation_opens_only_while_open_and_for_its_address(client, world):
    """The invitation's page: 404 once revoked, accepted or expired, and for another address;
    ``Invitation.objects.open()`` agrees with each invitation's ``is_open``."""
    invitation = world.a.invitation
    url = reverse("orgs:invitation_accept", args=[invitation.token])
    _login(client, make_user("a-invitee@example.com"))
    assert client.get(url).status_code == 200
    for change in (
        {"revoked_at": timezone.now()},
        {"accepted_at": timezone.now()},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
    ):
        Invitation.objects.filter(pk=invitation.pk).update(**change)
        assert client.get(url).status_code == 404
        invitation.refresh_from_db()
        assert not invitation.is_open
        assert not Invitation.objects.open().filter(pk=invitation.pk).exists()
        Invitation.objects.filter(pk=invitation.pk).update(
            revoked_at=None, accepted_at=None, expires_at=timezone.now() + timedelta(days=1)
        )
    _login(client, world.outsider)
    assert client.get(url).status_code == 404


def test_an_office_company_with_two_consents_in_force_opens_once(world, alice_client):
    """Two consents in force to the same office (e.g. a renewal before the old one ended):
    the company opens, and the read is logged once."""
    company, office = world.a.company, world.a.office
    Consent.objects.create(company=company, office=office, scope=ConsentScope.READ)
    assert Consent.objects.in_force().filter(company=company, office=office).count() == 2
    before = AuditEntry.objects.filter(action="company.read", company=company).count()
    assert alice_client.get(reverse("staff:company", args=[company.pk])).status_code == 200
    assert AuditEntry.objects.filter(action="company.read", company=company).count() == before + 1
    other = reverse("staff:company", args=[world.b.company.pk])
    assert alice_client.get(other).status_code == 404


def test_unassigning_an_expert_without_an_open_assignment_is_404(world, alice_client):
    company, expert = world.a.company, world.a.expert
    url = reverse("staff:unassign", args=[company.pk, expert.pk])
    assert alice_client.post(url).status_code == 302
    assert alice_client.post(url).status_code == 404  # already ended
    other_office_expert = reverse("staff:unassign", args=[company.pk, world.b.expert.pk])
    assert alice_client.post(other_office_expert).status_code == 404


@pytest.mark.parametrize("value", ["abc", None, "0", "-3", str(2**63), str(2**70)])
def test_an_id_the_database_cannot_hold_is_a_404(value):
    from django.http import Http404

    from cnnavi.orgs.access import int_or_404

    with pytest.raises(Http404):
        int_or_404(value)
    assert int_or_404("42") == 42
    assert int_or_404(2**63 - 1) == 2**63 - 1
