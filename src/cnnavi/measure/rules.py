"""Pure helpers of the measure app (no Django): fiscal-year months, contract lookup, Pareto and
completeness. The CO2 arithmetic itself is in ``cnnavi.core``."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

AMOUNT_DECIMALS = 6
AMOUNT_MAX = Decimal("99999999999999")  # 14 integer digits (max_digits 20, 6 decimals)


def fiscal_year_of(day: date) -> int:
    """April-March fiscal year of a date."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_months(fiscal_year: int) -> list[date]:
    """The twelve first-of-month dates of a fiscal year, April to March."""
    return [date(fiscal_year + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def month_text(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month_text(text: str) -> date:
    """``YYYY-MM`` -> the first day of that month; ValueError otherwise."""
    text = (text or "").strip()
    if len(text) != 7 or text[4] != "-":
        raise ValueError(text)
    year, month = int(text[:4]), int(text[5:])
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError(text)
    return date(year, month, 1)


def complete_months(fiscal_year: int, today: date) -> list[date]:
    """Months of the fiscal year that have ended by ``today`` (the ones data can exist for)."""
    this_month = date(today.year, today.month, 1)
    return [m for m in fiscal_months(fiscal_year) if m < this_month]


def parse_amount(text: str) -> Decimal:
    """A non-negative amount as typed (full-width digits and thousands commas accepted)."""
    import unicodedata

    t = unicodedata.normalize("NFKC", text or "").strip().replace(",", "")
    if not t:
        raise ValueError("empty")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError("not_a_number") from None
    if not value.is_finite():
        raise ValueError("not_a_number")
    if value < 0:
        raise ValueError("negative")
    if value > AMOUNT_MAX:
        raise ValueError("too_large")
    if -value.as_tuple().exponent > AMOUNT_DECIMALS:  # type: ignore[operator]
        raise ValueError("too_many_decimals")
    return value


def parse_yen(text: str) -> int:
    """Whole, non-negative yen as typed (¥, 円 and commas accepted)."""
    import unicodedata

    t = unicodedata.normalize("NFKC", text or "").strip()
    t = t.replace(",", "").replace("¥", "").replace("円", "").replace("\\", "")
    if not t:
        raise ValueError("empty")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError("not_a_number") from None
    if not value.is_finite():
        raise ValueError("not_a_number")
    if value != value.to_integral_value():
        raise ValueError("not_whole")
    if value < 0:
        raise ValueError("negative")
    if value > 10**15:
        raise ValueError("too_large")
    return int(value)


@dataclass(frozen=True)
class ContractSpan:
    kind: str
    valid_from: date
    supplier: str
    menu: str


def contract_for(contracts: Sequence[ContractSpan], kind: str, month: date) -> ContractSpan | None:
    """The contract of ``kind`` valid in ``month``: the latest starting on or before it."""
    best = None
    for c in contracts:
        if (
            c.kind == kind
            and c.valid_from <= month
            and (best is None or c.valid_from > best.valid_from)
        ):
            best = c
    return best


@dataclass(frozen=True)
class ParetoItem:
    facility: str
    energy: str
    tco2: float
    cumulative_share: float


def pareto(items: Iterable[tuple[str, str, Decimal]]) -> list[ParetoItem]:
    """Facility x energy totals, descending, with the cumulative share of the total."""
    rows = sorted(items, key=lambda r: (-r[2], r[0], r[1]))
    total = sum((r[2] for r in rows), Decimal(0))
    out, running = [], Decimal(0)
    for facility, energy, t in rows:
        running += t
        share = float(running / total) if total else 0.0
        out.append(ParetoItem(facility, energy, float(t), share))
    return out


def change_ratio(current: Decimal | float, previous: Decimal | float | None) -> float | None:
    """(current - previous) / previous, or None where there is nothing to compare with."""
    if previous is None or not previous:
        return None
    return float((Decimal(str(current)) - Decimal(str(previous))) / Decimal(str(previous)))
