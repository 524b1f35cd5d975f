"""Reads of the reduce app: the catalogue, a company's plan, and the plan overview (effects,
MAC curve, target path, roadmap, SBTi SME check) computed by ``cnnavi.core.reduce`` on the
company's own data from ``cnnavi.reduce.data``."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cnnavi.common import charts
from cnnavi.core import fiscal_year_of
from cnnavi.core.reduce import (
    BASES,
    SBT_SME_CRITERIA,
    Effect,
    MeasureSpec,
    apply_measures,
    co2_planned_share,
    linear_path,
    mac_curve,
    monthly_tco2,
    months_involved,
    planned_vs_actual,
    progress,
    roadmap,
    sbt_sme_eligibility,
    sbt_sme_near_term_share,
    tracked_energies,
)
from cnnavi.programmes.selectors import subsidy_headlines_for
from cnnavi.reduce import data
from cnnavi.reduce.models import (
    OVERRIDABLE,
    CatalogueMeasure,
    PlanMeasure,
    ReductionPlan,
    Status,
)

COST_FIELDS = ("investment_yen", "annual_cost_yen", "lifetime_years", "unit_cost_yen", "offset_t")
ROADMAP_LAST_YEAR = 2050


def catalogue(*, active_only: bool = True):
    qs = CatalogueMeasure.objects.all()
    return qs.filter(active=True) if active_only else qs


def catalogue_measure(*, code: str) -> CatalogueMeasure | None:
    return CatalogueMeasure.objects.filter(code=code).first()


def plan_of(*, company) -> ReductionPlan | None:
    return ReductionPlan.objects.filter(company=company).first()


def plan_measures(*, plan: ReductionPlan) -> list[PlanMeasure]:
    return list(plan.measures.select_related("measure").order_by("start_year", "position", "id"))


def default_base_year(*, company) -> int | None:
    """The latest fiscal year with data whose months are all in, else the latest with data."""
    years = data.fiscal_years_with_data(company=company)
    for fy in reversed(years):
        if data.base_year_completeness(company=company, fiscal_year=fy).complete:
            return fy
    return years[-1] if years else None


def proposed_targets(*, company, years: list[int]) -> dict:
    """What the target form proposes to a company without a plan: the default base year, the
    SBTi SME near-term share for 2030 and net zero in 2050 (nothing without data)."""
    if not years:
        return {}
    base = default_base_year(company=company) or years[-1]
    share = sbt_sme_near_term_share(base)
    return {
        "base_year": base,
        "near_year": 2030,
        "near_pct": format((share * 100).normalize(), "f") if share is not None else None,
        "long_year": 2050,
        "long_pct": 100,
    }


def spec_of(pm: PlanMeasure) -> MeasureSpec:
    m = pm.measure
    amount = pm.value("amount_kwh")
    return MeasureSpec(
        key=str(pm.pk),
        name=m.name,
        kind=m.kind,
        energies=tuple(m.energies),
        share=Decimal(pm.value("share") or 0),
        use=m.use,
        use_share=pm.value("use_share"),
        amount=Decimal(amount) if amount is not None else None,
        kwh_per_gj=Decimal(pm.value("kwh_per_gj") or 0),
        investment_yen=int(pm.value("investment_yen") or 0),
        annual_cost_yen=int(pm.value("annual_cost_yen") or 0),
        unit_cost_yen=Decimal(pm.value("unit_cost_yen") or 0),
        offset_t=Decimal(pm.value("offset_t") or 0),
        lifetime_years=int(pm.value("lifetime_years") or 1),
        start_year=pm.start_year,
    )


def value_origin(pm: PlanMeasure, name: str) -> str:
    """ "user" (overridden), "assumption" (a rule of thumb to check) or "source" (a cited
    public figure)."""
    if not pm.is_assumption(name):
        return "user"
    if name in COST_FIELDS or pm.measure.saving_is_assumption:
        return "assumption"
    return "source"


@dataclass
class MeasureRow:
    pm: PlanMeasure
    effect: Effect
    origins: dict[str, str]
    subsidies: list = field(default_factory=list)
    tracking: object | None = None  # energy amounts (saving measures)
    co2_tracking: object | None = None  # tCO2 on the page's basis (every lever but offsets)

    @property
    def notes(self) -> list[str]:
        """The core's notes on the effect, in the user's language."""
        out = []
        for note in self.effect.notes:
            if note == "no matching energy in the data":
                out.append(_("対象のエネルギーが自社のデータにありません。"))
            elif note.startswith("no cost data for "):
                code = note[len("no cost data for ") :].split(":")[0]
                out.append(
                    _("%(energy)sの金額データが無いため、円の効果に含めていません。")
                    % {"energy": code}
                )
            elif note.startswith("no electricity price"):
                out.append(_("電気の単価が無いため、増える電力の費用を含めていません。"))
            else:
                out.append(note)
        return out

    @property
    def tracking_unit(self) -> str:
        units = {unit for _code, amount, unit in self.effect.energy if amount > 0}
        return units.pop() if len(units) == 1 else ""

    @property
    def values(self) -> dict:
        return {name: self.pm.value(name) for name in OVERRIDABLE}


@dataclass
class PlanOverview:
    company: object
    plan: ReductionPlan | None
    basis: str
    profile: data.EnergyProfile
    completeness: data.Completeness | None
    rows: list[MeasureRow]
    totals_before: dict[str, Decimal]
    totals_after: dict[str, Decimal]
    after_lines: list
    path: list
    progress: list
    roadmap: list
    mac: list
    mac_left_out: list
    eligibility: object
    sbt_share: Decimal | None
    years_with_data: list[int]
    criteria: dict = field(default_factory=lambda: SBT_SME_CRITERIA)
    current_fiscal_year: int = 0

    @property
    def has_partial_year(self) -> bool:
        return any(p.partial for p in self.progress)

    @property
    def below_sbt_proposal(self) -> bool:
        """The saved near-term target asks for less than the SBT SME proposal."""
        return bool(
            self.plan
            and self.sbt_share is not None
            and self.eligibility.eligible is not False
            and self.plan.near_share < self.sbt_share
        )

    @property
    def sbt_answered(self) -> bool:
        """Any SBT criterion is known (data or an answer): the criteria table is worth opening."""
        return any(
            c.met is not None for c in (*self.eligibility.mandatory, *self.eligibility.optional)
        )

    @property
    def investment_yen(self) -> int:
        return sum(r.effect.investment_yen for r in self.rows)

    @property
    def yen_saved(self) -> int:
        return sum(r.effect.yen_saved for r in self.rows)

    def saved(self, basis: str) -> Decimal:
        return self.totals_before[basis] - self.totals_after[basis]

    @property
    def near_target_t(self) -> Decimal | None:
        if not self.plan:
            return None
        return self.totals_before[self.basis] * (1 - self.plan.near_share)

    @property
    def gap_to_near_t(self) -> Decimal | None:
        """Emissions after the roadmap's measures in the near-term year minus the target."""
        if not self.plan or not self.roadmap:
            return None
        row = next((r for r in self.roadmap if r.year == self.plan.near_year), None)
        return None if row is None else row.t[self.basis] - self.near_target_t


