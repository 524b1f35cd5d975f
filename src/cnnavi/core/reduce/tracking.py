"""Planned versus actual: after a measure is done, compare the same calendar months before it
on the company's own data.

Two comparisons: the amount of the energies a saving measure acts on (``planned_vs_actual`` on
``monthly`` amounts), and, for every kind of measure that changes emissions, the tCO2 of the
energies it acts on as the core computed them record by record (``monthly_tco2``,
``co2_planned_share``). Electrifying acts on the fuel it removes and on the electricity it adds,
so both are counted; a factor measure (renewable menu, certificates) shows up only on the basis
whose factor it lowers (market-based).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..energies import get_energy

# the per-record result attribute holding tCO2 on each basis (cnnavi.core.RecordResult)
RESULT_ATTR = {"basic": "tco2", "location": "tco2_location", "market": "tco2_market"}


def _month_before(month: str) -> str:
    year, mm = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-{mm:02d}"


def months_after(done_month: str, until: str) -> tuple[str, ...]:
    """The calendar months after ``done_month`` up to ``until`` (YYYY-MM, both)."""
    out = []
    year, mm = int(done_month[:4]), int(done_month[5:7])
    while True:
        mm += 1
        if mm > 12:
            year, mm = year + 1, 1
        month = f"{year:04d}-{mm:02d}"
        if month > until:
            return tuple(out)
        out.append(month)


def months_involved(done_month: str, until: str) -> tuple[str, ...]:
    """Every month a comparison reads: the months after and the same months a year earlier."""
    after = months_after(done_month, until)
    return tuple(sorted({*after, *(_month_before(m) for m in after)}))


@dataclass(frozen=True)
class PlannedVsActual:
    months: tuple[str, ...]  # months after the measure that have a same month a year before
    before: Decimal  # use (or tCO2) in the same months one year earlier
    after: Decimal  # use (or tCO2) in the months after
    actual_saved: Decimal
    planned_saved: Decimal
    missing: tuple[str, ...]  # months after with no counterpart (or no data, or not computed)
    basis: str = ""  # tCO2 comparisons: basic | location | market; "" for energy amounts

    @property
    def actual_share(self) -> Decimal | None:
        return self.actual_saved / self.before if self.before else None

    @property
    def ratio(self) -> Decimal | None:
        """Actual / planned; None when nothing was planned or nothing can be compared."""
        if not self.months or not self.planned_saved:
            return None
        return self.actual_saved / self.planned_saved


def planned_vs_actual(
    monthly: dict[str, Decimal],
    *,
    done_month: str,
    planned_share: Decimal,
    until: str,
    basis: str = "",
) -> PlannedVsActual:
    """``monthly``: amount (or tCO2) of the energies the measure acts on, by month (YYYY-MM).
    The months after ``done_month`` up to ``until`` (the last complete month) are compared with
    the same months a year earlier; the planned saving is ``planned_share`` of the before
    amount. A month absent from ``monthly`` (no data, or not computed) is listed as missing."""
    months, missing = [], []
    for month in months_after(done_month, until):
        if month in monthly and _month_before(month) in monthly:
            months.append(month)
        else:
            missing.append(month)
    before = sum((monthly[_month_before(m)] for m in months), Decimal(0))
    after = sum((monthly[m] for m in months), Decimal(0))
    return PlannedVsActual(
        months=tuple(months),
        before=before,
        after=after,
        actual_saved=before - after,
        planned_saved=before * planned_share,
        missing=tuple(missing),
        basis=basis,
    )


def tracked_energies(kind: str, energies: Iterable[str]) -> tuple[str, ...]:
    """The energies (codes or kinds) whose CO2 a measure changes: electrifying also adds
    electricity, so the fuel removed and the electricity added are tracked together."""
    out = tuple(energies)
    if kind == "electrify" and "electricity" not in out:
        out += ("electricity",)
    return out


def _matcher(energies: tuple[str, ...]):
    kinds: dict[str, bool] = {}

    def matches(code: str) -> bool:
        if code not in kinds:
            kinds[code] = code in energies or get_energy(code).kind in energies
        return kinds[code]

    return matches


def monthly_tco2(
    results: Iterable,
    *,
    energies: Iterable[str],
    basis: str,
    uncomputed: Iterable[tuple[str, str]] = (),
) -> dict[str, Decimal]:
    """tCO2 on ``basis`` by month (YYYY-MM) of the energies (codes or kinds), summed from the
    core's per-record results (``cnnavi.core.RecordResult``). ``uncomputed``: (month, energy)
    of records the core could not compute; such a month is left out for these energies, so it
    is listed as missing instead of being compared on part of its data."""
    attr = RESULT_ATTR[basis]
    matches = _matcher(tuple(energies))
    bad = {month for month, code in uncomputed if matches(code)}
    out: dict[str, Decimal] = defaultdict(Decimal)
    for r in results:
        rec = r.record
        if rec.month not in bad and matches(rec.energy):
            out[rec.month] += getattr(r, attr)
    return dict(out)


def co2_planned_share(
    t_saved: Decimal, lines: Iterable, *, energies: Iterable[str], basis: str
) -> Decimal | None:
    """The measure's planned tCO2 saving on ``basis`` (from its Effect) as a share of the base
    year's tCO2 of the energies it acts on (``lines``: the base year's ``EnergyLine``s). None
    when those energies emit nothing on that basis (nothing to compare against)."""
    energies = tuple(energies)
    base = sum(
        (line.t[basis] for line in lines if line.energy in energies or line.kind in energies),
        Decimal(0),
    )
    if base <= 0:
        return None
    return t_saved / base
