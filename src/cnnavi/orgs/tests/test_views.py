"""Companies, facilities, members and consent, as a user sees them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cnnavi.audit.models import AuditEntry
from cnnavi.orgs.models import Company, Consent, Facility, Membership, Role, SupportOffice
from cnnavi.testing import make_company, make_user

pytestmark = pytest.mark.django_db

COMPANY_FORM = {
    "name": "高岡テスト工業",
    "corporate_number": "7000012050002",
    "prefecture": "16",
    "municipality": "高岡市",
    "industry": "E",
    "employees": "40",
    "capital_yen": "10000000",
    "fiscal_year_start_month": "4",
}


@pytest.fixture
def owner_client(client):
    owner = make_user("owner@example.com")
    client.force_login(owner)
    client.owner = owner
    return client


def test_create_company_makes_the_creator_owner_and_logs_it(owner_client):
    response = owner_client.post(
        reverse("orgs:company_create"), COMPANY_FORM, REMOTE_ADDR="203.0.113.9"
    )
    company = Company.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:company_detail", args=[company.pk])
    assert Membership.objects.get(company=company).role == Role.OWNER
    entry = AuditEntry.objects.get(action="company.create")
    assert (entry.actor_email, entry.company_id, entry.ip) == (
        "owner@example.com",
        company.pk,
        "203.0.113.9",
    )
    page = owner_client.get(response["Location"]).content.decode()
    assert "中小企業に該当" in page


def test_bad_corporate_number_is_named_and_nothing_is_saved(owner_client):
    response = owner_client.post(
        reverse("orgs:company_create"), dict(COMPANY_FORM, corporate_number="1234567890123")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html
    assert "法人番号: 法人番号は13桁の数字で、先頭の検査用数字が正しい必要があります。" in html
    assert not Company.objects.exists()
    assert not AuditEntry.objects.exists()


def test_full_width_corporate_number_is_accepted(owner_client):
    owner_client.post(
        reverse("orgs:company_create"),
        dict(COMPANY_FORM, corporate_number="７０００－０１２０５０００２"),
    )
    assert Company.objects.get().corporate_number == "7000012050002"


def test_facility_names_are_unique_per_company(owner_client):
    company = make_company(owner_client.owner)
    url = reverse("orgs:facility_create", args=[company.pk])
    data = {"name": "本社", "prefecture": "16", "kind": "office", "floor_area_m2": "300"}
    assert owner_client.post(url, data).status_code == 302
    response = owner_client.post(url, data)
    assert response.status_code == 200
    assert "同じ名前の事業所がすでにあります。" in response.content.decode()
    assert Facility.objects.count() == 1
    bad = owner_client.post(url, dict(data, name="倉庫", floor_area_m2="-5"))
    assert "延床面積（m²）" in bad.content.decode()
    assert Facility.objects.count() == 1


def test_facility_delete_with_htmx_returns_the_updated_list(owner_client):
    company = make_company(owner_client.owner)
    for name in ("A", "B"):
        Facility.objects.create(company=company, name=name, prefecture="16", kind="office")
    facility = Facility.objects.get(name="A")
    response = owner_client.post(
        reverse("orgs:facility_delete", args=[company.pk, facility.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="facility-list">')
    assert "<html" not in html
    assert html.count('data-testid="facility-row"') == 1


def test_invitation_flow(client, owner_client, django_capture_on_commit_callbacks):
    company = make_company(owner_client.owner)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            reverse("orgs:members", args=[company.pk]),
            {"email": "New.Person@Example.com", "role": "viewer"},
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.com"]
    link = re.search(r"/invitations/[\w-]+/", mail.outbox[0].body).group(0)

    stranger = make_user("stranger@example.com")
    client.force_login(stranger)
    assert client.get(link).status_code == 404  # addressed to someone else

    invitee = make_user("new.person@example.com")
    client.force_login(invitee)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response["Location"] == reverse("orgs:company_detail", args=[company.pk])
    assert Membership.objects.get(company=company, user=invitee).role == Role.VIEWER
    assert client.get(link).status_code == 404  # used


def test_the_last_owner_cannot_be_demoted_or_removed(owner_client):
    company = make_company(owner_client.owner)
    membership = Membership.objects.get(company=company)
    response = owner_client.post(
        reverse("orgs:membership_role", args=[company.pk, membership.pk]),
        {"role": "viewer"},
        follow=True,
    )
    assert "管理者が1人もいなくなるため、変更できません。" in response.content.decode()
    owner_client.post(reverse("orgs:membership_remove", args=[company.pk, membership.pk]))
    assert Membership.objects.get(pk=membership.pk).role == Role.OWNER


def test_grant_and_revoke_consent(owner_client):
    company = make_company(owner_client.owner)
    office = SupportOffice.objects.create(name="北陸本部")
    url = reverse("orgs:consent", args=[company.pk])
    missing_agree = owner_client.post(url, {"office": office.pk, "scope": "read"})
    assert "このフィールドは必須です。" in missing_agree.content.decode()
    assert not Consent.objects.exists()
    owner_client.post(url, {"office": office.pk, "scope": "read", "agree": "on"})
    consent = Consent.objects.get()
    assert consent.in_force()
    owner_client.post(reverse("orgs:consent_revoke", args=[company.pk, consent.pk]))
    consent.refresh_from_db()
    assert not consent.in_force()
    assert list(AuditEntry.objects.filter(company=company).values_list("action", flat=True)) == [
        "consent.revoke",
        "consent.grant",
        "company.create",
    ]


def test_company_list_query_count_does_not_grow(owner_client, django_assert_max_num_queries):
    for i in range(3):
        make_company(owner_client.owner, name=f"C{i}")
    with django_assert_max_num_queries(12):
        owner_client.get(reverse("orgs:company_list"))
    for i in range(10):
        make_company(owner_client.owner, name=f"D{i}")
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("orgs:company_list"))
    assert response.content.decode().count('data-testid="company-card"') == 13