def _subsidies_by_topic(company, topics: set[str]) -> list:
    if not topics:
        return []
    qs = subsidy_headlines_for(prefecture=company.prefecture, topics=sorted(topics))
    return list(qs.prefetch_related("topic_tags")[:50])


def _today():
    return timezone.localdate()


def last_complete_month() -> str:
    """The last calendar month that is over (YYYY-MM): tracking compares up to it."""
    today = _today()
    if today.month > 1:
        return f"{today.year:04d}-{today.month - 1:02d}"
    return f"{today.year - 1:04d}-12"


def _tracking(
    company, pm: PlanMeasure, effect: Effect, profile: data.EnergyProfile, records, until: str
):
    """Planned vs actual energy amounts for a done measure that saves energy."""
    if pm.status != Status.DONE or pm.done_on is None or pm.measure.kind != "saving":
        return None
    lines = [
        e
        for e in profile.energies
        if e.energy in pm.measure.energies or e.kind in pm.measure.energies
    ]
    base = sum((e.amount for e in lines), Decimal(0))
    saved = sum((amt for _code, amt, _u in effect.energy if amt > 0), Decimal(0))
    if not base:
        return None
    monthly = data.monthly_amounts(
        company=company,
        energies=tuple(pm.measure.energies),
        unit_of={e.energy: e.unit for e in lines},
        records=records(),
    )
    return planned_vs_actual(
        monthly, done_month=f"{pm.done_on:%Y-%m}", planned_share=saved / base, until=until
    )


