"""A consultation mail links to the pages in the recipient's language, whichever language the
page that sent it was in: bookings (the client in the booking's language, the expert in theirs),
the CO2 calculation support and its visits."""

import re

import pytest
from django.core import mail
from django.utils import timezone, translation

from cnnavi.consultations import services
from cnnavi.consultations.tests.tenancy import make_slot
from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import ConsentScope

pytestmark = pytest.mark.django_db


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def _english(links: list[str]) -> bool:
    assert links
    assert len({"/en/" in link for link in links}) == 1, links
    return "/en/" in links[0]


def _prefer(user, language: str) -> None:
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


def _book(people, language: str):
    return services.booking_create(
        actor=people.carol,
        slot=make_slot(people.erin),
        channel="online",
        topics=["how_to_start"],
        description="",
        contact_name="Carol",
        contact_company=people.company.name,
        contact_email=people.carol.email,
        contact_phone="076-000-0000",
        company=people.company,
        language=language,
    )


@pytest.mark.parametrize(("client_language", "expert_language"), [("ja", "en"), ("en", "ja")])
@pytest.mark.parametrize("page", ["ja", "en"])
def test_booking_and_cancellation_mails_link_in_each_recipient_s_language(
    people, django_capture_on_commit_callbacks, client_language, expert_language, page
):
    _prefer(people.erin_user, expert_language)
    with translation.override(page), django_capture_on_commit_callbacks(execute=True):
        booking = _book(people, client_language)
    with translation.override(page), django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=people.carol, booking=booking)
    to_client = [m for m in mail.outbox if m.to == [people.carol.email]]
    to_expert = [m for m in mail.outbox if m.to == [people.erin_user.email]]
    assert len(to_client) == len(to_expert) == 2  # booked, cancelled
    for message in to_client:
        assert _english(_links(message)) == (client_language == "en"), message.body
    for message in to_expert:
        assert _english(_links(message)) == (expert_language == "en"), message.body


@pytest.mark.parametrize("page", ["ja", "en"])
def test_calc_support_and_visit_mails_link_in_each_recipient_s_language(
    people, django_capture_on_commit_callbacks, page
):
    """The company's owner reads English, the staff and the expert Japanese."""
    _prefer(people.carol, "en")
    org_services.consent_grant(
        actor=people.carol,
        company=people.company,
        office=people.office,
        scope=ConsentScope.EDIT,
        valid_until=None,
    )
    org_services.expert_assign(
        actor=people.sam, office=people.office, company=people.company, expert=people.erin
    )
    mail.outbox.clear()
    with translation.override(page), django_capture_on_commit_callbacks(execute=True):
        case = services.calc_case_apply(
            actor=people.carol,
            company=people.company,
            office=people.office,
            message="Scope 2",
            preferred_dates="",
        )
        services.calc_case_accept(
            actor=people.sam, office=people.office, case=case, expert=people.erin
        )
        visit = services.calc_visit_schedule(
            actor=people.erin_user, case=case, expert=people.erin, scheduled_at=timezone.now()
        )
        services.calc_visit_cancel(actor=people.erin_user, visit=visit, reason="Rain")
    by_recipient: dict[str, list] = {}
    for message in mail.outbox:
        by_recipient.setdefault(message.to[0], []).append(message)
    # carol: accepted, visit scheduled, visit cancelled; sam: the application; erin: assigned
    assert len(by_recipient[people.carol.email]) == 3
    assert by_recipient[people.sam.email] and by_recipient[people.erin_user.email]
    for email, messages in by_recipient.items():
        for message in messages:
            assert _english(_links(message)) == (email == people.carol.email), message.body
