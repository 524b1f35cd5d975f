"""Reads of the monthly entry grid: one line per energy of a facility's fiscal year, one cell
per month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cnnavi.core import get_energy
from cnnavi.measure import rules
from cnnavi.measure.calc import fy_range
from cnnavi.measure.labels import energy_label, energy_sort_key
from cnnavi.measure.models import EnergyRecord, GridRow
from cnnavi.orgs.models import Facility


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


def grid_line(*, facility: Facility, month: date, energy: str) -> GridLine | None:
    """The grid line of ``energy`` in the fiscal year of ``month`` (None if it has none)."""
    lines = grid(facility=facility, fiscal_year=rules.fiscal_year_of(month))
    return next((line for line in lines if line.energy == energy), None)


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
