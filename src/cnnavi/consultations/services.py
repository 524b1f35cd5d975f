"""Writes of the consultation window, the CO2 calculation support and the hands-on support.

Capacity (a slot, an expert's hour, the three free visits) is decided by lock, check, insert in
one transaction, with unique constraints as the backstop (docs/decisions/0800).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import jpholiday
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from cnnavi.audit.services import apply_changes, audit_record, update_audited
from cnnavi.common import locking
from cnnavi.common.mail import language_of, mail_after_commit, mail_url
from cnnavi.consultations import rules, selectors
from cnnavi.consultations.models import (
    AvailabilityRule,
    Booking,
    BookingStatus,
    CalcCaseStatus,
    CalcSupportCase,
    CalcVisit,
    Channel,
    ClosedDay,
    HandsOnCase,
    HandsOnSettings,
    HearingVisit,
    PdcaCycle,
    PlannedAction,
    PlanState,
    ScreeningCriterion,
    ScreeningScore,
    Slot,
    meeting_note,
)
from cnnavi.measure.calc import emissions_snapshot
from cnnavi.orgs.models import (
    Company,
    Consent,
    Expert,
    ExpertAssignment,
    Membership,
    OfficeStaff,
    Role,
    SupportOffice,
)
from cnnavi.reduce import selectors as reduce_selectors
from cnnavi.reduce import services as reduce_services

MANAGE_SALT = "cnnavi.consultations.manage"


# --- Availability and slots -----------------------------------------------------------------
@transaction.atomic(durable=True)
def availability_add(
    *, actor, office: SupportOffice, expert: Expert, weekday, start_time, minutes, mode, **dates
) -> AvailabilityRule:
    if expert.office_id != office.pk:
        raise ValidationError(_("この支援機関の専門家ではありません。"))
    rule = AvailabilityRule(
        expert=expert,
        weekday=weekday,
        start_time=start_time,
        minutes=minutes,
        mode=mode,
        valid_from=dates.get("valid_from"),
        valid_until=dates.get("valid_until"),
    )
    rule.full_clean()
    rule.save()
    audit_record(actor=actor, action="availability.add", target=rule, office=office)
    return rule


@transaction.atomic(durable=True)
def availability_delete(*, actor, office: SupportOffice, rule: AvailabilityRule) -> None:
    audit_record(actor=actor, action="availability.delete", target=rule, office=office)
    rule.delete()


class BookingsOnDay(ValidationError):
    """The day to close has bookings the staff have not yet seen: list them before saving."""

    def __init__(self, bookings: list):
        super().__init__(
            _("この日には予約があります。内容を確認してから休業日を登録してください。")
        )
        self.bookings = bookings


def bookings_on_day(*, office: SupportOffice, day: date, expert: Expert | None = None):
    """The active bookings of ``day`` that closing it would cancel."""
    qs = Booking.objects.filter(
        expert__office=office, status=BookingStatus.BOOKED, starts_at__date=day
    )
    if expert is not None:
        qs = qs.filter(expert=expert)
    return qs.select_related("slot", "expert__office", "expert__user", "company").order_by(
        "starts_at", "pk"
    )


@transaction.atomic(durable=True)
def closed_day_add(
    *,
    actor,
    office: SupportOffice,
    day: date,
    reason: str,
    expert: Expert | None = None,
    acknowledged: set[int] | frozenset = frozenset(),
    now: datetime | None = None,
) -> ClosedDay:
    """Close a day. Its free slots are withdrawn; its bookings are cancelled and each client is
    told, with a link to book again and a cancelling .ics. The staff must have seen every
    booking first (``acknowledged`` holds their ids): a booking made meanwhile stops the save
    and is listed (docs/decisions/1300)."""
    now = now or timezone.now()
    experts = Expert.objects.filter(office=office)
    if expert is not None:
        experts = experts.filter(pk=expert.pk)
    locking.lock(experts)
    bookings = list(bookings_on_day(office=office, day=day, expert=expert))
    if {b.pk for b in bookings} - set(acknowledged):
        raise BookingsOnDay(bookings)
    closed = ClosedDay.objects.create(office=office, expert=expert, day=day, reason=reason)
    for booking in bookings:
        booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
        booking.save(update_fields=["status", "cancelled_at"])
        audit_record(
            actor=actor,
            action="booking.cancel",
            target=booking,
            company=booking.company,
            office=office,
            data={"by": "office", "closed_day": str(day)},
        )
        _mail_booking(
            booking,
            "booking_closed_day",
            extra={
                "reason": reason,
                "rebook_url": mail_url("consultations:index", booking.language)
                + f"?mode={booking.slot.mode}",
            },
        )
    slots = Slot.objects.filter(expert__in=experts, starts_at__date=day, withdrawn=False)
    withdrawn = slots.update(withdrawn=True)
    audit_record(
        actor=actor,
        action="closed_day.add",
        target=closed,
        office=office,
        data={"day": str(day), "withdrawn_slots": withdrawn, "cancelled_bookings": len(bookings)},
    )
    return closed


@transaction.atomic(durable=True)
def slots_generate(
    *, actor, office: SupportOffice, first_day: date | None = None, weeks: int = 6
) -> int:
    """Create the concrete slots of the coming weeks from the availability rules. Running it
    again adds only what is missing; it never creates two overlapping slots for one expert."""
    first_day = first_day or timezone.localdate() + timedelta(days=1)
    days = weeks * 7
    last_day = first_day + timedelta(days=days)
    tz = timezone.get_current_timezone()
    created = 0
    experts = Expert.objects.filter(office=office, active=True).prefetch_related("availability")
    closed = list(ClosedDay.objects.filter(office=office, day__gte=first_day, day__lt=last_day))
    for expert in experts:
        closed_days = {c.day for c in closed if c.expert_id in (None, expert.pk)}
        specs = rules.generate_slots(
            [r.as_rule() for r in expert.availability.all()],
            first_day=first_day,
            days=days,
            tz=tz,
            is_holiday=jpholiday.is_holiday,
            closed_days=closed_days,
        )
        existing = [
            rules.SlotSpec(s.starts_at, s.ends_at, s.mode)
            for s in Slot.objects.filter(
                expert=expert,
                starts_at__lt=datetime.combine(last_day, datetime.min.time(), tzinfo=tz),
                ends_at__gt=datetime.combine(first_day, datetime.min.time(), tzinfo=tz),
            )
        ]
        for spec in specs:
            if any(rules.overlaps(spec, other) for other in existing):
                continue
            Slot.objects.create(
                expert=expert, starts_at=spec.starts_at, ends_at=spec.ends_at, mode=spec.mode
            )
            existing.append(spec)
            created += 1
    if created:
        audit_record(
            actor=actor,
            action="slots.generate",
            office=office,
            data={"from": str(first_day), "weeks": weeks, "created": created},
        )
    return created


# --- Bookings -------------------------------------------------------------------------------
def manage_token(booking: Booking) -> str:
    return signing.dumps({"b": booking.pk}, salt=MANAGE_SALT)


def booking_id_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=MANAGE_SALT)["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _meeting_details(slot: Slot, channel: str, phone: str) -> str:
    return meeting_note(channel, slot.expert.office, phone)


def booking_ics(booking: Booking) -> str:
    """The booking as an iCalendar file (RFC 5545)."""
    cal = Calendar()
    cal.add("prodid", "-//CN Navi//consultations//JA")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if booking.status == BookingStatus.CANCELLED else "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.pk}@cnnavi")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.slot.starts_at)
    event.add("dtend", booking.slot.ends_at)
    event.add("summary", _("カーボンニュートラル相談（%(expert)s）") % {"expert": booking.expert})
    description = booking.meeting_details
    if booking.meeting_url:
        description = f"{description}\n{booking.meeting_url}".strip()
    event.add("description", description)
    if booking.channel == Channel.IN_PERSON:
        event.add("location", booking.expert.office.address or booking.expert.office.name)
    if booking.meeting_url:
        event.add("url", booking.meeting_url)
        event.add("location", booking.meeting_url)
    if booking.status == BookingStatus.CANCELLED:
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


class SlotTaken(ValidationError):
    """Someone else booked the slot (or the expert's hour) first."""

    def __init__(self):
        super().__init__(_("この枠は先ほど埋まりました。近い日時の空き枠から選び直してください。"))


def _check_slot_free(slot: Slot, *, now: datetime, exclude: Booking | None = None) -> None:
    if slot.withdrawn or slot.starts_at <= now:
        raise ValidationError(_("この枠は予約できません。別の枠を選んでください。"))
    taken = Booking.objects.filter(status=BookingStatus.BOOKED).filter(
        # the slot itself, or any booking of the expert that overlaps it
        expert_id=slot.expert_id,
        slot__starts_at__lt=slot.ends_at,
        slot__ends_at__gt=slot.starts_at,
    )
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise SlotTaken()


def _lock_experts(*expert_ids: int) -> None:
    locking.lock(Expert.objects.filter(pk__in=set(expert_ids)))


def _mail_booking(
    booking: Booking, template: str, *, to_expert: bool = True, extra: dict | None = None
) -> None:
    context = {
        **(extra or {}),
        "booking": booking,
        "manage_url": mail_url(
            "consultations:manage",
            booking.language,
            kwargs={"manage_token": manage_token(booking)},
        ),
        "deadline": rules.change_deadline(booking.starts_at),
    }
    attachments = [["consultation.ics", booking_ics(booking), "text/calendar"]]
    mail_after_commit(
        to=booking.contact_email,
        template=f"consultations/email/{template}.txt",
        context=context,
        language=booking.language,
        attachments=attachments,
    )
    if to_expert:
        language = language_of(booking.expert.user)
        context = dict(
            context,
            manage_url=mail_url(
                "consultations:booking_detail", language, kwargs={"booking_id": booking.pk}
            ),
            for_expert=True,
        )
        mail_after_commit(
            to=booking.expert.user.email,
            template=f"consultations/email/{template}.txt",
            context=context,
            language=language,
            attachments=attachments,
        )


@transaction.atomic(durable=True)
def booking_create(
    *,
    actor,
    slot: Slot,
    channel: str,
    topics: list[str],
    description: str,
    contact_name: str,
    contact_company: str,
    contact_email: str,
    contact_phone: str,
    company: Company | None = None,
    language: str = "ja",
    now: datetime | None = None,
) -> Booking:
    """Book a free slot. Lock the expert, check that neither the slot nor the expert is taken
    at that time, insert; the partial unique constraints refuse a second booking anyway."""
    now = now or timezone.now()
    _lock_experts(slot.expert_id)
    slot = Slot.objects.select_related("expert__office").get(pk=slot.pk)
    if not rules.channel_fits_mode(channel, slot.mode):
        raise ValidationError(
            {"channel": _("オンライン枠では対面の相談はできません。対面枠を選んでください。")}
        )
    if not topics:
        raise ValidationError({"topics": _("相談したいことを1つ以上選んでください。")})
    _check_slot_free(slot, now=now)
    locking.after_check()
    booking = Booking(
        slot=slot,
        expert=slot.expert,
        starts_at=slot.starts_at,
        company=company,
        user=actor if actor is not None and actor.is_authenticated else None,
        channel=channel,
        topics=list(topics),
        description=description,
        contact_name=contact_name,
        contact_company=contact_company,
        contact_email=contact_email.strip().lower(),
        contact_phone=contact_phone,
        language=language,
    )
    with translation.override(language):
        booking.meeting_details = _meeting_details(slot, channel, contact_phone)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:  # the backstop: someone else won the slot
        raise SlotTaken() from exc
    audit_record(
        actor=actor,
        action="booking.create",
        target=booking,
        company=company,
        office=slot.expert.office,
        data={"slot": slot.pk, "channel": channel, "topics": list(topics)},
    )
    _mail_booking(booking, "booking_confirmed")
    return booking


def _check_deadline(booking: Booking, now: datetime) -> None:
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError(_("この予約はすでにキャンセルされています。"))
    if not rules.can_change(starts_at=booking.starts_at, now=now):
        raise ValidationError(
            _(
                "開始の%(hours)d時間前を過ぎたため、画面からは変更できません。"
                "支援機関にお電話でご連絡ください。"
            )
            % {"hours": rules.CHANGE_DEADLINE_HOURS}
        )


@transaction.atomic(durable=True)
def booking_cancel(
    *, actor, booking: Booking, by_office: bool = False, now: datetime | None = None
) -> Booking:
    now = now or timezone.now()
    _lock_experts(booking.expert_id)
    booking = Booking.objects.select_related("slot", "expert__office", "expert__user").get(
        pk=booking.pk
    )
    _check_deadline(booking, now)
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    audit_record(
        actor=actor,
        action="booking.cancel",
        target=booking,
        company=booking.company,
        office=booking.expert.office,
        data={"by": "office" if by_office else "company"},
    )
    _mail_booking(booking, "booking_cancelled")
    return booking


@transaction.atomic(durable=True)
def booking_reschedule(
    *, actor, booking: Booking, slot: Slot, by_office: bool = False, now: datetime | None = None
) -> Booking:
    now = now or timezone.now()
    _lock_experts(booking.expert_id, slot.expert_id)
    booking = Booking.objects.select_related("slot").get(pk=booking.pk)
    slot = Slot.objects.select_related("expert__office", "expert__user").get(pk=slot.pk)
    _check_deadline(booking, now)
    if not rules.channel_fits_mode(booking.channel, slot.mode):
        raise ValidationError(_("オンライン枠では対面の相談はできません。対面枠を選んでください。"))
    _check_slot_free(slot, now=now, exclude=booking)
    old = booking.slot
    booking.slot, booking.expert, booking.starts_at = slot, slot.expert, slot.starts_at
    booking.reminded_at = None
    with translation.override(booking.language):
        booking.meeting_details = _meeting_details(slot, booking.channel, booking.contact_phone)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:
        raise SlotTaken() from exc
    audit_record(
        actor=actor,
        action="booking.reschedule",
        target=booking,
        company=booking.company,
        office=slot.expert.office,
        data={"from": str(old.starts_at), "to": str(slot.starts_at), "by_office": by_office},
    )
    _mail_booking(booking, "booking_rescheduled")
    return booking


@transaction.atomic(durable=True)
def booking_set_meeting_url(*, actor, booking: Booking, meeting_url: str) -> Booking:
    """The expert or the staff give the web-meeting address of an online booking; the client
    gets it by e-mail with an updated .ics."""
    booking = Booking.objects.select_related("slot", "expert__office", "expert__user").get(
        pk=booking.pk
    )
    if booking.channel != Channel.ONLINE:
        raise ValidationError({"meeting_url": _("オンラインの相談ではありません。")})
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError(_("この予約はすでにキャンセルされています。"))
    meeting_url = meeting_url.strip()
    if not meeting_url.startswith("https://"):
        raise ValidationError({"meeting_url": _("https:// で始まるURLを入力してください。")})
    old = booking.meeting_url
    booking.meeting_url = meeting_url
    booking.save(update_fields=["meeting_url"])
    audit_record(
        actor=actor,
        action="booking.meeting_url",
        target=booking,
        company=booking.company,
        office=booking.expert.office,
        data={"from": old, "to": meeting_url},
    )
    _mail_booking(booking, "booking_meeting_url", to_expert=False)
    return booking


@transaction.atomic(durable=True)
def booking_record(
    *, actor, booking: Booking, record: str, follow_up: str, follow_up_done: bool
) -> Booking:
    booking.record, booking.follow_up, booking.follow_up_done = record, follow_up, follow_up_done
    booking.save(update_fields=["record", "follow_up", "follow_up_done"])
    audit_record(
        actor=actor,
        action="booking.record",
        target=booking,
        company=booking.company,
        office=booking.expert.office,
    )
    return booking


@transaction.atomic(durable=True)
def bookings_remind(*, now: datetime | None = None) -> int:
    """E-mail a reminder for each booking starting within REMINDER_HOURS (once)."""
    now = now or timezone.now()
    due = (
        Booking.objects.select_for_update(of=("self",))
        .filter(
            status=BookingStatus.BOOKED,
            reminded_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=rules.REMINDER_HOURS),
        )
        .select_related("slot", "expert__office", "expert__user")
    )
    count = 0
    for booking in due:
        booking.reminded_at = now
        booking.save(update_fields=["reminded_at"])
        audit_record(actor=None, action="booking.remind", target=booking, company=booking.company)
        _mail_booking(booking, "booking_reminder")
        count += 1
    return count


