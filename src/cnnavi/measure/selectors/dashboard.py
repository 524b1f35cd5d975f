"""Reads of the dashboard: one fiscal year of a company computed by the core (through
``cnnavi.measure.calc``) and compared with the year before; charts, completeness,
intensities, the factors used. The core's part is cached under the company's data version."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cnnavi.core import FiscalYearResult, Record, get_energy
from cnnavi.core.factors import DATA_DIR
from cnnavi.core.periods import month_number
from cnnavi.measure import calc as measure_calc
from cnnavi.measure import rules
from cnnavi.measure.calc import (
    CompletenessRow,
    RequestFactorBook,
    YearCalc,
    completeness,
    core_records_by_year,
    fiscal_years_with_data,
    flow_links,
    month_totals,
    pareto_items,
    sums,
    use_shares_of,
    year_calc,
    year_totals,
)
from cnnavi.measure.labels import EnergyLabels, energy_label, energy_sort_key, use_label
from cnnavi.measure.messages import note_dict
from cnnavi.measure.models import VolumeKind
from cnnavi.measure.selectors import estimate_allowed, facilities_of, volumes_of_years
from cnnavi.measure.selectors.suppliers import find_supplier
from cnnavi.orgs.models import Company, Facility

DASHBOARD_CACHE_SECONDS = 3600

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
    # some figure uses a factor estimated from the nearest published table (推計), or a
    # supplier's own factor the user entered (事業者公表値（利用者入力）): said wherever shown
    estimated: bool = False
    user_entered: bool = False

    @property
    def complete(self) -> bool:
        return all(not row.missing for row in self.completeness)


def _factor_key(f) -> tuple:
    """The key ``FiscalYearResult.factors_used`` tells factors apart by (heat values and
    primary-energy factors have no supplier or menu)."""
    return (f.value, f.unit, f.basis, f.fiscal_year, f.supplier, f.menu, f.source)


def _supplier_name(reg: str, energies: list[str]) -> str:
    """The official name of a supplier a user-entered factor names only by its registration
    number (any year's table), else ""."""
    kinds = {measure_calc.supply_kind_of(c) for c in energies} - {None}
    if not reg or len(kinds) != 1:
        return ""
    info = find_supplier(kind=kinds.pop(), reg=reg)
    return info.name if info else ""


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
    labels = EnergyLabels()
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
                "estimated": f.estimated,
                "user_entered": f.basis == "user_supplier",
                "is_default": f.basis == "default",
                "supplier": f.supplier,
                "supplier_name": f.supplier_name or _supplier_name(f.supplier, codes),
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


def _fingerprint() -> str:
    """Changes when the core's official tables or the code that builds the cached values
    change (part of every dashboard cache key: a new release never reads an old shape). A
    table installed by another process changes the data directory's modification time."""
    return _fingerprint_of(_dir_stamp(DATA_DIR))


tables_fingerprint = _fingerprint  # for other apps' caches of results from the core


def _dir_stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=4)
def _fingerprint_of(stamp: int) -> str:
    h = hashlib.sha256()
    paths = sorted(DATA_DIR.glob("*.tsv")) + [Path(__file__), Path(measure_calc.__file__)]
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _hash(parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _cache_keys(*, company: Company, fiscal_year: int, facilities: list[Facility], use_unset: str):
    """The cache keys of the year before's summary and of the year's core part: the versions of
    the company's data and of both years' data (bumped by the services that write records,
    contracts, use shares or grid rows), what the results read of the company and its
    facilities, and the fingerprint. An edit of one year recomputes only that year (and the
    year after, which compares with it)."""
    every, current, before = measure_calc.data_version(
        company=company, fiscal_years=[fiscal_year, fiscal_year - 1]
    )
    common = [
        every,
        company.employees,
        [(f.pk, f.name, f.floor_area_m2) for f in facilities],
        _fingerprint(),
    ]
    lang = get_language() or "ja"
    prev_key = f"measure:year:{company.pk}:{fiscal_year - 1}:{_hash([before, common])}"
    stamp = _hash([current, before, common, timezone.localdate(), use_unset])
    return prev_key, f"measure:dashboard:{company.pk}:{fiscal_year}:{lang}:{stamp}"


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
        "totals": year_totals(result),
        "by_month": {month_number(g.key): g.tco2 for g in result.by_month},
        "month_totals": month_totals(result),
        "total_t": result.total_basic_t,
    }