def _co2_tracking(pm: PlanMeasure, effect: Effect, base_lines, basis: str, results, until: str):
    """Planned vs actual tCO2 on ``basis`` for a done measure of any kind that changes
    emissions: the energies it acts on (for electrifying, the fuel removed and the electricity
    added) in the months after it, against the same months a year earlier, from the core's
    per-record results. ``results(fiscal_years)`` gives ``data.YearResults`` by year."""
    if pm.status != Status.DONE or pm.done_on is None or pm.measure.kind == "offset":
        return None
    energies = tracked_energies(pm.measure.kind, pm.measure.energies)
    share = co2_planned_share(
        effect.t_saved.get(basis, Decimal(0)), base_lines, energies=energies, basis=basis
    )
    if share is None:
        return None
    done_month = f"{pm.done_on:%Y-%m}"
    years = results({fiscal_year_of(m) for m in months_involved(done_month, until)})
    monthly = monthly_tco2(
        (r for y in years for r in y.results),
        energies=energies,
        basis=basis,
        uncomputed={pair for y in years for pair in y.uncomputed},
    )
    return planned_vs_actual(
        monthly, done_month=done_month, planned_share=share, until=until, basis=basis
    )


class _TrackingReads:
    """What the done measures' tracking reads, each read once for all of them: every record
    of the company, and the per-record results of each fiscal year asked for."""

    def __init__(self, company):
        self.company = company
        self._records = None
        self._computed: dict[int, data.YearResults] = {}

    def records(self):
        if self._records is None:
            self._records = data.all_records(company=self.company)
        return self._records

    def results(self, fiscal_years: set[int]) -> list[data.YearResults]:
        todo = fiscal_years - self._computed.keys()
        if todo:
            self._computed.update(
                data.record_results(company=self.company, fiscal_years=todo, records=self.records())
            )
        return [self._computed[fy] for fy in sorted(fiscal_years) if fy in self._computed]


def _eligibility(company, plan: ReductionPlan | None, profile: data.EnergyProfile):
    """The SBTi SME route check from the company's figures and the plan's answers."""
    return sbt_sme_eligibility(
        scope1_plus_scope2_location_t=(profile.scope1_t + profile.scope2_location_t)
        if profile.has_data
        else None,
        employees=company.employees,
        turnover_under_limit=plan.turnover_under_limit if plan else None,
        assets_under_limit=plan.assets_under_limit if plan else None,
        fi_or_oil_gas=plan.fi_or_oil_gas if plan else None,
        sector_specific_required=plan.sector_specific_required if plan else None,
        subsidiary_of_standard_parent=plan.subsidiary_of_standard_parent if plan else None,
        mandatory_flag_sector=plan.mandatory_flag_sector if plan else None,
    )


def _path_progress_roadmap(company, plan: ReductionPlan, core_profile, specs, base_t, basis):
    """(path, progress, roadmap): the target path from the base year's ``base_t`` through
    the plan's milestones, the years since measured against it, and the measures' roadmap."""
    milestones = [(plan.near_year, plan.near_share)]
    if plan.long_year > plan.near_year:
        milestones.append((plan.long_year, plan.long_share))
    path = linear_path(plan.base_year, base_t, milestones)
    totals = {y: yt for y, yt in data.yearly_totals(company=company).items() if y > plan.base_year}
    prog = [
        p
        for p in progress(
            path,
            {y: yt.t[basis] for y, yt in totals.items()},
            {y: yt.months for y, yt in totals.items()},
        )
        if p.actual_t is not None
    ]
    road = roadmap(
        core_profile,
        specs,
        first_year=plan.base_year,
        last_year=max(ROADMAP_LAST_YEAR, plan.long_year),
        targets={p.year: p.t for p in path},
    )
    return path, prog, road


def _measure_rows(
    company, pms: list, effects: list, profile, core_profile, basis: str, *, subsidies: bool
) -> list[MeasureRow]:
    """The plan's measures with their effects, where each planned value comes from, the
    subsidies of their topics (none when ``subsidies`` is False) and their tracking against
    the company's records since (``core_profile`` is ``profile``'s, as the effects read it)."""
    headlines = (
        _subsidies_by_topic(company, {t for pm in pms for t in pm.measure.topics})
        if subsidies
        else []
    )
    reads = _TrackingReads(company)
    records, results = reads.records, reads.results
    until = last_complete_month()
    rows = []
    for pm, effect in zip(pms, effects, strict=True):
        topics = set(pm.measure.topics)
        rows.append(
            MeasureRow(
                pm=pm,
                effect=effect,
                origins={name: value_origin(pm, name) for name in OVERRIDABLE},
                subsidies=[h for h in headlines if set(h.topic_codes()) & topics],
                tracking=_tracking(company, pm, effect, profile, records, until),
                co2_tracking=_co2_tracking(pm, effect, core_profile.lines, basis, results, until),
            )
        )
    return rows


