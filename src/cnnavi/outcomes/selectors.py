"""The office's outcomes: reach per menu, the path from 知る to 備える, CO2 measured and
reduced, satisfaction; the industry benchmark of a company. Reads only (selectors).

Definitions of every figure are in ``DEFINITIONS`` (shown on the page and in the exports'
definitions sheet). CO2 figures count only companies whose consent to the office is in force
and show any group of fewer than five companies as "—" (docs/decisions/1400)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cnnavi.common.choices import Industry, Prefecture
from cnnavi.consultations.models import (
    Booking,
    BookingStatus,
    CalcSupportCase,
    CalcVisit,
    HandsOnCase,
    HandsOnState,
)
from cnnavi.know.models import Diagnosis, SelfCheck, Stage
from cnnavi.measure.models import ActivityVolume, VolumeKind
from cnnavi.orgs.models import Company, Consent, Facility, Membership
from cnnavi.outcomes import co2, rules
from cnnavi.outcomes.models import Feed, FeedItem, ItemStatus
from cnnavi.outcomes.rules import MIN_GROUP, SIZE_BANDS, Period
from cnnavi.programmes.models import Application, ApplicationStatus, Enrolment
from cnnavi.reduce.models import ReductionPlan, Status
from cnnavi.reduce.selectors import plan_overview
from cnnavi.surveys import selectors as survey_selectors

STAGES = [s.value for s in Stage]
HANDSON_ACCEPTED = (HandsOnState.ACCEPTED, HandsOnState.IN_SUPPORT, HandsOnState.COMPLETED)


@dataclass(frozen=True)
class Filters:
    prefecture: str = ""
    industry: str = ""
    size: str = ""  # a rules.SIZE_BANDS code

    def company_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.prefecture:
            q &= Q(**{f"{prefix}prefecture": self.prefecture})
        if self.industry:
            q &= Q(**{f"{prefix}industry": self.industry})
        if self.size:
            low, high = next((lo, hi) for code, lo, hi in SIZE_BANDS if code == self.size)
            q &= Q(**{f"{prefix}employees__gte": low})
            if high is not None:
                q &= Q(**{f"{prefix}employees__lte": high})
        return q

    @property
    def any(self) -> bool:
        return bool(self.prefecture or self.industry or self.size)


def _span(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=tz),
        datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz),
    )


def consenting_company_ids(office) -> set[int]:
    return set(
        Consent.objects.in_force().filter(office=office).values_list("company_id", flat=True)
    )


def _area_q(office, filters: Filters, prefix: str = "") -> Q:
    """Companies of the office's area (its prefectures) or consenting to it, filtered."""
    area = Q(**{f"{prefix}prefecture__in": office.prefectures or []}) | Q(
        **{f"{prefix}consents__in": Consent.objects.in_force().filter(office=office)}
    )
    return area & filters.company_q(prefix)


# ------------------------------------------------------------------------------------ reach


@dataclass
class Figure:
    key: str
    count: int
    companies: set[int] = field(default_factory=set)
    by_company: bool = True  # the figure has companies behind it (a list to link to)


def _ids(qs, path: str = "company_id") -> set[int]:
    return {c for c in qs.values_list(path, flat=True) if c is not None}


def _user_companies(user_ids: set[int], allowed: set[int]) -> set[int]:
    return {
        c
        for c in Membership.objects.filter(user_id__in=user_ids).values_list(
            "company_id", flat=True
        )
        if c in allowed
    }


def reach(*, office, period: Period, filters: Filters) -> dict[str, Figure]:
    """Every menu's figure for the period (see ``DEFINITIONS``)."""
    t0, t1 = _span(period)
    in_area = set(Company.objects.filter(_area_q(office, filters)).values_list("pk", flat=True))
    company_filter = Q(company__in=Company.objects.filter(_area_q(office, filters)))
    figures = [
        *_know_reach(office, filters, company_filter, t0, t1),
        *_programmes_reach(office, company_filter, in_area, t0, t1),
        *_consultations_reach(office, company_filter, t0, t1),
    ]
    out = {f.key: f for f in figures}
    everyone: set[int] = set()
    for f in out.values():
        everyone |= f.companies
    out["unique_companies"] = Figure("unique_companies", len(everyone), everyone)
    return out