# --- CO2 calculation support (⑥) -------------------------------------------------------------
def _emissions_snapshot(company: Company, fiscal_year: int) -> dict:
    """The Measure app's picture of the year, computed now and stored with visit 2."""
    return emissions_snapshot(company=company, fiscal_year=fiscal_year)


def _company_recipients(company: Company, applicant=None) -> list:
    users = [
        m.user
        for m in Membership.objects.filter(company=company, role=Role.OWNER).select_related("user")
    ]
    if applicant is not None and applicant not in users:
        users.append(applicant)
    return users


def _mail_users(users, template: str, context: dict, *, link: tuple[str, dict]) -> None:
    """Mail each user in their language; ``link`` (view name, kwargs) becomes the mail's
    ``url``, the page in that language."""
    name, kwargs = link
    for user in users:
        language = language_of(user)
        mail_after_commit(
            to=user.email,
            template=f"consultations/email/{template}.txt",
            context={**context, "url": mail_url(name, language, kwargs=kwargs)},
            language=language,
        )


def _mail_case(
    case: CalcSupportCase | HandsOnCase,
    template: str,
    *,
    to: list | None = None,
    extra: dict | None = None,
    staff_page: bool = False,
) -> None:
    """Mail about a case with the link to its page: by default to the company's owners and
    the case's applicant; ``to`` names other people, ``extra`` adds to the ``case`` context and
    ``staff_page`` links a calculation case's staff page."""
    if isinstance(case, CalcSupportCase):
        view = "consultations_staff:calc_case" if staff_page else "consultations:calc_case"
        link = (view, {"calc_case_id": case.pk})
    else:
        link = ("consultations:handson_case", {"handson_case_id": case.pk})
    users = _company_recipients(case.company, case.applicant) if to is None else to
    _mail_users(users, template, {"case": case, **(extra or {})}, link=link)


