"""The one adapter between measure's records and the calculation core (``cnnavi.core``).

Every CO2, energy and crude-oil figure comes from ``cnnavi.core.calculate`` on the company's
records. This module turns stored rows into core ``Record`` objects (with the supplier rule
for records that name none), computes fiscal years (``year_calc``), sums the core's results
for pages (totals, pareto, flow, completeness), keeps the version of a company's data that
cached results are keyed on, and gives other apps their summaries (``energy_data_summary``,
``emissions_snapshot``). Reduce, consultations, know and the back office read measure's data
only through this module (and ``measure.labels`` for display names)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from cnnavi.core import (
    CalculationError,
    FiscalYearResult,
    Record,
    RowError,
    calculate,
    factor_book,
    get_energy,
)
from cnnavi.core.factors import FactorBook
from cnnavi.core.periods import FiscalYear, month_number
from cnnavi.measure import rules
from cnnavi.measure.labels import EnergyLabels, energy_label, energy_sort_key
from cnnavi.measure.messages import error_message
from cnnavi.measure.models import (
    EnergyRecord,
    GridRow,
    SupplierNotice,
    SupplyContract,
    UseShare,
)
from cnnavi.measure.selectors import estimate_allowed, facilities_of
from cnnavi.orgs.models import Company, Facility

SUPPLY_KIND_OF_ENERGY = {"electricity": "electricity", "city_gas": "gas", "heat": "heat"}


def supply_kind_of(energy_code: str) -> str | None:
    return SUPPLY_KIND_OF_ENERGY.get(get_energy(energy_code).kind)


def fy_range(fiscal_year: int) -> tuple[date, date]:
    """The first and the last month of a fiscal year (for ``month__gte`` / ``month__lte``)."""
    fy = FiscalYear(fiscal_year)
    return fy.first_month, fy.last_month


def contract_spans(*, company: Company) -> dict[int, list[rules.ContractSpan]]:
    spans: dict[int, list[rules.ContractSpan]] = defaultdict(list)
    for pk, fid, kind, start, reg, menu, heat in SupplyContract.objects.filter(
        facility__company=company
    ).values_list("pk", "facility_id", "kind", "valid_from", "supplier_reg", "menu", "heat_value"):
        spans[fid].append(rules.ContractSpan(kind, start, reg, menu, pk, heat))
    return spans


Notice = tuple[Decimal, Decimal | None]


def _plain(value: Decimal) -> Decimal:
    """0.00048000 (as stored, 8 places) -> 0.00048: the same number, written as entered."""
    return Decimal(
        format(value.normalize(), "f")
    )  # (basic, adjusted) as the supplier published them


def notices_by_contract(*, company: Company) -> dict[tuple[int, int], Notice]:
    """(contract id, fiscal year) -> the supplier's own factors the user entered
    (事業者公表値（利用者入力）), in the unit of the official table."""
    return {
        (cid, fy): (_plain(basic), _plain(adjusted) if adjusted is not None else None)
        for cid, fy, basic, adjusted in SupplierNotice.objects.filter(
            contract__facility__company=company
        ).values_list("contract_id", "fiscal_year", "basic_factor", "adjusted_factor")
    }


# --------------------------------------------------------------------------- records -> core


class Contracts:
    """The rule for a record that names no supplier: the supplier of its facility's contract
    valid in the record's month, and that contract's menu where the record names none. A
    company has few energies and contracts: each is looked up once."""

    def __init__(self, *, company: Company) -> None:
        self.spans = contract_spans(company=company)
        # a company without contracts has no notices: no query
        self.notices = notices_by_contract(company=company) if self.spans else {}
        self._kinds: dict[str, str | None] = {}
        self._found: dict[tuple[int, str, date], rules.ContractSpan | None] = {}

    def contract(self, facility_id: int, energy: str, month: date) -> rules.ContractSpan | None:
        """The facility's contract for the energy valid in the month, or None."""
        try:
            kind = self._kinds[energy]
        except KeyError:
            kind = self._kinds[energy] = supply_kind_of(energy)
        if not kind:
            return None
        key = (facility_id, kind, month)
        try:
            return self._found[key]
        except KeyError:
            c = self._found[key] = rules.contract_for(self.spans.get(facility_id, ()), kind, month)
            return c

    def supplier_and_menu(
        self, facility_id: int, energy: str, month: date, menu: str
    ) -> tuple[str, str]:
        """(supplier, menu) of a record without a supplier: ("", menu) where no contract
        applies."""
        c = self.contract(facility_id, energy, month)
        if c is None:
            return "", menu
        return c.supplier, menu or c.menu

    def heat_value(
        self, facility_id: int, energy: str, month: date, supplier: str
    ) -> Decimal | None:
        """City gas: the standard heat value of the contract valid in the month (its bills
        print it), where the record is that contract's; None otherwise."""
        if energy != "city_gas":
            return None
        c = self.contract(facility_id, energy, month)
        if c is None or c.heat_value is None:
            return None
        if supplier and supplier.strip().upper() != c.supplier.upper():
            return None
        return _plain(c.heat_value)

    def notice(self, facility_id: int, energy: str, month: date, supplier: str) -> Notice | None:
        """The supplier notice (事業者公表値（利用者入力）) of the contract valid in the month,
        for the month's fiscal year: only where the record is that contract's (it names no
        supplier, or the contract's registration number)."""
        if not self.notices:
            return None
        c = self.contract(facility_id, energy, month)
        if c is None or (supplier and supplier.strip().upper() != c.supplier.upper()):
            return None
        return self.notices.get((c.pk, rules.fiscal_year_of(month)))


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


