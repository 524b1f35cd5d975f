"""Every programmes page under /en/ shows no Japanese except user data."""

import re

import pytest
from django.urls import reverse

from cnnavi.common.choices import Prefecture
from cnnavi.programmes import services
from cnnavi.programmes.models import Headline, HeadlinePrefecture, HeadlineTopic
from cnnavi.programmes.tests.factories import make_course, make_event
from cnnavi.testing import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("japanese_afterwards")]


PREFECTURES = {str(label) for label in Prefecture.labels}
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]+")


def english_user_data(world):
    """Objects whose user-entered text is ASCII, so that any Japanese left is UI text."""
    office = world.a.office
    event = make_event(
        office,
        title="CN seminar",
        venue="Fukui",
        consent_text="We use your data to contact you.",
        contact="Chamber of commerce",
        fee_yen=16_000,
        capacity=1,
    )
    for n in range(2):
        services.application_create(
            user=make_user(f"en{n}@example.com"),
            event=event,
            applicant_kind="support_institution",
            organisation="Support office",
            name=f"Person {n}",
            consent=True,
        )
    course = make_course(office, title="CN course", lessons=1)
    course.chapters.update(title="Chapter 1")
    for lesson in course.chapters.get().lessons.all():
        lesson.title = "Lesson 1"
        lesson.save()
    headline = Headline.objects.create(
        office=office, kind="subsidy", title="Subsidy", starts_on="2026-01-01"
    )
    HeadlinePrefecture.objects.create(headline=headline, prefecture="16")
    HeadlineTopic.objects.create(headline=headline, topic="equipment")
    return event, course, headline


def test_english_pages_have_no_japanese_ui_text(world, alice_client):
    world.a.owner.name = "Alice"
    world.a.owner.save()
    event, course, headline = english_user_data(world)
    services.enrolment_create(user=world.a.owner, course=course)
    chapter = course.chapters.get()
    lesson = chapter.lessons.get()
    services.invoice_settings_save(
        actor=None,
        office=world.a.office,
        issuer_name="CN office",
        registration_number="T9234567890123",
    )
    confirmed = event.applications.get(status="confirmed")
    invoice, _issued = services.invoice_send(actor=None, application=confirmed)
    services.invoice_payment_record(
        actor=None, invoice=invoice, paid_on=invoice.issued_on, amount_yen=16_000
    )
    services.application_cancel(actor=None, application=confirmed, by_staff=True)
    # the promoted applicant's invoice was issued on acceptance
    urls = [
        reverse("programmes:event_list"),
        reverse("programmes:event_detail", args=[event.pk]),
        reverse("programmes:my_applications"),
        reverse("programmes:course_list"),
        reverse("programmes:course_detail", args=[course.pk]),
        reverse("programmes:headline_list"),
        reverse("programmes:headline_list") + "?prefecture=99",
        reverse("programmes_staff:event_list"),
        reverse("programmes_staff:event_create"),
        reverse("programmes_staff:event_detail", args=[event.pk]),
        reverse("programmes_staff:event_edit", args=[event.pk]),
        reverse("programmes_staff:course_list"),
        reverse("programmes_staff:course_detail", args=[course.pk]),
        reverse("programmes_staff:course_create"),
        reverse("programmes_staff:course_edit", args=[course.pk]),
        reverse("programmes_staff:chapter_create", args=[course.pk]),
        reverse("programmes_staff:chapter_edit", args=[course.pk, chapter.pk]),
        reverse("programmes_staff:lesson_create", args=[course.pk, chapter.pk]),
        reverse("programmes_staff:lesson_edit", args=[course.pk, lesson.pk]),
        reverse("programmes_staff:headline_list"),
        reverse("programmes_staff:invoice_list"),
        reverse("programmes_staff:headline_create"),
        reverse("programmes_staff:headline_edit", args=[headline.pk]),
    ]
    problems = []
    for url in urls:
        response = alice_client.get("/en" + url)
        assert response.status_code in (200, 422), url
        html = response.content.decode()
        body = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        body = body.replace("Company a", "")
        # Prefecture names come from the shared choices, whose catalogue is cnnavi.common's.
        found = set(JAPANESE.findall(body)) - PREFECTURES
        if found:
            problems.append(f"{url}: {sorted(found)[:8]}")
    assert not problems, "\n".join(problems)


def test_english_lesson_form_errors(world, alice_client):
    course = make_course(world.a.office, title="CN course", lessons=1)
    chapter = course.chapters.get()
    url = reverse("programmes_staff:lesson_create", args=[course.pk, chapter.pk])
    response = alice_client.post(
        "/en" + url,
        {"title": "Intro", "kind": "video", "duration_minutes": "x", "video_url": "ftp://a.b/c"},
    )
    assert response.status_code == 422
    body = response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert "http://" in body and "https://" in body
    assert not JAPANESE.findall(body.replace("Chapter 1", ""))
