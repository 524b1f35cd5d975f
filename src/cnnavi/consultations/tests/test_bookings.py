"""The consultation window as users see it: booking with and without an account, the e-mail
with its .ics and manage link, cancel and reschedule until the deadline, records, reminders."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cnnavi.audit.models import AuditEntry
from cnnavi.consultations import services
from cnnavi.consultations.models import Booking, BookingStatus, Slot
from cnnavi.consultations.tests.tenancy import book, make_slot

pytestmark = pytest.mark.django_db

GUEST = {
    "channel": "phone",
    "topics": ["sbt_re100", "subsidies"],
    "description": "SBTの中小企業版について",
    "contact_name": "能登 三郎",
    "contact_company": "能登水産加工",
    "contact_email": "noto@example.com",
    "contact_phone": "0768-12-3456",
}


def _manage_link(message) -> str:
    return re.search(r"https?://\S+/consultations/manage/\S+/", message.body).group(0)


def test_a_guest_books_a_free_slot_and_gets_the_ics_and_manage_link(
    client, world, django_capture_on_commit_callbacks
):
    slot = make_slot(world.a.expert, days=7, hour=14, mode="online")
    page = client.get("/consultations/")
    assert page.status_code == 200
    assert f"/consultations/book/{slot.pk}/" in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/consultations/book/{slot.pk}/", GUEST)
    assert response.status_code == 302
    booking = Booking.objects.get(slot=slot)
    assert (booking.company, booking.user, booking.status) == (None, None, "booked")
    guest_mail = next(m for m in mail.outbox if m.to == ["noto@example.com"])
    assert guest_mail.subject == "[CN Navi] 相談のご予約を承りました"
    assert "SBT・RE100（中小企業版）、補助金" in guest_mail.body
    assert "ご登録の電話番号（0768-12-3456）にお電話します" in guest_mail.body
    filename, ics, mimetype = guest_mail.attachments[0]
    assert (filename, mimetype) == ("consultation.ics", "text/calendar")
    assert "BEGIN:VEVENT" in ics and f"UID:booking-{booking.pk}@cnnavi" in ics
    assert any(m.to == [world.a.owner.email] for m in mail.outbox)  # the expert is told
    # The slot is gone from the list and its booking page is 404.
    assert f"/consultations/book/{slot.pk}/" not in client.get("/consultations/").content.decode()
    assert client.get(f"/consultations/book/{slot.pk}/").status_code == 404
    # The manage link works without an account.
    link = _manage_link(guest_mail)
    page = client.get(link)
    assert page.status_code == 200 and "能登水産加工" in page.content.decode()


def test_bad_input_names_the_field_and_saves_nothing(client, world):
    slot = make_slot(world.a.expert, mode="online")
    data = dict(GUEST, channel="in_person", topics=[], contact_phone="abc")
    response = client.post(f"/consultations/book/{slot.pk}/", data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "相談したいこと" in html and "電話番号は数字とハイフンで入力してください。" in html
    assert "相談方法" in html  # in person is not offered in an online slot
    assert not Booking.objects.exists()


def test_a_member_books_for_the_company_and_sees_it_in_the_history(alice_client, world):
    slot = make_slot(world.a.expert)
    data = dict(GUEST, company=world.a.company.pk, contact_email=world.a.owner.email)
    response = alice_client.post(f"/consultations/book/{slot.pk}/", data)
    booking = Booking.objects.get(slot=slot)
    assert response.url == f"/consultations/bookings/{booking.pk}/"
    assert booking.company == world.a.company and booking.user == world.a.owner
    rows = alice_client.get("/consultations/").content.decode()
    assert f"/consultations/bookings/{booking.pk}/" in rows
    ics = alice_client.get(f"/consultations/bookings/{booking.pk}/calendar.ics")
    assert ics["Content-Type"] == "text/calendar"


def test_the_manage_link_cancels_until_the_deadline(
    client, world, django_capture_on_commit_callbacks
):
    booking = book(make_slot(world.a.expert, days=3), world.a, company=None)
    token = services.manage_token(booking)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/consultations/manage/{token}/", {"action": "cancel"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert mail.outbox[0].subject == "[CN Navi] 相談の予約がキャンセルされました"
    assert "METHOD:CANCEL" in mail.outbox[0].attachments[0][1]
    # The slot is free again.
    assert client.get(f"/consultations/book/{booking.slot_id}/").status_code == 200


def test_no_change_after_the_deadline(client, world):
    booking = book(make_slot(world.a.expert, days=3), world.a)
    later = booking.starts_at - timedelta(hours=2)
    with pytest.raises(Exception, match="24時間前を過ぎた"):
        services.booking_cancel(actor=None, booking=booking, now=later)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_reschedule_moves_the_booking_and_frees_the_old_slot(alice_client, world):
    booking = book(make_slot(world.a.expert, days=3), world.a)
    new_slot = make_slot(world.a.expert, days=4)
    response = alice_client.post(
        f"/consultations/bookings/{booking.pk}/reschedule/", {"slot": new_slot.pk}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot == new_slot and booking.starts_at == new_slot.starts_at
    assert AuditEntry.objects.filter(action="booking.reschedule").count() == 1


def test_a_taken_slot_is_refused_with_a_clear_message(world):
    slot = make_slot(world.a.expert)
    book(slot, world.a)
    with pytest.raises(Exception, match="この枠は先ほど埋まりました"):
        services.booking_create(actor=None, slot=slot, company=None, **GUEST)
    assert Booking.objects.filter(slot=slot).count() == 1


def test_the_expert_records_and_the_company_reads_it(client, world):
    slot = make_slot(world.a.expert, days=2)
    booking = book(slot, world.a)
    client.force_login(world.a.owner)  # alice is also the expert of office A
    response = client.post(
        f"/consultations/bookings/{booking.pk}/",
        {"record": "再エネ電力メニューを紹介", "follow_up": "見積の比較表を送る"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.record == "再エネ電力メニューを紹介"
    page = client.get(f"/consultations/bookings/{booking.pk}/").content.decode()
    assert "見積の比較表を送る" in page


def test_an_outsider_cannot_open_a_booking(client, world):
    booking = book(make_slot(world.a.expert), world.a)
    client.force_login(world.outsider)
    assert client.get(f"/consultations/bookings/{booking.pk}/").status_code == 404
    assert client.post(f"/consultations/bookings/{booking.pk}/cancel/").status_code == 404


def test_reminders_go_once(world, django_capture_on_commit_callbacks):
    soon = book(make_slot(world.a.expert, days=1, hour=23), world.a)
    book(make_slot(world.a.expert, days=9), world.a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("consultations_remind")
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count("[CN Navi] 相談の予約のお知らせ（リマインダー）") == 2  # booker + expert
    soon.refresh_from_db()
    assert soon.reminded_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("consultations_remind")
    assert mail.outbox == []


def test_staff_generate_slots_skipping_holidays_and_closed_days(client, world, settings):
    a = world.a
    services.availability_add(
        actor=a.owner,
        office=a.office,
        expert=a.expert,
        weekday=1,
        start_time=timezone.datetime(2000, 1, 1, 14).time(),
        minutes=60,
        mode="online",
    )
    created = services.slots_generate(
        actor=a.owner, office=a.office, first_day=timezone.datetime(2026, 11, 2).date(), weeks=2
    )
    # Tuesdays 2026-11-03 (文化の日, a holiday) and 2026-11-10: only the second one.
    assert created == 1
    assert [s.starts_at.date().isoformat() for s in Slot.objects.filter(expert=a.expert)] == [
        "2026-11-10"
    ]
    assert (
        services.slots_generate(
            actor=a.owner, office=a.office, first_day=timezone.datetime(2026, 11, 2).date(), weeks=2
        )
        == 0
    )


def test_a_closed_day_withdraws_free_slots_once_its_bookings_are_acknowledged(client, world):
    a = world.a
    free = make_slot(a.expert, days=6, hour=10)
    taken = make_slot(a.expert, days=6, hour=14)
    booking = book(taken, a)
    client.force_login(a.owner)
    day = timezone.localtime(free.starts_at).date()
    response = client.post(
        "/staff/consultations/closed-days/", {"day": day.isoformat(), "reason": "研修"}
    )
    assert response.status_code == 200  # the booking is listed first (test_conflicts.py)
    response = client.post(
        "/staff/consultations/closed-days/",
        {"day": day.isoformat(), "reason": "研修", "acknowledged": str(booking.pk)},
    )
    assert response.status_code == 302
    free.refresh_from_db()
    taken.refresh_from_db()
    assert (free.withdrawn, taken.withdrawn) == (True, True)
    assert client.get(f"/consultations/book/{free.pk}/").status_code == 404
    # A day in the past is refused with a message naming the field.
    response = client.post("/staff/consultations/closed-days/", {"day": "2020-01-01"})
    assert response.status_code == 422
    assert "今日以降の日付を指定してください。" in response.content.decode()


def test_the_demo_loads_twice_without_changes(db):
    from cnnavi.audit.models import AuditEntry
    from cnnavi.consultations.models import CalcVisit, HandsOnCase

    call_command("demo")
    counts = [m.objects.count() for m in (Slot, Booking, CalcVisit, HandsOnCase, AuditEntry)]
    assert counts[1:4] == [2, 2, 1]
    assert CalcVisit.objects.filter(recorded_at__isnull=False).count() == 2
    assert HandsOnCase.objects.get().state == "under_review"
    call_command("demo")
    assert [
        m.objects.count() for m in (Slot, Booking, CalcVisit, HandsOnCase, AuditEntry)
    ] == counts


def test_the_office_side_cancels_and_the_booker_is_told(
    client, people, world, django_capture_on_commit_callbacks
):
    booking = services.booking_create(
        actor=None, slot=make_slot(people.erin, days=4), company=None, **GUEST
    )
    client.force_login(people.erin_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/consultations/bookings/{booking.pk}/cancel/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert [m.to for m in mail.outbox] == [["noto@example.com"], ["erin@example.com"]]
    entry = AuditEntry.objects.get(action="booking.cancel")
    assert entry.data == {"by": "office"} and entry.actor == people.erin_user
    # A viewer of the booking's company may read it but not change it.
    mine = book(make_slot(world.a.expert, days=5), world.a)
    from cnnavi.orgs.models import Membership, Role

    Membership.objects.create(company=world.a.company, user=people.vic, role=Role.VIEWER)
    client.force_login(people.vic)
    page = client.get(f"/consultations/bookings/{mine.pk}/").content.decode()
    assert "予約をキャンセルする" not in page
    assert client.post(f"/consultations/bookings/{mine.pk}/cancel/").status_code == 403


def test_the_slot_list_filters_by_mode_with_htmx_in_few_queries(
    client, world, django_assert_max_num_queries
):
    for day in range(2, 12):
        make_slot(world.a.expert, days=day, hour=10, mode="online")
        make_slot(world.b.expert, days=day, hour=15, mode="office")
    with django_assert_max_num_queries(6):
        page = client.get("/consultations/").content.decode()
    assert page.count('data-testid="slot-link"') == 20
    partial = client.get("/consultations/?mode=office", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="slots"')
    assert partial.count('data-testid="slot-link"') == 10
    assert "オンライン枠" not in partial


def test_the_form_offers_only_the_slots_channels_and_prefills_the_phone(alice_client, world):
    office_slot = make_slot(world.a.expert, days=9, hour=10, mode="office")
    html = alice_client.get(f"/consultations/book/{office_slot.pk}/").content.decode()
    channel = html.split('<div id="id_channel"')[1].split('class="help"')[0]
    assert "オンライン" not in channel and "電話" not in channel
    assert 'value="in_person"' in html and "checked" in channel and "disabled" in channel
    assert "この枠は対面枠（支援機関の事務所）です。" in html
    assert 'value="0768' not in html  # nothing to prefill yet
    # A member's next booking gets the phone number of their last one.
    book(make_slot(world.a.expert, days=8, hour=9), world.a, contact_phone="0766-00-0000")
    online_slot = make_slot(world.a.expert, days=9, hour=15, mode="online")
    html = alice_client.get(f"/consultations/book/{online_slot.pk}/").content.decode()
    assert 'value="0766-00-0000"' in html
    assert 'value="online"' in html and 'value="phone"' in html and 'value="in_person"' not in html
    # Missing choices are named in plain words.
    html = alice_client.post(f"/consultations/book/{online_slot.pk}/", {"description": "x"})
    html = html.content.decode()
    assert (
        "相談方法を選んでください。" in html and "相談したいことを1つ以上選んでください。" in html
    )
    # The locked channel is what is booked, whatever is posted.
    data = dict(GUEST, company=world.a.company.pk, channel="online")
    alice_client.post(f"/consultations/book/{office_slot.pk}/", data)
    assert Booking.objects.get(slot=office_slot).channel == "in_person"


def test_the_meeting_note_is_shown_in_the_pages_language(alice_client, world):
    booking = book(make_slot(world.a.expert, mode="online"), world.a, language="ja")
    assert "Web会議のURL" in booking.meeting_details  # stored in the booker's language
    page = alice_client.get(f"/en/consultations/bookings/{booking.pk}/").content.decode()
    assert "Web会議" not in page
    assert "The expert will e-mail you the video meeting link" in page
    # The audit log's action labels have their own context: the page title is not taken over.
    assert "Consultation booked" not in page


def test_a_slot_past_the_change_deadline_warns_before_booking(client, people):
    """A slot starting within 24 hours can be booked, but the form says that changes then go by
    telephone, with the office's number."""
    from datetime import timedelta

    from cnnavi.consultations.models import Slot

    people.office.phone = "076-444-0000"
    people.office.save()
    soon = timezone.now() + timedelta(hours=5)
    slot = Slot.objects.create(
        expert=people.erin, starts_at=soon, ends_at=soon + timedelta(hours=1), mode="online"
    )
    page = client.get(f"/consultations/book/{slot.pk}/").content.decode()
    assert 'data-testid="late-booking"' in page and "電話 076-444-0000" in page
    later = make_slot(people.erin, days=10)
    page = client.get(f"/consultations/book/{later.pk}/").content.decode()
    assert 'data-testid="late-booking"' not in page