def _same_months(previous: dict, months: list[int]) -> dict:
    """The year before's totals over the given calendar months (1-12) only."""
    out: dict = {}
    for mm in months:
        for k, v in previous["month_totals"].get(mm, {}).items():
            out[k] = out.get(k, 0) + v
    keys = previous["totals"].keys()
    return {k: out.get(k, Decimal(0) if k != "cost_yen" else 0) for k in keys}


def _empty_part(
    *,
    company: Company,
    fiscal_year: int,
    facilities: list[Facility],
    calc: YearCalc,
    previous_records: list[Record] | None,
) -> dict:
    """The core part of a year the core could not compute: its completeness and errors, the
    month axis, and nothing to draw."""
    months = [rules.month_text(m) for m in rules.fiscal_months(fiscal_year)]
    return {
        "has_data": calc.has_data,
        "ok": calc.ok,
        "calc_errors": calc.grouped_errors(),
        "provisional": False,
        "estimated": False,
        "user_entered": False,
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


def _left_out(calc: YearCalc) -> dict:
    """What a partial result leaves out: the records the core could not compute, whether they
    count in scope 1 or 2, and their energies (the template says so instead of the totals)."""
    failed = {e.line for e, _ref in calc.errors}
    left_out = [r for r in calc.records if r.line in failed]
    scopes = {get_energy(r.energy).scope for r in left_out}
    return {
        "records": len(left_out),
        "scope1": 1 in scopes,
        "scope2": 2 in scopes,
        "energies": [
            energy_label(c) for c in sorted({r.energy for r in left_out}, key=energy_sort_key)
        ],
    }


def _monthly_series(summed, result: FiscalYearResult, months: list[str], labels) -> dict:
    """The monthly chart's series: tCO2 of each energy by month, and the total of each month."""
    series = [
        {
            "energy": energy,
            "label": labels[energy],
            "values": [_f(summed.cross.get((energy, m))) for m in months],
        }
        for energy in sorted({e for e, _m in summed.cross}, key=energy_sort_key)
    ]
    by_month = {g.key: g.tco2 for g in result.by_month}
    return {"months": months, "series": series, "total": [_f(by_month.get(m)) for m in months]}


def _facility_rows(result: FiscalYearResult, facilities: list[Facility]) -> list[dict]:
    """Each facility's tCO2, energy and cost, per m² where its floor area is known."""
    areas = {f.name: f.floor_area_m2 for f in facilities}
    rows = []
    for g in result.by_facility:
        area = areas.get(g.key)
        rows.append(
            {
                "facility": g.label,
                "tco2": _f(g.tco2),
                "energy_gj": _f(g.energy_gj),
                "cost_yen": g.cost_yen,
                "floor_area_m2": _f(area) if area else None,
                "t_per_m2": float(g.tco2 / area) if area else None,
            }
        )
    return rows


def _energy_rows(result: FiscalYearResult, labels) -> list[dict]:
    """Each energy's tCO2, energy and cost."""
    return [
        {
            "energy": g.key,
            "label": labels[g.key],
            "tco2": _f(g.tco2),
            "energy_gj": _f(g.energy_gj),
            "cost_yen": g.cost_yen,
        }
        for g in result.by_energy
    ]


def _flow(summed, result: FiscalYearResult) -> list[dict]:
    """The Sankey's links; a facility -> use link names the use in the page's language."""
    flow = flow_links(summed.flow)
    facility_names = {g.key for g in result.by_facility}
    for link in flow:
        if link["source"] in facility_names:
            link["target"] = use_label(link["target"])
    return flow


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
    part = _empty_part(
        company=company,
        fiscal_year=fiscal_year,
        facilities=facilities,
        calc=calc,
        previous_records=previous_records,
    )
    if not calc.ok and calc.partial is None:
        return part
    result = calc.result
    if result is None:
        # Some records cannot be computed: show the others, saying what is left out; the
        # totals that would include the missing records are not shown (see the template).
        result = calc.partial
        part["ok"] = True
        part["partial"] = _left_out(calc)
    summed = sums(result, use_unset, use_shares_of(company=company))
    labels = EnergyLabels()
    part.update(
        total_t=result.total_basic_t,
        months_with_data=sorted({month_number(g.key) for g in result.by_month}),
        provisional=result.provisional,
        estimated=result.estimated,
        user_entered=result.user_entered,
        over_1500kl=bool(result.thresholds.shk_energy_co2_reporter),  # a lower bound
        totals=year_totals(result),
        monthly=_monthly_series(summed, result, part["monthly"]["months"], labels),
        by_facility=_facility_rows(result, facilities),
        by_energy=_energy_rows(result, labels),
        pareto=pareto_items(summed.pareto),
        flow=_flow(summed, result),
        factors=_factor_rows(result),
        notes=[note_dict(note, count) for note, count in result.notes],
    )
    return part


def _intensity(
    *, company: Company, fiscal_year: int, facilities: list[Facility], total_t, prev_t
) -> list[dict]:
    if total_t is None:
        return []
    both = volumes_of_years(company=company, fiscal_years=[fiscal_year, fiscal_year - 1])
    volumes, prev_volumes = both[fiscal_year], both[fiscal_year - 1]
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


def _fresh_parts(
    *, company: Company, fiscal_year: int, facilities: list[Facility], use_unset: str
) -> tuple[dict, dict, YearCalc]:
    """The year before's summary and the year's core part computed afresh, with the year's
    calculation (exports need its records)."""
    estimate = estimate_allowed(company=company)  # read once for both years
    current = year_calc(
        company=company, fiscal_year=fiscal_year, with_partial=True, estimate=estimate
    )
    part = _core_part(
        company=company,
        fiscal_year=fiscal_year,
        facilities=facilities,
        use_unset=use_unset,
        calc=current,
    )
    previous = _year_summary(
        year_calc(company=company, fiscal_year=fiscal_year - 1, estimate=estimate)
    )
    return previous, part, current


def _cached_parts(
    *, company: Company, fiscal_year: int, facilities: list[Facility], use_unset: str
) -> tuple[dict, dict]:
    """The year before's summary and the year's core part, from the cache where the company's
    data has not changed since; what is missing is computed (both years: one read of their
    records, shared factor look-ups) and cached."""
    prev_key, key = _cache_keys(
        company=company, fiscal_year=fiscal_year, facilities=facilities, use_unset=use_unset
    )
    cached = cache.get_many([prev_key, key])
    previous, part = cached.get(prev_key), cached.get(key)
    book = RequestFactorBook()  # both years share the factor look-ups
    # read once for both years, and only where a year is computed (a cache hit reads nothing)
    estimate = estimate_allowed(company=company) if previous is None or part is None else None
    by_year: dict[int, list[Record]] = {}
    if previous is None and part is None:  # both years: one read of their records
        by_year = core_records_by_year(company=company, fiscal_years=[fiscal_year - 1, fiscal_year])
    prev_calc = None
    if previous is None:
        prev_calc = year_calc(
            company=company,
            fiscal_year=fiscal_year - 1,
            records=by_year.get(fiscal_year - 1),
            book=book,
            estimate=estimate,
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
                estimate=estimate,
            ),
            previous_records=prev_calc.records if prev_calc is not None else None,
        )
        cache.set(key, part, DASHBOARD_CACHE_SECONDS)
    return previous, part


