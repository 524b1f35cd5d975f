"""Reads of the measure app. Every CO2, energy and crude-oil figure comes from
``cnnavi.core.calculate`` on the company's records; this module only gathers the inputs and
arranges the core's results for pages, exports and other apps."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cnnavi.core import (
    CalculationError,
    FiscalYearResult,
    Record,
    RowError,
    calculate,
    energy_catalogue,
    factor_book,
    get_energy,
)
from cnnavi.core.factors import DATA_DIR, FactorBook
from cnnavi.measure import rules
from cnnavi.measure.messages import error_message, note_dict
from cnnavi.measure.models import (
    USE_CHOICES,
    ActivityVolume,
    EnergyImport,
    EnergyRecord,
    GridRow,
    ImportStatus,
    SupplyContract,
    UseShare,
    VolumeKind,
)
from cnnavi.orgs.models import Company, Facility, SupportOffice
from cnnavi.orgs.selectors import companies_of_expert, companies_of_office

SUPPLY_KIND_OF_ENERGY = {"electricity": "electricity", "city_gas": "gas", "heat": "heat"}
DASHBOARD_CACHE_SECONDS = 3600
_ENERGY_ORDER = {e.code: i for i, e in enumerate(energy_catalogue())}


def supply_kind_of(energy_code: str) -> str | None:
    return SUPPLY_KIND_OF_ENERGY.get(get_energy(energy_code).kind)


def energy_label(code: str, language: str | None = None) -> str:
    """The energy's official Japanese name, or its English name on English pages."""
    try:
        e = get_energy(code)
    except ValueError:
        return code
    language = language or get_language() or "ja"
    return e.name_en if language.startswith("en") else e.name_ja


_USE_LABELS = dict(USE_CHOICES)


def use_label(use: str) -> str:
    """A standard use (stored as the Japanese word bills carry) in the page's language; any
    other use as written (data)."""
    label = _USE_LABELS.get(use)
    return str(label) if label is not None else use


class _Labels(dict):
    """energy code -> its label in the current language, each looked up once."""

    def __init__(self) -> None:
        super().__init__()
        self.language = get_language() or "ja"

    def __missing__(self, code: str) -> str:
        label = self[code] = energy_label(code, self.language)
        return label


def energy_sort_key(code: str) -> tuple[int, int]:
    """Electricity and city gas first (the usual bills), then fuels in the official order."""
    lead = {"electricity": 0, "city_gas": 1}.get(code, 2)
    return (lead, _ENERGY_ORDER.get(code, 999))


def fy_range(fiscal_year: int) -> tuple[date, date]:
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 1)


def companies_supported_by(*, user) -> list[Company]:
    """Companies the user sees as office staff or as an assigned expert (consent in force)."""
    member_ids = set(user.memberships.values_list("company_id", flat=True))
    out: dict[int, Company] = {}
    for office in SupportOffice.objects.filter(staff__user=user):
        for c in companies_of_office(office=office):
            out.setdefault(c.pk, c)
    for c in companies_of_expert(user=user):
        out.setdefault(c.pk, c)
    return sorted((c for c in out.values() if c.pk not in member_ids), key=lambda c: c.name)


# --------------------------------------------------------------------------- facilities, contracts


def facilities_of(*, company: Company) -> list[Facility]:
    return list(Facility.objects.filter(company=company).order_by("name", "id"))


def contracts_of_company(*, company: Company):
    return (
        SupplyContract.objects.filter(facility__company=company)
        .select_related("facility")
        .order_by("facility__name", "kind", "-valid_from")
    )


def contract_spans(*, company: Company) -> dict[int, list[rules.ContractSpan]]:
    spans: dict[int, list[rules.ContractSpan]] = defaultdict(list)
    for fid, kind, start, reg, menu in SupplyContract.objects.filter(
        facility__company=company
    ).values_list("facility_id", "kind", "valid_from", "supplier_reg", "menu"):
        spans[fid].append(rules.ContractSpan(kind, start, reg, menu))
    return spans


# --------------------------------------------------------------------------- records -> core


@dataclass(frozen=True)
class RecordRef:
    pk: int
    facility: str
    month: str
    energy: str


class _Refs(Mapping):
    """record id -> RecordRef, made from the core records only when read (error paths)."""

    def __init__(self, records: list[Record]):
        self._records = records
        self._by_line: dict[int, Record] | None = None

    def _index(self) -> dict[int, Record]:
        if self._by_line is None:
            self._by_line = {r.line: r for r in self._records}
        return self._by_line

    def __getitem__(self, key: int) -> RecordRef:
        r = self._index()[key]
        return RecordRef(r.line, r.facility, r.month, r.energy)

    def __iter__(self):
        return iter(self._index())

    def __len__(self) -> int:
        return len(self._index())