def test_anonymous_bookings_are_throttled_per_address(client, world):
    slots = [make_slot(world.a.expert, days=7 + i, hour=10, mode="online") for i in range(5)]
    for i, slot in enumerate(slots[:3]):
        data = dict(GUEST, contact_email=f"guest{i}@example.com")
        assert client.post(f"/consultations/book/{slot.pk}/", data).status_code == 302
    refused = client.post(
        f"/consultations/book/{slots[3].pk}/", dict(GUEST, contact_email="other@example.com")
    )
    assert refused.status_code == 429
    assert "ログインせずに予約できる回数の上限に達しました" in refused.content.decode()
    assert Booking.objects.count() == 3
    # Another client (another address behind the trusted proxy) still books.
    other = client.post(
        f"/consultations/book/{slots[4].pk}/",
        dict(GUEST, contact_email="fourth@example.com"),
        REMOTE_ADDR="192.0.2.9",
    )
    assert other.status_code == 302


def test_anonymous_bookings_are_throttled_per_email(client, world):
    slots = [make_slot(world.a.expert, days=7 + i, hour=10, mode="online") for i in range(4)]
    for i, slot in enumerate(slots):
        response = client.post(
            f"/consultations/book/{slot.pk}/", GUEST, REMOTE_ADDR=f"192.0.2.{i + 1}"
        )
        assert response.status_code == (302 if i < 3 else 429)
    assert Booking.objects.filter(contact_email="noto@example.com").count() == 3


def test_the_throttle_counts_the_client_behind_a_trusted_proxy(client, world, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    slots = [make_slot(world.a.expert, days=7 + i, hour=10, mode="online") for i in range(4)]
    for i, slot in enumerate(slots):
        response = client.post(
            f"/consultations/book/{slot.pk}/",
            dict(GUEST, contact_email=f"guest{i}@example.com"),
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",  # four different clients
        )
        assert response.status_code == 302


def test_members_are_not_throttled_as_guests(alice_client, world):
    slots = [make_slot(world.a.expert, days=7 + i, hour=10, mode="online") for i in range(4)]
    data = dict(GUEST, company=world.a.company.pk, contact_email=world.a.owner.email)
    for slot in slots:
        response = alice_client.post(f"/consultations/book/{slot.pk}/", data)
        assert response.status_code == 302