def _office_users(office: SupportOffice) -> list:
    return [s.user for s in OfficeStaff.objects.filter(office=office).select_related("user")]


def _consent_in_force(company: Company, office: SupportOffice) -> bool:
    return Consent.objects.in_force().filter(company=company, office=office).exists()


def _visit_numbers_taken(company: Company) -> set[int]:
    """The numbers held or reserved by a scheduled visit (a cancelled visit frees its own)."""
    return set(
        CalcVisit.objects.filter(company=company, cancelled_at__isnull=True).values_list(
            "number", flat=True
        )
    )


@transaction.atomic(durable=True)
def calc_case_apply(
    *, actor, company: Company, office: SupportOffice, message: str, preferred_dates: str
) -> CalcSupportCase:
    if not _consent_in_force(company, office):
        raise ValidationError(
            _(
                "先に、%(office)s への同意を登録してください。専門家が貴社のデータを見るために必要です。"
            )
            % {"office": office.name}
        )
    if CalcSupportCase.objects.filter(
        company=company, status__in=[CalcCaseStatus.APPLIED, CalcCaseStatus.ACTIVE]
    ).exists():
        raise ValidationError(_("受付中または支援中の申込がすでにあります。"))
    if selectors.visits_used(company=company) >= rules.MAX_FREE_VISITS:
        raise ValidationError(_("無料の訪問（最大3回）はすべて利用済みです。"))
    case = CalcSupportCase.objects.create(
        company=company,
        office=office,
        applicant=actor,
        message=message,
        preferred_dates=preferred_dates,
    )
    audit_record(actor=actor, action="calc_case.apply", target=case, company=company, office=office)
    _mail_case(case, "calc_applied_office", to=_office_users(office), staff_page=True)
    return case


