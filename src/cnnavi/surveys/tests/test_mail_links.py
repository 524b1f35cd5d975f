"""A survey invitation links to the answer page in its recipient's language, whatever language
is active when the invitations go out."""

import re

import pytest
from django.core import mail
from django.utils import translation

from cnnavi.programmes.tests.factories import make_application, make_event
from cnnavi.surveys import services
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("active", ["ja", "en"])
def test_each_survey_link_follows_its_recipient_s_language(
    world, django_capture_on_commit_callbacks, active
):
    event = make_event(world.a.office, title="省エネセミナー", days=-3)
    for language in ("ja", "en"):
        user = make_user(f"{language}@example.com")
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        make_application(event, user)
    mail.outbox.clear()
    with translation.override(active), django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send() == 2
    links = {m.to[0]: re.findall(r"https?://\S+/surveys/\S+", m.body) for m in mail.outbox}
    assert len(links["ja@example.com"]) == len(links["en@example.com"]) == 1
    assert "/en/" not in links["ja@example.com"][0]
    assert "/en/surveys/" in links["en@example.com"][0]
