"""Pure helpers of the measure app (no Django): parsing months and amounts as typed, contract
lookup, Pareto and completeness. Months and fiscal years are ``cnnavi.core.periods``' (named
here too, for measure's modules); the CO2 arithmetic itself is in ``cnnavi.core``."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

# the core's months and fiscal years, named here too for measure's modules
from cnnavi.core.periods import complete_months as complete_months
from cnnavi.core.periods import fiscal_months as fiscal_months
from cnnavi.core.periods import fiscal_year_of as fiscal_year_of
from cnnavi.core.periods import month_text as month_text

AMOUNT_DECIMALS = 6
AMOUNT_MAX = Decimal("99999999999999")  # 14 integer digits (max_digits 20, 6 decimals)


def parse_month_text(text: str) -> date:
    """``YYYY-MM`` -> the first day of that month; ValueError otherwise."""
    text = (text or "").strip()
    if len(text) != 7 or text[4] != "-":
        raise ValueError(text)
    year, month = int(text[:4]), int(text[5:])
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError(text)
    return date(year, month, 1)


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
