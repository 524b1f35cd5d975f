"""Reads on events, courses and headlines."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from cnnavi.orgs.models import Company, OfficeStaff
from cnnavi.programmes import rules
from cnnavi.programmes.models import (
    Application,
    ApplicationStatus,
    Chapter,
    Course,
    Enrolment,
    Event,
    Headline,
    HeadlineKind,
    HeadlinePrefecture,
    HeadlineTopic,
    Invoice,
    InvoiceSettings,
    Lesson,
    LessonProgress,
)

_CONFIRMED = Q(applications__status=ApplicationStatus.CONFIRMED)
_WAITLISTED = Q(applications__status=ApplicationStatus.WAITLISTED)


def _with_numbers(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(
        confirmed_count=Count("applications", filter=_CONFIRMED, distinct=True),
        waitlisted_count=Count("applications", filter=_WAITLISTED, distinct=True),
        cancelled_count=Count(
            "applications",
            filter=Q(applications__status=ApplicationStatus.CANCELLED),
            distinct=True,
        ),
        attended_count=Count(
            "applications", filter=_CONFIRMED & Q(applications__attended=True), distinct=True
        ),
        first_start=Min("sessions__starts_at"),
        last_end=Max("sessions__ends_at"),
    ).prefetch_related("sessions")


# --- Events ------------------------------------------------------------------------------
def published_events(*, include_past: bool = False) -> QuerySet[Event]:
    qs = _with_numbers(Event.objects.filter(is_published=True))
    if not include_past:
        qs = qs.filter(last_end__gte=timezone.now())
    return qs.order_by("first_start", "id")


def events_of_office(*, office) -> QuerySet[Event]:
    return _with_numbers(Event.objects.filter(office=office)).order_by("-first_start", "-id")


def event_with_numbers(*, event: Event) -> Event:
    return _with_numbers(Event.objects.filter(pk=event.pk)).get()


def live_application_of(*, user, event: Event) -> Application | None:
    if not user.is_authenticated:
        return None
    return (
        Application.objects.filter(event=event, user=user)
        .exclude(status=ApplicationStatus.CANCELLED)
        .first()
    )


def waitlist_position(*, application: Application) -> int | None:
    if application.status != ApplicationStatus.WAITLISTED:
        return None
    ahead = Application.objects.filter(
        event_id=application.event_id, status=ApplicationStatus.WAITLISTED
    ).filter(
        Q(created_at__lt=application.created_at)
        | Q(created_at=application.created_at, id__lt=application.id)
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class EventPageState:
    is_open: bool
    not_yet_open: bool
    can_cancel: bool
    waitlist_position: int | None
    is_over: bool = False  # the last session has ended


def event_page_state(*, event: Event, application: Application | None) -> EventPageState:
    """What the event page offers now: the form, a cancel button, the waiting-list position."""
    now = timezone.now()
    return EventPageState(
        is_open=event.application_opens_at <= now <= event.application_closes_at,
        not_yet_open=now < event.application_opens_at,
        can_cancel=application is not None
        and (
            application.status == ApplicationStatus.WAITLISTED or now <= event.cancellation_deadline
        ),
        waitlist_position=application and waitlist_position(application=application),
        is_over=all(s.ends_at < now for s in event.sessions.all()),
    )


@dataclass(frozen=True)
class Applicant:
    """Who is applying, for the application form: their companies (for "as a company"), the
    office they work at (prefilled as the support institution) and whether they may apply to an
    event for support institutions (office staff, experts, and anyone without a company)."""

    companies: QuerySet
    office_name: str
    may_apply_as_institution: bool


def applicant_of(*, user, for_institutions_only: bool) -> Applicant:
    """The applicant's choices; whether they may apply as an institution is only looked up for
    an event for support institutions (``for_institutions_only``)."""
    office_role = OfficeStaff.objects.filter(user=user).select_related("office").first()
    companies = Company.objects.filter(memberships__user=user).order_by("name")
    may = True
    if for_institutions_only and office_role is None:
        may = user.expert_profiles.exists() or not companies.exists()
    return Applicant(
        companies=companies,
        office_name=office_role.office.name if office_role else "",
        may_apply_as_institution=may,
    )


def applications_of_user(*, user) -> QuerySet[Application]:
    return (
        Application.objects.filter(user=user)
        .select_related("event")
        .prefetch_related("event__sessions")
        .order_by("-created_at")
    )


def applications_of_event(*, event: Event) -> QuerySet[Application]:
    return (
        Application.objects.filter(event=event)
        .select_related("company")
        .order_by("created_at", "id")
    )


# --- Courses -----------------------------------------------------------------------------
def published_courses() -> QuerySet[Course]:
    return Course.objects.filter(is_published=True).annotate(
        lesson_count=Count("chapters__lessons", distinct=True)
    )


def course_outline(*, course: Course) -> list[Chapter]:
    return list(
        course.chapters.prefetch_related(
            Prefetch("lessons", queryset=Lesson.objects.order_by("position", "id"))
        )
    )


def enrolment_of(*, user, course: Course) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(course=course, user=user).first()


def done_lesson_ids(*, enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(
        LessonProgress.objects.filter(enrolment=enrolment, done_at__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )


def course_progress(*, enrolment: Enrolment) -> rules.Progress:
    return rules.Progress(
        done=enrolment.progress.filter(done_at__isnull=False).count(),
        total=Lesson.objects.filter(chapter__course_id=enrolment.course_id).count(),
    )


def published_courses_for(*, user) -> list[Course]:
    """The published courses, each with the user's enrolment (``my_enrolment``, None if not
    enrolled or anonymous)."""
    enrolments = enrolments_of_user(user=user) if user.is_authenticated else {}
    courses = list(published_courses())
    for course in courses:
        course.my_enrolment = enrolments.get(course.pk)
    return courses


def course_page(*, course: Course, enrolment: Enrolment | None) -> dict:
    """What a course's page (and its progress fragment) shows."""
    return {
        "course": course,
        "chapters": course_outline(course=course),
        "enrolment": enrolment,
        "done": done_lesson_ids(enrolment=enrolment),
        "progress": enrolment and course_progress(enrolment=enrolment),
    }


