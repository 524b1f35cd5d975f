"""Months and fiscal years: the one definition the project uses.

A fiscal year runs from April to March and is named by the calendar year it starts in (FY2025
is April 2025 to March 2026). A month is the date of its first day (``date(2025, 4, 1)``). The
core's records and results name months as ``YYYY-MM`` text (as files and the CLI write them);
``month_of`` and ``month_text`` convert between the two, and ``month_number`` reads the month
of such a text, so no other module slices ``YYYY-MM`` strings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = [
    "FIRST_MONTH",
    "FiscalYear",
    "complete_months",
    "fiscal_months",
    "fiscal_year_of",
    "month_number",
    "month_of",
    "month_text",
    "months_between",
    "next_month",
]

FIRST_MONTH = 4  # April
_ORDER = tuple((FIRST_MONTH - 1 + i) % 12 + 1 for i in range(12))  # 4, 5, ..., 12, 1, 2, 3


def month_of(value: date | str) -> date:
    """The month (its first day) of a date or of ``YYYY-MM`` text."""
    if isinstance(value, str):
        return date(int(value[:4]), int(value[5:7]), 1)
    return date(value.year, value.month, 1)


def month_text(month: date) -> str:
    """``YYYY-MM`` of a date's month."""
    return f"{month.year:04d}-{month.month:02d}"


def month_number(month: date | str) -> int:
    """The calendar month (1-12) of a date or of ``YYYY-MM`` text."""
    return int(month[5:7]) if isinstance(month, str) else month.month


def next_month(month: date) -> date:
    """The first day of the month after ``month``'s."""
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first``'s to ``last``'s, both included (empty when last < first)."""
    out, month, end = [], month_of(first), month_of(last)
    while month <= end:
        out.append(month)
        month = next_month(month)
    return out


def fiscal_year_of(value: date | str) -> int:
    """The fiscal year (April to March) of a date or of a ``YYYY-MM`` month."""
    if isinstance(value, str):
        year, month = int(value[:4]), int(value[5:7])
    else:
        year, month = value.year, value.month
    return year if month >= FIRST_MONTH else year - 1


@dataclass(frozen=True, order=True)
class FiscalYear:
    """One fiscal year, April to March."""

    year: int

    @classmethod
    def of(cls, value: date | str) -> FiscalYear:
        return cls(fiscal_year_of(value))

    @property
    def months(self) -> list[date]:
        """Its twelve months, April to March."""
        return [date(self.year + (m < FIRST_MONTH), m, 1) for m in _ORDER]

    @property
    def first_month(self) -> date:
        return date(self.year, FIRST_MONTH, 1)

    @property
    def last_month(self) -> date:
        return date(self.year + 1, FIRST_MONTH - 1, 1)

    def ended_months(self, today: date) -> list[date]:
        """Its months that have ended by ``today`` (the ones data can exist for)."""
        this_month = month_of(today)
        return [m for m in self.months if m < this_month]

    def __str__(self) -> str:
        return f"FY{self.year}"


def fiscal_months(fiscal_year: int) -> list[date]:
    """The twelve months of a fiscal year, April to March."""
    return FiscalYear(fiscal_year).months


def complete_months(fiscal_year: int, today: date) -> list[date]:
    """The months of the fiscal year that have ended by ``today``."""
    return FiscalYear(fiscal_year).ended_months(today)
