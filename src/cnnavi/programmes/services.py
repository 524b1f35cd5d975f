"""Writes on events, applications, courses and headlines. Each service owns its transaction,
writes an audit entry with the acting user and sends e-mails after commit.

Booking follows "lock, check, insert": the event row is locked (``select_for_update``) before
the places are counted, so two applications for the last place are serialised; a partial unique
constraint stops a second live application by the same person."""

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cnnavi.audit.services import apply_changes, audit_record, create_audited, update_audited
from cnnavi.common import locking
from cnnavi.common.mail import language_of, mail_after_commit, mail_url
from cnnavi.orgs.models import Membership
from cnnavi.programmes import rules, tasks
from cnnavi.programmes.ics import event_calendar, removed_sessions_calendar
from cnnavi.programmes.models import (
    INVOICE_TAX_RATE_PERCENT,
    ApplicantKind,
    Application,
    ApplicationStatus,
    Chapter,
    Course,
    Enrolment,
    Event,
    EventMessage,
    EventSession,
    Headline,
    HeadlinePrefecture,
    HeadlineTopic,
    Invoice,
    InvoiceKind,
    InvoiceSettings,
    InvoiceStatus,
    Lesson,
    LessonAttachment,
    LessonProgress,
    MessageAudience,
    PaymentStatus,
)
from cnnavi.programmes.selectors import course_progress, lesson_still_missing

EVENT_FIELDS = (
    "kind",
    "title",
    "title_en",
    "description",
    "description_en",
    "programme",
    "programme_en",
    "lecturer",
    "venue_mode",
    "venue",
    "venue_en",
    "online_note",
    "online_note_en",
    "co_hosts",
    "audience",
    "audience_note",
    "audience_note_en",
    "fee_yen",
    "capacity",
    "application_opens_at",
    "application_closes_at",
    "cancellation_deadline",
    "consent_text",
    "contact",
    "external_url",
    "is_published",
)
HEADLINE_FIELDS = (
    "kind",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "source",
    "source_en",
    "url",
    "nationwide",
    "starts_on",
    "ends_on",
)


def _lock_event(event_id: int) -> Event:
    """Lock the event row (the resource that becomes scarce) for the rest of the transaction."""
    return locking.lock_one(Event.objects.filter(pk=event_id))


def _confirmed_count(event: Event) -> int:
    return Application.objects.filter(event=event, status=ApplicationStatus.CONFIRMED).count()


def _mail_application(
    application: Application, template: str, *, ics: bool, removed_sessions: list | None = None
) -> None:
    language = language_of(application.user)
    attachments = []
    if ics:
        with translation.override(language):
            attachments = [["event.ics", event_calendar(application.event), "text/calendar"]]
            if removed_sessions:
                attachments.append(
                    [
                        "cancelled-sessions.ics",
                        removed_sessions_calendar(application.event, removed_sessions),
                        "text/calendar",
                    ]
                )
    mail_after_commit(
        to=application.email,
        template=f"programmes/email/{template}.txt",
        context={
            "application": application,
            "event": application.event,
            "sessions": list(application.event.sessions.all()),
            "removed_sessions": removed_sessions or [],
            # the links open the pages in the mail's language
            "url": mail_url("programmes:event_detail", language, args=[application.event_id]),
            "mine_url": mail_url("programmes:my_applications", language),
        },
        language=language,
        attachments=attachments,
    )


def _set_sessions(event: Event, sessions: list[dict]) -> tuple[bool, list[EventSession]]:
    """Update the event's sessions in place, keeping each session's identity (its UID in the
    .ics): rows with an ``id`` are updated, rows without one are added, missing ones are
    deleted. Returns whether any time changed (then the SEQUENCE of that session goes up) and
    the deleted sessions as they were (for the cancellation .ics)."""
    if not sessions:
        raise ValidationError(_("日程を1つ以上入力してください。"))
    existing = {s.pk: s for s in event.sessions.all()}
    times_changed = False
    keep = set()
    for data in sorted(sessions, key=lambda s: s["starts_at"]):
        data = dict(data)
        session_id = data.pop("id", None)
        session = existing.get(session_id) if session_id else None
        if session_id and session is None:
            raise ValidationError(_("この日程は見つかりません。画面を開き直してください。"))
        if session is None:
            session = EventSession(event=event, **data)
            times_changed = times_changed or bool(existing)
        else:
            keep.add(session.pk)
            if (session.starts_at, session.ends_at) != (data["starts_at"], data["ends_at"]):
                session.sequence += 1
                times_changed = True
            for name, value in data.items():
                setattr(session, name, value)
        session.full_clean()
        session.save()
    removed = [s for pk, s in existing.items() if pk not in keep]
    if removed:
        EventSession.objects.filter(pk__in=[s.pk for s in removed]).delete()
        times_changed = True
    return times_changed, removed


