"""Writes of the consultation window, the CO2 calculation support and the hands-on support.

Capacity (a slot, an expert's hour, the three free visits) is decided by lock, check, insert in
one transaction, with unique constraints as the backstop (docs/decisions/0800).
"""

from datetime import date, datetime, timedelta

import jpholiday
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from cnnavi.audit.services import audit_record
from cnnavi.common.mail import mail_after_commit
from cnnavi.consultations import rules
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
    HearingVisit,
    PdcaEntry,
    PlannedAction,
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
    consents_in_force,
)

# Race tests switch these off to show the race the lock prevents (never in production).
BOOKING_LOCK = True
VISIT_LOCK = True
# A test hook called right after the availability check, before the insert.
after_check = None

MANAGE_SALT = "cnnavi.consultations.manage"
LOCK_TIMEOUT = "5s"


def _busy() -> ValidationError:
    return ValidationError(_("混み合っています。少し待ってからもう一度お試しください。"))


def _lock(queryset):
    """Lock the rows (once per transaction), waiting at most LOCK_TIMEOUT on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    try:
        return list(queryset.select_for_update().order_by("pk"))
    except OperationalError as exc:
        raise _busy() from exc


def _language(user) -> str:
    return getattr(user, "preferred_language", "") or "ja"


def _url(name: str, language: str = "ja", **kwargs) -> str:
    with translation.override(language):
        return settings.CNNAVI_BASE_URL + reverse(name, kwargs=kwargs)


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


@transaction.atomic(durable=True)
def closed_day_add(
    *, actor, office: SupportOffice, day: date, reason: str, expert: Expert | None = None
) -> ClosedDay:
    closed = ClosedDay.objects.create(office=office, expert=expert, day=day, reason=reason)
    # Free slots of that day are withdrawn; booked ones stay and must be moved by hand.
    slots = Slot.objects.filter(expert__office=office, starts_at__date=day, withdrawn=False)
    if expert is not None:
        slots = slots.filter(expert=expert)
    withdrawn = slots.exclude(bookings__status=BookingStatus.BOOKED).update(withdrawn=True)
    audit_record(
        actor=actor,
        action="closed_day.add",
        target=closed,
        office=office,
        data={"day": str(day), "withdrawn_slots": withdrawn},
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
    event.add("description", booking.meeting_details)
    if booking.channel == Channel.IN_PERSON:
        event.add("location", booking.expert.office.address or booking.expert.office.name)
    if booking.status == BookingStatus.CANCELLED:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


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
        raise ValidationError(_("この枠はたった今、別の方が予約しました。別の枠を選んでください。"))


def _lock_experts(*expert_ids: int) -> None:
    if BOOKING_LOCK:
        _lock(Expert.objects.filter(pk__in=set(expert_ids)))


def _mail_booking(booking: Booking, template: str, *, to_expert: bool = True) -> None:
    context = {
        "booking": booking,
        "manage_url": _url(
            "consultations:manage", language=booking.language, manage_token=manage_token(booking)
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
        context = dict(
            context,
            manage_url=_url("consultations:booking_detail", booking_id=booking.pk),
            for_expert=True,
        )
        mail_after_commit(
            to=booking.expert.user.email,
            template=f"consultations/email/{template}.txt",
            context=context,
            language=_language(booking.expert.user),
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
    if after_check is not None:
        after_check()
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
        raise ValidationError(
            _("この枠はたった今、別の方が予約しました。別の枠を選んでください。")
        ) from exc
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
        raise ValidationError(
            _("この枠はたった今、別の方が予約しました。別の枠を選んでください。")
        ) from exc
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


def _mail_users(users, template: str, context: dict) -> None:
    for user in users:
        mail_after_commit(
            to=user.email,
            template=f"consultations/email/{template}.txt",
            context=context,
            language=_language(user),
        )


def _office_users(office: SupportOffice) -> list:
    return [s.user for s in OfficeStaff.objects.filter(office=office).select_related("user")]


def _consent_in_force(company: Company, office: SupportOffice) -> bool:
    return Consent.objects.filter(consents_in_force(), company=company, office=office).exists()


def visits_used(company: Company) -> int:
    return CalcVisit.objects.filter(company=company).count()


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
    if visits_used(company) >= rules.MAX_FREE_VISITS:
        raise ValidationError(_("無料の訪問（最大3回）はすべて利用済みです。"))
    case = CalcSupportCase.objects.create(
        company=company,
        office=office,
        applicant=actor,
        message=message,
        preferred_dates=preferred_dates,
    )
    audit_record(actor=actor, action="calc_case.apply", target=case, company=company, office=office)
    context = {"case": case, "url": _url("consultations_staff:calc_case", calc_case_id=case.pk)}
    _mail_users(_office_users(office), "calc_applied_office", context)
    return case


@transaction.atomic(durable=True)
def calc_case_accept(*, actor, office: SupportOffice, case: CalcSupportCase, expert: Expert):
    """Accept the application with the expert that ``orgs.services.expert_assign`` assigned."""
    case = CalcSupportCase.objects.select_for_update().get(pk=case.pk, office=office)
    if case.status != CalcCaseStatus.APPLIED:
        raise ValidationError(_("この申込はすでに処理されています。"))
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
    context = {"case": case, "url": _url("consultations:calc_case", calc_case_id=case.pk)}
    _mail_users(_company_recipients(case.company, case.applicant), "calc_accepted", context)
    _mail_users([expert.user], "calc_assigned_expert", context)
    return case


@transaction.atomic(durable=True)
def calc_case_decline(*, actor, office: SupportOffice, case: CalcSupportCase, reason: str):
    case = CalcSupportCase.objects.select_for_update().get(pk=case.pk, office=office)
    if case.status != CalcCaseStatus.APPLIED:
        raise ValidationError(_("この申込はすでに処理されています。"))
    if not reason.strip():
        raise ValidationError({"reason": _("お断りの理由を入力してください。")})
    case.status, case.decline_reason = CalcCaseStatus.DECLINED, reason
    case.save(update_fields=["status", "decline_reason"])
    audit_record(
        actor=actor, action="calc_case.decline", target=case, company=case.company, office=office
    )
    context = {"case": case, "url": _url("consultations:calc_case", calc_case_id=case.pk)}
    _mail_users(_company_recipients(case.company, case.applicant), "calc_declined", context)
    return case


@transaction.atomic(durable=True)
def calc_visit_schedule(
    *, actor, case: CalcSupportCase, expert: Expert, scheduled_at: datetime
) -> CalcVisit:
    """Book the company's next free visit. The company row is locked and the visits recounted,
    so two experts (or two clicks) cannot give a company a fourth visit; the unique constraint
    on (company, number) and the 1..3 check are the backstop."""
    if VISIT_LOCK:
        _lock(Company.objects.filter(pk=case.company_id))
    case = CalcSupportCase.objects.select_related("company", "office").get(pk=case.pk)
    if case.status != CalcCaseStatus.ACTIVE:
        raise ValidationError(_("支援中の案件ではありません。"))
    used = visits_used(case.company)
    number = rules.next_visit_number(used)
    if number is None:
        raise ValidationError(_("無料の訪問（最大3回）はすべて利用済みです。"))
    if after_check is not None:
        after_check()
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
    context = {
        "case": case,
        "visit": visit,
        "url": _url("consultations:calc_case", calc_case_id=case.pk),
    }
    _mail_users(_company_recipients(case.company, case.applicant), "calc_visit_scheduled", context)
    return visit


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
) -> CalcVisit:
    visit = CalcVisit.objects.select_for_update().select_related("case", "company").get(pk=visit.pk)
    if visit.scheduled_at > timezone.now() + timedelta(days=1):
        raise ValidationError(_("訪問日より前には記録できません。"))
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
        if base_fiscal_year is None or target_fiscal_year is None:
            raise ValidationError(_("基準年度と目標年度を入力してください。"))
        if target_fiscal_year <= base_fiscal_year:
            raise ValidationError(
                {"target_fiscal_year": _("目標年度は基準年度より後にしてください。")}
            )
        visit.base_fiscal_year, visit.target_fiscal_year = base_fiscal_year, target_fiscal_year
        visit.target_reduction_percent = target_reduction_percent
        visit.actions.all().delete()
        for row in actions or []:
            PlannedAction.objects.create(visit=visit, **row)
    visit.recorded_at = timezone.now()
    visit.save()
    if visit.number == rules.MAX_FREE_VISITS:
        visit.case.status = CalcCaseStatus.CLOSED
        visit.case.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="calc_visit.record",
        target=visit,
        company=visit.company,
        office=visit.case.office,
        data={"number": visit.number, "actions": len(actions or [])},
    )
    context = {
        "case": visit.case,
        "visit": visit,
        "url": _url("consultations:calc_case", calc_case_id=visit.case_id),
    }
    _mail_users(
        _company_recipients(visit.company, visit.case.applicant), "calc_visit_recorded", context
    )
    return visit


# --- Hands-on support (⑦) ------------------------------------------------------------------
def _handson_error(code: str) -> ValidationError:
    return ValidationError(
        {
            "not_allowed_now": _("今の状態ではこの操作はできません。"),
            "wrong_role": _("この操作をする権限がありません。"),
            "reason_missing": _("不採択の理由を入力してください。"),
            "plan_missing": _("支援計画（テーマ、目標、費用）を先に登録してください。"),
            "report_missing": _("完了報告を入力してください。"),
        }[code]
    )


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
    context = {"case": case, "url": _url("consultations:handson_case", handson_case_id=case.pk)}
    _mail_users(_office_users(office) + [actor], "handson_state", context)
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
            has_plan=case.has_plan,
            has_report=bool(report.strip()),
        )
    except rules.TransitionError as exc:
        raise _handson_error(exc.code) from exc
    if name == "decline":
        case.decline_reason = reason
    if name == "complete":
        case.completion_report = report
    case.save()
    audit_record(
        actor=actor,
        action=f"handson.{name}",
        target=case,
        company=case.company,
        office=case.office,
        data={"from": old, "to": case.state, "role": role},
    )
    context = {"case": case, "url": _url("consultations:handson_case", handson_case_id=case.pk)}
    _mail_users(_company_recipients(case.company, case.applicant), "handson_state", context)
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
def handson_plan_save(
    *,
    actor,
    case: HandsOnCase,
    role: str,
    plan_themes: str,
    plan_goals: str,
    plan_schedule: str,
    plan_team,
    fee_yen: int,
) -> HandsOnCase:
    if not rules.may_edit_plan(state=case.state, role=role):
        raise _handson_error("wrong_role" if role == "company" else "not_allowed_now")
    if any(e.office_id != case.office_id for e in plan_team):
        raise ValidationError({"plan_team": _("この支援機関の専門家を選んでください。")})
    case.plan_themes, case.plan_goals, case.plan_schedule = plan_themes, plan_goals, plan_schedule
    case.fee_yen = fee_yen
    case.save()
    case.plan_team.set(plan_team)
    audit_record(
        actor=actor,
        action="handson.plan",
        target=case,
        company=case.company,
        office=case.office,
        data={"fee_yen": fee_yen, "team": [e.display_name for e in plan_team]},
    )
    return case


@transaction.atomic(durable=True)
def handson_pdca_add(
    *, actor, case: HandsOnCase, role: str, phase: str, day: date, text: str
) -> PdcaEntry:
    if not rules.may_log_pdca(state=case.state, role=role):
        raise _handson_error("wrong_role" if role == "staff" else "not_allowed_now")
    entry = PdcaEntry.objects.create(case=case, phase=phase, day=day, text=text, author=actor)
    audit_record(
        actor=actor,
        action="handson.pdca",
        target=entry,
        company=case.company,
        office=case.office,
        data={"phase": phase},
    )
    return entry
