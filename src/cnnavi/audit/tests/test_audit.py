import pytest
from django.urls import reverse

from cnnavi.audit.models import AuditEntry
from cnnavi.common.testing import make_company, make_user

pytestmark = pytest.mark.django_db


def test_staff_browse_and_filter_their_offices_log(world, alice_client):
    b_entries_before = AuditEntry.objects.filter(company=world.b.company).count()
    assert b_entries_before > 0
    response = alice_client.get(reverse("staff:audit"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "company.create" in html
    assert "Company a" in html
    assert "Company b" not in html  # another office's company is never listed

    filtered = alice_client.get(reverse("staff:audit"), {"action": "consent"})
    rows = filtered.content.decode().count('data-testid="audit-row"')
    assert (
        rows
        == AuditEntry.objects.filter(company=world.a.company, action__startswith="consent").count()
        == 1
    )

    bad = alice_client.get(reverse("staff:audit"), {"date_from": "not-a-date"})
    assert bad.status_code == 200
    assert "日付を正しく入力してください。" in bad.content.decode()


def test_company_reads_by_staff_show_in_the_log(world, alice_client):
    # alice is also a member of company A, so her reads there are not "via consent"...
    outsider_staff = make_user("staff2@example.com", totp=True)
    world.a.office.staff.create(user=outsider_staff)
    alice_client.force_login(outsider_staff)
    alice_client.get(reverse("orgs:company_detail", args=[world.a.company.pk]))
    entry = AuditEntry.objects.filter(action="company.read").latest("id")
    assert (entry.actor_email, entry.company_id, entry.office_id) == (
        "staff2@example.com",
        world.a.company.pk,
        world.a.office.pk,
    )


def test_writes_record_the_actor(db):
    owner = make_user("o@example.com")
    company = make_company(owner)
    entry = AuditEntry.objects.get(action="company.create")
    assert entry.actor == owner
    assert entry.object_type == "orgs.company"
    assert entry.object_id == str(company.pk)
