"""Planned versus actual: after a measure is done, compare the same calendar months before it
on the company's own data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


def _month_before(month: str) -> str:
    year, mm = int(month[:4]), int(month[5:7])
    return f"{year - 1:04d}-{mm:02d}"


@dataclass(frozen=True)
class PlannedVsActual:
    months: tuple[str, ...]  # months after the measure that have a same month a year before
    before: Decimal  # use in the same months one year earlier
    after: Decimal  # use in the months after
    actual_saved: Decimal
    planned_saved: Decimal
    missing: tuple[str, ...]  # months after with no counterpart (or no data)

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
    monthly: dict[str, Decimal], *, done_month: str, planned_share: Decimal, until: str
) -> PlannedVsActual:
    """``monthly``: amount of the energy the measure acts on, by month (YYYY-MM). The months
    after ``done_month`` up to ``until`` (the last complete month) are compared with the same
    months a year earlier; the planned saving is ``planned_share`` of the before amount."""
    months, missing = [], []
    year, mm = int(done_month[:4]), int(done_month[5:7])
    while True:
        mm += 1
        if mm > 12:
            year, mm = year + 1, 1
        month = f"{year:04d}-{mm:02d}"
        if month > until:
            break
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
    )
