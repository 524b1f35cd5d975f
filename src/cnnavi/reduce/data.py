"""The one place where the reduce app reads the company's energy data (owned by the measure
app). Every figure is computed by ``cnnavi.core.calculate`` from measure's records, so the
numbers here are the official ones that the measure pages show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from cnnavi.core import Record, calculate_record, convert, get_energy
from cnnavi.core.reduce import BASES, EnergyLine, Profile
from cnnavi.measure import calc as measure_calc
from cnnavi.measure.calc import fiscal_years_with_data
from cnnavi.measure.messages import error_messages
from cnnavi.measure.selectors import estimate_allowed, facilities_of
from cnnavi.measure.selectors.dashboard import tables_fingerprint


@dataclass(frozen=True)
class EnergyFigures:
    """One energy of the company in a fiscal year, as the core computed it."""

    energy: str
    label: str
    label_en: str
    kind: str
    amount: Decimal
    unit: str
    cost_yen: int
    gj: Decimal
    t: dict[str, Decimal]  # basic (SHK 基礎), location, market
    factors: dict[str, tuple[Decimal, str]]  # basis -> (t-CO2 per unit as applied, source)
    uses: dict[str, Decimal]  # use -> amount, where the records say

    @property
    def unit_price(self) -> Decimal | None:
        return Decimal(self.cost_yen) / self.amount if self.amount and self.cost_yen else None


@dataclass
class EnergyProfile:
    company_id: int
    fiscal_year: int
    energies: list[EnergyFigures] = field(default_factory=list)
    electricity_factor: dict[str, Decimal] = field(default_factory=dict)
    electricity_factor_note: str = ""
    provisional: bool = False
    # some figure uses a factor estimated from another year's table (推計), or a supplier's
    # own factor the user entered (事業者公表値（利用者入力）): the plan says so
    estimated: bool = False
    user_entered: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return bool(self.energies)

    def total(self, basis: str) -> Decimal:
        return sum((e.t[basis] for e in self.energies), Decimal(0))

    @property
    def scope1_t(self) -> Decimal:
        return sum(
            (e.t["basic"] for e in self.energies if e.kind in ("fuel", "city_gas")), Decimal(0)
        )

    @property
    def scope2_location_t(self) -> Decimal:
        return sum(
            (e.t["location"] for e in self.energies if e.kind in ("electricity", "heat")),
            Decimal(0),
        )

    @property
    def cost_yen(self) -> int:
        return sum(e.cost_yen for e in self.energies)

    def core_profile(self) -> Profile:
        lines = tuple(
            EnergyLine(
                e.energy, e.kind, e.amount, e.unit, e.cost_yen, e.gj, dict(e.t), dict(e.uses)
            )
            for e in self.energies
        )
        return Profile(lines, dict(self.electricity_factor), None)


def _records(company, fiscal_year: int | None) -> list[Record]:
    records, _refs = measure_calc.core_records(company=company, fiscal_year=fiscal_year)
    return records


def _amount_in(record_result, unit: str) -> Decimal | None:
    rec = record_result.record
    if rec.unit == unit:
        return rec.amount
    try:
        return convert(rec.amount, rec.unit, unit)
    except (ValueError, KeyError):
        return None


def _default_electricity_factor(fiscal_year: int) -> tuple[dict[str, Decimal], str]:
    """One kWh bought from a supplier not in the table (default value) in the year."""
    r = calculate_record(
        Record(month=f"{fiscal_year}-04", energy="electricity", amount=Decimal(1), unit="kWh"),
        fiscal_year=fiscal_year,
        accept_default=True,
    )
    return (
        {"basic": r.tco2, "location": r.tco2_location, "market": r.tco2_market},
        "default",
    )


def _energy_figures(code: str, rows: list) -> EnergyFigures:
    """One energy's figures from its calculated records: the amount in their one unit (the
    energy's default unit where they differ, GJ where they cannot be converted), by use, and
    its tCO2 on the three bases with the factors of its first record."""
    energy = get_energy(code)
    units = {r.record.unit for r in rows}
    unit = units.pop() if len(units) == 1 else energy.default_unit
    amounts = [_amount_in(r, unit) for r in rows]
    if any(a is None for a in amounts):  # e.g. LPG partly in m3, partly in t
        unit = "GJ"
        amounts = [r.energy_gj or Decimal(0) for r in rows]
    uses: dict[str, Decimal] = defaultdict(Decimal)
    for r, a in zip(rows, amounts, strict=True):
        if r.record.use:
            uses[r.record.use] += a
    factors = {}
    for basis, attr in (
        ("basic", "factor"),
        ("location", "factor_location"),
        ("market", "factor_market"),
    ):
        f = getattr(rows[0], attr)
        factors[basis] = (f.value, f"{f.unit} {f.source.document}".strip())
    return EnergyFigures(
        energy=code,
        label=energy.name_ja,
        label_en=energy.name_en,
        kind=energy.kind,
        amount=sum(amounts, Decimal(0)),
        unit=unit,
        cost_yen=sum(r.record.cost_yen or 0 for r in rows),
        gj=sum((r.energy_gj or Decimal(0) for r in rows), Decimal(0)),
        t={
            "basic": sum((r.tco2 for r in rows), Decimal(0)),
            "location": sum((r.tco2_location for r in rows), Decimal(0)),
            "market": sum((r.tco2_market for r in rows), Decimal(0)),
        },
        factors=factors,
        uses=dict(uses),
    )


def energy_profile(*, company, fiscal_year: int) -> EnergyProfile:
    """Per energy: amount, unit, cost in yen, GJ, tCO2 on SHK basic, location-based and
    market-based, the factors used and the amount by use where the records give one."""
    profile = EnergyProfile(company_id=company.pk, fiscal_year=fiscal_year)
    records = _records(company, fiscal_year)
    if not records:
        return profile
    # measure's path: supplier notices and the company's choice to estimate, as the dashboard
    calc = measure_calc.year_calc(company=company, fiscal_year=fiscal_year, records=records)
    if not calc.ok:
        profile.errors = error_messages([e for e, _ref in calc.errors])  # user's language, once
        return profile
    result = calc.result
    profile.provisional = result.provisional
    profile.estimated = result.estimated
    profile.user_entered = result.user_entered
    groups: dict[str, list] = defaultdict(list)
    for r in result.records:
        groups[r.record.energy].append(r)
    profile.energies.extend(_energy_figures(code, rows) for code, rows in groups.items())
    profile.energies.sort(key=lambda e: (-e.t["basic"], e.energy))
    elec = next((e for e in profile.energies if e.energy == "electricity" and e.amount), None)
    if elec is not None and elec.unit == "kWh":
        profile.electricity_factor = {b: elec.t[b] / elec.amount for b in BASES}
        profile.electricity_factor_note = "own"
    else:
        profile.electricity_factor, profile.electricity_factor_note = _default_electricity_factor(
            fiscal_year
        )
    return profile


@dataclass(frozen=True)
class Completeness:
    fiscal_year: int
    has_data: bool
    complete: bool
    missing: list[tuple[str, str, str, list[str]]]  # (facility, label, label_en, months)
    errors: list[str]


def base_year_completeness(*, company, fiscal_year: int) -> Completeness:
    """Whether the year has every expected month of every energy at every facility (measure's
    rule), and whether the core can compute it."""
    calc = measure_calc.year_calc(company=company, fiscal_year=fiscal_year)
    rows = measure_calc.completeness(
        company=company,
        fiscal_year=fiscal_year,
        records=calc.records,
        facilities=facilities_of(company=company),
    )
    missing = [
        (r.facility, get_energy(r.energy).name_ja, get_energy(r.energy).name_en, r.missing)
        for r in rows
        if r.missing
    ]
    errors = error_messages([e for e, _ref in calc.errors])
    return Completeness(
        fiscal_year,
        calc.has_data,
        bool(calc.has_data and not missing and not errors),
        missing,
        errors,
    )


@dataclass(frozen=True)
class YearTotal:
    """A fiscal year's tCO2 on the three bases and how many of its months have data."""

    t: dict[str, Decimal]
    months: int