def _applied_case(case: CalcSupportCase, office: SupportOffice) -> CalcSupportCase:
    """The office's case locked, while it still waits for an answer."""
    case = CalcSupportCase.objects.select_for_update().get(pk=case.pk, office=office)
    if case.status != CalcCaseStatus.APPLIED:
        raise ValidationError(_("この申込はすでに処理されています。"))
    return case


@transaction.atomic(durable=True)
def calc_case_accept(*, actor, office: SupportOffice, case: CalcSupportCase, expert: Expert):
    """Accept the application with the expert that ``orgs.services.expert_assign`` assigned."""
    case = _applied_case(case, office)
    if not ExpertAssignment.objects.filter(
        company=case.company, expert=expert, ended_at__isnull=True
    ).exists():
        raise ValidationError(_("この専門家は企業の担当になっていません。"))
    case.status, case.expert, case.accepted_at = CalcCaseStatus.ACTIVE, expert, timezone.now()
    case.save(update_fields=["status", "expert", "accepted_at"])
    audit_record(
        actor=actor,
        action="calc_case.accept",
        target=case,
        company=case.company,
        office=office,
        data={"expert": expert.display_name},
    )
    _mail_case(case, "calc_accepted")
    _mail_case(case, "calc_assigned_expert", to=[expert.user])
    return case


