"""Reads of the consultation window, the CO2 calculation support and the hands-on support."""

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cnnavi.consultations import rules
from cnnavi.consultations.models import (
    AvailabilityRule,
    Booking,
    BookingStatus,
    CalcCaseStatus,
    CalcSupportCase,
    CalcVisit,
    ClosedDay,
    HandsOnCase,
    HandsOnSettings,
    HandsOnState,
    PlannedAction,
    ScreeningCriterion,
    Slot,
)
from cnnavi.core import energy_catalogue
from cnnavi.know.selectors import latest_stage
from cnnavi.measure.calc import emissions_snapshot, energy_data_summary
from cnnavi.measure.labels import energy_label, use_label
from cnnavi.measure.rules import complete_months
from cnnavi.orgs.models import Company, Consent, Expert, Role, SupportOffice
from cnnavi.reduce import selectors as reduce_selectors
from cnnavi.reduce.models import PlanMeasure
from cnnavi.reduce.models import Status as ReduceStatus

# The free visits a company has used: the held (recorded) ones, never scheduled or cancelled.
HELD_VISITS = Count(
    "visits", filter=Q(visits__recorded_at__isnull=False, visits__cancelled_at__isnull=True)
)


def free_slots(
    *, now: datetime | None = None, days: int = 42, office=None, mode: str | None = None
) -> QuerySet[Slot]:
    now = now or timezone.now()
    taken = Booking.objects.filter(slot=OuterRef("pk"), status=BookingStatus.BOOKED)
    qs = Slot.objects.filter(
        withdrawn=False,
        expert__active=True,
        starts_at__gt=now,
        starts_at__lt=now + timedelta(days=days),
    ).exclude(Exists(taken))
    if office is not None:
        qs = qs.filter(expert__office=office)
    if mode is not None:
        qs = qs.filter(mode=mode)
    return qs.select_related("expert__office").order_by("starts_at", "expert__display_name")


def modes_for_channel(channel: str) -> list[str]:
    """The slot modes whose booking form offers ``channel`` (an online or phone consultation
    takes an online slot; a meeting in person takes an office slot)."""
    return [m for m in ("online", "office") if channel in rules.offered_channels(m)]


def nearest_free_slots(*, slot: Slot, channel: str, limit: int = 5) -> list[Slot]:
    """The free slots nearest in time to ``slot`` that offer the same channel (shown to the
    one who lost the race for it)."""
    candidates = free_slots().filter(mode__in=modes_for_channel(channel)).exclude(pk=slot.pk)
    return sorted(candidates, key=lambda s: (abs(s.starts_at - slot.starts_at), s.pk))[:limit]


def reschedule_slots(*, booking: Booking, other: bool = False) -> QuerySet[Slot]:
    """Where a booking may move: by default the same expert and the same channel; with
    ``other`` every free slot the booking's channel fits."""
    slots = free_slots().exclude(pk=booking.slot_id)
    if other:
        modes = [m for m in ("online", "office") if rules.channel_fits_mode(booking.channel, m)]
        return slots.filter(mode__in=modes)
    return slots.filter(expert_id=booking.expert_id, mode__in=modes_for_channel(booking.channel))


def slots_by_day(slots) -> list[tuple]:
    days: dict = defaultdict(list)
    for slot in slots:
        days[timezone.localtime(slot.starts_at).date()].append(slot)
    return sorted(days.items())


def bookings_of_user(*, user) -> QuerySet[Booking]:
    """Bookings the user made or that belong to one of the user's companies."""
    return (
        Booking.objects.filter(Q(user=user) | Q(company__memberships__user=user))
        .distinct()
        .select_related("expert", "company", "slot")
        .order_by("-starts_at")
    )


def company_choices_for(*, user) -> QuerySet[Company]:
    return Company.objects.filter(memberships__user=user).order_by("name")


def writable_companies(*, user) -> QuerySet[Company]:
    """The user's companies where the user is an owner or an editor."""
    return company_choices_for(user=user).filter(
        memberships__user=user, memberships__role__in=[Role.OWNER, Role.EDITOR]
    )


def consented_company_ids(*, companies) -> set[int]:
    """The ids of ``companies`` with a consent in force to some office."""
    return set(
        Consent.objects.in_force()
        .filter(company__in=companies)
        .values_list("company_id", flat=True)
    )