class RequestFactorBook(FactorBook):
    """The shared official ``FactorBook`` with its look-ups remembered for one request.

    The same tables, the same answers (the core's objects are immutable); only the repeated
    linear scans (constants, fuel parameters) and supplier-name searches of a year's hundreds
    of records are done once. Failures are not remembered: they raise again as before."""

    def __init__(self, book: FactorBook | None = None) -> None:  # noqa: D107 - shares the data
        self.__dict__.update((book or factor_book()).__dict__)
        self._memo: dict[tuple, object] = {}

    def _remember(self, key: tuple, compute):
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value

    def constant(self, key: str, fiscal_year: int):
        return self._remember(("c", key, fiscal_year), lambda: super(
            RequestFactorBook, self).constant(key, fiscal_year))  # fmt: skip

    def fuel_params(self, code: str, fiscal_year: int):
        return self._remember(("f", code, fiscal_year), lambda: super(
            RequestFactorBook, self).fuel_params(code, fiscal_year))  # fmt: skip

    def table(self, kind: str, fiscal_year: int):
        return self._remember(("t", kind, fiscal_year), lambda: super(
            RequestFactorBook, self).table(kind, fiscal_year))  # fmt: skip

    def find_supplier(self, kind: str, fiscal_year: int, text: str):
        return self._remember(("s", kind, fiscal_year, text), lambda: super(
            RequestFactorBook, self).find_supplier(kind, fiscal_year, text))  # fmt: skip


def core_records_by_year(
    *, company: Company, fiscal_years: Iterable[int]
) -> dict[int, list[Record]]:
    """The company's records of the given fiscal years as core ``Record`` objects (``line`` =
    the record's id), in one query, supplier and menu taken from the contract valid in the
    month where the record names none."""
    years = sorted(set(fiscal_years))
    out: dict[int, list[Record]] = {fy: [] for fy in years}
    if not years:
        return out
    start, end = fy_range(years[0])[0], fy_range(years[-1])[1]
    qs = EnergyRecord.objects.filter(facility__company=company, month__gte=start, month__lte=end)
    rows = qs.order_by("month", "facility_id", "energy", "id").values_list(
        "pk", "facility_id", "facility__name", "month", "energy", "amount", "unit", "cost_yen",
        "supplier", "menu", "use",
    )  # fmt: skip
    spans = contract_spans(company=company)
    # a fiscal year has twelve months, a company few energies and contracts: look each up once
    months: dict[date, tuple[str, list[Record] | None]] = {}
    kinds: dict[str, str | None] = {}
    contracts: dict[tuple[int, str, date], rules.ContractSpan | None] = {}
    for pk, fid, fname, month, energy, amount, unit, cost, supplier, menu, use in rows:
        try:
            mt, bucket = months[month]
        except KeyError:
            mt, bucket = months[month] = (rules.month_text(month),
                                          out.get(rules.fiscal_year_of(month)))  # fmt: skip
        if bucket is None:
            continue
        if not supplier:
            try:
                kind = kinds[energy]
            except KeyError:
                kind = kinds[energy] = SUPPLY_KIND_OF_ENERGY.get(get_energy(energy).kind)
            if kind:
                key = (fid, kind, month)
                try:
                    c = contracts[key]
                except KeyError:
                    c = contracts[key] = rules.contract_for(spans.get(fid, ()), kind, month)
                if c is not None:
                    supplier, menu = c.supplier, menu or c.menu
        bucket.append(Record(mt, energy, amount, unit, fname, supplier, menu, cost, use, pk))
    return out


def core_records(
    *, company: Company, fiscal_year: int | None = None
) -> tuple[list[Record], Mapping[int, RecordRef]]:
    """The company's records (of one fiscal year, or all) as core ``Record`` objects (``line`` =
    the record's id), supplier and menu taken from the contract valid in the month where the
    record names none; and record id -> ``RecordRef`` (facility, month, energy) for messages."""
    if fiscal_year is not None:
        records = core_records_by_year(company=company, fiscal_years=[fiscal_year])[fiscal_year]
    else:
        years = fiscal_years_with_data(company=company)
        by_year = core_records_by_year(company=company, fiscal_years=years)
        records = [r for fy in years for r in by_year[fy]]
    return records, _Refs(records)


@dataclass
class YearCalc:
    """One fiscal year computed by the core, or the reasons it cannot be."""

    fiscal_year: int
    result: FiscalYearResult | None
    errors: list[tuple[RowError, RecordRef | None]] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    # where some records cannot be computed: the others computed on their own (never shown as
    # the year's result: the dashboard marks what it leaves out)
    partial: FiscalYearResult | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.records)

    @property
    def ok(self) -> bool:
        return self.result is not None

    def grouped_errors(self) -> list[dict]:
        """The errors grouped by what went wrong (the core's code and parameters, else the
        reason): the message in the current language, how many records, at which facilities
        and energies, in which months."""
        groups: dict[tuple, dict] = {}
        labels = _Labels()
        for error, ref in self.errors:
            key = (error.code, error.params) if error.code else ("", error.reason)
            g = groups.get(key)
            if g is None:
                g = groups[key] = {
                    "error": error,
                    "count": 0,
                    "where": set(),
                    "months": set(),
                }
            g["count"] += 1
            if ref is not None:
                g["where"].add(f"{ref.facility} / {labels[ref.energy]}")
                g["months"].add(ref.month)
        out = []
        for g in groups.values():
            months = sorted(g["months"])
            error = g["error"]
            out.append(
                {
                    "reason": error.reason,
                    "code": error.code,
                    "params": error.params_dict,
                    "message": error_message(error),
                    "count": g["count"],
                    "where": sorted(g["where"]),
                    "first_month": months[0] if months else "",
                    "last_month": months[-1] if months else "",
                }
            )
        return out