@transaction.atomic(durable=True)
def calc_case_decline(*, actor, office: SupportOffice, case: CalcSupportCase, reason: str):
    case = _applied_case(case, office)
    if not reason.strip():
        raise ValidationError({"reason": _("お断りの理由を入力してください。")})
    case.status, case.decline_reason = CalcCaseStatus.DECLINED, reason
    case.save(update_fields=["status", "decline_reason"])
    audit_record(
        actor=actor, action="calc_case.decline", target=case, company=case.company, office=office
    )
    _mail_case(case, "calc_declined")
    return case


@transaction.atomic(durable=True)
def calc_visit_schedule(
    *, actor, case: CalcSupportCase, expert: Expert, scheduled_at: datetime
) -> CalcVisit:
    """Book the company's next free visit. The company row is locked and the visits recounted,
    so two experts (or two clicks) cannot give a company a fourth visit; the unique constraint
    on (company, number) and the 1..3 check are the backstop."""
    locking.lock(Company.objects.filter(pk=case.company_id))
    case = CalcSupportCase.objects.select_related("company", "office").get(pk=case.pk)
    if case.status != CalcCaseStatus.ACTIVE:
        raise ValidationError(_("支援中の案件ではありません。"))
    number = rules.next_visit_number(_visit_numbers_taken(case.company))
    if number is None:
        raise ValidationError(
            _(
                "無料の訪問（最大3回）はすべて予定済みか利用済みです。予定の訪問は変更・中止できます。"
            )
        )
    locking.after_check()
    visit = CalcVisit(
        case=case, company=case.company, number=number, expert=expert, scheduled_at=scheduled_at
    )
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError as exc:
        raise ValidationError(_("無料の訪問（最大3回）はすべて利用済みです。")) from exc
    audit_record(
        actor=actor,
        action="calc_visit.schedule",
        target=visit,
        company=case.company,
        office=case.office,
        data={"number": number, "at": scheduled_at.isoformat()},
    )
    _mail_case(case, "calc_visit_scheduled", extra={"visit": visit})
    return visit


def _check_recordable(visit: CalcVisit) -> None:
    if visit.is_cancelled:
        raise ValidationError(_("中止した訪問は記録できません。"))
    if visit.scheduled_at > timezone.now() + timedelta(days=1):
        raise ValidationError(_("訪問日より前には記録できません。"))


def _open_visit(visit: CalcVisit) -> CalcVisit:
    visit = (
        CalcVisit.objects.select_for_update(of=("self",))
        .select_related("case__office", "company", "expert")
        .get(pk=visit.pk)
    )
    if not visit.is_open:
        raise ValidationError(_("記録済みまたは中止済みの訪問は変更できません。"))
    return visit


@transaction.atomic(durable=True)
def calc_visit_reschedule(
    *, actor, visit: CalcVisit, scheduled_at: datetime, reason: str = ""
) -> CalcVisit:
    """Move a scheduled visit; the company is told. Moving uses no quota."""
    visit = _open_visit(visit)
    old = visit.scheduled_at
    if scheduled_at == old:
        raise ValidationError({"scheduled_at": _("今の日時と同じです。")})
    visit.scheduled_at, visit.change_reason = scheduled_at, reason.strip()
    visit.save(update_fields=["scheduled_at", "change_reason"])
    audit_record(
        actor=actor,
        action="calc_visit.reschedule",
        target=visit,
        company=visit.company,
        office=visit.case.office,
        data={"number": visit.number, "from": old.isoformat(), "to": scheduled_at.isoformat()},
    )
    _mail_case(
        visit.case,
        "calc_visit_rescheduled",
        extra={"visit": visit, "old": old, "reason": visit.change_reason},
    )
    return visit


@transaction.atomic(durable=True)
def calc_visit_cancel(*, actor, visit: CalcVisit, reason: str) -> CalcVisit:
    """Cancel a scheduled visit; the company is told. Its number is free again and the quota
    is untouched (only held visits count)."""
    if not reason.strip():
        raise ValidationError({"reason": _("中止の理由を入力してください。")})
    visit = _open_visit(visit)
    visit.cancelled_at, visit.change_reason = timezone.now(), reason.strip()
    visit.save(update_fields=["cancelled_at", "change_reason"])
    audit_record(
        actor=actor,
        action="calc_visit.cancel",
        target=visit,
        company=visit.company,
        office=visit.case.office,
        data={"number": visit.number, "reason": visit.change_reason},
    )
    _mail_case(
        visit.case, "calc_visit_cancelled", extra={"visit": visit, "reason": visit.change_reason}
    )
    return visit


