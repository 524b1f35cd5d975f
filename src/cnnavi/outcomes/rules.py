"""Pure rules of the outcomes figures (no Django): periods, size bands, the five-company rule,
quartiles. See docs/decisions/1400 and 1401."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

# the core's fiscal year (April to March), named here too for outcomes' modules
from cnnavi.core.periods import fiscal_year_of as fiscal_year_of

# A group of fewer companies than this is shown as "—" (docs/decisions/1400).
MIN_GROUP = 5

PERIOD_KINDS = ("fy", "h1", "h2", "q1", "q2", "q3", "q4", "custom")

# Size bands by regular employees (常時使用する従業員数); the benchmark compares within a band.
SIZE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("1-5", 1, 5),
    ("6-20", 6, 20),
    ("21-50", 21, 50),
    ("51-100", 51, 100),
    ("101-300", 101, 300),
    ("301+", 301, None),
)


def size_band(employees: int | None) -> str:
    """The band code of a head count; "" where not given."""
    if not employees:
        return ""
    for code, low, high in SIZE_BANDS:
        if employees >= low and (high is None or employees <= high):
            return code
    return ""


def size_band_array(employees: np.ndarray) -> np.ndarray:
    """Band index (0..5) per company, -1 where the head count is missing or 0."""
    out = np.full(len(employees), -1, dtype=np.int64)
    for i, (_code, low, high) in enumerate(SIZE_BANDS):
        hit = employees >= low
        if high is not None:
            hit &= employees <= high
        out[hit] = i
    return out


def add_months(day: date, n: int) -> date:
    m = day.month - 1 + n
    return date(day.year + m // 12, m % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """A span of whole days; ``start``/``end`` inclusive."""

    kind: str
    start: date
    end: date
    fiscal_year: int | None = None

    @property
    def months(self) -> list[date]:
        """First days of the months that lie wholly or partly in the period."""
        out, m = [], date(self.start.year, self.start.month, 1)
        while m <= self.end:
            out.append(m)
            m = add_months(m, 1)
        return out

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def period_of(
    kind: str, fiscal_year: int, start: date | None = None, end: date | None = None
) -> Period:
    """A fiscal year (April–March), one of its halves or quarters, or custom dates."""
    if kind == "custom":
        if start is None or end is None or end < start:
            raise ValueError("a custom period needs a start on or before its end")
        return Period("custom", start, end, None)
    first = date(fiscal_year, 4, 1)
    if kind == "fy":
        months, offset = 12, 0
    elif kind in ("h1", "h2"):
        months, offset = 6, (0 if kind == "h1" else 6)
    elif kind in ("q1", "q2", "q3", "q4"):
        months, offset = 3, 3 * (int(kind[1]) - 1)
    else:
        raise ValueError(f"unknown period kind: {kind}")
    s = add_months(first, offset)
    e = add_months(s, months) - timedelta(days=1)
    return Period(kind, s, e, fiscal_year)


def suppressed(count: int) -> bool:
    """True where a group of ``count`` companies must not be shown (0 is shown: no one)."""
    return 0 < count < MIN_GROUP


def quartiles(values: np.ndarray) -> tuple[float, float, float]:
    """(Q1, median, Q3) with linear interpolation (numpy's default)."""
    q = np.quantile(values, [0.25, 0.5, 0.75])
    return float(q[0]), float(q[1]), float(q[2])


def quartile_label(values: np.ndarray, value: float) -> str:
    """ "top25" (in the best quarter, lower intensity), "q2", "q3" or "bottom25"."""
    q1, q2, q3 = quartiles(values)
    if value <= q1:
        return "top25"
    if value <= q2:
        return "q2"
    if value <= q3:
        return "q3"
    return "bottom25"


def change_ratio(current: float, previous: float) -> float | None:
    if not previous:
        return None
    return (current - previous) / previous