def plan_overview(
    *, company, plan: ReductionPlan | None, basis: str | None = None, subsidies: bool = True
) -> PlanOverview:
    """The plan with its effects on the company's own data. ``subsidies`` False leaves each
    row's subsidy headlines empty (``cached_plan_overview`` reads them on every view)."""
    basis = basis if basis in BASES else (plan.basis if plan else "market")
    base_year = plan.base_year if plan else default_base_year(company=company)
    profile = (
        data.energy_profile(company=company, fiscal_year=base_year)
        if base_year
        else data.EnergyProfile(company.pk, 0)
    )
    comp = (
        data.base_year_completeness(company=company, fiscal_year=base_year) if base_year else None
    )
    pms = plan_measures(plan=plan) if plan else []
    core_profile = profile.core_profile()
    specs = [spec_of(pm) for pm in pms]
    after, effects = apply_measures(core_profile, specs)
    rows = _measure_rows(company, pms, effects, profile, core_profile, basis, subsidies=subsidies)
    totals_before = core_profile.totals()
    years = data.fiscal_years_with_data(company=company)
    eligibility = _eligibility(company, plan, profile)
    path, prog, road = [], [], []
    if plan and profile.has_data:
        path, prog, road = _path_progress_roadmap(
            company, plan, core_profile, specs, totals_before[basis], basis
        )
    bars, left_out = mac_curve(effects, basis)
    return PlanOverview(
        company=company,
        plan=plan,
        basis=basis,
        profile=profile,
        completeness=comp,
        rows=rows,
        totals_before=totals_before,
        totals_after=after.totals(),
        after_lines=list(after.lines),
        path=path,
        progress=prog,
        roadmap=road,
        mac=bars,
        mac_left_out=left_out,
        eligibility=eligibility,
        sbt_share=sbt_sme_near_term_share(base_year) if base_year else None,
        years_with_data=years,
        current_fiscal_year=fiscal_year_of(_today()),
    )


# --------------------------------------------------------------------------- cached overview
# The overview costs several times a page's whole budget (every year of the company's records
# through the core, the roadmap to 2050), while it changes only when the company's measure data,
# the plan or the catalogue does. It is cached under versions those writes bump (decision 1202).
PLAN_CACHE_SECONDS = 3600
CATALOGUE_VERSION_KEY = "reduce:catalogue-version"


def _plan_version_key(company_id: int) -> str:
    return f"reduce:plan-version:{company_id}"


