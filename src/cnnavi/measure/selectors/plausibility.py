"""Plausibility of typed amounts (issue #17 point 2, decision 0410): gathers a facility's own
history and size and asks the pure rule ``rules.check_plausibility``. Used where amounts come
in (the grid, the API, the import preview) and by the dashboard's list of questioned values.
Nothing here refuses a value: it is questioned, and the user corrects or confirms it."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.core.cache import cache

from cnnavi.core import CoreError, Record, calculate_record, get_energy
from cnnavi.core.units import UNITS, convert
from cnnavi.measure import rules
from cnnavi.measure.calc import data_version
from cnnavi.measure.models import EnergyRecord
from cnnavi.orgs.models import Company, Facility


def _shift(month: date, months: int) -> date:
    n = month.year * 12 + month.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def _history_months(month: date) -> tuple[date, ...]:
    """The same month a year before and the neighbouring months."""
    return (_shift(month, -12), _shift(month, -1), _shift(month, 1))


@lru_cache(maxsize=256)
def _gj_per_unit(energy: str, unit: str, fiscal_year: int) -> Decimal | None:
    """GJ of one ``unit`` of ``energy`` by the core (official heat values), or None where the
    core cannot say (then only the history is checked)."""
    month = f"{fiscal_year:04d}-06"
    try:
        result = calculate_record(Record(month, energy, Decimal(1000), unit))
    except (CoreError, ValueError):
        return None
    return result.energy_gj / 1000 if result.energy_gj is not None else None


def _in_unit(amount: Decimal, unit: str, to_unit: str) -> Decimal | None:
    if unit == to_unit:
        return amount
    a, b = UNITS.get(unit), UNITS.get(to_unit)
    if a is None or b is None or a.dimension != b.dimension:
        return None
    return convert(amount, a, b)


def _reference(parts: list[tuple[Decimal, str]], unit: str) -> Decimal | None:
    """A history month's amounts summed in ``unit`` (None if empty or not convertible)."""
    converted = [_in_unit(a, u, unit) for a, u in parts]
    if converted and all(p is not None for p in converted):
        return sum(converted, Decimal(0))
    return None


def _dimension(unit: str) -> str | None:
    u = UNITS.get(unit)
    return u.dimension if u else None


def check_amount(
    *,
    facility: Facility,
    energy: str,
    unit: str,
    month: date,
    amount: Decimal,
    history: dict[date, list[tuple[Decimal, str]]] | None = None,
    refs: list[Decimal] | None = None,
) -> rules.Plausibility | None:
    """Question one month's amount of a facility's energy (``history``: month -> [(amount,
    unit)] where the caller has read it; else it is read here, the month itself excluded;
    ``refs``: the history's months already summed in ``unit``, as ``_reference`` sums them)."""
    get_energy(energy)
    if refs is None and history is None:
        history = defaultdict(list)
        for m, a, u in EnergyRecord.objects.filter(
            facility=facility, energy=energy, month__in=_history_months(month)
        ).values_list("month", "amount", "unit"):
            history[m].append((a, u))
    if refs is None:
        found = (_reference(history.get(m, ()), unit) for m in _history_months(month))
        refs = [r for r in found if r is not None]
    gj = _gj_per_unit(energy, unit, rules.fiscal_year_of(month))
    company = facility.company
    return rules.check_plausibility(
        amount=amount,
        history=refs,
        dimension=_dimension(unit),
        amount_gj=amount * gj if gj is not None else None,
        employees=company.employees,
        floor_area_m2=facility.floor_area_m2,
    )


@dataclass
class Flag:
    """A questioned month of a facility's energy: the cell's records, the rule's answer and
    whether (and by whom) it was confirmed."""

    facility: Facility
    energy: str
    month: date
    amount: Decimal
    unit: str
    check: rules.Plausibility
    record_ids: list[int]
    confirmed: bool
    confirmed_by: str = ""
    confirmed_at: object = None


def dashboard_flags(
    *, company: Company, fiscal_year: int, facilities: list[Facility] | None = None
) -> list[Flag]:
    """``flags_of_company`` for the dashboard, cached under the data versions of the year and
    its neighbours (the history a month is compared with), the company's size and its
    facilities' names (each flag shows one; orgs' services version no facility edit): the
    dashboard is read far more often than the records change (services bump the versions,
    confirmations included). ``facilities``: the company's, where the caller has read them."""
    versions = data_version(
        company=company, fiscal_years=[fiscal_year - 1, fiscal_year, fiscal_year + 1]
    )
    if facilities is None:
        sizes = tuple(
            Facility.objects.filter(company=company)
            .order_by("pk")
            .values_list("pk", "name", "floor_area_m2")
        )
    else:
        sizes = tuple(sorted((f.pk, f.name, f.floor_area_m2) for f in facilities))
    parts = repr((versions, company.employees, sizes)).encode()
    key = f"measure:flags:{company.pk}:{fiscal_year}:{hashlib.sha256(parts).hexdigest()[:24]}"
    found = cache.get(key)
    if found is None:
        found = flags_of_company(company=company, fiscal_year=fiscal_year)
        cache.set(key, found, 3600)
    return found