def _set_third_visit(visit, base_fiscal_year, target_fiscal_year, reduction_percent, plan):
    """Visit 3's target: a base year before the target year, and the plan's changes."""
    if base_fiscal_year is None or target_fiscal_year is None:
        raise ValidationError(_("基準年度と目標年度を入力してください。"))
    if target_fiscal_year <= base_fiscal_year:
        raise ValidationError({"target_fiscal_year": _("目標年度は基準年度より後にしてください。")})
    visit.base_fiscal_year, visit.target_fiscal_year = base_fiscal_year, target_fiscal_year
    visit.target_reduction_percent = reduction_percent
    visit.plan_changes = plan or {}


@transaction.atomic(durable=True)
def calc_visit_record(
    *,
    actor,
    visit: CalcVisit,
    record: str,
    energy_data_checked: bool = False,
    method_explained: bool = False,
    issues: str = "",
    fiscal_year: int | None = None,
    base_fiscal_year: int | None = None,
    target_fiscal_year: int | None = None,
    target_reduction_percent: int | None = None,
    actions: list[dict] | None = None,
    plan_changes: dict | None = None,
) -> CalcVisit:
    visit = CalcVisit.objects.select_for_update().select_related("case", "company").get(pk=visit.pk)
    _check_recordable(visit)
    visit.record = record
    if visit.number == 1:
        visit.energy_data_checked, visit.method_explained = energy_data_checked, method_explained
    elif visit.number == 2:
        if fiscal_year is None:
            raise ValidationError({"fiscal_year": _("対象年度を入力してください。")})
        visit.issues, visit.fiscal_year = issues, fiscal_year
        # The Pareto and energy-flow views as they are today, kept with the visit.
        visit.snapshot = _emissions_snapshot(visit.company, fiscal_year)
    else:
        _set_third_visit(
            visit, base_fiscal_year, target_fiscal_year, target_reduction_percent, plan_changes
        )
        visit.actions.all().delete()
        for row in actions or []:
            PlannedAction.objects.create(visit=visit, **row)
    visit.recorded_at = timezone.now()
    visit.save()
    if selectors.visits_used(company=visit.company) >= rules.MAX_FREE_VISITS:
        visit.case.status = CalcCaseStatus.CLOSED
        visit.case.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="calc_visit.record",
        target=visit,
        company=visit.company,
        office=visit.case.office,
        data={"number": visit.number, "actions": len(actions or []), "plan": plan_changes or {}},
    )
    _mail_case(visit.case, "calc_visit_recorded", extra={"visit": visit})
    return visit


def _target_text(field: str, value) -> str | None:
    if value is None:
        return None
    if field == "near_share":
        return f"{(Decimal(value) * 100).quantize(Decimal('0.1')).normalize():f}%"
    return str(value)


def calc_visit3_record(
    *,
    actor,
    visit: CalcVisit,
    record: str,
    base_year: int,
    near_year: int,
    near_share: Decimal,
    measures: list | None = None,
    start_year: int | None = None,
) -> CalcVisit:
    """Visit 3 (削減対応の検討) works on the company's own target and reduction plan, the same
    objects the reduce pages show: a changed target goes through ``reduce.services.plan_save``,
    chosen catalogue measures through ``measures_add`` (each audited there), and the visit
    records what it changed. reduce's services own their (durable) transactions, so this is a
    sequence, not one transaction: everything that could refuse is checked first, and
    re-recording the visit only changes what differs (docs/decisions/1301)."""
    visit = CalcVisit.objects.select_related("case__office", "company").get(pk=visit.pk)
    if visit.number != 3:
        raise ValidationError(_("この訪問は第3回ではありません。"))
    _check_recordable(visit)
    if near_year <= base_year:
        raise ValidationError({"near_year": _("目標年度は基準年度より後にしてください。")})
    plan = reduce_selectors.plan_of(company=visit.company)
    target = {"base_year": base_year, "near_year": near_year, "near_share": near_share}
    changes: dict = {}
    before = {k: getattr(plan, k) if plan else None for k in target}
    if plan is None or any(before[k] != v for k, v in target.items()):
        plan = reduce_services.plan_save(actor=actor, company=visit.company, **target)
        changes["target"] = {
            k: [_target_text(k, before[k]), _target_text(k, v)]
            for k, v in target.items()
            if before[k] != v
        }
    if measures:
        added = reduce_services.measures_add(
            actor=actor, plan=plan, measures=list(measures), start_year=start_year
        )
        if added:
            changes["measures_added"] = [pm.measure.name for pm in added]
    return calc_visit_record(
        actor=actor,
        visit=visit,
        record=record,
        base_fiscal_year=base_year,
        target_fiscal_year=near_year,
        target_reduction_percent=int((near_share * 100).to_integral_value()),
        plan_changes=changes,
    )


# --- Hands-on support (⑦) ------------------------------------------------------------------
def _handson_error(code: str) -> ValidationError:
    return ValidationError(
        {
            "not_allowed_now": _("今の状態ではこの操作はできません。"),
            "wrong_role": _("この操作をする権限がありません。"),
            "reason_missing": _("採否の理由を入力してください。"),
            "plan_missing": _(
                "支援計画（テーマ、目標、費用）を登録し、企業の同意を得てから支援を始めてください。"
            ),
            "report_missing": _("完了報告を入力してください。"),
            "hearings_missing": _(
                "採否を決める前に、必要な回数のヒアリング・現場調査を記録してください。"
            ),
            "screening_missing": _("採否を決める前に、すべての審査基準を採点してください。"),
        }[code]
    )