def enrolments_of_user(*, user) -> dict[int, Enrolment]:
    return {
        e.course_id: e
        for e in Enrolment.objects.filter(user=user).annotate(
            done=Count("progress", filter=Q(progress__done_at__isnull=False))
        )
    }


@dataclass(frozen=True)
class CourseStats:
    course: Course
    lessons: int
    enrolled: int
    completed: int

    @property
    def completion_rate(self) -> float | None:
        return rules.completion_rate(enrolled=self.enrolled, completed=self.completed)


def course_stats_of_office(*, office) -> list[CourseStats]:
    courses = Course.objects.filter(office=office).annotate(
        lesson_count=Count("chapters__lessons", distinct=True),
        enrolled=Count("enrolments", distinct=True),
        completed=Count(
            "enrolments", filter=Q(enrolments__completed_at__isnull=False), distinct=True
        ),
    )
    return [
        CourseStats(course=c, lessons=c.lesson_count, enrolled=c.enrolled, completed=c.completed)
        for c in courses
    ]


def enrolments_of_course(*, course: Course) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(course=course)
        .select_related("user")
        .annotate(done=Count("progress", filter=Q(progress__done_at__isnull=False)))
        .order_by("enrolled_at", "id")
    )


# --- Headlines ---------------------------------------------------------------------------
def headlines(
    *,
    prefecture: str = "",
    kind: str = "",
    topic: str = "",
    include_expired: bool = False,
    today: date | None = None,
) -> QuerySet[Headline]:
    """Headlines by prefecture (nationwide ones included), kind and topic. By default only
    those in their period: started, and not yet ended."""
    today = today or timezone.localdate()
    qs = Headline.objects.all()
    if not include_expired:
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
    if prefecture:
        qs = qs.filter(
            Q(nationwide=True)
            | Exists(
                HeadlinePrefecture.objects.filter(headline=OuterRef("pk"), prefecture=prefecture)
            )
        )
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        qs = qs.filter(Exists(HeadlineTopic.objects.filter(headline=OuterRef("pk"), topic=topic)))
    return qs.prefetch_related("prefecture_tags", "topic_tags").order_by("-starts_on", "-id")


def subsidy_headlines_for(*, prefecture: str, topics: list[str]) -> QuerySet[Headline]:
    """Subsidy headlines in their period for the prefecture (or nationwide), with any of the
    topics (all topics when the list is empty); the soonest deadline first."""
    qs = headlines(prefecture=prefecture, kind=HeadlineKind.SUBSIDY)
    if topics:
        qs = qs.filter(
            Exists(HeadlineTopic.objects.filter(headline=OuterRef("pk"), topic__in=topics))
        )
    return qs.order_by(F("ends_on").asc(nulls_last=True), "-starts_on", "id")