def active_experts(*, office: SupportOffice) -> QuerySet[Expert]:
    return Expert.objects.filter(office=office, active=True)


def company_plan_measures(*, company: Company) -> tuple[QuerySet[PlanMeasure], object]:
    """The measures of the company's reduction plan (reduce app) in order, and the plan."""
    plan = reduce_selectors.plan_of(company=company)
    if plan is None:
        return PlanMeasure.objects.none(), None
    return plan.measures.select_related("measure").order_by("position", "id"), plan


def no_plan_measures() -> QuerySet[PlanMeasure]:
    return PlanMeasure.objects.none()


def last_contact_phone(*, user) -> str:
    """The phone number the user gave in their latest booking, to prefill the next one."""
    booking = Booking.objects.filter(user=user).exclude(contact_phone="").order_by("-id").first()
    return booking.contact_phone if booking else ""


def rules_of_office(*, office: SupportOffice) -> QuerySet[AvailabilityRule]:
    return AvailabilityRule.objects.filter(expert__office=office).select_related("expert")


def closed_days_of_office(*, office: SupportOffice) -> QuerySet[ClosedDay]:
    return ClosedDay.objects.filter(office=office, day__gte=timezone.localdate()).select_related(
        "expert"
    )


def bookings_of_office(*, office: SupportOffice, upcoming_only: bool = True) -> QuerySet[Booking]:
    qs = Booking.objects.filter(expert__office=office).select_related("expert", "company", "slot")
    if upcoming_only:
        qs = qs.filter(starts_at__gte=timezone.now() - timedelta(hours=12))
    return qs.order_by("starts_at")


def calc_cases_of_user(*, user) -> QuerySet[CalcSupportCase]:
    return (
        CalcSupportCase.objects.filter(company__memberships__user=user)
        .select_related("company", "expert")
        .annotate(visit_count=HELD_VISITS)
    )


def calc_cases_of_office(*, office: SupportOffice) -> QuerySet[CalcSupportCase]:
    return (
        CalcSupportCase.objects.filter(office=office)
        .select_related("company", "expert")
        .annotate(visit_count=HELD_VISITS)
        .order_by("status", "-created_at")
    )


def visits_of_case(*, case: CalcSupportCase) -> QuerySet[CalcVisit]:
    return (
        CalcVisit.objects.filter(case=case)
        .select_related("expert")
        .prefetch_related("actions")
        .order_by("number")
    )


def visits_used(*, company: Company) -> int:
    """Held (recorded) visits: a scheduled visit uses no quota until it takes place."""
    return CalcVisit.objects.filter(
        company=company, recorded_at__isnull=False, cancelled_at__isnull=True
    ).count()


def visits_planned(*, company: Company) -> int:
    """Scheduled visits not yet held (they reserve a number, not the quota)."""
    return CalcVisit.objects.filter(
        company=company, recorded_at__isnull=True, cancelled_at__isnull=True
    ).count()


def handson_cases_of_user(*, user) -> QuerySet[HandsOnCase]:
    return HandsOnCase.objects.filter(company__memberships__user=user).select_related("company")


def handson_cases_of_office(*, office: SupportOffice) -> QuerySet[HandsOnCase]:
    return HandsOnCase.objects.filter(office=office).select_related("company")


def handson_measured(*, case: HandsOnCase) -> list[dict]:
    """The measured change of the support plan's measures, from the company's own data through
    reduce's tracking (months after each done measure against the same months a year before),
    as plain values to keep with a PDCA cycle's Check step."""
    pms = list(case.plan_measures.select_related("measure", "plan"))
    if not pms:
        return []
    overview = reduce_selectors.plan_overview(company=case.company, plan=pms[0].plan)
    wanted = {pm.pk for pm in pms}
    measured = []
    for row in overview.rows:
        if row.pm.pk not in wanted:
            continue
        t = row.co2_tracking
        measured.append(
            {
                "measure": row.pm.measure.name,
                "measure_en": row.pm.measure.name_en,
                "status": row.pm.status,
                "done_on": row.pm.done_on.isoformat() if row.pm.done_on else "",
                "basis": t.basis if t else overview.basis,
                "months": len(t.months) if t else 0,
                "first": t.months[0] if t and t.months else "",
                "last": t.months[-1] if t and t.months else "",
                "planned_t": float(t.planned_saved) if t else None,
                "actual_t": float(t.actual_saved) if t else None,
                "share": float(t.actual_share) if t and t.actual_share is not None else None,
            }
        )
    return measured