def _check_event_dates(event: Event, sessions: list[dict]) -> None:
    errors = {}
    if event.application_closes_at <= event.application_opens_at:
        errors["application_closes_at"] = _("申込締切は申込開始より後にしてください。")
    first = min((s["starts_at"] for s in sessions), default=None)
    if first and event.cancellation_deadline > first:
        errors["cancellation_deadline"] = _("キャンセル期限は初日の開始より前にしてください。")
    if first and event.application_closes_at > first:
        errors["application_closes_at"] = _("申込締切は初日の開始より前にしてください。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic(durable=True)
def event_create(*, actor, office, sessions: list[dict], is_demo: bool = False, **fields) -> Event:
    event = Event(
        office=office, is_demo=is_demo, **{k: v for k, v in fields.items() if k in EVENT_FIELDS}
    )
    _check_event_dates(event, sessions)
    event.full_clean()
    event.save()
    _set_sessions(event, sessions)
    audit_record(actor=actor, action="event.create", target=event, office=office)
    return event


@transaction.atomic(durable=True)
def event_update(*, actor, event: Event, sessions: list[dict], **fields) -> Event:
    event = _lock_event(event.pk)
    changed = apply_changes(event, {k: v for k, v in fields.items() if k in EVENT_FIELDS})
    confirmed = _confirmed_count(event)
    if event.capacity < confirmed:
        raise ValidationError(
            {
                "capacity": _(
                    "申込確定の方が%(n)d名いるため、定員をそれより少なくできません。"
                    "先に申込をキャンセルしてください。"
                )
                % {"n": confirmed}
            }
        )
    _check_event_dates(event, sessions)
    event.full_clean()
    event.save()
    times_changed, removed = _set_sessions(event, sessions)
    audit_record(
        actor=actor,
        action="event.update",
        target=event,
        office=event.office,
        data={"changed": changed, "times_changed": times_changed},
    )
    if times_changed:
        confirmed_applications = Application.objects.filter(
            event=event, status=ApplicationStatus.CONFIRMED
        ).select_related("user", "event")
        for application in confirmed_applications:
            _mail_application(application, "event_rescheduled", ics=True, removed_sessions=removed)
    _promote_waiting(event, actor=actor)
    return event


def _promote_waiting(event: Event, *, actor) -> list[Application]:
    """Fill free places from the waiting list, in order. Call with the event row locked."""
    now = timezone.now()
    first_start = event.sessions.aggregate(first=Min("starts_at"))["first"]
    if first_start is not None and first_start <= now:
        return []
    waiting = Application.objects.filter(event=event, status=ApplicationStatus.WAITLISTED).order_by(
        "created_at", "id"
    )
    promoted = rules.promotions(
        capacity=event.capacity, confirmed=_confirmed_count(event), waiting=waiting
    )
    for application in promoted:
        application.status = ApplicationStatus.CONFIRMED
        application.promoted_at = now
        if not event.is_free:
            application.invoice_status = InvoiceStatus.TO_ISSUE
            application.payment_status = PaymentStatus.UNPAID
        application.save(
            update_fields=["status", "promoted_at", "invoice_status", "payment_status"]
        )
        audit_record(
            actor=actor,
            action="application.promote",
            target=application,
            company=application.company,
            office=event.office,
        )
        _mail_application(application, "application_promoted", ics=True)
        if not event.is_free:
            _invoice_on_acceptance(event, application)
    return promoted


def _check_application_open(event: Event, now) -> None:
    """Refuse an application to an unpublished event or outside its application period."""
    if not event.is_published:
        raise ValidationError(_("このイベントは公開されていません。"))
    if now < event.application_opens_at:
        raise ValidationError(_("申込受付はまだ始まっていません。"))
    if now > event.application_closes_at:
        raise ValidationError(_("申込受付は終了しました。"))


def _applicant(user, applicant_kind: str, company, organisation: str) -> tuple:
    """(company, organisation, is_sme) of the applicant: a company the user is a member of
    (its name as the organisation), or a support institution named by the user."""
    if applicant_kind == ApplicantKind.COMPANY:
        if company is None or not Membership.objects.filter(company=company, user=user).exists():
            raise ValidationError({"company": _("所属する企業を選んでください。")})
        return company, company.name, company.is_sme
    organisation = organisation.strip()
    if not organisation:
        raise ValidationError({"organisation": _("所属する支援機関の名称を入力してください。")})
    return None, organisation, None


def _check_may_apply(event: Event, user, applicant_kind: str, is_sme) -> None:
    """Refuse an applicant the event's audience leaves out, or one already applied."""
    problem = rules.eligibility_problem(
        audience=event.audience, applicant_kind=applicant_kind, company_is_sme=is_sme
    )
    if problem is not None:
        raise ValidationError({_PROBLEM_FIELD[problem]: _problem_message(problem)})
    if (
        Application.objects.filter(event=event, user=user)
        .exclude(status=ApplicationStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError(_("このイベントにはすでに申し込んでいます。"))


@transaction.atomic(durable=True)
def application_create(
    *,
    user,
    event: Event,
    applicant_kind: str,
    company=None,
    organisation: str = "",
    name: str,
    phone: str = "",
    consent: bool,
) -> Application:
    """Apply for an event: confirmed while places are left, otherwise on the waiting list."""
    if not consent:
        raise ValidationError({"consent": _("同意文に同意いただく必要があります。")})
    event = _lock_event(event.pk)
    now = timezone.now()
    _check_application_open(event, now)
    company, organisation, is_sme = _applicant(user, applicant_kind, company, organisation)
    _check_may_apply(event, user, applicant_kind, is_sme)
    confirmed = _confirmed_count(event)
    locking.after_check()
    has_place = rules.places_left(capacity=event.capacity, confirmed=confirmed) > 0
    paid = has_place and not event.is_free
    try:
        with transaction.atomic():
            application = Application.objects.create(
                event=event,
                user=user,
                applicant_kind=applicant_kind,
                company=company,
                organisation=organisation,
                name=name.strip(),
                email=user.email,
                phone=phone.strip(),
                status=ApplicationStatus.CONFIRMED if has_place else ApplicationStatus.WAITLISTED,
                consent_given_at=now,
                invoice_status=InvoiceStatus.TO_ISSUE if paid else InvoiceStatus.NOT_APPLICABLE,
                payment_status=PaymentStatus.UNPAID if paid else PaymentStatus.NOT_APPLICABLE,
            )
    except IntegrityError:
        raise ValidationError(_("このイベントにはすでに申し込んでいます。")) from None
    audit_record(
        actor=user,
        action="application.create",
        target=application,
        company=company,
        office=event.office,
        data={"status": application.status},
    )
    if has_place:
        _mail_application(application, "application_confirmed", ics=True)
        if paid:
            _invoice_on_acceptance(event, application)
    else:
        _mail_application(application, "application_waitlisted", ics=False)
    return application


_PROBLEM_FIELD = {
    rules.NEEDS_COMPANY: "applicant_kind",
    rules.NOT_SME: "company",
    rules.SME_UNKNOWN: "company",
    rules.NEEDS_SUPPORT_INSTITUTION: "applicant_kind",
}


def _problem_message(problem: str) -> str:
    return {
        rules.NEEDS_COMPANY: _(
            "このイベントは中小企業の方が対象です。企業の方として申し込んでください。"
        ),
        rules.NOT_SME: _(
            "このイベントは中小企業の方が対象です。選んだ企業は中小企業基本法の中小企業に該当しません。"
        ),
        rules.SME_UNKNOWN: _(
            "このイベントは中小企業の方が対象です。企業情報に資本金か従業員数を登録してください。"
        ),
        rules.NEEDS_SUPPORT_INSTITUTION: _("この研修は中小企業支援機関の方が対象です。"),
    }[problem]


@transaction.atomic(durable=True)
def application_cancel(*, actor, application: Application, by_staff: bool = False) -> Application:
    """Cancel an application; a freed place goes to the first on the waiting list."""
    event = _lock_event(application.event_id)
    application = Application.objects.select_related("user", "event").get(pk=application.pk)
    if application.status == ApplicationStatus.CANCELLED:
        raise ValidationError(_("この申込はすでにキャンセルされています。"))
    now = timezone.now()
    if (
        not by_staff
        and application.status == ApplicationStatus.CONFIRMED
        and now > event.cancellation_deadline
    ):
        raise ValidationError(_("キャンセル期限を過ぎています。お問い合わせ先にご連絡ください。"))
    was_confirmed = application.status == ApplicationStatus.CONFIRMED
    application.status = ApplicationStatus.CANCELLED
    application.cancelled_at = now
    application.save(update_fields=["status", "cancelled_at"])
    audit_record(
        actor=actor,
        action="application.cancel",
        target=application,
        company=application.company,
        office=event.office,
        data={"by_staff": by_staff, "was_confirmed": was_confirmed},
    )
    original = Invoice.objects.filter(
        application=application, kind=InvoiceKind.INVOICE, cancellation__isnull=True
    ).first()
    if original is not None:
        cancellation = _cancellation_issue(original, actor=actor)
        _mail_invoice(cancellation, "cancellation")
    _mail_application(application, "application_cancelled", ics=False)
    if was_confirmed:
        _promote_waiting(event, actor=actor)
    return application


@transaction.atomic(durable=True)
def attendance_mark(*, actor, application: Application, attended: bool | None) -> Application:
    if application.status != ApplicationStatus.CONFIRMED:
        raise ValidationError(_("出欠を記録できるのは申込確定の方だけです。"))
    application.attended = attended
    application.save(update_fields=["attended"])
    audit_record(
        actor=actor,
        action="application.attendance",
        target=application,
        office=application.event.office,
        data={"attended": attended},
    )
    return application


@transaction.atomic(durable=True)
def event_reminders_send(*, now=None, within_hours: int = 48) -> int:
    """Remind confirmed participants of events starting within ``within_hours``; once each."""
    now = now or timezone.now()
    due_ids = list(
        Application.objects.filter(
            status=ApplicationStatus.CONFIRMED,
            reminder_sent_at__isnull=True,
            event__is_published=True,
        )
        .annotate(first_start=Min("event__sessions__starts_at"))
        .filter(first_start__gt=now, first_start__lte=now + timedelta(hours=within_hours))
        .values_list("pk", flat=True)
    )
    due = (
        Application.objects.select_for_update(of=("self",))
        .filter(pk__in=due_ids, reminder_sent_at__isnull=True)
        .select_related("event", "user")
        .order_by("pk")
    )
    count = 0
    for application in due:
        application.reminder_sent_at = now
        application.save(update_fields=["reminder_sent_at"])
        audit_record(
            actor=None,
            action="application.remind",
            target=application,
            company=application.company,
            office=application.event.office,
        )
        _mail_application(application, "event_reminder", ics=True)
        count += 1
    return count


# --- Courses -------------------------------------------------------------------------------
@transaction.atomic(durable=True)
def enrolment_create(*, user, course: Course) -> Enrolment:
    enrolment, created = Enrolment.objects.get_or_create(course=course, user=user)
    if created:
        audit_record(actor=user, action="course.enrol", target=enrolment, office=course.office)
    return enrolment


def _finish_lesson(*, user, enrolment: Enrolment, progress: LessonProgress, how: str) -> None:
    """Mark the lesson done and the enrolment complete when every lesson is."""
    progress.done_at = timezone.now()
    progress.save(update_fields=["done_at"])
    totals = course_progress(enrolment=enrolment)
    if totals.complete and enrolment.completed_at is None:
        enrolment.completed_at = progress.done_at
        enrolment.save(update_fields=["completed_at"])
    audit_record(
        actor=user,
        action="course.lesson_done",
        target=enrolment,
        data={"lesson": progress.lesson_id, "how": how, "percent": totals.percent},
    )


def _locked_progress(*, user, enrolment: Enrolment, lesson: Lesson) -> tuple:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk, user=user)
    if lesson.chapter.course_id != enrolment.course_id:
        raise ValidationError(_("この講座のレッスンではありません。"))
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, lesson=lesson
    )
    return enrolment, progress


def _reading_done(progress: LessonProgress, lesson: Lesson) -> bool:
    return progress.credited_seconds >= lesson.min_reading_seconds


def _finish_if_complete(*, user, enrolment: Enrolment, progress, lesson: Lesson, how: str) -> None:
    """Finish the lesson once nothing is missing: a video lesson with a quiz needs the watched
    time and the passed quiz, whichever comes last (decision 1326)."""
    if progress.done_at is not None:
        return
    if not lesson_still_missing(lesson=lesson, course=enrolment.course, progress=progress):
        _finish_lesson(user=user, enrolment=enrolment, progress=progress, how=how)


@transaction.atomic(durable=True)
def lesson_open(*, user, enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """The learner opened the lesson: the clock for watched or reading time starts at the first
    opening (a text lesson without a reading time is done on opening)."""
    enrolment, progress = _locked_progress(user=user, enrolment=enrolment, lesson=lesson)
    if progress.started_at is None:
        progress.started_at = progress.reported_at = timezone.now()
        progress.save(update_fields=["started_at", "reported_at"])
        if (
            progress.done_at is None
            and lesson.mode == "reading"
            and _reading_done(progress, lesson)
        ):
            _finish_lesson(user=user, enrolment=enrolment, progress=progress, how="reading")
    return progress


@transaction.atomic(durable=True)
def lesson_report(*, user, enrolment: Enrolment, lesson: Lesson, position: float):
    """The player (or the reading timer) reports ``position`` seconds. The credit grows only as
    far as real time since the last report and since the first opening allows
    (rules.credit_watch); the lesson is done when the credit reaches the course's share of the
    video, or the reading time. Returns (progress, needed seconds)."""
    enrolment, progress = _locked_progress(user=user, enrolment=enrolment, lesson=lesson)
    now = timezone.now()
    if progress.started_at is None:  # a report without opening the page starts the clock
        progress.started_at = progress.reported_at = now
    mode = lesson.mode
    if mode == "video":
        needed = rules.watch_needed(
            video_seconds=lesson.video_seconds or 0,
            threshold_percent=enrolment.course.watch_threshold_percent,
        )
    elif mode == "reading":
        needed = float(lesson.min_reading_seconds)
    else:  # quiz and button lessons are not completed by time
        progress.save(update_fields=["started_at", "reported_at"])
        return progress, None
    progress.credited_seconds = rules.credit_watch(
        credited=progress.credited_seconds,
        reported=float(position),
        since_last=(now - progress.reported_at).total_seconds(),
        since_start=(now - progress.started_at).total_seconds(),
    )
    progress.reported_at = now
    progress.save(update_fields=["started_at", "reported_at", "credited_seconds"])
    _finish_if_complete(user=user, enrolment=enrolment, progress=progress, lesson=lesson, how=mode)
    return progress, needed


@transaction.atomic(durable=True)
def lesson_quiz_submit(*, user, enrolment: Enrolment, lesson: Lesson, answers: dict):
    """Grade the learner's answers; passing (the lesson's pass mark) completes a quiz lesson,
    and a video lesson whose video was watched enough. The best result is kept. Returns
    (percent, passed, whether the lesson is done)."""
    enrolment, progress = _locked_progress(user=user, enrolment=enrolment, lesson=lesson)
    if not lesson.quiz:
        raise ValidationError(_("このレッスンには確認テストがありません。"))
    missing = [str(i + 1) for i in range(len(lesson.quiz)) if answers.get(i) is None]
    if missing:
        raise ValidationError(
            _("答えていない問題があります: 問%(numbers)s") % {"numbers": "、問".join(missing)}
        )
    percent = rules.quiz_percent(lesson.quiz, answers)
    passed = percent >= lesson.quiz_pass_percent
    if progress.quiz_percent is None or percent > progress.quiz_percent:
        progress.quiz_percent = percent
        progress.save(update_fields=["quiz_percent"])
    audit_record(
        actor=user,
        action="course.quiz",
        target=enrolment,
        data={"lesson": lesson.pk, "percent": percent, "passed": passed},
    )
    if passed:
        _finish_if_complete(
            user=user, enrolment=enrolment, progress=progress, lesson=lesson, how="quiz"
        )
    return percent, passed, progress.done_at is not None


@transaction.atomic(durable=True)
def lesson_progress_set(*, user, enrolment: Enrolment, lesson: Lesson, done: bool) -> Enrolment:
    """The "read it" button: only for a text lesson whose staff chose confirmation by button
    (decision 1313); a video, quiz or reading-time lesson is done by what the learner did."""
    if lesson.mode != "button":
        raise ValidationError(
            _("このレッスンは、動画の視聴・確認テスト・閲覧時間で完了になります。")
        )
    enrolment, progress = _locked_progress(user=user, enrolment=enrolment, lesson=lesson)
    if done:
        if progress.done_at is None:
            _finish_lesson(user=user, enrolment=enrolment, progress=progress, how="button")
        return enrolment
    progress.done_at = None
    progress.save(update_fields=["done_at"])
    # Unticking withdraws a completion (docs/decisions/0701).
    enrolment.completed_at = None
    enrolment.save(update_fields=["completed_at"])
    audit_record(
        actor=user,
        action="course.lesson_undone",
        target=enrolment,
        data={"lesson": lesson.pk, "percent": course_progress(enrolment=enrolment).percent},
    )
    return enrolment


# --- Headlines -----------------------------------------------------------------------------
def _set_tags(headline: Headline, prefectures: list[str], topics: list[str]) -> None:
    headline.prefecture_tags.all().delete()
    headline.topic_tags.all().delete()
    HeadlinePrefecture.objects.bulk_create(
        [HeadlinePrefecture(headline=headline, prefecture=p) for p in sorted(set(prefectures))]
    )
    HeadlineTopic.objects.bulk_create(
        [HeadlineTopic(headline=headline, topic=t) for t in sorted(set(topics))]
    )


def _check_headline(headline: Headline, prefectures: list[str]) -> None:
    if not headline.nationwide and not prefectures:
        raise ValidationError(
            {"prefectures": _("都道府県を選ぶか、「全国が対象」にしてください。")}
        )


@transaction.atomic(durable=True)
def headline_create(
    *, actor, office, prefectures: list[str], topics: list[str], is_demo: bool = False, **fields
) -> Headline:
    headline = Headline(
        office=office, is_demo=is_demo, **{k: v for k, v in fields.items() if k in HEADLINE_FIELDS}
    )
    _check_headline(headline, prefectures)
    headline.full_clean()
    headline.save()
    _set_tags(headline, prefectures, topics)
    audit_record(actor=actor, action="headline.create", target=headline, office=office)
    return headline


@transaction.atomic(durable=True)
def headline_update(
    *, actor, headline: Headline, prefectures: list[str], topics: list[str], **fields
) -> Headline:
    changed = apply_changes(headline, {k: v for k, v in fields.items() if k in HEADLINE_FIELDS})
    _check_headline(headline, prefectures)
    headline.full_clean()
    headline.save()
    _set_tags(headline, prefectures, topics)
    audit_record(
        actor=actor,
        action="headline.update",
        target=headline,
        office=headline.office,
        data={"changed": changed, "prefectures": prefectures, "topics": topics},
    )
    return headline


@transaction.atomic(durable=True)
def headline_delete(*, actor, headline: Headline) -> None:
    audit_record(actor=actor, action="headline.delete", target=headline, office=headline.office)
    headline.delete()


# --- Course editing (staff) ----------------------------------------------------------------
COURSE_FIELDS = (
    "title",
    "title_en",
    "provider",
    "description",
    "description_en",
    "audience_note",
    "audience_note_en",
    "page_url",
    "is_published",
    "watch_threshold_percent",
)
CHAPTER_FIELDS = ("title", "title_en")
LESSON_FIELDS = (
    "title",
    "title_en",
    "kind",
    "duration_minutes",
    "video_url",
    "summary",
    "summary_en",
    "video_path",
    "video_seconds",
    "body",
    "body_en",
    "text_completion",
    "min_reading_seconds",
    "quiz_pass_percent",
)
VIDEO_MAX_BYTES = 500 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# Positions are renumbered 1..n; during the renumbering rows are parked above this offset so
# that the unique (parent, position) constraint never sees two rows on one position.
_PARK = 10_000


def _place(siblings, obj, position: int | None) -> None:
    """Put ``obj`` at ``position`` (1-based; None or past the end = last) among ``siblings``
    (a queryset of the same parent, which may or may not contain obj) and renumber 1..n."""
    others = [s for s in siblings.order_by("position", "id") if s.pk != obj.pk]
    index = len(others) if not position else min(max(position, 1) - 1, len(others))
    ordered = others[:index] + [obj] + others[index:]
    siblings.exclude(pk=obj.pk).update(position=models.F("position") + _PARK)
    if obj.pk:
        type(obj).objects.filter(pk=obj.pk).update(position=_PARK * 2)
    for number, item in enumerate(ordered, start=1):
        item.position = number
        if item is obj:
            continue
        type(item).objects.filter(pk=item.pk).update(position=number)
    obj.save()


def _recheck_completions(course: Course, *, actor) -> int:
    """After a lesson was deleted: enrolments whose remaining lessons are all done are complete
    (see docs/decisions/0701). Completions already recorded are kept. Returns how many."""
    total = Lesson.objects.filter(chapter__course=course).count()
    if total == 0:
        return 0
    now = timezone.now()
    done_ids = list(
        Enrolment.objects.filter(course=course, completed_at__isnull=True)
        .annotate(done=models.Count("progress", filter=models.Q(progress__done_at__isnull=False)))
        .filter(done__gte=total)
        .values_list("pk", flat=True)
    )
    count = 0
    for enrolment in Enrolment.objects.select_for_update().filter(
        pk__in=done_ids, completed_at__isnull=True
    ):
        enrolment.completed_at = now
        enrolment.save(update_fields=["completed_at"])
        audit_record(
            actor=actor,
            action="course.completed_by_edit",
            target=enrolment,
            office=course.office,
        )
        count += 1
    return count


@transaction.atomic(durable=True)
def course_create(*, actor, office, **fields) -> Course:
    course = Course(office=office)
    course.position = (office.courses.aggregate(m=models.Max("position"))["m"] or 0) + 1
    return create_audited(
        course, fields, allowed=COURSE_FIELDS, actor=actor, action="course.create", office=office
    )


@transaction.atomic(durable=True)
def course_update(*, actor, course: Course, **fields) -> Course:
    update_audited(
        course,
        fields,
        allowed=COURSE_FIELDS,
        actor=actor,
        action="course.update",
        office=course.office,
    )
    return course


@transaction.atomic(durable=True)
def chapter_save(*, actor, course: Course, chapter: Chapter | None = None, position=None, **fields):
    """Create (chapter None) or edit a chapter; ``position`` moves it (1 = first; None = last
    for a new chapter, unchanged for an existing one)."""
    Course.objects.select_for_update().get(pk=course.pk)
    creating = chapter is None
    if creating:
        chapter = Chapter(course=course, position=_PARK * 3)
    changed = apply_changes(chapter, {k: v for k, v in fields.items() if k in CHAPTER_FIELDS})
    if position is None and not creating:
        position = chapter.position  # the service keeps the place unless told otherwise
    chapter.full_clean(exclude=["position"])
    _place(course.chapters.all(), chapter, position)
    audit_record(
        actor=actor,
        action="course.chapter_create" if creating else "course.chapter_update",
        target=chapter,
        office=course.office,
        data={"changed": changed, "position": chapter.position},
    )
    return chapter


def _english_quiz_problem(problem) -> str:
    """A staff message for one problem of the English quiz text, naming its question."""
    values = {"n": problem.question, "given": problem.given, "needed": problem.needed}
    if problem.code == "bad_line":
        return _("%(line)d行目: %(reason)s") % {
            "line": problem.question,
            "reason": _("問題（Q で始まる行）か選択肢（- か * で始まる行）にしてください"),
        }
    messages_ = {
        rules.EN_TOO_MANY: _(
            "%(n)d行目: 英語の問題が%(given)d問あります。日本語の確認テストは%(needed)d問です"
        ),
        rules.EN_NO_TEXT: _("問%(n)d: 英語の問題文がありません（選択肢だけの英語は使えません）"),
        rules.EN_NO_CHOICES: _(
            "問%(n)d: 英語の選択肢がありません。日本語と同じ%(needed)d行を入力してください"
        ),
        rules.EN_CHOICE_COUNT: _(
            "問%(n)d: 英語の選択肢が%(given)d行あります。日本語の選択肢と同じ%(needed)d行に"
            "してください"
        ),
        rules.EN_ANSWER_MOVED: _(
            "問%(n)d: 英語の「*」が日本語の正解と違う選択肢に付いています（正解は日本語の位置です）"
        ),
    }
    return messages_[problem.code] % values


def _lesson_link_errors(lesson: Lesson) -> dict[str, list]:
    """The lesson's video link: a web address, or a path on this site."""
    errors: dict[str, list] = {}
    if lesson.video_url and not lesson.video_url.lower().startswith(("http://", "https://")):
        errors["video_url"] = [_("http:// か https:// で始まるURLを入力してください。")]
    if lesson.video_path and (
        not lesson.video_path.startswith("/") or lesson.video_path.startswith("//")
    ):
        errors["video_path"] = [
            _("このサイト内のパス（/ で始まり、// では始まらない）を入力してください。")
        ]
    return errors


def _lesson_upload_errors(video_upload, attachment_upload) -> dict[str, list]:
    """The uploaded video and attachment checked by their first bytes and their size."""
    errors: dict[str, list] = {}
    if video_upload is not None:
        head = video_upload.read(16)
        video_upload.seek(0)
        if rules.sniff_video(head) is None:
            errors["video_upload"] = [_("動画はMP4かWebMのファイルにしてください。")]
        elif video_upload.size > VIDEO_MAX_BYTES:
            errors["video_upload"] = [_("動画ファイルは500MBまでです。")]
    if attachment_upload is not None:
        head = attachment_upload.read(16)
        attachment_upload.seek(0)
        kind = rules.sniff_attachment(head, attachment_upload.name)
        if kind is None:
            errors["attachment_upload"] = [
                _("添付できるのはPDF・PNG・JPEG・Word・Excel・PowerPointのファイルです。")
            ]
        elif attachment_upload.size > ATTACHMENT_MAX_BYTES:
            errors["attachment_upload"] = [_("添付ファイルは20MBまでです。")]
    return errors


def _lesson_quiz_set(lesson: Lesson, quiz_text, quiz_text_en, *, errors, changed) -> None:
    """Read the quiz text (None: the stored quiz) and its English onto the lesson; the
    problems go into ``errors``, a changed quiz's sizes into ``changed``."""
    try:
        quiz = rules.parse_quiz(quiz_text) if quiz_text is not None else lesson.quiz or []
    except rules.QuizSyntaxError as exc:
        reasons = {
            "few_choices": _("選択肢が2つ以上必要です"),
            "no_answer": _("正解（* で始まる選択肢）がありません"),
            "two_answers": _("正解が2つあります"),
            "bad_line": _("問題（Q で始まる行）か選択肢（- か * で始まる行）にしてください"),
        }
        errors["quiz_text"] = [
            _("%(line)d行目: %(reason)s") % {"line": line, "reason": reasons[code]}
            for line, code in exc.problems
        ]
        return
    try:
        quiz = rules.parse_quiz_en(quiz_text_en or "", quiz)
    except rules.EnglishQuizError as exc:
        errors["quiz_text_en"] = [_english_quiz_problem(p) for p in exc.problems]
        return
    if quiz != lesson.quiz:
        changed["quiz"] = [len(lesson.quiz or []), len(quiz)]
    lesson.quiz = quiz


def _lesson_attachments_save(lesson: Lesson, remove_attachments, upload, *, changed) -> None:
    """Remove the attachments named and store the checked upload (after the lesson)."""
    if remove_attachments:
        removed = lesson.attachments.filter(pk__in=list(remove_attachments))
        changed["attachments_removed"] = list(removed.values_list("name", flat=True))
        removed.delete()
    if upload is not None:
        kind = rules.sniff_attachment(upload.read(16), upload.name)
        upload.seek(0)
        LessonAttachment.objects.create(
            lesson=lesson,
            file=upload,
            name=upload.name[-200:],
            content_type=rules.ATTACHMENT_TYPES[kind],
            size=upload.size,
        )
        changed["attachment_added"] = upload.name


@transaction.atomic(durable=True)
def lesson_save(
    *,
    actor,
    chapter: Chapter,
    lesson: Lesson | None = None,
    position=None,
    video_upload=None,
    remove_video=False,
    quiz_text=None,
    quiz_text_en=None,
    attachment_upload=None,
    remove_attachments=(),
    **fields,
):
    """Create (lesson None) or edit a lesson of ``chapter``; ``position`` moves it. A video
    (mp4/webm) and an attachment (PDF, PNG, JPEG, Word/Excel/PowerPoint) are checked by their
    bytes and size; the quiz comes as text (rules.parse_quiz) with its optional English as a
    second text (rules.parse_quiz_en, decision 1327): a new quiz_text replaces the quiz with
    the English of quiz_text_en (None: none); quiz_text_en alone re-translates the stored
    quiz. Every problem is reported at once and nothing is saved then."""
    course = Course.objects.select_for_update().get(pk=chapter.course_id)
    creating = lesson is None
    if creating:
        lesson = Lesson(chapter=chapter, position=_PARK * 3)
    changed = apply_changes(lesson, {k: v for k, v in fields.items() if k in LESSON_FIELDS})
    if position is None and not creating:
        position = lesson.position  # the service keeps the place unless told otherwise
    errors = _lesson_link_errors(lesson) | _lesson_upload_errors(video_upload, attachment_upload)
    if quiz_text is not None or quiz_text_en is not None:
        _lesson_quiz_set(lesson, quiz_text, quiz_text_en, errors=errors, changed=changed)
    if remove_video and lesson.video_file:
        changed["video_file"] = [lesson.video_file.name, ""]
        lesson.video_file = ""
    if video_upload is not None and "video_upload" not in errors:
        changed["video_file"] = [lesson.video_file.name or "", video_upload.name]
        lesson.video_file = video_upload
    if lesson.has_video and not lesson.video_seconds:
        errors["video_seconds"] = [_("動画があるときは、動画の長さ（秒）を入力してください。")]
    try:
        lesson.full_clean(exclude=["position", "video_file"])
    except ValidationError as exc:
        for field, messages_ in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages_)
    if errors:
        raise ValidationError(errors)
    _place(chapter.lessons.all(), lesson, position)
    _lesson_attachments_save(lesson, remove_attachments, attachment_upload, changed=changed)
    audit_record(
        actor=actor,
        action="course.lesson_create" if creating else "course.lesson_update",
        target=lesson,
        office=course.office,
        data={"changed": changed, "position": lesson.position},
    )
    return lesson


@transaction.atomic(durable=True)
def lesson_delete(*, actor, lesson: Lesson) -> int:
    """Delete a lesson with its progress marks; learners who had done every other lesson
    become complete. Returns the number of enrolments completed by the deletion."""
    course = Course.objects.select_for_update().get(pk=lesson.chapter.course_id)
    chapter = lesson.chapter
    audit_record(
        actor=actor,
        action="course.lesson_delete",
        target=lesson,
        office=course.office,
        data={"title": lesson.title, "chapter": chapter.pk},
    )
    lesson.delete()
    for number, item in enumerate(chapter.lessons.order_by("position", "id"), start=1):
        if item.position != number:
            Lesson.objects.filter(pk=item.pk).update(position=number)
    return _recheck_completions(course, actor=actor)


@transaction.atomic(durable=True)
def chapter_delete(*, actor, chapter: Chapter) -> int:
    """Delete a chapter with its lessons and their progress marks; the other chapters are
    renumbered and learners who had done every remaining lesson become complete. Returns the
    number of enrolments completed by the deletion."""
    course = Course.objects.select_for_update().get(pk=chapter.course_id)
    audit_record(
        actor=actor,
        action="course.chapter_delete",
        target=chapter,
        office=course.office,
        data={
            "title": chapter.title,
            "lessons": list(chapter.lessons.values_list("title", flat=True)),
        },
    )
    chapter.delete()
    for number, item in enumerate(course.chapters.order_by("position", "id"), start=1):
        if item.position != number:
            Chapter.objects.filter(pk=item.pk).update(position=number)
    return _recheck_completions(course, actor=actor)


# --- Writing to participants ---------------------------------------------------------------
@transaction.atomic(durable=True)
def event_message_send(*, actor, event: Event, audience: str, subject: str, body: str):
    """E-mail the event's applicants (all active ones, the confirmed or the waiting), keep the
    message as sent and audit it. Cancelled applications never receive it."""
    statuses = {
        MessageAudience.ALL: [ApplicationStatus.CONFIRMED, ApplicationStatus.WAITLISTED],
        MessageAudience.CONFIRMED: [ApplicationStatus.CONFIRMED],
        MessageAudience.WAITLISTED: [ApplicationStatus.WAITLISTED],
    }.get(audience)
    if statuses is None:
        raise ValidationError({"audience": _("宛先を選んでください。")})
    errors = {}
    if not subject.strip():
        errors["subject"] = _("件名を入力してください。")
    if not body.strip():
        errors["body"] = _("本文を入力してください。")
    if errors:
        raise ValidationError(errors)
    recipients = list(
        event.applications.filter(status__in=statuses).select_related("user").order_by("pk")
    )
    if not recipients:
        raise ValidationError({"audience": _("この宛先に該当する申込者はいません。")})
    message = EventMessage.objects.create(
        event=event,
        audience=audience,
        subject=subject.strip(),
        body=body.strip(),
        recipients=len(recipients),
        sent_by=actor,
    )
    audit_record(
        actor=actor,
        action="event.message",
        target=message,
        office=event.office,
        data={"event": event.pk, "audience": audience, "recipients": len(recipients)},
    )
    for application in recipients:
        language = language_of(application.user)
        url = mail_url("programmes:event_detail", language, args=[event.pk])
        mail_after_commit(
            to=application.email,
            template="programmes/email/event_message.txt",
            context={"application": application, "event": event, "message": message, "url": url},
            language=language,
        )
    return message


# --- Certificates --------------------------------------------------------------------------
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


@transaction.atomic(durable=True)
def certificate_issue(*, user, enrolment: Enrolment) -> Enrolment:
    """Give a completed enrolment its certificate's verification code (once; the same code on
    every later download)."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk, user=user)
    if enrolment.completed_at is None:
        raise ValidationError(_("修了証は、すべてのレッスンを視聴済みにすると発行できます。"))
    if enrolment.certificate_code:
        return enrolment
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(12))
        if not Enrolment.objects.filter(certificate_code=code).exists():
            break
    enrolment.certificate_code = code
    enrolment.save(update_fields=["certificate_code"])
    audit_record(actor=user, action="course.certificate", target=enrolment, data={"code": code})
    return enrolment


# --- Qualified invoices -------------------------------------------------------------------
def _registration_number_message(problem: str) -> str:
    return {
        "prefix": _("登録番号は T で始めてください（例: T1234567890123）。"),
        "digits": _("登録番号は T に続けて13桁の数字を入力してください。"),
        "check_digit": _("登録番号のチェックデジットが合いません。番号を確かめてください。"),
    }[problem]


@transaction.atomic(durable=True)
def invoice_settings_save(
    *, actor, office, issuer_name: str, registration_number: str, payment_note: str = ""
) -> InvoiceSettings:
    """Set the office's invoice issuer; a registration number that fails its check digit is
    refused (nothing saved)."""
    registration_number = registration_number.strip().upper()
    errors = {}
    if not issuer_name.strip():
        errors["issuer_name"] = _("発行事業者の名称を入力してください。")
    problem = rules.registration_number_problem(registration_number)
    if problem is not None:
        errors["registration_number"] = _registration_number_message(problem)
    if errors:
        raise ValidationError(errors)
    settings_row, created = InvoiceSettings.objects.get_or_create(
        office=office,
        defaults={
            "issuer_name": issuer_name.strip(),
            "registration_number": registration_number,
            "payment_note": payment_note.strip(),
        },
    )
    changed = {}
    if not created:
        changed = apply_changes(
            settings_row,
            {
                "issuer_name": issuer_name.strip(),
                "registration_number": registration_number,
                "payment_note": payment_note.strip(),
            },
        )
        settings_row.save(update_fields=["issuer_name", "registration_number", "payment_note"])
    audit_record(
        actor=actor,
        action="invoice.settings",
        target=settings_row,
        office=office,
        data={"created": created, "changed": changed},
    )
    return settings_row


def _allocate_number(office) -> tuple[InvoiceSettings, int, str, object]:
    """The office's next invoice number: the counter row is locked (common.locking) until the
    issuing transaction ends, so numbers are gap-free and never reused even when many
    applications are invoiced at once; a rolled-back issue rolls its number back too."""
    try:
        counter = locking.lock_one(InvoiceSettings.objects.filter(office=office))
    except InvoiceSettings.DoesNotExist:
        raise ValidationError(
            _("請求書を発行する前に、事務局の登録番号（請求書の設定）を登録してください。")
        ) from None
    problem = rules.registration_number_problem(counter.registration_number)
    if problem is not None:
        raise ValidationError(_registration_number_message(problem))
    sequence = counter.last_sequence + 1
    locking.after_check()
    counter.last_sequence = sequence
    counter.save(update_fields=["last_sequence"])
    today = timezone.localdate()
    return counter, sequence, rules.invoice_number(year=today.year, sequence=sequence), today


def _first_day(event: Event):
    first = event.sessions.aggregate(first=Min("starts_at"))["first"]
    return timezone.localdate(first) if first else None


def _mail_invoice(invoice: Invoice, document: str) -> None:
    """E-mail the invoice, receipt or cancellation with its PDF once the transaction has
    committed (programmes.tasks renders both, with no row locked)."""
    invoice_id = invoice.pk
    transaction.on_commit(
        lambda: tasks.send_invoice_mail.enqueue(invoice_id=invoice_id, document=document)
    )


def _invoice_create(event: Event, application: Application, *, actor, automatic: bool) -> Invoice:
    """Number (under the office's counter lock), store, audit and e-mail the invoice of a
    confirmed application to a paid event. Call with the event row locked."""
    counter, sequence, number, today = _allocate_number(event.office)
    amounts = rules.invoice_amounts(
        unit_price_yen=event.fee_yen, quantity=1, rate_percent=INVOICE_TAX_RATE_PERCENT
    )
    invoice = Invoice.objects.create(
        office=event.office,
        application=application,
        kind=InvoiceKind.INVOICE,
        sequence=sequence,
        number=number,
        issued_on=today,
        issuer_name=counter.issuer_name,
        registration_number=counter.registration_number,
        recipient=f"{application.organisation} {application.name}".strip(),
        item_title=event.title,
        item_date=_first_day(event),
        quantity=1,
        unit_price_yen=event.fee_yen,
        total_yen=amounts.total_yen,
        tax_rate_percent=amounts.rate_percent,
        tax_yen=amounts.tax_yen,
        payment_note=counter.payment_note,
    )
    application.invoice_status = InvoiceStatus.ISSUED
    application.invoice_number = number
    application.save(update_fields=["invoice_status", "invoice_number"])
    audit_record(
        actor=actor,
        action="invoice.issue",
        target=invoice,
        company=application.company,
        office=event.office,
        data={"number": number, "total_yen": invoice.total_yen, "automatic": automatic},
    )
    _mail_invoice(invoice, "invoice")
    return invoice


def _invoice_on_acceptance(event: Event, application: Application) -> Invoice | None:
    """A paid application just confirmed (on applying or from the waiting list) gets its
    invoice in the same transaction, when the office has set up its invoices; otherwise it
    stays "to issue" and staff issue it from the event's page once the settings exist."""
    office_settings = InvoiceSettings.objects.filter(office_id=event.office_id).first()
    if office_settings is None or rules.registration_number_problem(
        office_settings.registration_number
    ):
        return None
    return _invoice_create(event, application, actor=None, automatic=True)


@transaction.atomic(durable=True)
def invoice_send(*, actor, application: Application) -> tuple[Invoice, bool]:
    """The staff's button: issue the invoice of a confirmed application for a paid training
    (one accepted before invoices were issued on acceptance, or before the office's settings
    existed) and e-mail it; if it already has one, e-mail that one again. Never two invoices
    for one application (also a unique constraint). Returns (invoice, newly issued). The
    event is locked first (as a cancellation and an acceptance do), so an application cannot
    be cancelled or accepted while its invoice is being issued."""
    event = _lock_event(application.event_id)
    application = Application.objects.select_related("event__office").get(pk=application.pk)
    if event.is_free:
        raise ValidationError(_("無料のイベントには請求書を発行しません。"))
    if application.status != ApplicationStatus.CONFIRMED:
        raise ValidationError(_("請求書を発行できるのは申込確定の方だけです。"))
    existing = Invoice.objects.filter(application=application, kind=InvoiceKind.INVOICE).first()
    if existing is None:
        return _invoice_create(event, application, actor=actor, automatic=False), True
    audit_record(
        actor=actor,
        action="invoice.resend",
        target=existing,
        company=application.company,
        office=event.office,
        data={"number": existing.number},
    )
    _mail_invoice(existing, "invoice")
    return existing, False


def _cancellation_issue(original: Invoice, *, actor) -> Invoice:
    """The cancellation (返還インボイス) of ``original``: a new number, the amounts negated."""
    counter, sequence, number, today = _allocate_number(original.office)
    amounts = rules.invoice_amounts(
        unit_price_yen=original.unit_price_yen,
        quantity=-original.quantity,
        rate_percent=original.tax_rate_percent,
    )
    cancellation = Invoice.objects.create(
        office=original.office,
        application=original.application,
        kind=InvoiceKind.CANCELLATION,
        sequence=sequence,
        number=number,
        original=original,
        issued_on=today,
        issuer_name=counter.issuer_name,
        registration_number=counter.registration_number,
        recipient=original.recipient,
        item_title=original.item_title,
        item_date=original.item_date,
        quantity=-original.quantity,
        unit_price_yen=original.unit_price_yen,
        total_yen=amounts.total_yen,
        tax_rate_percent=amounts.rate_percent,
        tax_yen=amounts.tax_yen,
    )
    audit_record(
        actor=actor,
        action="invoice.cancel",
        target=cancellation,
        company=original.application.company,
        office=original.office,
        data={"number": number, "original": original.number},
    )
    return cancellation


@transaction.atomic(durable=True)
def invoice_payment_record(*, actor, invoice: Invoice, paid_on, amount_yen: int) -> Invoice:
    """Record the payment of an invoice (then its receipt can be downloaded). The amount must
    be the invoice total: a partial or excess payment is refused, nothing is saved."""
    invoice = locking.lock_one(Invoice.objects.filter(pk=invoice.pk))
    if invoice.kind != InvoiceKind.INVOICE:
        raise ValidationError(_("取消の請求書には入金を記録できません。"))
    if Invoice.objects.filter(original=invoice).exists():
        raise ValidationError(_("取り消された請求書には入金を記録できません。"))
    if invoice.paid_on is not None:
        raise ValidationError(_("この請求書の入金はすでに記録されています。"))
    errors = {}
    if amount_yen != invoice.total_yen:
        errors["amount_yen"] = _(
            "入金額 %(amount)s が請求額 %(total)s と一致しません。請求額と同じ金額を入力してください。"
        ) % {
            "amount": rules.format_yen(amount_yen),
            "total": rules.format_yen(invoice.total_yen),
        }
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("入金日に未来の日付は入力できません。")
    elif paid_on < invoice.issued_on - timedelta(days=366):
        errors["paid_on"] = _("入金日が請求書の発行日より1年以上前です。日付を確かめてください。")
    if errors:
        raise ValidationError(errors)
    invoice.paid_on = paid_on
    invoice.paid_amount_yen = amount_yen
    invoice.save(update_fields=["paid_on", "paid_amount_yen"])
    Application.objects.filter(pk=invoice.application_id).update(payment_status=PaymentStatus.PAID)
    audit_record(
        actor=actor,
        action="invoice.payment",
        target=invoice,
        office=invoice.office,
        data={"paid_on": paid_on.isoformat(), "amount_yen": amount_yen},
    )
    _mail_invoice(invoice, "receipt")
    return invoice
