"""Reads: the occasions that ended (seminars, consultations, CO2 support visits, hands-on
close-outs), the questions of a survey, the results per programme kind."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cnnavi.common.mail import language_of
from cnnavi.consultations.models import (
    Booking,
    BookingStatus,
    CalcVisit,
    HandsOnCase,
    HandsOnState,
)
from cnnavi.programmes.models import ApplicationStatus, Event
from cnnavi.surveys.models import (
    SCORE_MAX,
    SCORE_MIN,
    Invitation,
    ProgrammeKind,
    Question,
    Response,
    SurveySettings,
)

# Occasions that ended longer ago than this get no survey (the first run after deploying
# does not write to everyone who ever attended anything).
SEND_WINDOW_DAYS = 30


@dataclass(frozen=True)
class Recipient:
    office_id: int
    kind: str
    occasion_id: int
    label: str
    day: date
    email: str
    user: object | None
    language: str


def occasions_ended(*, now: datetime | None = None) -> list[Recipient]:
    """Every person of every occasion that ended within the window: attendees of events whose
    last session ended (not marked absent), bookings held (booked, over, and recorded by the
    expert), CO2 support visits recorded, hands-on cases completed. Read here from the
    programmes and consultations models (surveys is a feature app above neither's data)."""
    now = now or timezone.now()
    since = now - timedelta(days=SEND_WINDOW_DAYS)
    out = [
        *_event_attendees(now, since),
        *_bookings_held(now, since),
        *_visits_recorded(now, since),
        *_handson_completed(since),
    ]
    return [r for r in out if r.email]


def _event_attendees(now, since):
    events = (
        Event.objects.annotate(last_end=Max("sessions__ends_at"))
        .filter(last_end__lt=now, last_end__gte=since)
        .prefetch_related("applications__user")
    )
    for event in events:
        for app in event.applications.all():
            if app.status != ApplicationStatus.CONFIRMED or app.attended is False:
                continue
            yield Recipient(
                event.office_id,
                ProgrammeKind.SEMINAR,
                event.pk,
                event.title,
                timezone.localdate(event.last_end),
                app.email,
                app.user,
                language_of(app.user),
            )


def _bookings_held(now, since):
    bookings = (
        Booking.objects.filter(
            status=BookingStatus.BOOKED, slot__ends_at__lt=now, slot__ends_at__gte=since
        )
        .exclude(record="")
        .select_related("expert", "slot", "user")
    )
    for b in bookings:
        yield Recipient(
            b.expert.office_id,
            ProgrammeKind.CONSULTATION,
            b.pk,
            str(b.expert),
            timezone.localdate(b.starts_at),
            b.contact_email,
            b.user,
            b.language or "ja",
        )


def _visits_recorded(now, since):
    visits = CalcVisit.objects.filter(
        recorded_at__lt=now, recorded_at__gte=since, cancelled_at__isnull=True
    ).select_related("case__applicant", "company")
    for v in visits:
        user = v.case.applicant
        if user is None:
            continue
        yield Recipient(
            v.case.office_id,
            ProgrammeKind.CALC_VISIT,
            v.pk,
            f"{v.company.name} #{v.number}",
            timezone.localdate(v.recorded_at),
            user.email,
            user,
            language_of(user),
        )


def _handson_completed(since):
    cases = HandsOnCase.objects.filter(
        state=HandsOnState.COMPLETED, updated_at__gte=since
    ).select_related("applicant", "company")
    for c in cases:
        if c.applicant is None:
            continue
        yield Recipient(
            c.office_id,
            ProgrammeKind.HANDSON,
            c.pk,
            c.company.name,
            timezone.localdate(c.updated_at),
            c.applicant.email,
            c.applicant,
            language_of(c.applicant),
        )


def already_invited(recipients: list[Recipient]) -> set[tuple[str, int, str]]:
    kinds = {r.kind for r in recipients}
    ids = {r.occasion_id for r in recipients}
    return set(
        Invitation.objects.filter(kind__in=kinds, occasion_id__in=ids).values_list(
            "kind", "occasion_id", "email"
        )
    )


def default_wording(kind: str) -> tuple[str, str]:
    """The score and comment questions while the office has not worded its own."""
    subject = {
        ProgrammeKind.SEMINAR: pgettext("survey subject", "セミナー・研修"),
        ProgrammeKind.CONSULTATION: pgettext("survey subject", "相談"),
        ProgrammeKind.CALC_VISIT: pgettext("survey subject", "訪問支援"),
        ProgrammeKind.HANDSON: pgettext("survey subject", "ハンズオン支援"),
    }[kind]
    return (
        _("今回の%(subject)sの満足度を5段階でお聞かせください。") % {"subject": subject},
        _("よかった点・改善してほしい点があればお書きください。"),
    )


def wording(*, office, kind: str) -> tuple[str, str]:
    saved = SurveySettings.objects.filter(office=office, kind=kind).first()
    if saved is None:
        return default_wording(kind)
    return saved.score_question, saved.comment_question


def questions(*, office, kind: str | None = None, active_only: bool = True):
    qs = Question.objects.filter(office=office)
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("kind", "position", "id")


def questions_by_kind(*, office) -> list[dict]:
    """The staff's questions page: per programme kind, its label, the wording of the score and
    comment questions, and every question (inactive ones too)."""
    every = list(questions(office=office, active_only=False))
    return [
        {
            "label": kind.label,
            "wording": wording(office=office, kind=kind.value),
            "questions": [q for q in every if q.kind == kind.value],
        }
        for kind in ProgrammeKind
    ]


def invitation_state(invitation: Invitation, *, now: datetime | None = None) -> str:
    """``open``, ``answered``, ``revoked`` or ``expired``."""
    now = now or timezone.now()
    if Response.objects.filter(invitation=invitation).exists():
        return "answered"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "open"


def _responses(office, start: date | None, end: date | None):
    qs = Response.objects.filter(office=office)
    if start:
        qs = qs.filter(invitation__occasion_date__gte=start)
    if end:
        qs = qs.filter(invitation__occasion_date__lte=end)
    return qs


def satisfaction(office, start: date | None, end: date | None) -> list[dict]:
    """Per programme kind with answers (occasions dated start..end inclusive): the kind, its
    label, the number of answers and the mean score (a float), in the kinds' order."""
    rows = {
        r["kind"]: r
        for r in _responses(office, start, end)
        .values("kind")
        .annotate(count=Count("id"), mean=Avg("score"))
    }
    return [
        {
            "kind": kind.value,
            "label": kind.label,
            "count": rows[kind.value]["count"],
            "mean": float(rows[kind.value]["mean"]),
        }
        for kind in ProgrammeKind
        if kind.value in rows
    ]


def results(
    *, office, start: date | None = None, end: date | None = None, comments: int = 50
) -> list[dict]:
    """Per programme kind: invitations sent, answers, mean score, the distribution 1..5, the
    latest comments and the answers to the office's further questions."""
    invitations = Invitation.objects.filter(office=office)
    if start:
        invitations = invitations.filter(occasion_date__gte=start)
    if end:
        invitations = invitations.filter(occasion_date__lte=end)
    sent = dict(invitations.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    responses = _responses(office, start, end)
    dist: dict[str, dict[int, int]] = {}
    for kind, score, n in responses.values_list("kind", "score").annotate(n=Count("id")):
        dist.setdefault(kind, {})[score] = n
    out = []
    for kind in ProgrammeKind:
        counts = dist.get(kind.value, {})
        total = sum(counts.values())
        mean = sum(s * n for s, n in counts.items()) / total if total else None
        latest = list(
            responses.filter(kind=kind.value)
            .select_related("invitation")
            .order_by("-created_at", "-id")[:comments]
        )
        out.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "sent": sent.get(kind.value, 0),
                "count": total,
                "mean": mean,
                "distribution": [
                    {
                        "score": s,
                        "n": counts.get(s, 0),
                        "percent": round(100 * counts.get(s, 0) / total) if total else 0,
                    }
                    for s in range(SCORE_MIN, SCORE_MAX + 1)
                ],
                "comments": [r for r in latest if r.comment or r.answers],
            }
        )
    return out


def responses_for_export(*, office, start: date | None = None, end: date | None = None):
    return (
        _responses(office, start, end).select_related("invitation").order_by("kind", "created_at")
    )


def pending_invitations(*, office, limit: int = 30):
    """Open invitations not yet answered (staff may revoke one)."""
    answered = Response.objects.filter(office=office).values("invitation_id")
    return (
        Invitation.objects.filter(
            office=office, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .exclude(pk__in=answered)
        .order_by("-sent_at", "-id")[:limit]
    )