def measured_for_display(measured: list[dict], *, language: str) -> list[dict]:
    return [
        dict(
            m,
            name=m["measure_en"] if language == "en" else m["measure"],
            status_label=ReduceStatus(m["status"]).label
            if m["status"] in ReduceStatus.values
            else "",
            share_pct=None if m["share"] is None else round(m["share"] * 100, 1),
        )
        for m in measured
    ]


def required_hearings(office) -> int:
    """The office's required number of hearings before a decision (the default until set)."""
    row = HandsOnSettings.objects.filter(office=office).first()
    return row.required_hearings if row else rules.DEFAULT_REQUIRED_HEARINGS


def criteria_of(*, office, active_only: bool = True) -> QuerySet[ScreeningCriterion]:
    qs = ScreeningCriterion.objects.filter(office=office)
    return qs.filter(active=True) if active_only else qs


def handson_detail(*, case: HandsOnCase, language: str = "ja") -> dict:
    cycles = list(case.cycles.select_related("author"))
    for cycle in cycles:
        cycle.shown = measured_for_display(cycle.measured, language=language)
    scores = {s.criterion_id: s for s in case.scores.select_related("criterion")}
    criteria = list(criteria_of(office=case.office))
    hearings = list(case.hearings.select_related("author"))
    return {
        "hearings": hearings,
        "hearings_required": required_hearings(case.office),
        "criteria": criteria,
        "scores": scores,
        "score_rows": [(c, scores.get(c.pk)) for c in criteria],
        "score_total": sum(s.score for s in scores.values()),
        "score_max": sum(c.max_score for c in criteria),
        "pdca": list(case.pdca.select_related("author")),
        "cycles": cycles,
        "team": list(case.plan_team.all()),
        "plan_measures": list(case.plan_measures.select_related("measure")),
    }


def next_appointment(*, company) -> dict | None:
    """{"kind", "starts_at", "title"} of the company's next booking or visit, or None."""
    now = timezone.now()
    candidates = []
    booking = (
        Booking.objects.filter(company=company, status=BookingStatus.BOOKED, starts_at__gt=now)
        .select_related("expert")
        .order_by("starts_at")
        .first()
    )
    if booking:
        candidates.append(
            {
                "kind": "consultation",
                "starts_at": booking.starts_at,
                "title": _("相談（%(expert)s）") % {"expert": booking.expert.display_name},
            }
        )
    visit = (
        CalcVisit.objects.filter(company=company, recorded_at__isnull=True, scheduled_at__gt=now)
        .order_by("scheduled_at")
        .first()
    )
    if visit:
        candidates.append(
            {
                "kind": "calc_visit",
                "starts_at": visit.scheduled_at,
                "title": _("CO2算定支援 第%(n)d回（%(kind)s）")
                % {"n": visit.number, "kind": visit.get_number_display()},
            }
        )
    hearing = (
        company.handson_cases.filter(hearings__visited_at__gt=now)
        .values_list("hearings__visited_at", flat=True)
        .order_by("hearings__visited_at")
        .first()
    )
    if hearing:
        candidates.append(
            {"kind": "handson_visit", "starts_at": hearing, "title": _("ハンズオン支援の現場調査")}
        )
    return min(candidates, key=lambda c: c["starts_at"]) if candidates else None


def reduction_plan_from_support(*, company) -> dict | None:
    """What the third CO2-support visit decided, for the reduction planner: {"base_fiscal_year",
    "target_fiscal_year", "target_reduction_percent", "recorded_at", "actions": [{"title",
    "expected_reduction_t" (Decimal | None), "cost_yen" (int | None), "due_fiscal_year",
    "owner", "done"}]}, or None before the third visit is recorded."""
    visit = (
        CalcVisit.objects.filter(company=company, number=3, recorded_at__isnull=False)
        .prefetch_related("actions")
        .first()
    )
    if visit is None:
        return None
    return {
        "base_fiscal_year": visit.base_fiscal_year,
        "target_fiscal_year": visit.target_fiscal_year,
        "target_reduction_percent": visit.target_reduction_percent,
        "recorded_at": visit.recorded_at,
        "actions": [
            {
                "title": a.title,
                "expected_reduction_t": a.expected_reduction_t,
                "cost_yen": a.cost_yen,
                "due_fiscal_year": a.due_fiscal_year,
                "owner": a.owner,
                "done": a.done,
            }
            for a in visit.actions.all()
        ],
    }