def _figure(key: str, qs, *, anonymous: bool = False) -> Figure:
    if anonymous:
        return Figure(key, qs.count(), set(), by_company=False)
    return Figure(key, qs.count(), _ids(qs, "company_id"))


def _know_reach(office, filters: Filters, company_filter, t0, t1) -> list[Figure]:
    """Self-checks and diagnoses: anonymous answers by the prefecture and industry they gave
    (an anonymous answer has no size: with a size filter none can match), and companies'."""
    anon_q = Q(company__isnull=True, prefecture__in=office.prefectures or [])
    if filters.prefecture:
        anon_q &= Q(prefecture=filters.prefecture)
    if filters.industry:
        anon_q &= Q(industry=filters.industry)
    sc = SelfCheck.objects.filter(created_at__gte=t0, created_at__lt=t1)
    dg = Diagnosis.objects.filter(created_at__gte=t0, created_at__lt=t1)
    sc_anon, dg_anon = (sc.none(), dg.none()) if filters.size else (sc, dg)
    return [
        _figure("self_checks_anonymous", sc_anon.filter(anon_q), anonymous=True),
        _figure("diagnoses_anonymous", dg_anon.filter(anon_q), anonymous=True),
        _figure("self_checks_company", sc.filter(company_filter)),
        _figure(
            "diagnoses_company",
            Diagnosis.objects.filter(company_filter, saved_at__gte=t0, saved_at__lt=t1),
        ),
    ]


def _programmes_reach(office, company_filter, in_area: set[int], t0, t1) -> list[Figure]:
    """Seminar applications and attendance; course enrolments and completions (by the
    learner's companies in the area)."""
    apps = Application.objects.filter(
        company_filter, event__office=office, created_at__gte=t0, created_at__lt=t1
    ).exclude(status=ApplicationStatus.CANCELLED)
    held = (
        Application.objects.filter(company_filter, event__office=office, attended=True)
        .annotate(first=Min("event__sessions__starts_at"))
        .filter(first__gte=t0, first__lt=t1)
    )
    out = [_figure("seminar_applications", apps), _figure("seminar_attendance", held)]
    enrolments = Enrolment.objects.filter(course__office=office)
    new = enrolments.filter(enrolled_at__gte=t0, enrolled_at__lt=t1)
    done = enrolments.filter(completed_at__gte=t0, completed_at__lt=t1)
    for key, qs in (("course_enrolments", new), ("course_completions", done)):
        users = set(qs.values_list("user_id", flat=True))
        out.append(Figure(key, qs.count(), _user_companies(users, in_area)))
    return out


def _consultations_reach(office, company_filter, t0, t1) -> list[Figure]:
    """Consultations held (up to now), CO2 support cases and visits, hands-on cases."""
    held = Booking.objects.filter(
        company_filter,
        expert__office=office,
        status=BookingStatus.BOOKED,
        starts_at__gte=t0,
        starts_at__lt=min(t1, timezone.now()),
    )
    handson = HandsOnCase.objects.filter(company_filter, office=office)
    applied = handson.filter(created_at__gte=t0, created_at__lt=t1)
    completed = handson.filter(state=HandsOnState.COMPLETED, updated_at__gte=t0, updated_at__lt=t1)
    return [
        _figure("consultations_held", held),
        _figure(
            "calc_cases",
            CalcSupportCase.objects.filter(
                company_filter, office=office, created_at__gte=t0, created_at__lt=t1
            ),
        ),
        _figure(
            "calc_visits_held",
            CalcVisit.objects.filter(
                company_filter, case__office=office, recorded_at__gte=t0, recorded_at__lt=t1
            ),
        ),
        _figure("handson_applications", applied),
        _figure("handson_accepted", applied.filter(state__in=HANDSON_ACCEPTED)),
        _figure("handson_completed", completed),
    ]


REACH_ORDER = (
    "self_checks_anonymous", "self_checks_company", "diagnoses_anonymous", "diagnoses_company",
    "seminar_applications", "seminar_attendance", "course_enrolments", "course_completions",
    "consultations_held", "calc_cases", "calc_visits_held", "handson_applications",
    "handson_accepted", "handson_completed", "unique_companies",
)  # fmt: skip