def _screening_complete(case: HandsOnCase) -> bool:
    active = set(selectors.criteria_of(office=case.office).values_list("pk", flat=True))
    scored = set(case.scores.values_list("criterion_id", flat=True))
    return bool(active) and active <= scored


@transaction.atomic(durable=True)
def handson_settings_save(*, actor, office: SupportOffice, required_hearings: int):
    row, _created = HandsOnSettings.objects.get_or_create(office=office)
    fields = {"required_hearings": required_hearings}
    update_audited(row, fields, actor=actor, action="handson.settings", office=office)
    return row


@transaction.atomic(durable=True)
def criterion_save(
    *, actor, office: SupportOffice, criterion: ScreeningCriterion | None = None, **fields
) -> ScreeningCriterion:
    values = {
        k: v
        for k, v in fields.items()
        if k in ("title", "description", "max_score", "position", "active")
    }
    if criterion is None:
        criterion = ScreeningCriterion(office=office, **values)
        changed = {k: [None, str(v)] for k, v in values.items()}
    else:
        if criterion.office_id != office.pk:
            raise ValidationError(_("この支援機関の審査基準ではありません。"))
        changed = apply_changes(criterion, values)
    criterion.full_clean()
    criterion.save()
    audit_record(
        actor=actor,
        action="handson.criterion",
        target=criterion,
        office=office,
        data={"changed": changed},
    )
    return criterion


@transaction.atomic(durable=True)
def handson_apply(
    *,
    actor,
    company: Company,
    office: SupportOffice,
    themes_wanted: str,
    current_issues: str,
    project_members: str,
) -> HandsOnCase:
    case = HandsOnCase.objects.create(
        company=company,
        office=office,
        applicant=actor,
        themes_wanted=themes_wanted,
        current_issues=current_issues,
        project_members=project_members,
    )
    audit_record(actor=actor, action="handson.apply", target=case, company=company, office=office)
    _mail_case(case, "handson_state", to=_office_users(office) + [actor])
    return case


@transaction.atomic(durable=True)
def handson_transition(
    *, actor, case: HandsOnCase, role: str, name: str, reason: str = "", report: str = ""
) -> HandsOnCase:
    case = HandsOnCase.objects.select_for_update().get(pk=case.pk)
    old = case.state
    try:
        case.state = rules.check_transition(
            name,
            state=case.state,
            role=role,
            reason=reason,
            has_plan=case.plan_accepted,
            has_report=bool(report.strip()),
            hearings=case.hearings.count(),
            hearings_required=selectors.required_hearings(case.office),
            screening_complete=_screening_complete(case),
        )
    except rules.TransitionError as exc:
        raise _handson_error(exc.code) from exc
    if name in ("accept", "decline"):
        case.decision_reason = reason.strip()
    if name == "decline":
        case.decline_reason = reason.strip()
    if name == "complete":
        case.completion_report = report
    case.save()
    audit_record(
        actor=actor,
        action=f"handson.{name}",
        target=case,
        company=case.company,
        office=case.office,
        data={"from": old, "to": case.state, "role": role, "reason": reason.strip()},
    )
    _mail_case(case, "handson_state")
    return case


@transaction.atomic(durable=True)
def handson_hearing_add(
    *, actor, case: HandsOnCase, role: str, visited_at: datetime, notes: str
) -> HearingVisit:
    if not rules.may_edit_hearing(state=case.state, role=role):
        raise _handson_error("wrong_role" if role == "company" else "not_allowed_now")
    hearing = HearingVisit.objects.create(
        case=case, visited_at=visited_at, notes=notes, author=actor
    )
    audit_record(
        actor=actor,
        action="handson.hearing",
        target=hearing,
        company=case.company,
        office=case.office,
    )
    return hearing


@transaction.atomic(durable=True)
def handson_screening_save(
    *, actor, case: HandsOnCase, role: str, scores: dict[int, tuple[int | None, str]]
) -> None:
    """Score the case on each of the office's active criteria, each with a note. Every bad
    criterion is named at once and nothing is saved unless all are right."""
    case = HandsOnCase.objects.select_for_update().get(pk=case.pk)
    if not rules.may_score(state=case.state, role=role):
        raise _handson_error("wrong_role" if role != "staff" else "not_allowed_now")
    criteria = list(selectors.criteria_of(office=case.office))
    if not criteria:
        raise ValidationError(_("審査基準がまだありません。先に支援機関の設定で登録してください。"))
    errors = []
    for c in criteria:
        score, note = scores.get(c.pk, (None, ""))
        if score is None or not 0 <= score <= c.max_score:
            errors.append(
                _("「%(title)s」: 0〜%(max)d点で採点してください。")
                % {"title": c.title, "max": c.max_score}
            )
        if not (note or "").strip():
            errors.append(_("「%(title)s」: 所見を入力してください。") % {"title": c.title})
    if errors:
        raise ValidationError(errors)
    for c in criteria:
        score, note = scores[c.pk]
        ScreeningScore.objects.update_or_create(
            case=case,
            criterion=c,
            defaults={"score": score, "note": note.strip(), "author": actor},
        )
    audit_record(
        actor=actor,
        action="handson.screening",
        target=case,
        company=case.company,
        office=case.office,
        data={"scores": {c.title: scores[c.pk][0] for c in criteria}},
    )