def open_actions(*, company, expert_user=None) -> list[str]:
    """What is still to be done for the company (shown on the advisor console)."""
    now = timezone.now()
    items = []
    bookings = Booking.objects.filter(
        company=company, status=BookingStatus.BOOKED, starts_at__lt=now
    )
    if expert_user is not None:
        bookings = bookings.filter(expert__user=expert_user)
    for b in bookings.filter(record=""):
        items.append(_("%(date)s の相談の記録") % {"date": timezone.localtime(b.starts_at).date()})
    for b in bookings.exclude(follow_up="").filter(follow_up_done=False):
        items.append(_("フォローアップ: %(text)s") % {"text": b.follow_up[:60]})
    for v in CalcVisit.objects.filter(
        company=company, recorded_at__isnull=True, scheduled_at__lt=now
    ):
        items.append(_("CO2算定支援 第%(n)d回の記録") % {"n": v.number})
    for case in CalcSupportCase.objects.filter(company=company, status=CalcCaseStatus.ACTIVE):
        visits = list(case.visits.all())
        if all(v.recorded_at for v in visits) and len(visits) < rules.MAX_FREE_VISITS:
            items.append(_("CO2算定支援 第%(n)d回の訪問日を決める") % {"n": len(visits) + 1})
    for a in PlannedAction.objects.filter(visit__company=company, done=False):
        items.append(_("削減行動: %(title)s") % {"title": a.title})
    return items


# --- Office overview -----------------------------------------------------------------------
def office_overview(*, office: SupportOffice, months: int = 6) -> dict:
    """All cases of the office: bookings, CO2-support visits used, hands-on cases by state and
    each expert's workload per month (consultations + CO2-support visits)."""
    today = timezone.localdate()
    # The last months and the next two (bookings are made ahead).
    first = today.year * 12 + today.month - 1 - (months - 3)
    month_keys = [f"{k // 12:04d}-{k % 12 + 1:02d}" for k in range(first, first + months)]
    experts = list(Expert.objects.filter(office=office).order_by("display_name"))
    load: Counter = Counter()
    for expert_id, starts_at in Booking.objects.filter(
        expert__office=office, status=BookingStatus.BOOKED
    ).values_list("expert_id", "starts_at"):
        load[(expert_id, timezone.localtime(starts_at).strftime("%Y-%m"))] += 1
    for expert_id, at in CalcVisit.objects.filter(case__office=office).values_list(
        "expert_id", "scheduled_at"
    ):
        load[(expert_id, timezone.localtime(at).strftime("%Y-%m"))] += 1
    workload = [{"expert": e, "months": [load[(e.pk, key)] for key in month_keys]} for e in experts]
    state_counts = Counter(
        HandsOnCase.objects.filter(office=office).values_list("state", flat=True)
    )
    return {
        "bookings": list(bookings_of_office(office=office)[:50]),
        "calc_cases": list(calc_cases_of_office(office=office)),
        "handson_by_state": [
            (label, state_counts.get(value, 0)) for value, label in HandsOnState.choices
        ],
        "handson_cases": list(
            handson_cases_of_office(office=office).exclude(
                state__in=[HandsOnState.DECLINED, HandsOnState.COMPLETED]
            )
        ),
        "month_keys": month_keys,
        "workload": workload,
        "max_visits": rules.MAX_FREE_VISITS,
    }


def office_csv_rows(*, office: SupportOffice) -> list[list]:
    """Every case of the office as rows for the CSV export (header first)."""
    rows = [[_("種類"), _("企業名"), _("日時"), _("専門家"), _("状態"), _("内容")]]
    for b in bookings_of_office(office=office, upcoming_only=False):
        rows.append(
            [
                _("相談"),
                b.company.name if b.company else b.contact_company,
                timezone.localtime(b.starts_at).strftime("%Y-%m-%d %H:%M"),
                b.expert.display_name,
                b.get_status_display(),
                "、".join(b.topic_labels()),
            ]
        )
    for case in calc_cases_of_office(office=office).prefetch_related(
        Prefetch("visits", queryset=CalcVisit.objects.select_related("expert"))
    ):
        rows.append(
            [
                _("CO2算定支援"),
                case.company.name,
                timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
                case.expert.display_name if case.expert else "",
                case.get_status_display(),
                _("訪問 %(used)d/%(max)d 回")
                % {"used": case.visit_count, "max": rules.MAX_FREE_VISITS},
            ]
        )
    for case in handson_cases_of_office(office=office):
        rows.append(
            [
                _("ハンズオン支援"),
                case.company.name,
                timezone.localtime(case.created_at).strftime("%Y-%m-%d %H:%M"),
                "",
                case.get_state_display(),
                case.themes_wanted[:100],
            ]
        )
    return [[rules.csv_safe(cell) for cell in row] for row in rows]