# ------------------------------------------------------------------------------------- path


@dataclass
class PathFigures:
    stages: list[dict]  # {"stage", "label", "count", "reached", "companies"}
    transitions: list[dict]  # {"from", "to", "count", "companies"}
    moved_up: set[int]
    preceding: list[dict]  # {"key", "count"}: menus used before a move up (by companies)


def _stage_at(company_ids: set[int], until: datetime) -> dict[int, str]:
    out: dict[int, str] = {}
    rows = (
        Diagnosis.objects.filter(company_id__in=company_ids, saved_at__lt=until)
        .order_by("company_id", "saved_at", "id")
        .values_list("company_id", "stage")
    )
    for cid, stage in rows:  # the latest wins
        out[cid] = stage
    return out


def path(*, office, period: Period, filters: Filters, reach_figures=None) -> PathFigures:
    t0, t1 = _span(period)
    area = set(Company.objects.filter(_area_q(office, filters)).values_list("pk", flat=True))
    before = _stage_at(area, t0)
    after = _stage_at(area, t1)
    order = {s: i for i, s in enumerate(STAGES)}
    stages = []
    for s in STAGES:
        at = {c for c, st in after.items() if st == s}
        reached = {c for c, st in after.items() if order[st] >= order[s]}
        stages.append(
            {
                "stage": s,
                "label": Stage(s).label,
                "count": len(at),
                "reached": len(reached),
                "companies": at,
            }  # fmt: skip
        )
    moves: dict[tuple[str, str], set[int]] = defaultdict(set)
    moved_up: set[int] = set()
    for c, st in after.items():
        prev = before.get(c, "")
        if prev == st:
            continue
        moves[(prev, st)].add(c)
        if prev == "" or order[st] > order[prev]:
            moved_up.add(c)
    transitions = [
        {
            "from": f,
            "from_label": Stage(f).label if f else _("診断なし"),
            "to": t,
            "to_label": Stage(t).label,
            "count": len(cs),
            "companies": cs,
        }  # fmt: skip
        for (f, t), cs in sorted(
            moves.items(), key=lambda kv: (order.get(kv[0][0], -1), order[kv[0][1]])
        )  # fmt: skip
    ]
    # which menus the companies that moved up used in the period or the twelve months before
    preceding = []
    if moved_up:
        wider = Period("custom", rules.add_months(period.start.replace(day=1), -12), period.end)
        figures = reach(office=office, period=wider, filters=filters)
        for key in REACH_ORDER:
            f = figures[key]
            if key == "unique_companies" or not f.by_company:
                continue
            n = len(f.companies & moved_up)
            if n:
                preceding.append({"key": key, "count": n, "companies": f.companies & moved_up})
    return PathFigures(stages, transitions, moved_up, preceding)


# -------------------------------------------------------------------------------------- CO2


@dataclass
class Co2Group:
    label: str
    companies: int  # with the period completely measured
    total_t: float | None  # None: suppressed (fewer than five)
    like_companies: int  # measured completely in both the period and the year before
    change: float | None  # share; None: suppressed or no comparison
    ids: set[int] = field(default_factory=set)

    @property
    def suppressed(self) -> bool:
        return rules.suppressed(self.companies)

    @property
    def percent(self) -> str:
        """The change as shown: "+1.2 %", "−3.4 %" or "—"."""
        if self.change is None:
            return "—"
        v = self.change * 100
        return f"{'+' if v > 0 else '−' if v < 0 else '±'}{abs(v):.1f} %"


@dataclass
class Co2Figures:
    total: Co2Group
    by_prefecture: list[Co2Group]
    by_industry: list[Co2Group]
    by_size: list[Co2Group]
    consenting: int
    uncomputed: int
    reductions: dict


def _group(label: str, mask: np.ndarray, table: co2.Co2Table) -> Co2Group:
    full = mask & table.complete_cur()
    like = full & table.complete_prev()
    n, n_like = int(full.sum()), int(like.sum())
    total = float(table.t_cur[full].sum()) if n >= MIN_GROUP else None
    change = None
    if n_like >= MIN_GROUP:
        change = rules.change_ratio(float(table.t_cur[like].sum()), float(table.t_prev[like].sum()))
    return Co2Group(label, n, total, n_like, change, set(table.company[full].tolist()))


