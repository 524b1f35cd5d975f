"""The invitation is written in the invitee's language when they have an account, else in the
inviter's, and its link opens the page in that language, whichever page the invitation was
made on."""

import re

import pytest
from django.core import mail
from django.utils import translation

from cnnavi.orgs import services
from cnnavi.orgs.models import Role
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


def _invite(world, email: str, page: str):
    mail.outbox.clear()
    with translation.override(page):
        services.invitation_create(
            actor=world.a.owner, company=world.a.company, email=email, role=Role.VIEWER
        )


def _link(message) -> str:
    (link,) = re.findall(r"https?://\S+/invitations/\S+", message.body)
    return link


@pytest.mark.parametrize("page", ["ja", "en"])
def test_a_newcomer_is_invited_in_the_inviter_s_language_with_a_link_in_it(
    world, django_capture_on_commit_callbacks, page
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, "new.person@example.com", page)  # the inviter reads Japanese
    (message,) = mail.outbox
    assert "/en/" not in _link(message)
    assert "招待" in message.subject and "閲覧者" in message.body


@pytest.mark.parametrize("page", ["ja", "en"])
def test_a_user_is_invited_in_their_language_with_a_link_in_it(
    world, django_capture_on_commit_callbacks, page
):
    invitee = make_user("english.reader@example.com")
    invitee.preferred_language = "en"
    invitee.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        _invite(world, "English.Reader@example.com", page)
    (message,) = mail.outbox
    assert "/en/invitations/" in _link(message)
    assert "Viewer" in message.body, message.body
    assert not re.search(r"[\u3040-\u30ff]", message.subject), message.subject
