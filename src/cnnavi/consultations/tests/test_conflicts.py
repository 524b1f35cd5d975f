"""Bookings that survive conflicts: the race loser keeps the input and gets the nearest free
slots of the same channel; closing a day with bookings lists them first, then cancels them and
tells each client (with a cancelling .ics); the web-meeting URL of an online booking; the
reschedule list keeps to the same expert and channel unless the client asks for more."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from cnnavi.audit.models import AuditEntry
from cnnavi.consultations import services
from cnnavi.consultations.models import Booking, BookingStatus, ClosedDay
from cnnavi.consultations.tests.tenancy import book, make_slot

pytestmark = pytest.mark.django_db

GUEST = {
    "channel": "phone",
    "topics": ["subsidies"],
    "description": "省エネ補助金の申請について",
    "contact_name": "能登 三郎",
    "contact_company": "能登水産加工",
    "contact_email": "noto@example.com",
    "contact_phone": "0768-12-3456",
}


def test_the_race_loser_sees_alternatives_of_the_same_channel_and_keeps_the_input(
    client, world, people
):
    wanted = make_slot(world.a.expert, days=5, hour=10, mode="online")
    near_online = make_slot(people.erin, days=5, hour=14, mode="online")
    far_online = make_slot(world.a.expert, days=20, hour=10, mode="online")
    office_slot = make_slot(world.a.expert, days=5, hour=15, mode="office")
    book(wanted, world.a)  # someone else was quicker
    response = client.post(f"/consultations/book/{wanted.pk}/", GUEST)
    assert response.status_code == 409
    html = response.content.decode()
    assert "この枠は先ほど埋まりました" in html
    offered = re.findall(r'formaction="/consultations/book/(\d+)/"', html)
    assert offered == [str(near_online.pk), str(far_online.pk)]  # nearest first, same channel
    assert str(office_slot.pk) not in offered  # an office slot cannot be met by phone
    assert 'value="能登水産加工"' in html and "省エネ補助金の申請について" in html
    assert Booking.objects.filter(contact_email="noto@example.com").count() == 0
    # One click on an alternative books it with the same input.
    response = client.post(f"/consultations/book/{near_online.pk}/", GUEST)
    assert response.status_code == 302
    assert Booking.objects.get(contact_email="noto@example.com").slot == near_online


def test_the_service_names_the_race_with_its_own_error(world):
    slot = make_slot(world.a.expert)
    book(slot, world.a)
    with pytest.raises(services.SlotTaken, match="この枠は先ほど埋まりました"):
        services.booking_create(actor=None, slot=slot, company=None, **GUEST)


def test_closing_a_day_lists_its_bookings_then_cancels_and_notifies(
    client, world, people, django_capture_on_commit_callbacks
):
    a = world.a
    free = make_slot(a.expert, days=6, hour=10)
    taken = make_slot(people.erin, days=6, hour=14, mode="online")
    booking = services.booking_create(actor=None, slot=taken, company=None, **GUEST)
    other_day = book(make_slot(a.expert, days=7, hour=10), a)
    client.force_login(people.sam)
    day = timezone.localtime(free.starts_at).date().isoformat()
    response = client.post("/staff/consultations/closed-days/", {"day": day, "reason": "所内研修"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="closing-booking-row"' in html and "能登水産加工" in html
    assert html.count('data-testid="closing-booking-row"') == 1
    # Nothing is saved before the staff confirm.
    assert not ClosedDay.objects.exists()
    booking.refresh_from_db()
    free.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED and not free.withdrawn

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/consultations/closed-days/",
            {"day": day, "reason": "所内研修", "acknowledged": str(booking.pk)},
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    other_day.refresh_from_db()
    free.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert other_day.status == BookingStatus.BOOKED
    assert free.withdrawn
    client_mail = next(m for m in mail.outbox if m.to == ["noto@example.com"])
    assert client_mail.subject == "[CN Navi] 相談の予約をキャンセルしました（休業のため）"
    assert "所内研修" in client_mail.body
    assert "/consultations/?mode=online" in client_mail.body  # the link to book again
    filename, ics, _mimetype = client_mail.attachments[0]
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    assert f"UID:booking-{booking.pk}@cnnavi" in ics
    assert any(m.to == ["erin@example.com"] for m in mail.outbox)  # the expert is told too
    entry = AuditEntry.objects.get(action="closed_day.add")
    assert entry.data["cancelled_bookings"] == 1


def test_a_booking_made_after_the_list_was_shown_stops_the_save(world):
    a = world.a
    first = book(make_slot(a.expert, days=6, hour=10), a)
    late = book(make_slot(a.expert, days=6, hour=14), a)
    day = timezone.localtime(first.starts_at).date()
    with pytest.raises(services.BookingsOnDay) as caught:
        services.closed_day_add(
            actor=a.owner, office=a.office, day=day, reason="", acknowledged={first.pk}
        )
    assert [b.pk for b in caught.value.bookings] == [first.pk, late.pk]
    assert not ClosedDay.objects.exists()
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == 2


def test_the_expert_gives_the_meeting_url_and_the_client_gets_it(
    client, world, people, django_capture_on_commit_callbacks
):
    booking = services.booking_create(
        actor=None,
        slot=make_slot(people.erin, days=4, mode="online"),
        company=None,
        **dict(GUEST, channel="online"),
    )
    client.force_login(people.erin_user)
    page = client.get(f"/consultations/bookings/{booking.pk}/").content.decode()
    assert 'data-testid="meeting-url-form"' in page
    response = client.post(
        f"/consultations/bookings/{booking.pk}/meeting-url/",
        {"meeting_url": "http://meet.example.com/abc"},
    )
    assert response.status_code == 422
    assert "https:// で始まるURLを入力してください。" in response.content.decode()
    mail.outbox.clear()
    url = "https://meet.example.com/cn-navi-123"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/consultations/bookings/{booking.pk}/meeting-url/", {"meeting_url": url}
        )
    assert response.status_code == 302
    message = mail.outbox[0]
    assert message.to == ["noto@example.com"]
    assert message.subject == "[CN Navi] Web会議のURLのお知らせ"
    assert url in message.body
    ics = message.attachments[0][1]
    assert f"URL:{url}" in ics and "meet.example.com/cn-navi-123" in ics.replace("\r\n ", "")
    page = client.get(f"/consultations/manage/{services.manage_token(booking)}/")
    assert f'href="{url}"' in page.content.decode()
    assert AuditEntry.objects.filter(action="booking.meeting_url").count() == 1


def test_only_the_office_side_sets_the_meeting_url(client, world, people):
    mine = book(make_slot(world.a.expert, days=4, mode="online"), world.a)
    from cnnavi.orgs.models import Membership, Role

    Membership.objects.create(company=world.a.company, user=people.vic, role=Role.VIEWER)
    client.force_login(people.vic)
    response = client.post(
        f"/consultations/bookings/{mine.pk}/meeting-url/", {"meeting_url": "https://x.example"}
    )
    assert response.status_code == 403
    phone = book(make_slot(world.a.expert, days=5, mode="online"), world.a, channel="phone")
    with pytest.raises(Exception, match="オンラインの相談ではありません"):
        services.booking_set_meeting_url(
            actor=world.a.owner, booking=phone, meeting_url="https://x.example"
        )


def test_the_reschedule_list_keeps_to_the_same_expert_and_channel(alice_client, world, people):
    booking = book(make_slot(world.a.expert, days=3, mode="online"), world.a)
    same = make_slot(world.a.expert, days=4, hour=10, mode="online")
    office = make_slot(world.a.expert, days=4, hour=15, mode="office")
    other_expert = make_slot(people.erin, days=4, hour=11, mode="online")
    html = alice_client.get(f"/consultations/bookings/{booking.pk}/").content.decode()
    options = re.findall(r'<option value="(\d+)"', html)
    assert options == [str(same.pk)]
    html = alice_client.get(f"/consultations/bookings/{booking.pk}/?other=1").content.decode()
    options = set(re.findall(r'<option value="(\d+)"', html))
    assert options == {str(same.pk), str(office.pk), str(other_expert.pk)}
    # The client may choose another expert's slot.
    response = alice_client.post(
        f"/consultations/bookings/{booking.pk}/reschedule/", {"slot": other_expert.pk}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot == other_expert
