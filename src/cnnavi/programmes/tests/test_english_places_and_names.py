"""English versions of the remaining staff-entered texts (decision 1320): venues, online notes,
audience notes, session topics, chapter titles and headline sources; the certificate PDF in the
learner's language."""

import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from cnnavi.programmes import services
from cnnavi.programmes.certificate import certificate_pdf
from cnnavi.programmes.models import Chapter, Course, Event, EventSession, Headline, Lesson
from cnnavi.programmes.tests.factories import (
    apply_in_english,
    english,
    japanese,
    make_course,
    make_event,
)
from cnnavi.programmes.tests.test_staff import event_data
from cnnavi.testing import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("japanese_afterwards")]

NOTE = 'data-testid="ja-only">Japanese only<'


def _event(office, *, english_texts: bool) -> Event:
    en = english_texts
    event = make_event(
        office,
        title="脱炭素セミナー",
        title_en="Decarbonisation seminar",
        venue_mode="hybrid",
        venue="福井県産業会館",
        venue_en="Fukui Industrial Hall" if en else "",
        online_note="Zoomで参加できます",
        online_note_en="Join on Zoom" if en else "",
        audience_note="中小企業の経営者",
        audience_note_en="SME owners" if en else "",
    )
    EventSession.objects.filter(event=event).update(
        topic="第1部 基礎", topic_en="Part 1: the basics" if en else ""
    )
    return event


def test_english_event_detail_shows_the_english_venue_note_audience_and_topic(world, client):
    event = _event(world.a.office, english_texts=True)
    html = client.get(english("programmes:event_detail", event.pk)).content.decode()
    assert "<dd>Fukui Industrial Hall</dd>" in html and "福井県産業会館" not in html
    assert "<dd>Join on Zoom</dd>" in html and "Zoomで参加" not in html
    assert "<dd>SME owners</dd>" in html and "中小企業の経営者" not in html
    assert '<span class="small">Part 1: the basics</span>' in html and "第1部" not in html
    assert NOTE not in html


def test_without_english_the_event_page_shows_japanese_marked_and_noted_once(world, client):
    event = _event(world.a.office, english_texts=False)
    html = client.get(english("programmes:event_detail", event.pk)).content.decode()
    assert '<dd lang="ja">福井県産業会館</dd>' in html
    assert '<dd lang="ja">Zoomで参加できます</dd>' in html
    assert '<dd lang="ja">中小企業の経営者</dd>' in html
    assert '<span class="small" lang="ja">第1部 基礎</span>' in html
    assert html.count(NOTE) == 1  # one note for the page, although four texts fell back
    # The Japanese page shows the Japanese, unmarked.
    html = client.get(japanese("programmes:event_detail", event.pk)).content.decode()
    assert "<dd>福井県産業会館</dd>" in html and "日本語のみ" not in html


def test_the_japanese_page_never_shows_the_english_venue(world, client):
    event = _event(world.a.office, english_texts=True)
    html = client.get(japanese("programmes:event_detail", event.pk)).content.decode()
    assert "<dd>福井県産業会館</dd>" in html and "Fukui Industrial Hall" not in html
    assert "第1部 基礎" in html and "Part 1" not in html


def test_english_event_list_venue_and_topic(world, client):
    _event(world.a.office, english_texts=True)
    html = client.get(english("programmes:event_list")).content.decode()
    assert "(Fukui Industrial Hall)" in html and "福井県産業会館" not in html
    assert "Part 1: the basics" in html and NOTE not in html
    Event.objects.update(venue_en="")
    html = client.get(english("programmes:event_list")).content.decode()
    assert '(<span lang="ja">福井県産業会館</span>)' in html
    assert html.count(NOTE) == 1  # on the card


def test_a_latin_letter_text_is_not_marked_japanese(world, client):
    event = make_event(world.a.office, title="CN seminar", venue="Fukui Industrial Hall")
    html = client.get(english("programmes:event_detail", event.pk)).content.decode()
    assert "<dd>Fukui Industrial Hall</dd>" in html and NOTE not in html


