"""Staff-entered texts in English: the English page shows them when given, else the Japanese
marked lang="ja" with one "Japanese only" note; the Japanese page always shows Japanese."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from cnnavi.programmes.models import Course, Event, Headline, Lesson
from cnnavi.programmes.tests.factories import (
    apply_in_english,
    english,
    japanese,
    make_course,
    make_event,
)
from cnnavi.programmes.tests.test_staff import event_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("japanese_afterwards")]


@pytest.fixture
def events(world):
    translated = make_event(
        world.a.office,
        title="脱炭素セミナー",
        title_en="Decarbonisation seminar",
        description="概要です",
        description_en="An overview",
        programme="第1部",
        programme_en="Part 1",
    )
    plain = make_event(world.a.office, title="省エネ研修", description="研修の概要")
    return translated, plain


def test_english_event_list_shows_english_titles_and_marks_the_japanese_ones(events, client):
    html = client.get(english("programmes:event_list")).content.decode()
    assert ">Decarbonisation seminar</a>" in html and "脱炭素セミナー" not in html
    assert re.search(r'<a href="[^"]+/events/\d+/" lang="ja">省エネ研修</a>', html)
    # One note, on the card of the event that has only Japanese.
    assert html.count('data-testid="ja-only">Japanese only<') == 1


def test_english_event_detail(events, client):
    translated, plain = events
    html = client.get(english("programmes:event_detail", translated.pk)).content.decode()
    assert "<span>Decarbonisation seminar</span>" in html
    assert "An overview" in html and "Part 1" in html and "概要です" not in html
    assert "Japanese only" not in html
    html = client.get(english("programmes:event_detail", plain.pk)).content.decode()
    assert '<span lang="ja">省エネ研修</span>' in html
    assert '<p class="pre" lang="ja">研修の概要</p>' in html
    assert html.count("Japanese only") == 1  # once for the page, not once per text


def test_a_missing_english_text_falls_back_per_field(world, client):
    event = make_event(
        world.a.office, title="脱炭素セミナー", title_en="Seminar", description="概要"
    )
    html = client.get(english("programmes:event_detail", event.pk)).content.decode()
    assert "<span>Seminar</span>" in html and '<p class="pre" lang="ja">概要</p>' in html
    assert html.count("Japanese only") == 1


def test_the_japanese_page_always_shows_japanese(events, client):
    translated, _ = events
    html = client.get(japanese("programmes:event_list")).content.decode()
    assert "脱炭素セミナー" in html and "Decarbonisation" not in html
    assert ">省エネ研修</a>" in html and "日本語のみ" not in html
    html = client.get(japanese("programmes:event_detail", translated.pk)).content.decode()
    assert "概要です" in html and "An overview" not in html


def test_courses_lessons_and_headlines(world, client):
    course = make_course(world.a.office, title="脱炭素講座", lessons=2)
    Course.objects.filter(pk=course.pk).update(title_en="Decarbonisation course")
    first, second = Lesson.objects.filter(chapter__course=course).order_by("position")
    Lesson.objects.filter(pk=first.pk).update(
        title="第1回", title_en="Episode 1", body="本文", body_en="The text"
    )
    Lesson.objects.filter(pk=second.pk).update(title="第2回", summary="まとめ")
    html = client.get(english("programmes:course_list")).content.decode()
    assert ">Decarbonisation course</a>" in html and "Japanese only" not in html
    html = client.get(english("programmes:course_detail", course.pk)).content.decode()
    assert ">Episode 1</a>" in html and 'lang="ja">第2回</a>' in html
    assert '<p class="small" lang="ja">まとめ</p>' in html
    html = client.get(english("programmes:lesson_detail", course.pk, first.pk)).content.decode()
    assert "<h1>Episode 1</h1>" in html and "The text" in html and "本文" not in html
    html = client.get(english("programmes:lesson_detail", course.pk, second.pk)).content.decode()
    assert '<h1 lang="ja">第2回</h1>' in html and html.count("Japanese only") == 1
    Headline.objects.create(
        office=world.a.office,
        kind="subsidy",
        title="補助金",
        title_en="Subsidy",
        summary="概要",
        starts_on="2026-01-01",
    )
    html = client.get(english("programmes:headline_list")).content.decode()
    assert "Subsidy" in html and '<p lang="ja">概要</p>' in html
    assert html.count("Japanese only") == 1


def test_staff_save_the_english_fields(world, alice_client):
    page = alice_client.get(reverse("programmes_staff:event_create")).content.decode()
    assert page.index('name="title"') < page.index('name="title_en"') < page.index('"description"')
    assert "英語（任意）" in page
    assert re.search(r'<input type="text" name="title_en"[^>]* lang="en"', page)
    response = alice_client.post(
        reverse("programmes_staff:event_create"),
        event_data(title_en="Strategy training", programme_en="Two afternoons"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert (event.title_en, event.description_en, event.programme_en) == (
        "Strategy training",
        "",
        "Two afternoons",
    )
    response = alice_client.post(
        reverse("programmes_staff:course_create"),
        {"title": "講座", "title_en": "Course", "description_en": "About", "is_published": "on"},
    )
    assert response.status_code == 302
    assert Course.objects.values_list("title_en", "description_en").get() == ("Course", "About")


def test_english_mail_uses_the_english_title(world, django_capture_on_commit_callbacks):
    event = make_event(world.a.office, title="脱炭素セミナー", title_en="Decarbonisation seminar")
    with django_capture_on_commit_callbacks(execute=True):
        apply_in_english(event, "en-mail@example.com")
    assert "Decarbonisation seminar" in mail.outbox[-1].subject
    assert "脱炭素セミナー" not in mail.outbox[-1].body
    ics = next(a for a in mail.outbox[-1].attachments if a[0] == "event.ics")
    assert "SUMMARY:Decarbonisation seminar" in ics[1]


def test_english_atom_feed(world, client):
    for title, title_en in (("補助金A", "Subsidy A"), ("補助金B", "")):
        Headline.objects.create(
            office=world.a.office,
            kind="subsidy",
            title=title,
            title_en=title_en,
            starts_on="2026-01-01",
            nationwide=True,
        )
    feed = client.get(english("programmes:headline_feed")).content.decode()
    assert "Subsidy A</title>" in feed and "補助金A" not in feed
    assert "補助金B (Japanese only)</title>" in feed
    feed = client.get(japanese("programmes:headline_feed")).content.decode()
    assert "補助金A</title>" in feed and "Subsidy A" not in feed and "日本語のみ" not in feed