def yearly_totals(*, company) -> dict[int, YearTotal]:
    """Each fiscal year the core can compute: tCO2 on the three bases, and the number of
    months with any record (fewer than 12: the year is not complete, e.g. the current one)."""
    out = {}
    years = fiscal_years_with_data(company=company)
    by_year = measure_calc.core_records_by_year(company=company, fiscal_years=years)
    book = measure_calc.RequestFactorBook()
    estimate = estimate_allowed(company=company)
    for fy in years:
        records = by_year[fy]
        if not records:
            continue
        calc = measure_calc.year_calc(
            company=company, fiscal_year=fy, records=records, book=book, estimate=estimate
        )
        if not calc.ok:
            continue
        r = calc.result
        t = {
            "basic": r.total_basic_t,
            "location": r.scope1_t + r.scope2_location_t,
            "market": r.scope1_t + r.scope2_market_t,
        }
        out[fy] = YearTotal(t, len({rec.month for rec in records}))
    return out


def all_records(*, company) -> list[Record]:
    """Every record of the company (for several monthly series at once)."""
    return _records(company, None)


@dataclass(frozen=True)
class YearResults:
    """One fiscal year's records as the core computed them, one by one."""

    fiscal_year: int
    results: tuple = ()  # cnnavi.core.RecordResult of every record the core could compute
    uncomputed: frozenset[tuple[str, str]] = frozenset()  # (month, energy) it could not


