"""Staff write to an event's applicants: all, confirmed or waiting; recorded and audited."""

import pytest
from django.core import mail

from cnnavi.audit.models import AuditEntry
from cnnavi.programmes.models import ApplicationStatus, EventMessage
from cnnavi.programmes.tests.factories import make_application, make_event
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


def test_staff_write_to_the_confirmed_only(world, alice_client, django_capture_on_commit_callbacks):
    event = make_event(world.a.office, title="省エネ補助金セミナー")
    make_application(event, make_user("c1@example.com"))
    make_application(event, make_user("c2@example.com"))
    make_application(event, make_user("w1@example.com"), status=ApplicationStatus.WAITLISTED)
    make_application(event, make_user("x1@example.com"), status=ApplicationStatus.CANCELLED)
    url = f"/staff/events/{event.pk}/message/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            url,
            {
                "audience": "confirmed",
                "subject": "会場の変更",
                "body": "2階の会議室に変わりました。",
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["c1@example.com", "c2@example.com"]
    assert mail.outbox[0].subject == "[CN Navi] 会場の変更"
    assert "2階の会議室に変わりました。" in mail.outbox[0].body
    assert "省エネ補助金セミナー" in mail.outbox[0].body
    message = EventMessage.objects.get()
    assert (message.recipients, message.sent_by) == (2, world.a.owner)
    entry = AuditEntry.objects.get(action="event.message")
    assert entry.data["recipients"] == 2
    page = alice_client.get(f"/staff/events/{event.pk}/").content.decode()
    assert 'data-testid="sent-message-row"' in page and "会場の変更" in page
    # All: confirmed and waiting, never the cancelled.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, {"audience": "all", "subject": "資料", "body": "資料を添付します"})
    assert sorted(m.to[0] for m in mail.outbox) == [
        "c1@example.com",
        "c2@example.com",
        "w1@example.com",
    ]


def test_bad_input_names_each_field_and_sends_nothing(world, alice_client):
    event = make_event(world.a.office)
    url = f"/staff/events/{event.pk}/message/"
    mail.outbox.clear()
    response = alice_client.post(url, {"audience": "waitlisted", "subject": "", "body": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'href="#id_subject"' in html and 'href="#id_body"' in html
    response = alice_client.post(url, {"audience": "waitlisted", "subject": "件名", "body": "本文"})
    assert "この宛先に該当する申込者はいません。" in response.content.decode()
    assert not EventMessage.objects.exists() and mail.outbox == []


def test_another_offices_event_is_404(world, client):
    event = make_event(world.b.office)
    client.force_login(world.a.owner)
    response = client.post(
        f"/staff/events/{event.pk}/message/", {"audience": "all", "subject": "s", "body": "b"}
    )
    assert response.status_code == 404