def _attributes(ids: np.ndarray) -> dict[str, np.ndarray]:
    rows = Company.objects.filter(pk__in=ids.tolist()).values_list(
        "pk", "prefecture", "industry", "employees"
    )
    attrs = {int(pk): (p, i, e or 0) for pk, p, i, e in rows}
    pref = np.asarray([attrs.get(int(c), ("", "", 0))[0] for c in ids], dtype=object)
    ind = np.asarray([attrs.get(int(c), ("", "", 0))[1] for c in ids], dtype=object)
    emp = np.asarray([attrs.get(int(c), ("", "", 0))[2] for c in ids], dtype=np.int64)
    return {"prefecture": pref, "industry": ind, "band": rules.size_band_array(emp)}


def co2_outcomes(*, office, period: Period, filters: Filters) -> Co2Figures:
    table = co2.co2_table(period)
    allowed = set(
        Company.objects.filter(
            filters.company_q(),
            consents__in=Consent.objects.in_force().filter(office=office),
        ).values_list("pk", flat=True)
    )
    mask = np.isin(table.company, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
    attrs = _attributes(table.company[mask])
    full_attrs = {k: np.empty(len(table.company), dtype=v.dtype) for k, v in attrs.items()}
    for k, v in attrs.items():
        full_attrs[k][mask] = v
    total = _group(str(_("合計")), mask, table)
    by_pref = [
        _group(str(Prefecture(code).label), mask & (full_attrs["prefecture"] == code), table)
        for code in sorted(set(attrs["prefecture"].tolist()))
    ]
    by_ind = [
        _group(str(Industry(code).label), mask & (full_attrs["industry"] == code), table)
        for code in sorted(set(attrs["industry"].tolist()))
        if code in Industry.values
    ]
    by_size = [
        _group(
            str(_("従業員 %(band)s人") % {"band": code}), mask & (full_attrs["band"] == i), table
        )  # fmt: skip
        for i, (code, _lo, _hi) in enumerate(SIZE_BANDS)
        if (attrs["band"] == i).any()
    ]
    return Co2Figures(
        total=total,
        by_prefecture=by_pref,
        by_industry=by_ind,
        by_size=by_size,
        consenting=len(allowed),
        uncomputed=int(((table.uncomputed | table.uncomputed_prev) & mask).sum()),
        reductions=reductions(company_ids=allowed),
    )


def reductions(*, company_ids: set[int]) -> dict:
    """Reductions from the companies' plans (reduce): planned (measures planned, in progress or
    done: the yearly effect), achieved (done measures: the measured reduction against the same
    months a year before), in t-CO2 and yen. Fewer than five companies: suppressed."""
    plans = ReductionPlan.objects.filter(company_id__in=company_ids).select_related("company")
    planned_t = achieved_t = Decimal(0)
    planned_yen = done_yen = 0
    with_plan: set[int] = set()
    with_done: set[int] = set()
    for plan in plans:
        ov = plan_overview(company=plan.company, plan=plan)
        active = [r for r in ov.rows if r.pm.status != Status.IDEA]
        if not active:
            continue
        with_plan.add(plan.company_id)
        for r in active:
            planned_t += r.effect.t_saved.get(ov.basis, Decimal(0))
            planned_yen += r.effect.yen_saved
            if r.pm.status == Status.DONE:
                with_done.add(plan.company_id)
                done_yen += r.effect.yen_saved
                if r.co2_tracking is not None and r.co2_tracking.months:
                    achieved_t += r.co2_tracking.actual_saved
    show_plan = len(with_plan) >= MIN_GROUP
    show_done = len(with_done) >= MIN_GROUP
    return {
        "plan_companies": len(with_plan),
        "done_companies": len(with_done),
        "planned_t": float(planned_t) if show_plan else None,
        "planned_yen": planned_yen if show_plan else None,
        "achieved_t": float(achieved_t) if show_done else None,
        "done_yen": done_yen if show_done else None,
        "plan_ids": with_plan,
        "done_ids": with_done,
    }


# ------------------------------------------------------------------------------ satisfaction


def satisfaction(*, office, period: Period) -> list[dict]:
    """Survey scores per programme kind (occasions in the period): label, answers, mean."""
    return [
        {**row, "score": f"{row['mean']:.2f}"}
        for row in survey_selectors.satisfaction(office, period.start, period.end)
    ]


# ---------------------------------------------------------------------------- drill-down list


def companies_behind(*, office, ids: set[int]) -> tuple[list[Company], int]:
    """The companies of a figure that the staff may see (consent in force), and how many
    others the figure counts."""
    allowed = consenting_company_ids(office)
    visible = list(Company.objects.filter(pk__in=ids & allowed).order_by("name", "id"))
    return visible, len(ids) - len(visible)


# ---------------------------------------------------------------------------------- benchmark


@dataclass
class BenchmarkLine:
    key: str  # employees | floor_area | sales
    value: float
    group_size: int
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    position: str = ""  # top25 | q2 | q3 | bottom25
    better_than: float | None = None  # share of the group with a higher intensity

    @property
    def enough(self) -> bool:
        return self.group_size >= MIN_GROUP


@dataclass
class Benchmark:
    fiscal_year: int | None
    industry_label: str
    band: str
    lines: list[BenchmarkLine]
    reason: str = ""  # why there is no comparison


def _denominators(ids: np.ndarray, fiscal_year: int) -> dict[str, np.ndarray]:
    """Per company: employees, floor area (m², all facilities) and sales (million yen)."""
    idx = {int(c): i for i, c in enumerate(ids.tolist())}
    emp = np.zeros(len(ids))
    area = np.zeros(len(ids))
    sales = np.zeros(len(ids))
    for pk, e in Company.objects.filter(pk__in=idx).values_list("pk", "employees"):
        emp[idx[pk]] = e or 0
    for cid, a in Facility.objects.filter(
        company_id__in=idx, floor_area_m2__isnull=False
    ).values_list("company_id", "floor_area_m2"):
        area[idx[cid]] += float(a)
    yearly: dict[int, float] = {}
    monthly: dict[int, float] = defaultdict(float)
    for cid, month, value, unit in ActivityVolume.objects.filter(
        company_id__in=idx, kind=VolumeKind.SALES, fiscal_year=fiscal_year
    ).values_list("company_id", "month", "value", "unit"):
        scale = _yen_scale(unit)
        if scale is None:
            continue
        if month is None:
            yearly[cid] = float(value) * scale
        else:
            monthly[cid] += float(value) * scale
    for cid, v in {**monthly, **yearly}.items():
        sales[idx[cid]] = v / 1_000_000
    return {"employees": emp, "floor_area": area, "sales": sales}


def _yen_scale(unit: str) -> float | None:
    """Yen per unit of a sales figure (円, 千円, 万円, 百万円); None for other units."""
    u = unit.strip().replace("￥", "円").lower()
    return {"円": 1, "yen": 1, "千円": 1e3, "万円": 1e4, "百万円": 1e6, "million yen": 1e6}.get(u)


def benchmark(*, company: Company) -> Benchmark:
    """The company's intensity against consenting companies of the same industry and size band
    (the latest fiscal year it measured completely); quartiles only for five companies or more.
    The peers are companies whose consent to any office is in force."""
    band = rules.size_band(company.employees)
    industry_label = str(Industry(company.industry).label) if company.industry else ""
    today = timezone.localdate()
    last_fy = rules.fiscal_year_of(today) - 1
    fiscal_year = None
    table = None
    for fy in (last_fy, last_fy - 1):
        t = co2.co2_table(rules.period_of("fy", fy))
        i = np.searchsorted(t.company, company.pk)
        if i < len(t.company) and t.company[i] == company.pk and t.complete_cur()[i]:
            fiscal_year, table = fy, t
            break
    if table is None:
        return Benchmark(None, industry_label, band, [], reason="no_year")
    if not band:
        return Benchmark(fiscal_year, industry_label, band, [], reason="no_size")
    peers = Company.objects.filter(
        industry=company.industry,
        consents__in=Consent.objects.in_force(),
    ).filter(Filters(size=band).company_q())
    peer_ids = np.fromiter(set(peers.values_list("pk", flat=True)), dtype=np.int64)
    usable = table.complete_cur()
    mask = np.isin(table.company, peer_ids) & usable
    me = table.company == company.pk
    ids = table.company[mask | me]
    t = table.t_cur[mask | me]
    in_group = mask[mask | me]
    dens = _denominators(ids, fiscal_year)
    own = int(np.searchsorted(ids, company.pk))
    lines = []
    for key in ("employees", "floor_area", "sales"):
        d = dens[key]
        if d[own] <= 0:
            continue
        ok = (d > 0) & in_group
        values = t[ok] / d[ok]
        value = float(t[own] / d[own])
        line = BenchmarkLine(key, value, int(ok.sum()))
        if line.enough:
            line.q1, line.median, line.q3 = rules.quartiles(values)
            line.position = rules.quartile_label(values, value)
            line.better_than = float(np.count_nonzero(values > value)) / len(values)
        lines.append(line)
    return Benchmark(fiscal_year, industry_label, band, lines)


# -------------------------------------------------------------------------------- definitions

DEFINITIONS: dict[str, object] = {
    "self_checks_anonymous": _(
        "期間内に回答されたセルフチェックのうち企業に保存されていないもの（回答者が事務所の担当都道府県を選んだもの）。"
    ),
    "self_checks_company": _("期間内に企業に保存されたセルフチェックの件数。"),
    "diagnoses_anonymous": _(
        "期間内に回答されたステージ診断のうち企業に保存されていないもの（担当都道府県を選んだもの）。"
    ),
    "diagnoses_company": _("期間内に企業に保存されたステージ診断の件数。"),
    "seminar_applications": _(
        "期間内の当事務所のセミナー・研修への企業からの申込（キャンセルを除く）。"
    ),
    "seminar_attendance": _("初回が期間内のセミナー・研修で出席と記録された申込。"),
    "course_enrolments": _("期間内のオンデマンド講座の受講登録（企業は受講者が所属する企業）。"),
    "course_completions": _("期間内に修了したオンデマンド講座の受講登録。"),
    "consultations_held": _("期間内に実施済みの相談（予約が有効で開始時刻を過ぎたもの）。"),
    "calc_cases": _("期間内に受け付けたCO2排出量算定支援の申込。"),
    "calc_visits_held": _("期間内に記録されたCO2排出量算定支援の訪問。"),
    "handson_applications": _("期間内に受け付けたハンズオン支援の申込。"),
    "handson_accepted": _("期間内の申込のうち採択されたもの（採択・支援中・完了）。"),
    "handson_completed": _("期間内に完了したハンズオン支援。"),
    "unique_companies": _("上のいずれかのメニューを利用した企業の数（重複なし）。"),
    "stages": _(
        "期間末の時点で最後に保存されたステージ診断のステージ別の企業数。「到達」はそのステージ以上の企業数。"
    ),
    "transitions": _(
        "期間の初めと終わりで最後の診断のステージが変わった企業（期間前に診断が無い企業は「診断なし」から）。"
    ),
    "preceding": _(
        "ステージが上がった企業のうち、期間内または期間前12か月に各メニューを利用した企業の数。"
    ),
    "co2_companies": _(
        "当事務所への同意が有効な企業のうち、期間の全ての月にエネルギー使用量の記録がある企業（いずれかのエネルギーで全月）。"
    ),
    "co2_total": _(
        "その企業の期間のCO2排出量（温対法：スコープ1＋スコープ2基礎排出係数、t-CO2）。公表の排出係数で計算。"
    ),
    "co2_change": _(
        "期間と1年前の同じ月の両方を全て記録した企業について、1年前の同じ月に対する増減率。"
    ),
    "reductions_planned": _(
        "削減計画で「計画」「実施中」「完了」の対策の年間削減効果（t-CO2、円）の合計。"
    ),
    "reductions_achieved": _(
        "完了した対策について、実施後の月と1年前の同じ月の比較で実測された削減量（t-CO2）。円は完了した対策の年間効果（計画値）。"
    ),
    "suppression": _("5社未満の集団の数値は「—」で表示します（個社の数値が推測されないため）。"),
    "satisfaction": _("満足度アンケートの平均点（アンケートがある場合）。"),
}


# ---------------------------------------------------------------------------------- the report

REACH_LABELS: dict[str, object] = {
    "self_checks_anonymous": _("セルフチェック（匿名）"),
    "self_checks_company": _("セルフチェック（企業）"),
    "diagnoses_anonymous": _("ステージ診断（匿名）"),
    "diagnoses_company": _("ステージ診断（企業）"),
    "seminar_applications": _("セミナー・研修の申込"),
    "seminar_attendance": _("セミナー・研修の出席"),
    "course_enrolments": _("オンデマンド講座の受講登録"),
    "course_completions": _("オンデマンド講座の修了"),
    "consultations_held": _("相談の実施"),
    "calc_cases": _("CO2排出量算定支援の申込"),
    "calc_visits_held": _("CO2排出量算定支援の訪問"),
    "handson_applications": _("ハンズオン支援の申込"),
    "handson_accepted": _("ハンズオン支援の採択"),
    "handson_completed": _("ハンズオン支援の完了"),
    "unique_companies": _("利用企業数（重複なし）"),
}


@dataclass
class Report:
    period: Period
    filters: Filters
    reach: dict[str, Figure]
    path: PathFigures
    co2: Co2Figures
    satisfaction: list[dict]

    def reach_rows(self) -> list[tuple[str, object, Figure]]:
        return [(k, REACH_LABELS[k], self.reach[k]) for k in REACH_ORDER]

    def ids_of(self, metric: str) -> set[int] | None:
        """The companies behind a figure (``metric`` as the page's links name it)."""
        kind, _sep, rest = metric.partition(":")
        if kind == "reach" and rest in self.reach:
            return self.reach[rest].companies
        if kind == "stage":
            return next((s["companies"] for s in self.path.stages if s["stage"] == rest), None)
        if kind == "move":
            f, _s, t = rest.partition(">")
            return next(
                (m["companies"] for m in self.path.transitions if m["from"] == f and m["to"] == t),
                None,
            )
        if kind == "preceding":
            return next((p["companies"] for p in self.path.preceding if p["key"] == rest), None)
        if kind == "moved":
            return self.path.moved_up
        if kind == "co2":
            groups = {"total": [self.co2.total], "pref": self.co2.by_prefecture,
                      "ind": self.co2.by_industry, "size": self.co2.by_size}  # fmt: skip
            which, _s, label = rest.partition(":")
            for g in groups.get(which, []):
                if which == "total" or g.label == label:
                    return None if g.suppressed else g.ids
            return None
        if kind == "plan":
            r = self.co2.reductions
            ids = r["plan_ids"] if rest == "planned" else r["done_ids"]
            return None if rules.suppressed(len(ids)) else ids
        return None


def report(*, office, period: Period, filters: Filters) -> Report:
    figures = reach(office=office, period=period, filters=filters)
    return Report(
        period=period,
        filters=filters,
        reach=figures,
        path=path(office=office, period=period, filters=filters),
        co2=co2_outcomes(office=office, period=period, filters=filters),
        satisfaction=satisfaction(office=office, period=period),
    )


REPORT_CACHE_SECONDS = co2.CACHE_SECONDS


def report_cached(*, office, period: Period, filters: Filters) -> Report:
    """The report, kept for a minute per office, period and filters (the promise: a saved or
    imported record shows in the office's figures within a minute)."""
    # the group labels are text in the page's language: one entry per language
    key = (f"outcomes:report:{get_language()}:{office.pk}:{period.kind}:{period.start}:"
           f"{period.end}:{filters.prefecture}:{filters.industry}:{filters.size}")  # fmt: skip
    value = cache.get(key)
    if value is None:
        value = report(office=office, period=period, filters=filters)
        cache.set(key, value, REPORT_CACHE_SECONDS)
    return value


def feeds_to_review(*, office) -> dict:
    """The office's feeds, the items still to review (newest first) and the last 20
    reviewed."""
    items = FeedItem.objects.filter(office=office)
    return {
        "feeds": Feed.objects.filter(office=office),
        "items": items.filter(status=ItemStatus.NEW)
        .select_related("feed")
        .order_by("-published_on", "-id"),
        "done": items.exclude(status=ItemStatus.NEW)
        .select_related("feed", "headline")
        .order_by("-reviewed_at", "-id")[:20],
    }