def record_results(
    *, company, fiscal_years, records: list[Record] | None = None
) -> dict[int, YearResults]:
    """Per-record results of the given fiscal years: one computation per year by measure's
    ``year_calc`` (the same figures as the measure pages), on ``records`` (``all_records``).

    The core computes a year all or nothing. When some records cannot be computed (say a
    supplier without factors from one month on), they are set apart as (month, energy) and
    the rest of the year is computed once more, so those months are reported as missing
    without hiding the others. An error that names no record makes the whole year missing."""
    by_year: dict[int, list[Record]] = defaultdict(list)
    for rec in records if records is not None else _records(company, None):
        by_year[rec.fiscal_year].append(rec)
    book = measure_calc.RequestFactorBook()
    estimate = estimate_allowed(company=company)
    out = {}
    for fy in sorted(set(fiscal_years)):
        recs = by_year.get(fy, [])
        if not recs:
            out[fy] = YearResults(fy)
            continue
        calc = measure_calc.year_calc(
            company=company, fiscal_year=fy, records=recs, book=book, estimate=estimate
        )
        failed: set[int] = set()
        if not calc.ok:
            failed = {error.line for error, _ref in calc.errors}
            rest = [r for r in recs if r.line not in failed]
            if 0 not in failed and rest:
                calc = measure_calc.year_calc(
                    company=company, fiscal_year=fy, records=rest, book=book, estimate=estimate
                )
            if 0 in failed or not rest or not calc.ok:
                out[fy] = YearResults(fy, (), frozenset((r.month, r.energy) for r in recs))
                continue
        out[fy] = YearResults(
            fy,
            tuple(calc.result.records),
            frozenset((r.month, r.energy) for r in recs if r.line in failed),
        )
    return out


def monthly_amounts(
    *,
    company,
    energies: tuple[str, ...],
    unit_of: dict[str, str],
    records: list[Record] | None = None,
) -> dict[str, Decimal]:
    """Amount by month (YYYY-MM) of the energies a measure acts on (codes or kinds), each in
    the unit of the plan's profile, over all the company's records."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for rec in records if records is not None else _records(company, None):
        energy = get_energy(rec.energy)
        if rec.energy not in energies and energy.kind not in energies:
            continue
        unit = unit_of.get(rec.energy, energy.default_unit)
        try:
            amount = rec.amount if rec.unit == unit else convert(rec.amount, rec.unit, unit)
        except (ValueError, KeyError):
            continue
        out[rec.month] += amount
    return dict(out)


def data_version(*, company) -> tuple:
    """Changes whenever anything reduce reads of the company's measure data changes (any
    year's records, contracts, use shares, the estimate setting), the company's facilities do
    (orgs' services version no facility edit, and deleting a facility deletes its records) or
    the official tables do."""
    token = measure_calc.data_version(company=company, fiscal_years=[measure_calc.ANY_YEAR])[1]
    facilities = [(f.pk, f.name) for f in facilities_of(company=company)]
    return token, facilities, tables_fingerprint()