def _tokens(keys: list[str]) -> list[str]:
    """The version tokens under ``keys``; a lost one is replaced by a new one (never reused)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            token = uuid.uuid4().hex
            found[key] = token if cache.add(key, token, None) else cache.get(key, token)
    return [found[key] for key in keys]


def _bump(keys: list[str]) -> None:
    """New tokens at once (the writing transaction reads its own changes) and again after
    commit (a read in between would have cached the state before the commit)."""

    def bump() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)

    bump()
    transaction.on_commit(bump)


def plan_changed(*, company) -> None:
    """The company's plan or its measures changed (reduce's services call this)."""
    _bump([_plan_version_key(company.pk)])


def catalogue_changed() -> None:
    """A catalogue measure changed: every plan's overview reads its name, kind and figures."""
    _bump([CATALOGUE_VERSION_KEY])


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Changes with the code that builds the cached overview (a new release never reads an
    old shape)."""
    from cnnavi.core import reduce as core_reduce

    here = Path(__file__).resolve().parent
    paths = [here / "selectors.py", here / "data.py", here / "models.py"]
    paths += sorted(Path(core_reduce.__file__).resolve().parent.glob("*.py"))
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def overview_key(*, company, plan: ReductionPlan | None, basis: str | None) -> str:
    """The cache key of a plan overview: the versions of the company's measure data (any year)
    and of the official tables, of the plan and of the catalogue; what the overview reads of
    the company; today's date (tracking runs to the last month that is over); the basis shown;
    the language; the code's fingerprint."""
    basis = basis if basis in BASES else (plan.basis if plan else "market")
    plan_token, catalogue_token = _tokens([_plan_version_key(company.pk), CATALOGUE_VERSION_KEY])
    parts = (
        data.data_version(company=company),
        plan_token,
        catalogue_token,
        plan.pk if plan else None,
        company.employees,
        company.is_demo,
        basis,
        _today().isoformat(),
        get_language() or "ja",
        _code_fingerprint(),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"reduce:overview:{company.pk}:{digest}"


def cached_plan_overview(
    *, company, plan: ReductionPlan | None, basis: str | None = None
) -> PlanOverview:
    """``plan_overview`` from the cache while nothing it reads has changed; the subsidy
    headlines (written by the programmes' staff, not versioned here) are read on every view."""
    key = overview_key(company=company, plan=plan, basis=basis)
    ov = cache.get(key)
    if ov is None:
        ov = plan_overview(company=company, plan=plan, basis=basis, subsidies=False)
        cache.set(key, ov, PLAN_CACHE_SECONDS)
    ov.company = company
    headlines = _subsidies_by_topic(company, {t for r in ov.rows for t in r.pm.measure.topics})
    for row in ov.rows:
        topics = set(row.pm.measure.topics)
        row.subsidies = [h for h in headlines if set(h.topic_codes()) & topics]
    return ov


def _f(value) -> float | None:
    return None if value is None else round(float(value), 6)


def chart_data(ov: PlanOverview, *, language: str = "ja") -> dict:
    """JSON for the charts (each also has a table on the page)."""
    en = language == "en"
    before = {e.energy: e for e in ov.profile.energies}
    area = []
    for line in ov.after_lines:
        e = before.get(line.energy)
        label = (e.label_en if en else e.label) if e else line.energy
        area.append(
            {
                "energy": line.energy,
                "label": label,
                "gj_before": _f(e.gj) if e else 0.0,
                "t_before": _f(e.t[ov.basis]) if e else 0.0,
                "gj_after": _f(line.gj),
                "t_after": _f(line.t[ov.basis]),
            }
        )
    names = {str(r.pm.pk): (r.pm.measure.name_en if en else r.pm.measure.name) for r in ov.rows}
    return {
        "basis": ov.basis,
        "demo": bool(getattr(ov.company, "is_demo", False)),
        "area": area,
        "mac": [
            {
                "key": b.key,
                "name": names.get(b.key, b.name),
                "t": _f(b.t),
                "cost_per_t": _f(b.cost_per_t),
                "x_start": _f(b.x_start),
                "x_end": _f(b.x_end),
            }
            for b in ov.mac
        ],
        "roadmap": [
            {
                "year": r.year,
                "t": _f(r.t[ov.basis]),
                "target": _f(r.target_t),
                "starting": [names.get(k, k) for k in r.starting],
            }
            for r in ov.roadmap
        ],
        # a year with fewer than 12 months of data is not a point on a yearly chart
        "actual": [{"year": p.year, "t": _f(p.actual_t)} for p in ov.progress if not p.partial],
        "actual_partial": [{"year": p.year, "months": p.months} for p in ov.progress if p.partial],
        "mac_left_out": [names.get(e.key, e.name) for e in ov.mac_left_out],
    }


def chart_figures(data: dict) -> dict:
    """The plan's three charts (common/charts.py), drawn from chart_data(): the same figures as
    the tables under them."""
    area = [
        (a["label"], a["gj_before"] or 0.0, a["t_before"] or 0.0, a["gj_after"] or 0.0,
         a["t_after"] or 0.0)
        for a in data["area"]
    ]  # fmt: skip
    mac = [(m["name"], m["t"] or 0.0, m["cost_per_t"] or 0.0) for m in data["mac"]]
    years = [r["year"] for r in data["roadmap"]]
    actual = {a["year"]: a["t"] for a in data["actual"]}
    series = [
        charts.Series(_("排出量"), [r["t"] for r in data["roadmap"]]),
        charts.Series(_("目標の経路"), [r["target"] for r in data["roadmap"]]),
    ]
    styles = ["line", "dashed"]
    if actual:
        series.append(charts.Series(_("実績"), [actual.get(y) for y in years]))
        styles.append("marker")
    return {
        "area": charts.figure(
            charts.areas, area, key="area", title=_("CO2の面積（活動量×排出係数）：対策の前と後"),
            desc=_("横幅がエネルギー量（GJ）、高さがGJあたりの排出量、面積がCO2排出量です。"),
            before_label=_("対策前"), after_label=_("対策後"), x_title=_("エネルギー量 GJ/年"),
            y_title=_("t-CO2/GJ"),
        ) if any(a[1] > 0 or a[3] > 0 for a in area) else None,
        "mac": charts.figure(
            charts.mac, mac, key="mac", title=_("限界削減費用曲線（MACカーブ）"),
            desc=_("番号は下の表の順位です。横幅が年間の削減量、高さが1トンあたりの費用（マイナスは利益が出る対策）。"),
            x_title=_("削減量 t-CO2/年"), y_title=_("円/t-CO2"),
        ) if mac else None,
        "roadmap": charts.figure(
            charts.lines, years, series, key="roadmap", title=_("ロードマップ"),
            desc=_("年度ごとの排出量の見込み、目標の経路と実績（t-CO2/年）。"),
            y_title=_("t-CO2/年"), styles=styles,
        ) if years else None,
    }  # fmt: skip