def headlines_of_office(*, office) -> QuerySet[Headline]:
    return (
        Headline.objects.filter(office=office)
        .prefetch_related("prefecture_tags", "topic_tags")
        .order_by("-starts_on", "-id")
    )


def certificate_by_code(*, code: str) -> Enrolment | None:
    """The completed enrolment a certificate's verification code belongs to."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if not code:
        return None
    return (
        Enrolment.objects.filter(certificate_code=code, completed_at__isnull=False)
        .select_related("course", "user")
        .first()
    )


def learner_progress_rows(*, course: Course) -> list[list]:
    """Per-learner progress of a course, for the staff's CSV export."""
    total = Lesson.objects.filter(chapter__course=course).count()
    rows = []
    for e in enrolments_of_course(course=course):
        rows.append(
            [
                e.user.name,
                e.user.email,
                timezone.localtime(e.enrolled_at).strftime("%Y-%m-%d %H:%M"),
                e.done,
                total,
                rules.Progress(done=e.done, total=total).percent,
                timezone.localtime(e.completed_at).strftime("%Y-%m-%d %H:%M")
                if e.completed_at
                else "",
                e.certificate_code or "",
            ]
        )
    return rows


def lesson_still_missing(*, lesson: Lesson, course: Course, progress: LessonProgress) -> list[str]:
    """What the learner has still to do for ``lesson`` (rules.WATCH, QUIZ, READ; decision
    1326): a video lesson with a quiz needs both the watched time and the passed quiz."""
    needed = rules.watch_needed(
        video_seconds=lesson.video_seconds or 0, threshold_percent=course.watch_threshold_percent
    )
    return rules.lesson_missing(
        mode=lesson.mode,
        has_quiz=bool(lesson.quiz),
        watched=progress.credited_seconds >= needed,
        read=progress.credited_seconds >= lesson.min_reading_seconds,
        quiz_passed=progress.quiz_percent is not None
        and progress.quiz_percent >= lesson.quiz_pass_percent,
    )


def lesson_page(
    *,
    course: Course,
    lesson: Lesson,
    enrolment: Enrolment | None,
    progress: LessonProgress | None = None,
) -> dict:
    """What a lesson page shows: the lesson, its neighbours in the course, its attachments,
    and for a learner their progress and what the lesson still needs."""
    ordered = list(
        Lesson.objects.filter(chapter__course=course).order_by("chapter__position", "position")
    )
    index = next(i for i, item in enumerate(ordered) if item.pk == lesson.pk)
    needed = None
    if lesson.mode == "video" and lesson.video_seconds:
        needed = rules.watch_needed(
            video_seconds=lesson.video_seconds,
            threshold_percent=course.watch_threshold_percent,
        )
    missing = []
    if progress is not None and progress.done_at is None:
        missing = lesson_still_missing(lesson=lesson, course=course, progress=progress)
    return {
        "course": course,
        "lesson": lesson,
        "enrolment": enrolment,
        "progress": progress,
        "attachments": list(lesson.attachments.all()),
        "previous": ordered[index - 1] if index > 0 else None,
        "next": ordered[index + 1] if index + 1 < len(ordered) else None,
        "needed_seconds": needed,
        "missing": missing,
        "course_progress": enrolment and course_progress(enrolment=enrolment),
    }


def invoices_of_office(*, office, event: Event | None = None) -> QuerySet[Invoice]:
    invoices = Invoice.objects.filter(office=office).select_related(
        "application", "application__event", "original", "cancellation"
    )
    if event is not None:
        invoices = invoices.filter(application__event=event)
    return invoices.order_by("-sequence")


def applications_with_invoices_of_user(*, user) -> list[Application]:
    """The user's applications, newest first, each with its invoices (``invoice_list``)."""
    return attach_invoices(list(applications_of_user(user=user)))


def attach_invoices(applications: list[Application]) -> list[Application]:
    """Give each application its invoices in sequence order (``invoice_list``); one query."""
    grouped = invoices_by_application(application_ids=[a.pk for a in applications])
    for application in applications:
        application.invoice_list = grouped.get(application.pk, [])
    return applications


def invoices_by_application(*, application_ids) -> dict[int, list[Invoice]]:
    grouped: dict[int, list[Invoice]] = {}
    invoices = Invoice.objects.filter(application_id__in=list(application_ids))
    for invoice in invoices.select_related("cancellation").order_by("sequence"):
        grouped.setdefault(invoice.application_id, []).append(invoice)
    return grouped


def invoice_settings_of(*, office) -> InvoiceSettings | None:
    return InvoiceSettings.objects.filter(office=office).first()
