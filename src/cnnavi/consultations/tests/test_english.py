"""Every page of the app under /en/ shows no Japanese except user data (here all ASCII)."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from cnnavi.consultations import services
from cnnavi.consultations.tests.tenancy import make_slot

pytestmark = pytest.mark.django_db

from cnnavi.common.choices import Industry, Prefecture  # noqa: E402
from cnnavi.orgs.models import ConsentScope  # noqa: E402

OTHER_CATALOGUES = [
    str(label)
    for choices in (Prefecture, Industry, ConsentScope)
    for label in choices.labels
    if label
]
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")


def _main(html: str) -> str:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)
    # Labels of the shared choices (prefectures, industries, consent scope) come from the
    # common and orgs catalogues, not from this app's.
    for label in OTHER_CATALOGUES:
        text = text.replace(label, "")
    return text


@pytest.fixture
def english_world(world, django_capture_on_commit_callbacks):
    a = world.a
    free = make_slot(a.expert, days=9)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(
            actor=a.owner,
            slot=make_slot(a.expert, days=10),
            channel="in_person",
            topics=["renewables"],
            description="Solar on the roof",
            contact_name="Alice",
            contact_company="Company a",
            contact_email=a.owner.email,
            contact_phone="076-000-0000",
            company=a.company,
            language="en",
        )
    english = next(m for m in mail.outbox if m.to == [a.owner.email] and "booked" in m.subject)
    assert english.subject == "[CN Navi] Your consultation is booked"
    assert not JAPANESE.search(english.body), english.body
    case = services.calc_case_apply(
        actor=a.owner, company=a.company, office=a.office, message="Help", preferred_dates=""
    )
    services.calc_case_accept(actor=a.owner, office=a.office, case=case, expert=a.expert)
    visits = [
        services.calc_visit_schedule(
            actor=a.owner, case=case, expert=a.expert, scheduled_at=timezone.now()
        )
        for _ in range(3)
    ]
    services.calc_visit_record(actor=a.owner, visit=visits[0], record="Checked the bills")
    handson = services.handson_apply(
        actor=a.owner,
        company=a.company,
        office=a.office,
        themes_wanted="Energy saving",
        current_issues="Costs",
        project_members="Two people",
    )
    return free, booking, case, visits, handson


def test_pages_in_english(alice_client, english_world):
    free, booking, case, visits, handson = english_world
    urls = [
        "/en/consultations/",
        f"/en/consultations/book/{free.pk}/",
        f"/en/consultations/bookings/{booking.pk}/",
        f"/en/consultations/manage/{services.manage_token(booking)}/",
        "/en/consultations/calc-support/",
        f"/en/consultations/calc-support/{case.pk}/",
        *[f"/en/consultations/calc-support/{case.pk}/visits/{v.pk}/record/" for v in visits],
        "/en/consultations/handson/",
        f"/en/consultations/handson/{handson.pk}/",
        "/en/staff/consultations/",
        "/en/staff/calc-support/",
        f"/en/staff/calc-support/{case.pk}/",
        "/en/staff/handson/",
        "/en/staff/",
        "/en/experts/",
    ]
    problems = []
    for url in urls:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        text = _main(response.content.decode())
        found = sorted(set(JAPANESE.findall(text)))
        if found:
            snippet = text[max(0, JAPANESE.search(text).start() - 40) :][:120]
            problems.append(f"{url}: {''.join(found)[:30]} … {' '.join(snippet.split())}")
    assert not problems, "\n".join(problems)
