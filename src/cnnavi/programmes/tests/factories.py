"""Small builders for the programmes tests (real database rows, no mocks)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from cnnavi.programmes import services
from cnnavi.programmes.models import (
    ApplicantKind,
    Application,
    ApplicationStatus,
    Audience,
    Chapter,
    Course,
    Event,
    EventKind,
    EventSession,
    Lesson,
    LessonKind,
    TextCompletion,
    VenueMode,
)
from cnnavi.testing import make_user


def make_event(office, *, title="テストセミナー", capacity=10, published=True, days=20, **fields):
    now = timezone.now()
    start = (now + timedelta(days=days)).replace(second=0, microsecond=0)
    closes = start - timedelta(hours=1)
    data = dict(
        kind=EventKind.SEMINAR,
        venue_mode=VenueMode.VENUE,
        venue="Fukui Industrial Hall",
        audience=Audience.ANYONE,
        fee_yen=0,
        application_opens_at=min(now - timedelta(days=1), closes - timedelta(days=10)),
        application_closes_at=closes,
        cancellation_deadline=closes,
        consent_text="We use your details to contact you about this event.",
        contact="Test Chamber of Commerce 0776-00-0000",
    )
    data.update(fields)
    event = Event.objects.create(
        office=office, title=title, capacity=capacity, is_published=published, **data
    )
    EventSession.objects.create(event=event, starts_at=start, ends_at=start + timedelta(hours=1))
    return event


def make_application(event, user, *, status=ApplicationStatus.CONFIRMED):
    return Application.objects.create(
        event=event,
        user=user,
        applicant_kind=ApplicantKind.SUPPORT_INSTITUTION,
        organisation="Test support institution",
        name=user.email,
        email=user.email,
        status=status,
        consent_given_at=timezone.now(),
    )


def make_course(office, *, title="テスト講座", lessons=3, published=True):
    course = Course.objects.create(office=office, title=title, is_published=published)
    chapter = Chapter.objects.create(course=course, position=1, title="Chapter 1")
    for n in range(1, lessons + 1):
        Lesson.objects.create(
            chapter=chapter,
            position=n,
            title=f"Lesson {n}",
            kind=LessonKind.VIDEO,
            duration_minutes=5,
            video_url="https://www.smrj.go.jp/institute/web/ondemand_course/index.html",
            # Confirmed by the learner's button (tests of video and quiz lessons set their own).
            text_completion=TextCompletion.BUTTON,
        )
    return course


def english(name: str, *args) -> str:
    """The URL of the view ``name`` in English."""
    with translation.override("en"):
        return reverse(name, args=args)


def japanese(name: str, *args) -> str:
    """The URL of the view ``name`` in Japanese."""
    with translation.override("ja"):
        return reverse(name, args=args)


def english_user(email: str):
    """A user who reads CN Navi in English."""
    user = make_user(email)
    user.preferred_language = "en"
    user.save()
    return user


def apply_in_english(event, email: str) -> Application:
    """A person of a support institution who reads English applies to ``event``."""
    return services.application_create(
        user=english_user(email),
        event=event,
        applicant_kind=ApplicantKind.SUPPORT_INSTITUTION,
        organisation="Office",
        name="Person",
        consent=True,
    )
