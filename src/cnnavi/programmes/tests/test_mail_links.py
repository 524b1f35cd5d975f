"""An application mail is written in the applicant's language, and so are the pages it links
to, whichever language the page they applied from was in."""

import re

import pytest
from django.core import mail
from django.utils import translation

from cnnavi.programmes import services
from cnnavi.programmes.tests.factories import make_event
from cnnavi.programmes.tests.test_events import apply
from cnnavi.programmes.tests.test_invoice_mails import _apply, _settings
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


@pytest.mark.parametrize(
    ("preferred", "page", "english_links"), [("ja", "en", False), ("en", "ja", True)]
)
def test_the_links_of_an_application_mail_follow_the_mail_s_language(
    world, django_capture_on_commit_callbacks, preferred, page, english_links
):
    event = make_event(world.a.office)
    user = make_user(f"{preferred}@example.com")
    user.preferred_language = preferred
    user.save()
    with translation.override(page), django_capture_on_commit_callbacks(execute=True):
        apply(user, event)
    links = _links(mail.outbox[0].body)
    assert links
    assert all(("/en/" in link) == english_links for link in links), links


@pytest.mark.parametrize(
    ("preferred", "page", "english_links"), [("ja", "en", False), ("en", "ja", True)]
)
def test_the_link_of_an_invoice_mail_follows_the_mail_s_language(
    world, django_capture_on_commit_callbacks, preferred, page, english_links
):
    event = make_event(world.a.office, fee_yen=16000)
    _settings(world.a.office)
    with translation.override(page), django_capture_on_commit_callbacks(execute=True):
        _apply(event, f"{preferred}@example.com", language=preferred)
    (message,) = [m for m in mail.outbox if m.attachments and "pdf" in m.attachments[0][2]]
    links = _links(message.body)
    assert links
    assert all(("/en/" in link) == english_links for link in links), links


def test_a_staff_message_links_each_applicant_to_the_page_in_their_language(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.a.office)
    for preferred in ("ja", "en"):
        user = make_user(f"{preferred}@example.com")
        user.preferred_language = preferred
        user.save()
        apply(user, event)
    mail.outbox.clear()
    with translation.override("ja"), django_capture_on_commit_callbacks(execute=True):
        services.event_message_send(
            actor=world.a.owner, event=event, audience="all", subject="会場の変更", body="本文"
        )
    links = {m.to[0]: _links(m.body) for m in mail.outbox}
    assert all("/en/" not in link for link in links["ja@example.com"])
    assert links["en@example.com"] and all("/en/" in link for link in links["en@example.com"])