def figures_stamp(
    *, company: Company, fiscal_year: int, facilities: list[Facility], use_unset: str
) -> str:
    """A stamp of everything the dashboard's figures are drawn from: the keys of both cached
    years (the company's data version and both years', what the results read of the company
    and its facilities, the fingerprint, today's date, the language), the activity volumes
    (their services bump the year's data version) and whether the company is a demo. Equal
    stamps draw equal figures."""
    prev_key, key = _cache_keys(
        company=company, fiscal_year=fiscal_year, facilities=facilities, use_unset=use_unset
    )
    return _hash([prev_key, key, company.pk, company.is_demo])


def years_of(*, company: Company, fiscal_year: int) -> list[int]:
    """The years the dashboard offers: those with data, and the shown one."""
    return sorted(set(fiscal_years_with_data(company=company)) | {fiscal_year})


def _comparison(
    previous: dict, part: dict, fiscal_year: int
) -> tuple[dict, dict | None, Decimal | None, tuple[int, int, int, bool] | None]:
    """What the year is compared with: the year before's summary (marked not ok when some of
    the year's records are left out), its totals and tCO2, and the compared period.

    A year with data in fewer than twelve months (the year in progress) is compared with the
    same months of the year before, never with a whole year; the period is then (first month,
    last month, number of months, contiguous), else None. With records left out there is no
    comparison and no intensity (both would mislead)."""
    prev_totals, prev_t, period = previous["totals"], previous["total_t"], None
    if part.get("partial"):
        previous = dict(previous, ok=False, totals=None, total_t=None)
        prev_totals = prev_t = None
    months_with_data = part.get("months_with_data") or []
    if prev_totals and part["ok"] and 0 < len(months_with_data) < 12:
        prev_totals = _same_months(previous, months_with_data)
        prev_t = prev_totals["total_basic_t"]
        order = [m.month for m in rules.fiscal_months(fiscal_year)]
        idx = sorted(order.index(mm) for mm in months_with_data)
        contiguous = idx[-1] - idx[0] + 1 == len(idx)
        period = (order[idx[0]], order[idx[-1]], len(idx), contiguous)
    return previous, prev_totals, prev_t, period