def test_english_chapter_titles_and_course_audience(world, client):
    course = make_course(world.a.office, title="脱炭素講座", lessons=1)
    Course.objects.filter(pk=course.pk).update(
        title_en="Decarbonisation course", audience_note="中小企業", audience_note_en="SMEs"
    )
    Chapter.objects.filter(course=course).update(title="第1章 基礎", title_en="1. The basics")
    html = client.get(english("programmes:course_detail", course.pk)).content.decode()
    assert "<span>1. The basics</span>" in html and "第1章" not in html
    assert '<dd class="pre">SMEs</dd>' in html and "中小企業" not in html
    assert NOTE not in html
    Chapter.objects.filter(course=course).update(title_en="")
    Course.objects.filter(pk=course.pk).update(audience_note_en="")
    html = client.get(english("programmes:course_detail", course.pk)).content.decode()
    assert '<span lang="ja">第1章 基礎</span>' in html
    assert '<dd class="pre" lang="ja">中小企業</dd>' in html
    # One note under the page heading (the course's texts), one in the chapter's heading.
    assert html.count(NOTE) == 2
    html = client.get(japanese("programmes:course_detail", course.pk)).content.decode()
    assert "第1章 基礎" in html and "The basics" not in html


def test_a_chapter_notes_its_lessons_once(world, client):
    course = make_course(world.a.office, title="講座", lessons=2)
    Course.objects.filter(pk=course.pk).update(title_en="Course")
    Chapter.objects.filter(course=course).update(title="第1章", title_en="Chapter 1")
    Lesson.objects.filter(chapter__course=course).update(title="第1回")
    html = client.get(english("programmes:course_detail", course.pk)).content.decode()
    assert html.count(NOTE) == 1 and html.count('lang="ja">第1回</a>') == 2


def _headline(office, **fields):
    return Headline.objects.create(
        office=office,
        kind="subsidy",
        title="補助金",
        title_en="Subsidy",
        starts_on="2026-01-01",
        nationwide=True,
        **fields,
    )


def test_english_headline_source(world, client):
    _headline(world.a.office, source="中小機構", source_en="SME Support JAPAN")
    html = client.get(english("programmes:headline_list")).content.decode()
    assert "Source: <span>SME Support JAPAN</span>" in html and "中小機構" not in html
    assert NOTE not in html
    Headline.objects.update(source_en="")
    html = client.get(english("programmes:headline_list")).content.decode()
    assert 'Source: <span lang="ja">中小機構</span>' in html and html.count(NOTE) == 1
    html = client.get(japanese("programmes:headline_list")).content.decode()
    assert "中小機構" in html and "SME Support JAPAN" not in html


