"""API tokens obey the rules sessions obey: two-factor for staff and experts, deactivated users,
revoked tokens and revoked consent."""

import pytest

from cnnavi.api.auth import TWO_FACTOR_REQUIRED
from cnnavi.api.services import token_create
from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import Consent, Expert, OfficeStaff
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


def _auth(user):
    _token, key = token_create(actor=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _staff(world, *, totp):
    staff = make_user("staff-token@example.com", totp=totp)
    OfficeStaff.objects.create(office=world.a.office, user=staff)
    return staff


def test_a_staff_token_without_two_factor_is_refused(client, world):
    auth = _auth(_staff(world, totp=False))
    for url in (
        "/api/v1/companies",
        f"/api/v1/companies/{world.a.company.pk}/facilities",
        f"/api/v1/companies/{world.a.company.pk}/energy-records",
    ):
        response = client.get(url, **auth)
        assert response.status_code == 403, url
        assert response.json() == {"detail": TWO_FACTOR_REQUIRED}


def test_an_expert_token_without_two_factor_is_refused(client, world):
    user = make_user("expert-token@example.com")
    Expert.objects.create(office=world.a.office, user=user, display_name="E")
    assert client.get("/api/v1/companies", **_auth(user)).status_code == 403


def test_the_same_staff_member_with_two_factor_reads(client, world):
    auth = _auth(_staff(world, totp=True))
    assert [c["name"] for c in client.get("/api/v1/companies", **auth).json()] == ["Company a"]


def test_an_owner_needs_no_two_factor(client, world):
    assert client.get("/api/v1/companies", **_auth(world.a.owner)).status_code == 200


def test_a_deactivated_users_token_is_401(client, world):
    auth = _auth(world.a.owner)
    world.a.owner.is_active = False
    world.a.owner.save(update_fields=["is_active"])
    assert client.get("/api/v1/companies", **auth).status_code == 401


def test_revoked_consent_ends_a_staff_tokens_access(client, world):
    staff = _staff(world, totp=True)
    auth = _auth(staff)
    base = f"/api/v1/companies/{world.a.company.pk}/energy-records"
    assert client.get(base, **auth).status_code == 200
    consent = Consent.objects.get(company=world.a.company)
    org_services.consent_revoke(actor=world.a.owner, consent=consent)
    assert client.get("/api/v1/companies", **auth).json() == []
    assert client.get(base, **auth).status_code == 404