def _monthly_and_changes(part: dict, previous: dict, prev_totals: dict | None) -> tuple[dict, dict]:
    """The monthly chart with the year before's months (and each month's change), and the
    change of each total."""
    monthly = dict(part["monthly"])
    monthly["previous"] = (
        [_f(previous["by_month"].get(month_number(m))) for m in monthly["months"]]
        if previous["ok"]
        else []
    )
    changes = {}
    if part["ok"] and prev_totals:
        changes = {k: rules.change_ratio(v, prev_totals[k]) for k, v in part["totals"].items()}
        monthly["change"] = [
            rules.change_ratio(cur, prev)
            for cur, prev in zip(monthly["total"], monthly["previous"], strict=True)
        ]
    return monthly, changes


def dashboard(
    *,
    company: Company,
    fiscal_year: int,
    use_unset: str = "未設定",
    with_records: bool = False,
    facilities: list[Facility] | None = None,
) -> Dashboard:
    """One fiscal year for the dashboard, compared with the year before.

    The core's part of each year is cached under the company's data version (see
    ``calc.data_version``), so a repeated view computes nothing and any change of the company's
    data recomputes. ``with_records`` computes afresh and keeps the records (exports).
    ``facilities``: the company's (``facilities_of``) where the caller has read them."""
    if facilities is None:
        facilities = facilities_of(company=company)
    years = years_of(company=company, fiscal_year=fiscal_year)
    fresh_calc = None
    if with_records:
        previous, part, fresh_calc = _fresh_parts(
            company=company, fiscal_year=fiscal_year, facilities=facilities, use_unset=use_unset
        )
    else:
        previous, part = _cached_parts(
            company=company, fiscal_year=fiscal_year, facilities=facilities, use_unset=use_unset
        )
    previous, prev_totals, prev_t, period = _comparison(previous, part, fiscal_year)
    monthly, changes = _monthly_and_changes(part, previous, prev_totals)
    intensity = _intensity(
        company=company,
        fiscal_year=fiscal_year,
        facilities=facilities,
        total_t=None if part.get("partial") else part["total_t"],
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
        calc=fresh_calc,
        previous_period=period,
        **fields,
    )