class RequestFactorBook:
    """The shared official ``FactorBook`` with its look-ups remembered for one request.

    It answers the look-ups the core asks of a book (``constant``, ``fuel_params``,
    ``table``, ``table_for``, ``find_supplier``) from the shared book, each distinct question once: the same
    tables, the same answers (the core's objects are immutable); only the repeated linear scans
    and supplier-name searches of a year's hundreds of records are done once. Failures are not
    remembered: they raise again as before."""

    def __init__(self, book: FactorBook | None = None) -> None:
        self._book = book or factor_book()
        self._memo: dict[tuple, object] = {}

    def _remember(self, key: tuple, look_up, *args):
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = look_up(*args)
            return value

    def constant(self, key: str, fiscal_year: int):
        return self._remember(("c", key, fiscal_year), self._book.constant, key, fiscal_year)

    def fuel_params(self, code: str, fiscal_year: int):
        return self._remember(("f", code, fiscal_year), self._book.fuel_params, code, fiscal_year)

    def table(self, kind: str, fiscal_year: int):
        return self._remember(("t", kind, fiscal_year), self._book.table, kind, fiscal_year)

    def table_for(self, kind: str, fiscal_year: int, *, estimate: bool = False):
        return self._remember(
            ("tf", kind, fiscal_year, estimate),
            lambda: self._book.table_for(kind, fiscal_year, estimate=estimate),
        )

    def find_supplier(self, kind: str, fiscal_year: int, text: str):
        return self._remember(
            ("s", kind, fiscal_year, text), self._book.find_supplier, kind, fiscal_year, text
        )


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
    contracts = Contracts(company=company)
    # a fiscal year has twelve months: look each up once
    months: dict[date, tuple[str, list[Record] | None]] = {}
    for pk, fid, fname, month, energy, amount, unit, cost, supplier, menu, use in rows:
        try:
            mt, bucket = months[month]
        except KeyError:
            mt, bucket = months[month] = (rules.month_text(month),
                                          out.get(rules.fiscal_year_of(month)))  # fmt: skip
        if bucket is None:
            continue
        notice = contracts.notice(fid, energy, month, supplier)
        heat = contracts.heat_value(fid, energy, month, supplier) if energy == "city_gas" else None
        if not supplier:
            supplier, menu = contracts.supplier_and_menu(fid, energy, month, menu)
        if notice is None and heat is None:
            bucket.append(Record(mt, energy, amount, unit, fname, supplier, menu, cost, use, pk))
        else:  # the core labels these 事業者公表値（利用者入力） / 供給事業者の標準熱量
            bucket.append(
                Record(mt, energy, amount, unit, fname, supplier, menu, cost, use, pk,
                       basic_factor=notice[0] if notice else None,
                       adjusted_factor=notice[1] if notice else None,
                       heat_value=heat)
            )  # fmt: skip
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
        labels = EnergyLabels()
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
    estimate: bool | None = None,
) -> YearCalc:
    """One fiscal year computed by the core. ``records`` (that year's, from
    ``core_records_by_year``) and ``book`` let a caller that needs several years read them in
    one query and share the factor look-ups. ``with_partial``: where some records fail, also
    compute the others (``YearCalc.partial``, for the dashboard of the shown year).
    ``estimate``: whether a year without a published table is estimated from the nearest one
    (推計); None = the company's choice (``CalcSettings.allow_estimate``)."""
    if records is None:
        records, _refs = core_records(company=company, fiscal_year=fiscal_year)
    if not records:
        return YearCalc(fiscal_year, None, [], [])
    book = book or RequestFactorBook()
    if estimate is None:
        estimate = estimate_allowed(company=company)
    try:
        results = calculate(
            records,
            fiscal_year=fiscal_year,
            employees=company.employees,
            book=book,
            estimate=estimate,
        )
    except CalculationError as exc:
        refs = _Refs(records)
        failed = {e.line for e in exc.errors}
        rest = [r for r in records if r.line not in failed]
        partial = None
        if rest and with_partial:
            try:
                partial = calculate(
                    rest,
                    fiscal_year=fiscal_year,
                    employees=company.employees,
                    book=book,
                    estimate=estimate,
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


def year_totals(result: FiscalYearResult) -> dict:
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
class Sums:
    """The core's per-record tCO2 summed for the dashboard in one pass over the records, each
    sum in the records' order (the same Decimal additions as one loop per sum)."""

    cross: dict[tuple[str, str], Decimal]  # (energy, month)
    pareto: dict[tuple[str, str], Decimal]  # (facility, energy label)
    flow: dict[tuple[str, str], Decimal]  # (energy label, facility) and (facility, use)


def sums(result: FiscalYearResult, use_unset: str, shares: dict | None = None) -> Sums:
    """A record without a use is divided by the facility's use shares for that energy in the
    flow, the rest stays unset."""
    shares = shares or {}
    cross: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    pareto: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    links: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    labels = EnergyLabels()
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
    return Sums(cross, pareto, links)


def flow_links(links: dict[tuple[str, str], Decimal]) -> list[dict]:
    return [
        {"source": s, "target": t, "value": float(v)}
        for (s, t), v in sorted(links.items(), key=lambda kv: -kv[1])
        if v > 0
    ]


def flow(
    result: FiscalYearResult, use_unset: str, shares: dict[tuple[str, str], dict] | None = None
) -> list[dict]:
    """Energy -> facility -> use links in tCO2 (the core's per-record values). A record without
    a use is divided by the facility's use shares for that energy, the rest stays unset."""
    return flow_links(sums(result, use_unset, shares).flow)


def use_shares_of(*, company: Company) -> dict[tuple[str, str], dict[str, Decimal]]:
    """(facility name, energy) -> {use: percent}."""
    out: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for fname, energy, use, percent in UseShare.objects.filter(
        facility__company=company
    ).values_list("facility__name", "energy", "use", "percent"):
        out[(fname, energy)][use] = percent
    return out


def pareto_items(sums: dict[tuple[str, str], Decimal]) -> list[rules.ParetoItem]:
    return rules.pareto((f, e, t) for (f, e), t in sums.items())


def pareto(result: FiscalYearResult) -> list[rules.ParetoItem]:
    return pareto_items(sums(result, "").pareto)


def month_totals(result: FiscalYearResult) -> dict[int, dict]:
    """The ``year_totals`` fields of each calendar month (1-12) of a year, in one pass over its
    records."""
    zero = Decimal(0)
    out: dict[int, list] = {}
    for r in result.records:
        mm = month_number(r.record.month)
        t = out.get(mm)
        if t is None:
            t = out[mm] = [zero] * 8 + [0]
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
    """A JSON-serialisable picture of one fiscal year (the consultation records keep it as
    it was on the day; the keys are read by the consultation and console templates)."""
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
        "estimated": False,
        "user_entered": False,
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
    totals = year_totals(result)
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
    snap["estimated"] = bool(result.estimated)
    snap["user_entered"] = bool(result.user_entered)
    comp = completeness(
        company=company,
        fiscal_year=fiscal_year,
        records=calc.records,
        facilities=facilities_of(company=company),
    )
    months_ended = rules.complete_months(fiscal_year, timezone.localdate())
    snap["complete"] = len(months_ended) == 12 and all(not row.missing for row in comp)
    snap["pareto"] = [p.__dict__ for p in pareto(result)]
    snap["flow"] = flow(result, "未設定", use_shares_of(company=company))
    snap["warnings"] = list(result.warnings)
    return snap


# --------------------------------------------------------------------------- data version


def _version_key(company_id: int, fiscal_year: int | str | None) -> str:
    if fiscal_year is None:
        return f"measure:data-version:{company_id}"
    return f"measure:data-version:{company_id}:{fiscal_year}"


ANY_YEAR = "any"  # the token every change of the company's data bumps


def data_version(*, company: Company, fiscal_years: Iterable[int | str] = ()) -> tuple[str, ...]:
    """Tokens that change whenever the company's measure data changes: the company's (contracts,
    use shares, imports: every year) and each given fiscal year's (its records and grid rows);
    ``ANY_YEAR`` as a fiscal year gives the token of any change at all (for reads of every
    year, as reduce's plan). Results cached under them are never stale. The services that
    write that data call ``data_changed``. A token the cache has lost is replaced by a new one,
    so an evicted token can never bring back an old result."""
    keys = [_version_key(company.pk, None)] + [_version_key(company.pk, fy) for fy in fiscal_years]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            token = uuid.uuid4().hex
            found[key] = token if cache.add(key, token, None) else cache.get(key, token)
    return tuple(found[key] for key in keys)


def data_changed(*, company: Company, fiscal_years: Iterable[int] | None = None) -> None:
    """Give the company's data (``fiscal_years`` None: every year) or the given fiscal years a
    new version: at once (the writing transaction reads its own changes) and again after
    commit (a read between the two would have cached the data as it was before the commit)."""
    keys = (
        [_version_key(company.pk, None)]
        if fiscal_years is None
        else [_version_key(company.pk, fy) for fy in set(fiscal_years)]
    )
    keys.append(_version_key(company.pk, ANY_YEAR))

    def bump() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)

    bump()
    transaction.on_commit(bump)