def year_calc(
    *,
    company: Company,
    fiscal_year: int,
    records: list[Record] | None = None,
    book: FactorBook | None = None,
    with_partial: bool = False,
) -> YearCalc:
    """One fiscal year computed by the core. ``records`` (that year's, from
    ``core_records_by_year``) and ``book`` let a caller that needs several years read them in
    one query and share the factor look-ups. ``with_partial``: where some records fail, also
    compute the others (``YearCalc.partial``, for the dashboard of the shown year)."""
    if records is None:
        records, _refs = core_records(company=company, fiscal_year=fiscal_year)
    if not records:
        return YearCalc(fiscal_year, None, [], [])
    book = book or RequestFactorBook()
    try:
        results = calculate(
            records,
            fiscal_year=fiscal_year,
            employees=company.employees,
            book=book,
        )
    except CalculationError as exc:
        refs = _Refs(records)
        failed = {e.line for e in exc.errors}
        rest = [r for r in records if r.line not in failed]
        partial = None
        if rest and with_partial:
            try:
                partial = calculate(
                    rest, fiscal_year=fiscal_year, employees=company.employees, book=book
                )[0]
            except CalculationError:  # pragma: no cover - the failing records are left out
                partial = None
        errors = [(e, refs.get(e.line)) for e in exc.errors]
        return YearCalc(fiscal_year, None, errors, records, partial)
    return YearCalc(fiscal_year, results[0], [], records)


def fiscal_years_with_data(*, company: Company) -> list[int]:
    agg = EnergyRecord.objects.filter(facility__company=company).aggregate(
        first=Min("month"), last=Max("month")
    )
    if agg["first"] is None:
        return []
    return list(range(rules.fiscal_year_of(agg["first"]), rules.fiscal_year_of(agg["last"]) + 1))


def current_fiscal_year() -> int:
    return rules.fiscal_year_of(timezone.localdate())


def default_fiscal_year(*, company: Company) -> int:
    """The latest fiscal year with data, else the current one (where a new company starts)."""
    years = fiscal_years_with_data(company=company)
    return years[-1] if years else current_fiscal_year()


# --------------------------------------------------------------------------- completeness


@dataclass(frozen=True)
class CompletenessRow:
    facility: str
    energy: str
    energy_label: str
    months_with_data: int
    missing: list[str]  # YYYY-MM


def completeness(
    *,
    company: Company,
    fiscal_year: int,
    records: list[Record],
    facilities: list[Facility],
    previous_records: list[Record] | None = None,
) -> list[CompletenessRow]:
    """For every facility and energy expected in the year (it has a record, or a grid row, or
    a record in the year before), the months among the ended ones that have no record.
    ``previous_records`` (the year before's, when the caller has read them) saves a query."""
    months = rules.complete_months(fiscal_year, timezone.localdate())
    month_texts = [rules.month_text(m) for m in months]
    month_set = set(month_texts)
    have: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in records:
        have[(r.facility, r.energy)].add(r.month)
    names = {f.pk: f.name for f in facilities}
    expected = set(have)
    for fid, energy in GridRow.objects.filter(
        facility__company=company, fiscal_year=fiscal_year
    ).values_list("facility_id", "energy"):
        expected.add((names.get(fid, ""), energy))
    if previous_records is not None:
        expected.update((r.facility, r.energy) for r in previous_records)
    else:
        start, end = fy_range(fiscal_year - 1)
        for fid, energy in (
            EnergyRecord.objects.filter(facility__company=company, month__gte=start, month__lte=end)
            .order_by()
            .values_list("facility_id", "energy")
            .distinct()
        ):
            expected.add((names.get(fid, ""), energy))
    out = []
    for fname, energy in sorted(expected, key=lambda k: (k[0], energy_sort_key(k[1]))):
        got = have.get((fname, energy), set())
        out.append(
            CompletenessRow(
                facility=fname,
                energy=energy,
                energy_label=energy_label(energy),
                months_with_data=len(got & month_set),
                missing=[m for m in month_texts if m not in got],
            )
        )
    return out


# --------------------------------------------------------------------------- volumes


def volumes_of(*, company: Company, fiscal_year: int) -> dict[str, tuple[Decimal, str]]:
    """Sales / production of a fiscal year: the yearly value, else the sum of its months."""
    yearly: dict[str, tuple[Decimal, str]] = {}
    monthly: dict[str, tuple[Decimal, str]] = {}
    for v in ActivityVolume.objects.filter(company=company, fiscal_year=fiscal_year):
        if v.month is None:
            yearly[v.kind] = (v.value, v.unit)
        else:
            total, _unit = monthly.get(v.kind, (Decimal(0), v.unit))
            monthly[v.kind] = (total + v.value, v.unit)
    return {**monthly, **yearly}


def volumes_list(*, company: Company):
    return ActivityVolume.objects.filter(company=company).order_by("-fiscal_year", "kind", "month")


# --------------------------------------------------------------------------- grid


@dataclass
class GridCell:
    month: date
    amount: Decimal | None = None
    cost_yen: int | None = None
    record_id: int | None = None
    locked: bool = False  # more than one record (uses or suppliers): edit by import
    # a locked cell's records: (use or "", supplier or "", amount, unit), to show the breakdown
    parts: tuple[tuple[str, str, Decimal, str], ...] = ()