def flags_of_company(
    *, company: Company, fiscal_year: int, facility: Facility | None = None
) -> list[Flag]:
    """Every questioned month of the fiscal year (confirmed or not; of one facility where
    given), unconfirmed first. Reads plain values (a dashboard of a large company stays
    cheap): two queries, and one more for the names of who confirmed."""
    start, end = date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 1)
    fqs = Facility.objects.filter(company=company).select_related("company")
    if facility is not None:
        fqs = fqs.filter(pk=facility.pk)
    facilities = {f.pk: f for f in fqs}
    out = []
    for (fid, energy), by_month in _record_cells(facilities, start, end).items():
        history = {m: [(r[1], r[2]) for r in recs] for m, recs in by_month.items()}
        for month, recs in sorted(by_month.items()):
            if start <= month <= end:
                flag = _month_flag(facilities[fid], energy, month, recs, history)
                if flag is not None:
                    out.append(flag)
    _name_confirmers(out)
    out.sort(key=lambda f: (f.confirmed, f.month, f.facility.name, f.energy))
    return out


def _record_cells(facilities: dict, start: date, end: date) -> dict:
    """(facility, energy) -> month -> [(pk, amount, unit, confirmed?, by, at, updated)] of
    the records from a year before ``start`` to a month after ``end``."""
    cells: dict[tuple[int, str], dict[date, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for pk, fid, energy, month, amount, unit, c_amount, c_unit, c_by, c_at, updated in (
        EnergyRecord.objects.filter(
            facility_id__in=list(facilities),
            month__gte=_shift(start, -12),
            month__lte=_shift(end, 1),
        )
        .order_by("month", "id")
        .values_list(
            "pk", "facility_id", "energy", "month", "amount", "unit", "confirmed_amount",
            "confirmed_unit", "confirmed_by", "confirmed_at", "updated_at",
        )
    ):  # fmt: skip
        ok = c_at is not None and c_amount == amount and c_unit == unit
        cells[(fid, energy)][month].append((pk, amount, unit, ok, c_by, c_at, updated))
    return cells


def _month_flag(facility: Facility, energy: str, month: date, recs, history) -> Flag | None:
    """The month's flag if its amount (its records summed in the first one's unit) is
    questioned; None if not, or if a unit cannot be converted."""
    unit = recs[0][2]
    amounts = [_in_unit(r[1], r[2], unit) for r in recs]
    if any(a is None for a in amounts):
        return None
    amount = sum(amounts, Decimal(0))
    check = check_amount(
        facility=facility, energy=energy, unit=unit, month=month, amount=amount, history=history
    )
    if check is None:
        return None
    confirmed = all(r[3] for r in recs)
    last = max(recs, key=lambda r: r[5] or r[6])
    return Flag(
        facility=facility,
        energy=energy,
        month=month,
        amount=amount,
        unit=unit,
        check=check,
        record_ids=[r[0] for r in recs],
        confirmed=confirmed,
        confirmed_by=last[4] if confirmed else "",
        confirmed_at=last[5] if confirmed else None,
    )


def _name_confirmers(flags: list[Flag]) -> None:
    """Replace the confirming users' ids by their names (one query)."""
    who = {f.confirmed_by for f in flags if f.confirmed_by}
    if who:
        names = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=who)}
        for f in flags:
            f.confirmed_by = names.get(f.confirmed_by, "") if f.confirmed_by else ""


def check_rows(*, company: Company, rows) -> dict[int, tuple[rules.Plausibility, str]]:
    """Question the rows of a file before it is imported (``rows``: objects with ``line``,
    ``facility`` (name), ``month`` (YYYY-MM), ``energy``, ``amount``, ``unit``, as the import
    plan's rows). The history is what is stored, overlaid with the file's own months (the
    file replaces them). -> line -> (the rule's answer, the row's unit). Two queries."""
    rows = list(rows)
    if not rows:
        return {}
    facilities = {
        f.name: f for f in Facility.objects.filter(company=company).select_related("company")
    }
    parsed = []
    for r in rows:
        f = facilities.get(r.facility)
        if f is None:
            continue
        parsed.append((r, f, rules.parse_month_text(r.month)))
    if not parsed:
        return {}
    months = [m for _r, _f, m in parsed]
    stored: dict[tuple[int, str], dict[date, list[tuple[Decimal, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for fid, energy, month, amount, unit in EnergyRecord.objects.filter(
        facility_id__in={f.pk for _r, f, _m in parsed},
        month__gte=_shift(min(months), -12),
        month__lte=_shift(max(months), 1),
    ).values_list("facility_id", "energy", "month", "amount", "unit"):
        stored[(fid, energy)][month].append((amount, unit))
    in_file: dict[tuple[int, str], dict[date, list[tuple[Decimal, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for r, f, m in parsed:
        in_file[(f.pk, r.energy)][m].append((r.amount, r.unit))
    out = {}
    # A month's reference is the same for every row of the facility, energy and unit: summed
    # once (summing it per row made a file's check quadratic: 100,000 rows of one facility
    # took minutes).
    sums: dict[tuple, Decimal | None] = {}
    for r, f, m in parsed:
        key = (f.pk, r.energy)
        refs = []
        for hm in _history_months(m):
            if (key, hm, r.unit) not in sums:
                file_months = in_file[key]
                parts = file_months[hm] if hm in file_months else stored.get(key, {}).get(hm, ())
                sums[(key, hm, r.unit)] = _reference(parts, r.unit)
            if sums[(key, hm, r.unit)] is not None:
                refs.append(sums[(key, hm, r.unit)])
        check = check_amount(
            facility=f, energy=r.energy, unit=r.unit, month=m, amount=r.amount, refs=refs
        )
        if check is not None:
            out[r.line] = (check, r.unit)
    return out
