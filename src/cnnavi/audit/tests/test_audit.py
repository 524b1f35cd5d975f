import pytest
from django.urls import reverse
from django.utils import timezone

from cnnavi.audit.models import AuditEntry
from cnnavi.testing import make_company, make_user

pytestmark = pytest.mark.django_db


def test_staff_browse_and_filter_their_offices_log(world, alice_client):
    b_entries_before = AuditEntry.objects.filter(company=world.b.company).count()
    assert b_entries_before > 0
    response = alice_client.get(reverse("staff:audit"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "company.create" in html  # the raw code stays as secondary text
    assert "企業の登録" in html
    assert "Company a" in html
    assert "Company b" not in html  # another office's company is never listed

    filtered = alice_client.get(reverse("staff:audit"), {"action": "consent.grant"})
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


def test_the_log_shows_a_bookings_time_in_japan_time_and_labels_for_codes(world, alice_client):
    from cnnavi.consultations.tests.tenancy import book, make_slot

    slot = make_slot(world.a.expert, days=7, hour=14)
    book(slot, world.a)
    day = f"{timezone.localtime(slot.starts_at):%Y-%m-%d}"
    html = alice_client.get(reverse("staff:audit"), {"action": "booking.create"}).content.decode()
    row = html.split('data-testid="audit-row"')[1].split("</tr>")[0]
    assert f"Company a {day} 14:00" in row  # not 05:00 (UTC)
    assert "相談の予約" in row and "booking.create" in row
    # The action filter is a list of known actions with labels, not a free-text box.
    select = html.split('name="action"')[1].split("</select>")[0]
    assert '<option value="booking.create" selected>相談の予約</option>' in select
    assert "すべて" in select
    english = alice_client.get("/en/staff/audit/").content.decode()
    assert "Consultation booked" in english


def test_unknown_and_admin_codes_fall_back_sensibly():
    from cnnavi.audit.labels import action_label

    assert action_label("something.new") == "something.new"
    assert str(action_label("admin.supportoffice.update")) == "管理画面：支援機関の変更"


def test_an_update_row_says_what_changed(world, alice_client):
    from cnnavi.audit.services import audit_record

    audit_record(
        actor=world.a.owner, action="company.update", target=world.a.company,
        company=world.a.company, office=world.a.office,
        data={"changed": {"employees": ["40", "45"], "name": ["Company a", "Company A"]}},
    )  # fmt: skip
    html = alice_client.get(reverse("staff:audit"), {"action": "company.update"}).content.decode()
    assert "employees: 40 → 45; name: Company a → Company A" in html