@dataclass
class GridLine:
    energy: str
    label: str
    unit: str
    units: tuple[str, ...]
    cells: list[GridCell]
    supplier_note: str = ""

    @property
    def total_amount(self) -> Decimal:
        return sum((c.amount for c in self.cells if c.amount is not None), Decimal(0))

    @property
    def total_cost(self) -> int:
        return sum(c.cost_yen for c in self.cells if c.cost_yen is not None)


def grid(*, facility: Facility, fiscal_year: int) -> list[GridLine]:
    """The monthly entry grid: one line per energy (grid rows and energies with records)."""
    months = rules.fiscal_months(fiscal_year)
    start, end = fy_range(fiscal_year)
    rows = {
        r.energy: r.unit for r in GridRow.objects.filter(facility=facility, fiscal_year=fiscal_year)
    }
    cells: dict[tuple[str, date], list[EnergyRecord]] = defaultdict(list)
    for rec in EnergyRecord.objects.filter(facility=facility, month__gte=start, month__lte=end):
        cells[(rec.energy, rec.month)].append(rec)
        rows.setdefault(rec.energy, rec.unit)
    lines = []
    for energy in sorted(rows, key=energy_sort_key):
        e = get_energy(energy)
        line_cells = []
        for m in months:
            recs = cells.get((energy, m), [])
            if len(recs) == 1 and not recs[0].use and not recs[0].supplier:
                r = recs[0]
                line_cells.append(GridCell(m, r.amount, r.cost_yen, r.pk))
            elif recs:
                amount = sum((r.amount for r in recs), Decimal(0))
                costs = [r.cost_yen for r in recs if r.cost_yen is not None]
                parts = tuple(
                    (r.use, r.supplier, r.amount, r.unit)
                    for r in sorted(recs, key=lambda r: (r.use, r.supplier, r.pk))
                )
                line_cells.append(
                    GridCell(m, amount, sum(costs) if costs else None, None, True, parts)
                )
            else:
                line_cells.append(GridCell(m))
        lines.append(GridLine(energy, energy_label(energy), rows[energy], e.units, line_cells))
    return lines


def grid_rows_of_year(*, facility: Facility, fiscal_year: int) -> set[str]:
    start, end = fy_range(fiscal_year)
    energies = set(
        GridRow.objects.filter(facility=facility, fiscal_year=fiscal_year).values_list(
            "energy", flat=True
        )
    )
    energies |= set(
        EnergyRecord.objects.filter(facility=facility, month__gte=start, month__lte=end)
        .order_by()
        .values_list("energy", flat=True)
        .distinct()
    )
    return energies


def records_of_facility_month(*, facility: Facility, energy: str, month: date):
    return EnergyRecord.objects.filter(facility=facility, energy=energy, month=month)


# --------------------------------------------------------------------------- imports


def imports_of_company(*, company: Company):
    return EnergyImport.objects.filter(company=company).defer("data")[:20]


def pending_import(*, company: Company, import_id) -> EnergyImport | None:
    return EnergyImport.objects.filter(
        company=company, pk=import_id, status=ImportStatus.PENDING
    ).first()


# --------------------------------------------------------------------------- dashboard


def _f(value) -> float:
    return float(value) if value is not None else 0.0


@dataclass
class Dashboard:
    company: Company
    fiscal_year: int
    years: list[int]
    has_data: bool
    ok: bool
    calc_errors: list[dict]
    provisional: bool
    over_1500kl: bool
    previous_ok: bool
    previous_has_data: bool
    completeness: list[CompletenessRow]
    facilities: list[Facility]
    totals: dict
    previous_totals: dict | None
    changes: dict
    monthly: dict
    by_facility: list[dict]
    by_energy: list[dict]
    pareto: list[rules.ParetoItem]
    flow: list[dict]
    intensity: list[dict]
    factors: list[dict]
    notes: list[dict]  # the core's warnings as plain data (messages.note_dict)
    calc: YearCalc | None = None  # only when asked for (exports need the records)
    # a year with data in fewer than twelve months is compared with the same months of the
    # year before: (first month, last month, number of months, contiguous), else None
    previous_period: tuple[int, int, int, bool] | None = None
    # records that cannot be computed were left out: {"records", "scope1", "scope2",
    # "energies"}; None when every record is computed
    partial: dict | None = None

    @property
    def complete(self) -> bool:
        return all(not row.missing for row in self.completeness)

    def chart_data(self) -> dict:
        return {
            "demo": self.company.is_demo,
            "monthly": self.monthly,
            "by_facility": self.by_facility,
            "pareto": [p.__dict__ for p in self.pareto],
            "flow": self.flow,
            "intensity": self.intensity,
        }


def _totals(result: FiscalYearResult) -> dict:
    return {
        "scope1_t": result.scope1_t,
        "scope2_basic_t": result.scope2_basic_t,
        "scope2_adjusted_t": result.scope2_adjusted_t,
        "scope2_location_t": result.scope2_location_t,
        "scope2_market_t": result.scope2_market_t,
        "total_basic_t": result.total_basic_t,
        "total_adjusted_t": result.total_adjusted_t,
        "energy_gj": result.energy_gj,
        "crude_oil_kl": result.crude_oil_kl,
        "cost_yen": sum(g.cost_yen for g in result.by_energy),
    }


