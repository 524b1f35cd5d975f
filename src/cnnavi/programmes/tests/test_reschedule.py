"""Editing an event keeps each session (its UID in the .ics) and, when times change, sends an
updated .ics with a higher SEQUENCE to the confirmed applicants in their language."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cnnavi.programmes import services
from cnnavi.programmes.models import Event
from cnnavi.programmes.tests.test_staff import event_data
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


def vevents(message):
    (name, content, mimetype) = message.attachments[0]
    assert name == "event.ics" and mimetype == "text/calendar"
    return list(Calendar.from_ical(content).walk("VEVENT"))


def apply(user, event):
    return services.application_create(
        user=user,
        event=event,
        applicant_kind="support_institution",
        organisation="富山県よろず支援拠点",
        name=f"支援 {user.email[:2]}",
        consent=True,
    )


def edit_data(event, **overrides):
    sessions = list(event.sessions.all())
    data = event_data(
        **{
            "sessions-TOTAL_FORMS": "3",
            "sessions-INITIAL_FORMS": str(len(sessions)),
            "sessions-2-starts_at": "",
            "sessions-2-ends_at": "",
            "sessions-2-topic": "",
        }
    )
    for n, session in enumerate(sessions):
        data[f"sessions-{n}-id"] = str(session.pk)
    data.update(overrides)
    return data


def test_moving_a_day_updates_in_place_and_mails_an_updated_ics(
    world, alice_client, django_capture_on_commit_callbacks
):
    assert alice_client.post(reverse("programmes_staff:event_create"), event_data()).status_code
    event = Event.objects.get()
    day_1, day_2 = event.sessions.all()
    english = make_user("en@example.com")
    english.preferred_language = "en"
    english.save()
    japanese = make_user("ja@example.com")
    gone = make_user("gone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        apply(english, event)
        apply(japanese, event)
        services.application_cancel(actor=gone, application=apply(gone, event))
    first_uids = [str(v["uid"]) for v in vevents(mail.outbox[0])]
    mail.outbox.clear()

    edit_url = reverse("programmes_staff:event_edit", args=[event.pk])
    form_page = alice_client.get(edit_url).content.decode()
    assert f'name="sessions-1-id" value="{day_2.pk}"' in form_page
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            edit_url,
            edit_data(
                event,
                **{
                    "sessions-1-starts_at": "2027-02-01T14:00",
                    "sessions-1-ends_at": "2027-02-01T17:00",
                },
            ),
        )
    assert response.status_code == 302, response.content.decode()[:2000]

    # Same rows (same UIDs); only the moved day's SEQUENCE went up.
    assert [s.pk for s in event.sessions.all()] == [day_1.pk, day_2.pk]
    assert [s.sequence for s in event.sessions.all()] == [0, 1]
    assert sorted(m.to[0] for m in mail.outbox) == ["en@example.com", "ja@example.com"]
    by_to = {m.to[0]: m for m in mail.outbox}
    assert by_to["en@example.com"].subject == (
        "[CN Navi] Date and time changed: カーボンニュートラル戦略の支援（基本編）"
    )
    assert by_to["ja@example.com"].subject == (
        "[CN Navi] 日時が変更されました：カーボンニュートラル戦略の支援（基本編）"
    )
    assert "2027-02-01 (Mon) 14:00–17:00" in by_to["en@example.com"].body
    items = vevents(by_to["ja@example.com"])
    assert [str(v["uid"]) for v in items] == first_uids
    assert [int(v["sequence"]) for v in items] == [0, 1]
    assert items[1].decoded("dtstart").isoformat() == "2027-02-01T05:00:00+00:00"

    # Editing the text only sends nothing and keeps the sequence.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            edit_url,
            edit_data(
                event,
                title="CN戦略の支援",
                **{
                    "sessions-1-starts_at": "2027-02-01T14:00",
                    "sessions-1-ends_at": "2027-02-01T17:00",
                },
            ),
        )
    assert response.status_code == 302
    assert mail.outbox == []
    assert [s.sequence for s in event.sessions.all()] == [0, 1]


def test_a_session_id_of_another_event_is_refused(world, alice_client):
    alice_client.post(reverse("programmes_staff:event_create"), event_data())
    alice_client.post(reverse("programmes_staff:event_create"), event_data(title="二つ目"))
    first, second = Event.objects.order_by("pk")
    data = edit_data(first, **{"sessions-0-id": str(second.sessions.first().pk)})
    response = alice_client.post(reverse("programmes_staff:event_edit", args=[first.pk]), data)
    assert response.status_code == 422
    assert "この日程は見つかりません" in response.content.decode()
    assert second.sessions.count() == 2 and first.sessions.count() == 2


def test_removing_a_day_mails_a_cancellation_ics_for_that_day(
    world, alice_client, django_capture_on_commit_callbacks
):
    """A day taken out of the schedule is cancelled in the applicant's calendar too: a second
    attachment with METHOD:CANCEL, the removed day's UID, a higher SEQUENCE and STATUS
    CANCELLED; the updated event.ics holds only the remaining day."""
    alice_client.post(reverse("programmes_staff:event_create"), event_data())
    event = Event.objects.get()
    day_1, day_2 = event.sessions.all()
    with django_capture_on_commit_callbacks(execute=True):
        apply(make_user("ja@example.com"), event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("programmes_staff:event_edit", args=[event.pk]),
            edit_data(event, **{"sessions-1-DELETE": "on"}),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [s.pk for s in event.sessions.all()] == [day_1.pk]
    (message,) = mail.outbox
    assert [v["uid"] for v in vevents(message)] == [
        f"cnnavi-event-{event.pk}-session-{day_1.pk}@cnnavi"
    ]
    name, content, mimetype = message.attachments[1]
    assert (name, mimetype) == ("cancelled-sessions.ics", "text/calendar")
    cal = Calendar.from_ical(content)
    assert str(cal["method"]) == "CANCEL"
    (removed,) = cal.walk("VEVENT")
    assert str(removed["uid"]) == f"cnnavi-event-{event.pk}-session-{day_2.pk}@cnnavi"
    assert int(removed["sequence"]) == day_2.sequence + 1
    assert str(removed["status"]) == "CANCELLED"
    assert "次の日程は取りやめになりました" in message.body
    assert f"{timezone.localtime(day_2.starts_at):%Y-%m-%d %H:%M}" in message.body
