"""The demo data holds the brochure's seminar, training and courses, and loads idempotently."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cnnavi.orgs import demo as orgs_demo
from cnnavi.programmes import demo
from cnnavi.programmes.models import (
    Application,
    Course,
    Event,
    Headline,
    Lesson,
    LessonKind,
)
from cnnavi.programmes.selectors import headlines, published_events

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def load():
    ctx = {"password": "demo-password-for-tests", "logins": [], "notes": []}
    orgs_demo.load(ctx)
    demo.load(ctx)


def counts():
    return [m.objects.count() for m in (Event, Application, Course, Lesson, Headline)]


def test_demo_loads_twice_without_changes():
    load()
    first = counts()
    load()
    assert counts() == first


def test_the_brochures_courses_exactly():
    load()
    first = Course.objects.get(title="中小企業の目線で取り組む カーボンニュートラルの進め方")
    lessons = Lesson.objects.filter(chapter__course=first)
    assert first.chapters.count() == 6
    assert lessons.filter(kind=LessonKind.VIDEO).count() == 26
    assert lessons.filter(kind=LessonKind.MANGA).count() == 5
    assert [c.lessons.count() for c in first.chapters.all()] == [5, 6, 9, 4, 5, 2]
    assert set(lessons.values_list("video_url", flat=True)) == {demo.COURSE_1_URL}
    second = Course.objects.get(title="サプライチェーンで取り組む カーボンニュートラル")
    episodes = list(
        Lesson.objects.filter(chapter__course=second).values_list("title", "duration_minutes")
    )
    assert episodes == [
        ("第1回 オープニング", 3),
        ("第2回 明電舎の取り組み", 10),
        ("第3回 東名電機の取り組み", 15),
        ("第4回 三静工業の取り組み", 11),
        ("第5回 たつみ電機製作所の取り組み", 13),
        ("第6回 環境省の取り組み", 15),
        ("第7回 クロージング", 5),
    ]
    assert set(
        Lesson.objects.filter(chapter__course=second).values_list("video_url", flat=True)
    ) == {demo.COURSE_2_URL}


def test_the_seminar_is_open_and_the_training_is_past_with_a_demo_run():
    load()
    now = timezone.now()
    seminar = Event.objects.get(title="中小企業脱炭素経営セミナー")
    assert seminar.is_free and seminar.application_opens_at <= now < seminar.application_closes_at
    session = seminar.sessions.get()
    assert session.starts_at > now
    assert timezone.localtime(session.starts_at).strftime("%H:%M") == "11:00"
    assert timezone.localtime(session.ends_at).strftime("%H:%M") == "11:45"
    assert "福井県産業会館" in seminar.venue
    training = Event.objects.get(title=demo.TRAINING_TITLE)
    assert (training.fee_yen, training.capacity, training.audience) == (
        16_000,
        10,
        "support_institutions",
    )
    days = [timezone.localtime(s.starts_at).date().isoformat() for s in training.sessions.all()]
    assert days == ["2026-07-27", "2026-08-03"]
    for s in training.sessions.all():
        assert (s.ends_at - s.starts_at).total_seconds() == 3 * 3600
    run = Event.objects.get(title=demo.TRAINING_DEMO_TITLE)
    assert run.is_demo and "デモ" in run.title and run.sessions.count() == 2
    assert run.sessions.first().starts_at > now
    upcoming = {e.title for e in published_events()}
    if now > datetime(2026, 8, 3, 17, tzinfo=TOKYO):
        assert demo.TRAINING_TITLE not in upcoming
    assert {"中小企業脱炭素経営セミナー", demo.TRAINING_DEMO_TITLE} <= upcoming


def test_demo_headlines_are_marked_and_link_only_to_the_brochures_pages():
    load()
    allowed = {
        "https://www.smrj.go.jp/regional_hq/hokuriku/sme/cn/index.html",
        "https://www.smrj.go.jp/sme/consulting/sdgs/favos000001to2v.html",
        "https://j-net21.smrj.go.jp/special/chusho_sdgs/carbonneutral/index.html",
        "",
    }
    assert set(Headline.objects.values_list("url", flat=True)) <= allowed
    assert not Headline.objects.filter(is_demo=False).exists()
    for headline in Headline.objects.filter(url=""):
        assert "【デモ・架空】" in headline.title or "CN Navi" in headline.summary
    toyama = {h.title for h in headlines(prefecture="16")}
    assert any("富山県" in t for t in toyama)
    assert not any("受付を終了" in t for t in toyama)


def test_the_demo_office_issues_invoices_as_a_demo_and_mails_them(
    django_capture_on_commit_callbacks,
):
    """The demo's invoice settings name the office as a demo, with a registration number that
    passes the check digit yet is fictitious: applying for the demo training issues the
    invoice on acceptance and e-mails it with its PDF."""
    from django.core import mail

    from cnnavi.programmes import rules, services
    from cnnavi.programmes.models import Invoice, InvoiceSettings
    from cnnavi.testing import make_user

    load()
    load()
    (settings,) = InvoiceSettings.objects.all()
    assert settings.issuer_name.endswith("（デモ）")
    assert settings.registration_number == demo.DEMO_REGISTRATION_NUMBER
    assert rules.registration_number_problem(settings.registration_number) is None
    assert "架空" in settings.payment_note and "デモ" in settings.payment_note
    event = Event.objects.get(title=demo.TRAINING_DEMO_TITLE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_create(
            user=make_user("trainee@example.com"),
            event=event,
            applicant_kind="support_institution",
            organisation="ふくい商工会",
            name="研修 花子",
            consent=True,
        )
    invoice = Invoice.objects.get(application=application)
    assert invoice.issuer_name == settings.issuer_name
    assert invoice.registration_number == "T9000000000000"
    assert invoice.total_yen == 16_000
    pdf_mails = [
        m
        for m in mail.outbox
        if m.to == ["trainee@example.com"] and any(a[2] == "application/pdf" for a in m.attachments)
    ]
    assert len(pdf_mails) == 1