@dataclass
class _Sums:
    """The core's per-record tCO2 summed for the dashboard in one pass over the records, each
    sum in the records' order (the same Decimal additions as one loop per sum)."""

    cross: dict[tuple[str, str], Decimal]  # (energy, month)
    pareto: dict[tuple[str, str], Decimal]  # (facility, energy label)
    flow: dict[tuple[str, str], Decimal]  # (energy label, facility) and (facility, use)


def _sums(result: FiscalYearResult, use_unset: str, shares: dict | None = None) -> _Sums:
    """A record without a use is divided by the facility's use shares for that energy in the
    flow, the rest stays unset."""
    shares = shares or {}
    cross: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    pareto: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    links: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    labels = _Labels()
    for r in result.records:
        rec = r.record
        t = r.tco2
        label = labels[rec.energy]
        cross[(rec.energy, rec.month)] += t
        pareto[(rec.facility, label)] += t
        links[(label, rec.facility)] += t
        split = shares.get((rec.facility, rec.energy)) if not rec.use else None
        if split:
            for use, percent in split.items():
                links[(rec.facility, use)] += t * percent / 100
            rest = t * (100 - sum(split.values(), Decimal(0))) / 100
            if rest:
                links[(rec.facility, use_unset)] += rest
        else:
            links[(rec.facility, rec.use or use_unset)] += t
    return _Sums(cross, pareto, links)


def _flow_links(links: dict[tuple[str, str], Decimal]) -> list[dict]:
    return [
        {"source": s, "target": t, "value": float(v)}
        for (s, t), v in sorted(links.items(), key=lambda kv: -kv[1])
        if v > 0
    ]


def _flow(
    result: FiscalYearResult, use_unset: str, shares: dict[tuple[str, str], dict] | None = None
) -> list[dict]:
    """Energy -> facility -> use links in tCO2 (the core's per-record values). A record without
    a use is divided by the facility's use shares for that energy, the rest stays unset."""
    return _flow_links(_sums(result, use_unset, shares).flow)


def use_shares_of(*, company: Company) -> dict[tuple[str, str], dict[str, Decimal]]:
    """(facility name, energy) -> {use: percent}."""
    out: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for fname, energy, use, percent in UseShare.objects.filter(
        facility__company=company
    ).values_list("facility__name", "energy", "use", "percent"):
        out[(fname, energy)][use] = percent
    return out


def use_shares_of_facility(*, facility: Facility) -> dict[str, dict[str, Decimal]]:
    out: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for s in UseShare.objects.filter(facility=facility):
        out[s.energy][s.use] = s.percent
    return out


def _pareto_items(sums: dict[tuple[str, str], Decimal]) -> list[rules.ParetoItem]:
    return rules.pareto((f, e, t) for (f, e), t in sums.items())


def _pareto(result: FiscalYearResult) -> list[rules.ParetoItem]:
    return _pareto_items(_sums(result, "").pareto)


def _factor_key(f) -> tuple:
    """The key ``FiscalYearResult.factors_used`` tells factors apart by (heat values and
    primary-energy factors have no supplier or menu)."""
    return (f.value, f.unit, f.basis, f.fiscal_year, f.supplier, f.menu, f.source)


def _factor_rows(result: FiscalYearResult) -> list[dict]:
    """Every factor used, with the energies it was applied to (records of one plan share their
    factor objects, so each object is keyed once per energy)."""
    energies: dict[tuple, set[str]] = defaultdict(set)
    seen: set[tuple[int, str]] = set()
    for r in result.records:
        code = r.record.energy
        for f in (r.factor, r.factor_adjusted, r.factor_location, r.factor_market, r.energy_factor):
            if f is not None and (id(f), code) not in seen:
                seen.add((id(f), code))
                energies[_factor_key(f)].add(code)
    labels = _Labels()
    rows = []
    for f in result.factors_used():
        codes = sorted(energies.get(_factor_key(f), ()), key=energy_sort_key)
        rows.append(
            {
                "energies": [labels[c] for c in codes],
                "energy_order": energy_sort_key(codes[0]) if codes else (9, 999),
                "value": f.value,
                "unit": f.unit,
                "basis": f.basis,
                "fiscal_year": f.fiscal_year,
                "provisional": f.provisional,
                "is_default": f.basis == "default",
                "supplier": f.supplier,
                "supplier_name": f.supplier_name,
                "menu": f.menu,
                "document": f.source.document,
                "publisher": f.source.publisher,
                "published": f.source.published,
                "page": f.source.page,
                "url": f.source.url,
            }
        )
    rows.sort(key=lambda r: (r["energy_order"], r["unit"], r["basis"], r["supplier"], r["menu"]))
    return rows


