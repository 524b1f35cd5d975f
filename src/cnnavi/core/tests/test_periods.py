"""Months and fiscal years: the one definition (April to March) every app uses."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from cnnavi.core.periods import (
    FiscalYear,
    complete_months,
    fiscal_months,
    fiscal_year_of,
    month_number,
    month_of,
    month_text,
    months_between,
    next_month,
)


def test_a_fiscal_year_runs_from_april_to_march():
    fy = FiscalYear(2025)
    assert fy.months[0] == date(2025, 4, 1) and fy.months[-1] == date(2026, 3, 1)
    assert len(fy.months) == 12 and fy.months == fiscal_months(2025)
    assert (fy.first_month, fy.last_month) == (date(2025, 4, 1), date(2026, 3, 1))
    assert str(fy) == "FY2025"
    assert fiscal_year_of(date(2026, 3, 31)) == 2025 and fiscal_year_of(date(2026, 4, 1)) == 2026
    assert fiscal_year_of("2026-03") == 2025 and fiscal_year_of("2026-04") == 2026
    assert FiscalYear.of("2025-12") == FiscalYear.of(date(2026, 1, 15)) == fy


def test_only_ended_months_are_complete():
    assert complete_months(2025, date(2025, 4, 30)) == []
    assert complete_months(2025, date(2025, 6, 1)) == [date(2025, 4, 1), date(2025, 5, 1)]
    assert len(complete_months(2024, date(2025, 6, 1))) == 12


@settings(max_examples=60)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_a_month_as_text_and_as_a_date_agree(day):
    month = month_of(day)
    assert month_of(month_text(month)) == month
    assert month_number(month_text(month)) == month_number(month) == day.month
    assert fiscal_year_of(month_text(month)) == fiscal_year_of(day)
    assert month in FiscalYear.of(day).months
    assert next_month(month) > month and next_month(month).day == 1


def test_months_between_counts_both_ends():
    assert months_between(date(2025, 11, 20), date(2026, 2, 1)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1),
    ]  # fmt: skip
    assert months_between(date(2026, 2, 1), date(2025, 11, 1)) == []
