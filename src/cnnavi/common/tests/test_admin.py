"""The admin never bypasses a service: operational data is read-only there, catalogue edits
are audited, and logging in to it goes through the site's login with TOTP."""

import pytest
from django.urls import reverse

from cnnavi.audit.models import AuditEntry
from cnnavi.orgs.models import Company, SupportOffice
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = make_user("root@example.com", totp=True)
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def _form_data(form) -> dict:
    out = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        out[form.add_prefix(name)] = value
    return out


def test_operational_data_is_read_only_in_the_admin(world, admin_client):
    company = world.a.company
    url = reverse("admin:orgs_company_change", args=[company.pk])
    page = admin_client.get(url)
    assert page.status_code == 200  # shown (view permission)
    assert 'type="submit"' not in page.content.decode().split('id="content-main"')[1]
    assert admin_client.post(url, {"name": "乗っ取り"}).status_code == 403
    assert admin_client.get(reverse("admin:orgs_company_add")).status_code == 403
    assert admin_client.get(reverse("admin:orgs_consent_add")).status_code == 403
    assert admin_client.get(reverse("admin:consultations_booking_add")).status_code == 403
    assert admin_client.get(reverse("admin:programmes_application_add")).status_code == 403
    assert Company.objects.get(pk=company.pk).name == company.name


def test_catalogue_edits_in_the_admin_are_audited(world, admin_client):
    office = world.a.office
    url = reverse("admin:orgs_supportoffice_change", args=[office.pk])
    page = admin_client.get(url)
    data = _form_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
        )
        for f in formset.forms:
            data.update(_form_data(f))
    data["name"] = "新しい名前"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert SupportOffice.objects.get(pk=office.pk).name == "新しい名前"
    entry = AuditEntry.objects.get(action="admin.supportoffice.update")
    assert entry.actor_email == "root@example.com" and "name" in entry.data["fields"]
    assert entry.office_id == office.pk


def test_the_admin_logs_in_through_the_site(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    login = client.get(response.url, follow=False)
    assert login.status_code == 302 and login.url.startswith(reverse("account_login"))
    assert "next=/admin/" in login.url


def test_an_admin_user_without_totp_must_set_it_up_first(client):
    user = make_user("newroot@example.com")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/accounts/2fa/" in response.url