@lru_cache(maxsize=1)
def _factor_fingerprint() -> str:
    """Changes when the core's official tables change (part of the dashboard cache key)."""
    h = hashlib.sha256()
    for path in sorted(DATA_DIR.glob("*.tsv")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _hash(parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _records_stamp(*, company: Company, fiscal_year: int) -> tuple:
    start, end = fy_range(fiscal_year)
    agg = EnergyRecord.objects.filter(
        facility__company=company, month__gte=start, month__lte=end
    ).aggregate(n=Count("id"), last=Max("id"), changed=Max("updated_at"))
    return (agg["n"], agg["last"], agg["changed"])


def _common_stamp(*, company: Company, facilities: list[Facility]) -> tuple:
    """What every year's result depends on besides its records: contracts (a changed contract
    is a new row), use shares (likewise), employees, facility names, the factor tables."""
    con = SupplyContract.objects.filter(facility__company=company).aggregate(
        n=Count("id"), last=Max("id")
    )
    shares = UseShare.objects.filter(facility__company=company).aggregate(
        n=Count("id"), last=Max("id")
    )
    return (
        con["n"], con["last"], shares["n"], shares["last"], company.employees,
        tuple((f.pk, f.name) for f in facilities), _factor_fingerprint(),
    )  # fmt: skip


def _month_totals(result: FiscalYearResult) -> dict[str, dict]:
    """The ``_totals`` fields of each month (MM) of a year, in one pass over its records."""
    zero = Decimal(0)
    out: dict[str, list] = {}
    for r in result.records:
        t = out.get(r.record.month[5:7])
        if t is None:
            t = out[r.record.month[5:7]] = [zero] * 8 + [0]
        if r.scope == 1:
            t[0] += r.tco2
            t[1] += r.tco2_adjusted
        else:
            t[2] += r.tco2
            t[3] += r.tco2_adjusted
            t[4] += r.tco2_location
            t[5] += r.tco2_market
        if r.energy_gj is not None:
            t[6] += r.energy_gj
        if r.crude_oil_kl is not None:
            t[7] += r.crude_oil_kl
        t[8] += r.record.cost_yen or 0
    return {
        mm: {
            "scope1_t": t[0],
            "scope2_basic_t": t[2],
            "scope2_adjusted_t": t[3],
            "scope2_location_t": t[4],
            "scope2_market_t": t[5],
            "total_basic_t": t[0] + t[2],
            "total_adjusted_t": t[1] + t[3],
            "energy_gj": t[6],
            "crude_oil_kl": t[7],
            "cost_yen": t[8],
        }
        for mm, t in out.items()
    }


def _year_summary(calc: YearCalc) -> dict:
    """What a dashboard needs of the year before: totals, tCO2 by month (MM) and the totals of
    each month (a year in progress is compared with the same months)."""
    if not calc.ok:
        return {"ok": False, "has_data": calc.has_data, "totals": None, "by_month": {},
                "month_totals": {}, "total_t": None}  # fmt: skip
    result = calc.result
    return {
        "ok": True,
        "has_data": True,
        "totals": _totals(result),
        "by_month": {g.key[5:7]: g.tco2 for g in result.by_month},
        "month_totals": _month_totals(result),
        "total_t": result.total_basic_t,
    }


def _same_months(previous: dict, months: list[str]) -> dict:
    """The year before's totals over the given months (MM) only."""
    out: dict = {}
    for mm in months:
        for k, v in previous["month_totals"].get(mm, {}).items():
            out[k] = out.get(k, 0) + v
    keys = previous["totals"].keys()
    return {k: out.get(k, Decimal(0) if k != "cost_yen" else 0) for k in keys}


def _core_part(
    *,
    company: Company,
    fiscal_year: int,
    facilities: list[Facility],
    use_unset: str,
    calc: YearCalc,
    previous_records: list[Record] | None = None,
) -> dict:
    """Everything of one year's dashboard that comes from the core (cacheable, plain data)."""
    months = [rules.month_text(m) for m in rules.fiscal_months(fiscal_year)]
    part: dict = {
        "has_data": calc.has_data,
        "ok": calc.ok,
        "calc_errors": calc.grouped_errors(),
        "provisional": False,
        "over_1500kl": False,
        "completeness": completeness(
            company=company,
            fiscal_year=fiscal_year,
            records=calc.records,
            facilities=facilities,
            previous_records=previous_records,
        ),
        "totals": {},
        "monthly": {"months": months, "series": [], "total": []},
        "by_facility": [],
        "by_energy": [],
        "pareto": [],
        "flow": [],
        "factors": [],
        "notes": [],
        "total_t": None,
        "months_with_data": [],
        "partial": None,
    }
    if not calc.ok and calc.partial is None:
        return part
    result = calc.result
    if result is None:
        # Some records cannot be computed: show the others, saying what is left out; the
        # totals that would include the missing records are not shown (see the template).
        result = calc.partial
        failed = {e.line for e, _ref in calc.errors}
        left_out = [r for r in calc.records if r.line in failed]
        scopes = {get_energy(r.energy).scope for r in left_out}
        part["ok"] = True
        part["partial"] = {
            "records": len(left_out),
            "scope1": 1 in scopes,
            "scope2": 2 in scopes,
            "energies": [
                energy_label(c) for c in sorted({r.energy for r in left_out}, key=energy_sort_key)
            ],
        }
    part["total_t"] = result.total_basic_t
    part["months_with_data"] = sorted({g.key[5:7] for g in result.by_month})
    part["provisional"] = result.provisional
    part["over_1500kl"] = bool(result.thresholds.shk_energy_co2_reporter)  # a lower bound
    part["totals"] = _totals(result)
    monthly = part["monthly"]
    sums = _sums(result, use_unset, use_shares_of(company=company))
    labels = _Labels()
    for energy in sorted({e for e, _m in sums.cross}, key=energy_sort_key):
        monthly["series"].append(
            {
                "energy": energy,
                "label": labels[energy],
                "values": [_f(sums.cross.get((energy, m))) for m in months],
            }
        )
    by_month = {g.key: g.tco2 for g in result.by_month}
    monthly["total"] = [_f(by_month.get(m)) for m in months]
    areas = {f.name: f.floor_area_m2 for f in facilities}
    for g in result.by_facility:
        area = areas.get(g.key)
        part["by_facility"].append(
            {
                "facility": g.label,
                "tco2": _f(g.tco2),
                "energy_gj": _f(g.energy_gj),
                "cost_yen": g.cost_yen,
                "floor_area_m2": _f(area) if area else None,
                "t_per_m2": float(g.tco2 / area) if area else None,
            }
        )
    for g in result.by_energy:
        part["by_energy"].append(
            {
                "energy": g.key,
                "label": labels[g.key],
                "tco2": _f(g.tco2),
                "energy_gj": _f(g.energy_gj),
                "cost_yen": g.cost_yen,
            }
        )
    part["pareto"] = _pareto_items(sums.pareto)
    part["flow"] = _flow_links(sums.flow)
    facility_names = {g.key for g in result.by_facility}
    for link in part["flow"]:  # facility -> use links: the use in the page's language
        if link["source"] in facility_names:
            link["target"] = use_label(link["target"])
    part["factors"] = _factor_rows(result)
    part["notes"] = [note_dict(note, count) for note, count in result.notes]
    return part


def _intensity(
    *, company: Company, fiscal_year: int, facilities: list[Facility], total_t, prev_t
) -> list[dict]:
    if total_t is None:
        return []
    volumes = volumes_of(company=company, fiscal_year=fiscal_year)
    prev_volumes = volumes_of(company=company, fiscal_year=fiscal_year - 1)
    area_total = sum((f.floor_area_m2 for f in facilities if f.floor_area_m2), Decimal(0))
    bases = [("employees", company.employees, _("人"), company.employees)]
    bases.append(("floor_area", area_total or None, "m²", area_total or None))
    for kind in (VolumeKind.SALES, VolumeKind.PRODUCTION):
        cur = volumes.get(kind)
        prev = prev_volumes.get(kind)
        bases.append(
            (kind.value, cur[0] if cur else None, cur[1] if cur else "", prev[0] if prev else None)
        )
    out = []
    for key, denom, unit, prev_denom in bases:
        if not denom:
            continue
        out.append(
            {
                "key": key,
                "unit": unit,
                "denominator": _f(denom),
                "value": float(total_t / Decimal(denom)),
                "previous": float(prev_t / Decimal(prev_denom))
                if prev_t is not None and prev_denom
                else None,
            }
        )
    return out


def dashboard(
    *,
    company: Company,
    fiscal_year: int,
    use_unset: str = "未設定",
    with_records: bool = False,
) -> Dashboard:
    """One fiscal year for the dashboard, compared with the year before.

    The core's part of each year is cached under a stamp of everything it depends on, so a
    repeated view computes nothing and an edit of one year recomputes only that year.
    ``with_records`` computes afresh and keeps the records (exports)."""
    facilities = facilities_of(company=company)
    years = sorted(set(fiscal_years_with_data(company=company)) | {fiscal_year})
    calc = None
    if with_records:
        calc = year_calc(company=company, fiscal_year=fiscal_year, with_partial=True)
        part = _core_part(
            company=company,
            fiscal_year=fiscal_year,
            facilities=facilities,
            use_unset=use_unset,
            calc=calc,
        )
        previous = _year_summary(year_calc(company=company, fiscal_year=fiscal_year - 1))
    else:
        lang = get_language() or "ja"
        common = _common_stamp(company=company, facilities=facilities)
        current = _records_stamp(company=company, fiscal_year=fiscal_year)
        before = _records_stamp(company=company, fiscal_year=fiscal_year - 1)
        prev_key = f"measure:year:v6:{company.pk}:{fiscal_year - 1}:{_hash([before, common])}"
        rows = GridRow.objects.filter(facility__company=company, fiscal_year=fiscal_year).aggregate(
            n=Count("id"), last=Max("id")
        )
        stamp = _hash([current, before, common, rows, timezone.localdate(), use_unset])
        key = f"measure:dashboard:v6:{company.pk}:{fiscal_year}:{lang}:{stamp}"
        cached = cache.get_many([prev_key, key])
        previous, part = cached.get(prev_key), cached.get(key)
        book = RequestFactorBook()  # both years share the factor look-ups
        by_year: dict[int, list[Record]] = {}
        if previous is None and part is None:  # both years: one read of their records
            by_year = core_records_by_year(
                company=company, fiscal_years=[fiscal_year - 1, fiscal_year]
            )
        prev_calc = None
        if previous is None:
            prev_calc = year_calc(
                company=company,
                fiscal_year=fiscal_year - 1,
                records=by_year.get(fiscal_year - 1),
                book=book,
            )
            previous = _year_summary(prev_calc)
            cache.set(prev_key, previous, DASHBOARD_CACHE_SECONDS)
        if part is None:
            part = _core_part(
                company=company,
                fiscal_year=fiscal_year,
                facilities=facilities,
                use_unset=use_unset,
                calc=year_calc(
                    company=company,
                    fiscal_year=fiscal_year,
                    records=by_year.get(fiscal_year),
                    book=book,
                    with_partial=True,
                ),
                previous_records=prev_calc.records if prev_calc is not None else None,
            )
            cache.set(key, part, DASHBOARD_CACHE_SECONDS)
    # the comparison with the year before: a year with data in fewer than twelve months (the
    # year in progress) against the same months of the year before, never against a whole year
    prev_totals, prev_t, period = previous["totals"], previous["total_t"], None
    partial = part.get("partial")
    if partial:  # some records left out: no comparison, no intensity (both would mislead)
        previous = dict(previous, ok=False, totals=None, total_t=None)
        prev_totals = prev_t = None
    months_with_data = part.get("months_with_data") or []
    if prev_totals and part["ok"] and 0 < len(months_with_data) < 12:
        prev_totals = _same_months(previous, months_with_data)
        prev_t = prev_totals["total_basic_t"]
        order = [m.month for m in rules.fiscal_months(fiscal_year)]
        idx = sorted(order.index(int(mm)) for mm in months_with_data)
        contiguous = idx[-1] - idx[0] + 1 == len(idx)
        period = (order[idx[0]], order[idx[-1]], len(idx), contiguous)
    monthly = dict(part["monthly"])
    monthly["previous"] = (
        [_f(previous["by_month"].get(m[5:7])) for m in monthly["months"]] if previous["ok"] else []
    )
    changes = {}
    if part["ok"] and prev_totals:
        changes = {k: rules.change_ratio(v, prev_totals[k]) for k, v in part["totals"].items()}
        monthly["change"] = [
            rules.change_ratio(cur, prev)
            for cur, prev in zip(monthly["total"], monthly["previous"], strict=True)
        ]
    intensity = _intensity(
        company=company,
        fiscal_year=fiscal_year,
        facilities=facilities,
        total_t=None if partial else part["total_t"],
        prev_t=prev_t,
    )
    fields = {k: v for k, v in part.items() if k not in ("total_t", "monthly", "months_with_data")}
    return Dashboard(
        company=company,
        fiscal_year=fiscal_year,
        years=years,
        facilities=facilities,
        intensity=intensity,
        previous_ok=previous["ok"],
        previous_has_data=previous["has_data"],
        previous_totals=prev_totals,
        changes=changes,
        monthly=monthly,
        calc=calc if with_records else None,
        previous_period=period,
        **fields,
    )


# --------------------------------------------------------------------------- other apps


@dataclass(frozen=True)
class EnergyDataSummary:
    months_with_data_last_12: int
    has_use_breakdown: bool
    has_co2: bool
    latest_fiscal_year: int | None


def energy_data_summary(*, company: Company) -> EnergyDataSummary:
    """What the company has measured: months with data among the last 12 complete months,
    whether any record of those months has a use, whether the latest year computes."""
    today = timezone.localdate()
    first_of_this_month = date(today.year, today.month, 1)
    y, m = first_of_this_month.year, first_of_this_month.month - 12
    if m <= 0:
        y, m = y - 1, m + 12
    start = date(y, m, 1)
    recent = EnergyRecord.objects.filter(
        facility__company=company, month__gte=start, month__lt=first_of_this_month
    )
    months = recent.order_by().values_list("month", flat=True).distinct().count()
    has_use = recent.exclude(use="").exists()
    years = fiscal_years_with_data(company=company)
    latest = years[-1] if years else None
    has_co2 = bool(latest is not None and year_calc(company=company, fiscal_year=latest).ok)
    return EnergyDataSummary(
        months_with_data_last_12=months,
        has_use_breakdown=has_use,
        has_co2=has_co2,
        latest_fiscal_year=latest,
    )


def emissions_snapshot(*, company: Company, fiscal_year: int) -> dict:
    """A JSON-serialisable picture of one fiscal year (see /work/notes/interfaces.md)."""
    calc = year_calc(company=company, fiscal_year=fiscal_year)
    snap = {
        "fiscal_year": fiscal_year,
        "scope1_t": 0.0,
        "scope2_basic_t": 0.0,
        "scope2_adjusted_t": 0.0,
        "scope2_location_t": 0.0,
        "scope2_market_t": 0.0,
        "energy_gj": 0.0,
        "crude_oil_kl": 0.0,
        "cost_yen": 0,
        "provisional": False,
        "demo": bool(company.is_demo),
        "complete": False,
        "pareto": [],
        "flow": [],
        "warnings": [],
    }
    if not calc.has_data:
        return snap
    if not calc.ok:
        snap["warnings"] = [str(e) for e, _ in calc.errors]
        return snap
    result = calc.result
    totals = _totals(result)
    for key in (
        "scope1_t",
        "scope2_basic_t",
        "scope2_adjusted_t",
        "scope2_location_t",
        "scope2_market_t",
        "energy_gj",
        "crude_oil_kl",
    ):
        snap[key] = float(totals[key])
    snap["cost_yen"] = int(totals["cost_yen"])
    snap["provisional"] = bool(result.provisional)
    comp = completeness(
        company=company,
        fiscal_year=fiscal_year,
        records=calc.records,
        facilities=facilities_of(company=company),
    )
    months_ended = rules.complete_months(fiscal_year, timezone.localdate())
    snap["complete"] = len(months_ended) == 12 and all(not row.missing for row in comp)
    snap["pareto"] = [p.__dict__ for p in _pareto(result)]
    snap["flow"] = _flow(result, "未設定", use_shares_of(company=company))
    snap["warnings"] = list(result.warnings)
    return snap