# --- Advisor console -------------------------------------------------------------------------
def _emissions_summary(company) -> dict:
    summary = energy_data_summary(company=company)
    if summary.latest_fiscal_year is None:
        return {"fiscal_year": None}
    return emissions_snapshot(company=company, fiscal_year=summary.latest_fiscal_year)


STAGE_LABELS = {
    "know": gettext_lazy("知る"),
    "measure": gettext_lazy("測る"),
    "reduce": gettext_lazy("減らす"),
    "prepare": gettext_lazy("備える"),
}


def partial_year_label(fiscal_year: int, *, today=None) -> str:
    """「4月〜10月」 for a fiscal year still under way (its ended months), "" once it is over."""
    months = complete_months(fiscal_year, today or timezone.localdate())
    if not months or len(months) == 12:
        return ""
    return _("%(first)s〜%(last)s") % {
        "first": date_format(months[0], "M"),
        "last": date_format(months[-1], "M"),
    }


def console_panel(*, company, expert_user) -> dict:
    calc = (
        CalcSupportCase.objects.filter(company=company)
        .exclude(status=CalcCaseStatus.DECLINED)
        .annotate(visit_count=HELD_VISITS)
        .first()
    )
    emissions = _emissions_summary(company)
    return {
        "company": company,
        # "E 製造業" -> "製造業": the JSIC letter means nothing to the reader.
        "industry": company.get_industry_display().split(" ", 1)[-1],
        "stage": STAGE_LABELS.get(latest_stage(company=company) or ""),
        "emissions": emissions,
        "emissions_months": partial_year_label(emissions["fiscal_year"])
        if emissions and emissions.get("fiscal_year")
        else "",
        "next": next_appointment(company=company),
        "actions": open_actions(company=company, expert_user=expert_user),
        "calc_case": calc,
        "handson": list(company.handson_cases.all()[:3]),
        "bookings": list(
            Booking.objects.filter(company=company, expert__user=expert_user)
            .select_related("expert")
            .order_by("-starts_at")[:5]
        ),
    }


# --- A visit's emissions snapshot, shown in the page's language ------------------------------
def snapshot_for_display(snapshot: dict | None) -> dict | None:
    """The snapshot kept with a visit holds energy and use names in Japanese (as captured);
    on a page they are shown in the page's language: energies with the measure app's labels,
    uses (facility -> use links; the stored Japanese words are the catalogue's msgids) through
    gettext. Facility names are data and stay as they are."""
    if not snapshot:
        return snapshot
    energies = {e.name_ja: energy_label(e.code) for e in energy_catalogue()}
    unset = str(_("用途の指定なし"))  # the snapshot's word for "no use given" is 未設定
    shown = dict(snapshot)
    shown["pareto"] = [
        dict(r, energy=energies.get(r.get("energy"), r.get("energy")))
        for r in snapshot.get("pareto", [])
    ]
    flow = []
    for f in snapshot.get("flow", []):
        source, target = f["source"], f["target"]
        if source in energies:  # energy -> facility
            flow.append(dict(f, source=energies[source]))
        else:  # facility -> use
            flow.append(dict(f, target=unset if target == "未設定" else use_label(target)))
    shown["flow"] = flow
    return shown


def snapshot_figures(shown: dict | None, *, key: str) -> dict:
    """The Pareto and flow charts of a visit's snapshot (as shown by snapshot_for_display)."""
    from cnnavi.measure.charts import flow_figure, pareto_figure

    if not shown:
        return {}
    demo = bool(shown.get("demo"))
    return {
        "pareto": pareto_figure(shown.get("pareto", []), demo=demo, key=f"pareto-{key}"),
        "flow": flow_figure(shown.get("flow", []), demo=demo, key=f"flow-{key}"),
    }