def test_staff_forms_offer_and_save_the_english_fields(world, alice_client):
    page = alice_client.get(reverse("programmes_staff:event_create")).content.decode()
    assert page.index('name="venue"') < page.index('name="venue_en"') < page.index('"online_note"')
    assert re.search(r'<input type="text" name="venue_en"[^>]* lang="en"', page)
    assert re.search(r'name="sessions-0-topic_en"[^>]* lang="en"', page)
    response = alice_client.post(
        reverse("programmes_staff:event_create"),
        event_data(
            venue_mode="hybrid",
            venue="福井県産業会館",
            venue_en="Fukui Industrial Hall",
            online_note_en="Join on Zoom",
            audience_note_en="Support institutions",
            **{"sessions-0-topic_en": "Carbon neutrality and business"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert (event.venue_en, event.online_note_en, event.audience_note_en) == (
        "Fukui Industrial Hall",
        "Join on Zoom",
        "Support institutions",
    )
    assert list(event.sessions.values_list("topic_en", flat=True)) == [
        "Carbon neutrality and business",
        "",
    ]
    # Editing keeps the English topic in the session row.
    page = alice_client.get(reverse("programmes_staff:event_edit", args=[event.pk]))
    assert 'value="Carbon neutrality and business"' in page.content.decode()

    course = make_course(world.a.office, lessons=1)
    chapter = Chapter.objects.get(course=course)
    url = reverse("programmes_staff:chapter_edit", args=[course.pk, chapter.pk])
    assert re.search(r'name="title_en"[^>]* lang="en"', alice_client.get(url).content.decode())
    response = alice_client.post(url, {"title": "第1章", "title_en": "Chapter one", "position": 1})
    assert response.status_code == 302
    assert Chapter.objects.values_list("title", "title_en").get() == ("第1章", "Chapter one")

    response = alice_client.post(
        reverse("programmes_staff:course_edit", args=[course.pk]),
        {"title": "講座", "audience_note": "中小企業", "audience_note_en": "SMEs"},
    )
    assert response.status_code == 302
    assert Course.objects.get(pk=course.pk).audience_note_en == "SMEs"

    response = alice_client.post(
        reverse("programmes_staff:headline_create"),
        {
            "kind": "subsidy",
            "title": "補助金",
            "source": "中小機構",
            "source_en": "SME Support JAPAN",
            "nationwide": "on",
            "starts_on": "2026-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Headline.objects.get().source_en == "SME Support JAPAN"


def test_english_mail_and_ics_use_the_english_venue_and_topic(
    world, django_capture_on_commit_callbacks
):
    event = _event(world.a.office, english_texts=True)
    with django_capture_on_commit_callbacks(execute=True):
        apply_in_english(event, "en-venue@example.com")
    body = mail.outbox[-1].body
    assert "Venue: Fukui Industrial Hall" in body and "Part 1: the basics" in body
    assert "福井県産業会館" not in body and "第1部" not in body and "Zoomで" not in body
    ics = next(a for a in mail.outbox[-1].attachments if a[0] == "event.ics")[1]
    assert "LOCATION:Fukui Industrial Hall" in ics and "Part 1: the basics" in ics


def test_japanese_mail_keeps_the_japanese_venue(world, django_capture_on_commit_callbacks):
    event = _event(world.a.office, english_texts=True)
    user = make_user("ja-venue@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_create(
            user=user,
            event=event,
            applicant_kind="support_institution",
            organisation="Office",
            name="Person",
            consent=True,
        )
    body = mail.outbox[-1].body
    assert "福井県産業会館" in body and "第1部 基礎" in body and "Fukui" not in body


# --- The certificate ---------------------------------------------------------------------
def _completed(office, *, title_en: str):
    learner = make_user("learner@example.com", name="能登 三郎")
    course = make_course(office, title="脱炭素経営入門", lessons=1)
    Course.objects.filter(pk=course.pk).update(title_en=title_en)
    enrolment = services.enrolment_create(user=learner, course=course)
    for lesson in Lesson.objects.filter(chapter__course=course):
        services.lesson_progress_set(user=learner, enrolment=enrolment, lesson=lesson, done=True)
    return learner, course


def _pdf_text(content: bytes) -> str:
    """The certificate's text as pypdf reads it (pypdf 7 decodes fpdf2's ToUnicode map of the
    embedded font with a NUL before each character; the NULs are dropped)."""
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    return text.replace("\x00", "").replace("\n", " ")


def test_the_certificate_is_printed_in_the_pages_language(world, client):
    learner, course = _completed(world.a.office, title_en="Decarbonisation management basics")
    client.force_login(learner)
    response = client.get(english("programmes:course_certificate", course.pk))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Decarbonisation management basics" in text and "脱炭素経営入門" not in text
    assert "Certificate of completion" in text and "修了証" not in text
    code = course.enrolments.get().certificate_code
    assert f"Verification code: {code}" in text and "/en/certificates/verify/" in text

    response = client.get(japanese("programmes:course_certificate", course.pk))
    text = _pdf_text(response.content)
    assert "「脱炭素経営入門」" in text and "Decarbonisation" not in text
    assert "修了証" in text and f"確認コード：{code}" in text  # the same code in both

    # The verification page answers in both languages, with the course title of each.
    client.logout()
    with translation.override("en"):
        page = client.get(reverse("programmes:certificate_verify"), {"code": code})
    html = page.content.decode()
    assert 'data-testid="certificate-valid"' in html
    assert "<dd>Decarbonisation management basics</dd>" in html
    with translation.override("ja"):
        page = client.get(reverse("programmes:certificate_verify"), {"code": code})
    assert "<dd>脱炭素経営入門</dd>" in page.content.decode()


def test_without_an_english_title_the_english_certificate_prints_the_japanese_one(world):
    learner, course = _completed(world.a.office, title_en="")
    enrolment = course.enrolments.get()
    pdf = certificate_pdf(enrolment=enrolment, course=course, user=learner, language="en")
    text = _pdf_text(bytes(pdf.output()))
    assert "脱炭素経営入門" in text and "Certificate of completion" in text
    assert "能登 三郎" in text


def test_texts_kept_in_japanese_are_marked_on_english_pages(world, client):
    event = make_event(
        world.a.office,
        title="Seminar",
        lecturer="坂田 卓也 氏",
        contact="福井商工会議所 0776-33-8252",
        co_hosts="福井県",
    )
    html = client.get(english("programmes:event_detail", event.pk)).content.decode()
    assert '<p class="pre" lang="ja">坂田 卓也 氏</p>' in html
    assert '<p class="pre" lang="ja">福井商工会議所 0776-33-8252</p>' in html
    assert '<dd lang="ja">福井県</dd>' in html
    assert NOTE not in html  # names and addresses are not "missing" English