@transaction.atomic(durable=True)
def handson_plan_save(
    *,
    actor,
    case: HandsOnCase,
    role: str,
    plan_themes: str,
    plan_goals: str,
    plan_schedule: str,
    plan_team,
    fee_net_yen: int,
    tax_rate_percent: int = 10,
    plan_measures=(),
) -> HandsOnCase:
    """Save the support plan and send it to the company's owners, who accept or decline it
    in the app. Changing a plan sends it again (an earlier answer no longer holds)."""
    case = HandsOnCase.objects.select_for_update().get(pk=case.pk)
    if not rules.may_edit_plan(state=case.state, role=role):
        raise _handson_error("wrong_role" if role == "company" else "not_allowed_now")
    if any(e.office_id != case.office_id for e in plan_team):
        raise ValidationError({"plan_team": _("この支援機関の専門家を選んでください。")})
    if any(pm.plan.company_id != case.company_id for pm in plan_measures):
        raise ValidationError({"plan_measures": _("この企業の削減計画の対策を選んでください。")})
    case.plan_themes, case.plan_goals, case.plan_schedule = plan_themes, plan_goals, plan_schedule
    case.fee_net_yen, case.tax_rate_percent = fee_net_yen, tax_rate_percent
    case.fee_yen = fee_net_yen + rules.tax_yen(fee_net_yen, tax_rate_percent)
    case.plan_state = PlanState.PROPOSED
    case.plan_decided_at, case.plan_decided_by, case.plan_response = None, None, ""
    case.save()
    case.plan_team.set(plan_team)
    case.plan_measures.set(plan_measures)
    audit_record(
        actor=actor,
        action="handson.plan",
        target=case,
        company=case.company,
        office=case.office,
        data={
            "fee_net_yen": fee_net_yen,
            "tax_rate_percent": tax_rate_percent,
            "fee_yen": case.fee_yen,
            "team": [e.display_name for e in plan_team],
            "measures": [pm.measure.name for pm in plan_measures],
        },
    )
    _mail_case(case, "handson_plan_proposed", to=_company_recipients(case.company))
    return case


@transaction.atomic(durable=True)
def handson_plan_decide(*, actor, case: HandsOnCase, accept: bool, note: str = "") -> HandsOnCase:
    """The company's owner accepts or declines the proposed support plan (audited); the
    support can start only after an acceptance."""
    case = HandsOnCase.objects.select_for_update().get(pk=case.pk)
    if not Membership.objects.filter(company=case.company, user=actor, role=Role.OWNER).exists():
        raise _handson_error("wrong_role")
    if case.state != rules.ACCEPTED or case.plan_state != PlanState.PROPOSED:
        raise _handson_error("not_allowed_now")
    if not accept and not note.strip():
        raise ValidationError({"note": _("辞退する理由やご希望を入力してください。")})
    case.plan_state = PlanState.ACCEPTED if accept else PlanState.DECLINED
    case.plan_decided_at, case.plan_decided_by = timezone.now(), actor
    case.plan_response = note.strip()
    case.save(update_fields=["plan_state", "plan_decided_at", "plan_decided_by", "plan_response"])
    audit_record(
        actor=actor,
        action="handson.plan_accept" if accept else "handson.plan_decline",
        target=case,
        company=case.company,
        office=case.office,
        data={"fee_yen": case.fee_yen, "note": case.plan_response},
    )
    _mail_case(case, "handson_plan_decided", to=_office_users(case.office))
    return case


@transaction.atomic(durable=True)
def handson_cycle_save(
    *,
    actor,
    case: HandsOnCase,
    role: str,
    number: int | None,
    period_start: date,
    period_end: date,
    plan_text: str,
    do_text: str = "",
    check_text: str = "",
    act_text: str = "",
    measured: list | None = None,
) -> PdcaCycle:
    """Add a PDCA cycle or update one (by its number). ``measured`` is the measured change of
    the plan's measures (``selectors.handson_measured``), kept with the cycle's Check step."""
    case = HandsOnCase.objects.select_for_update().get(pk=case.pk)
    if not rules.may_log_pdca(state=case.state, role=role):
        raise _handson_error("wrong_role" if role == "staff" else "not_allowed_now")
    if period_end < period_start:
        raise ValidationError({"period_end": _("終了日は開始日以降にしてください。")})
    cycle = case.cycles.filter(number=number).first() if number else None
    if cycle is None:
        last = case.cycles.order_by("-number").first()
        cycle = PdcaCycle(case=case, number=(last.number + 1) if last else 1)
    before = {"check": cycle.check_text, "act": cycle.act_text} if cycle.pk else None
    cycle.period_start, cycle.period_end = period_start, period_end
    cycle.plan_text, cycle.do_text = plan_text, do_text
    cycle.check_text, cycle.act_text = check_text, act_text
    if check_text.strip() and measured is not None:
        cycle.measured = measured
    cycle.author = actor
    cycle.save()
    audit_record(
        actor=actor,
        action="handson.pdca",
        target=cycle,
        company=case.company,
        office=case.office,
        data={"number": cycle.number, "updated": before is not None},
    )
    return cycle
