"""Pure helpers of the measure app (no Django): parsing months and amounts as typed, contract
lookup, Pareto and completeness. Months and fiscal years are ``cnnavi.core.periods``' (named
here too, for measure's modules); the CO2 arithmetic itself is in ``cnnavi.core``."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from cnnavi.core.energies import energy_catalogue, get_energy

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
    pk: int = 0  # the contract's id (its supplier notices are per contract and fiscal year)
    heat_value: Decimal | None = None  # city gas: the standard heat value its bills print


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


# --------------------------------------------------------------------------- units on bills

# The unit each energy's bills print is the core catalogue's ``Energy.bill_unit`` (one source
# of truth; decisions 0410 and 0420: city gas m3, electricity kWh, liquid fuels L, LPG kg,
# purchased heat MJ as district-heating bills print it, GJ selectable).


def bill_unit(energy_code: str) -> str:
    """The unit bills of this energy print, if the energy accepts it; else the official
    table's unit (the core's ``default_unit``)."""
    e = get_energy(energy_code)
    return e.bill_unit if e.bill_unit and e.bill_unit in e.units else e.default_unit


def bill_units_in_use() -> list[str]:
    """Every energy's bill units, each once (templates list them first): those of what most
    SMEs buy (electricity, city gas, kerosene, LPG, heat), then in the catalogue's order."""
    first = ("electricity", "city_gas", "kerosene", "lpg", "heat_steam")
    energies = sorted(
        energy_catalogue(), key=lambda e: first.index(e.code) if e.code in first else len(first)
    )
    return list(dict.fromkeys(u for e in energies for u in e.bill_units if u))


# --------------------------------------------------------------------------- plausibility

# Decision 0410: how far from the facility's own history, or from what a company of its size
# could use, a monthly amount may be before it is questioned (never refused).
HISTORY_RATIO = Decimal(5)
# Upper bounds of one month's energy, in GJ: per employee and per m2 of floor area. Wide on
# purpose (an electric-furnace foundry stays below them); a unit mix-up (x1000) does not.
GJ_PER_EMPLOYEE_MONTH = Decimal(1000)
GJ_PER_M2_MONTH = Decimal(10)
# One month of one energy at one facility above this is beyond any SME whatever its size
# (x12 = 1.2 PJ a year, some 20 times the 1,500 kL crude-oil threshold of a 特定事業者).
GJ_MONTH_MAX = Decimal(100000)

# The smaller and larger unit of each dimension a bill may be typed in by mistake (x1000).
_UNIT_PAIRS = {
    "gas_volume": ("m3", "千m3"),
    "electricity": ("kWh", "千kWh"),
    "liquid": ("L", "kL"),
    "mass": ("kg", "t"),
    "heat": ("MJ", "GJ"),
}


@dataclass(frozen=True)
class Plausibility:
    """Why an amount is questioned: ``kind`` is ``history_high``, ``history_low``,
    ``per_employee``, ``per_area`` or ``per_company``; ``ratio`` the amount over the reference (or the bound);
    ``cause`` the likely mistake (``unit_x1000``, ``unit_div1000``, ``digits``, ``check``) and
    ``units`` the two units that may have been mixed up (small, large)."""

    kind: str
    ratio: Decimal
    reference: Decimal | None
    cause: str
    units: tuple[str, str] | None


def _cause(ratio: Decimal, dimension: str | None) -> tuple[str, tuple[str, str] | None]:
    pair = _UNIT_PAIRS.get(dimension or "")
    if Decimal(300) <= ratio <= Decimal(3000):
        return ("unit_x1000", pair) if pair else ("digits", None)
    if Decimal(1) / 3000 <= ratio <= Decimal(1) / 300:
        return ("unit_div1000", pair) if pair else ("digits", None)
    if Decimal(7) <= ratio <= Decimal(14) or Decimal(1) / 14 <= ratio <= Decimal(1) / 7:
        return "digits", None
    return "check", None


def _bound_cause(dimension: str | None) -> tuple[str, tuple[str, str] | None]:
    """Beyond a bound this wide, the usual cause is a larger unit chosen for a bill's amount."""
    pair = _UNIT_PAIRS.get(dimension or "")
    return ("unit_x1000", pair) if pair else ("check", None)


def check_plausibility(
    *,
    amount: Decimal,
    history: Sequence[Decimal],
    dimension: str | None,
    amount_gj: Decimal | None = None,
    employees: int | None = None,
    floor_area_m2: Decimal | None = None,
) -> Plausibility | None:
    """Question a month's ``amount`` (in one unit with ``history``: the same month a year
    before and the neighbouring months of the same facility and energy) when it is more than
    5x or less than 1/5 of each of the history's months, or when its energy (``amount_gj``) exceeds
    the per-employee or per-m2 bound. Zero is never questioned (a month without use)."""
    if amount <= 0:
        return None
    refs = [h for h in history if h and h > 0]
    if refs:
        # the reference closest to the amount (by ratio): a value is questioned only when it
        # is far from every month it is compared with, so one wrong month does not make its
        # right neighbours look wrong
        ref = min(refs, key=lambda h: abs((amount / h).ln()))
        ratio = amount / ref
        if ratio > HISTORY_RATIO or ratio < 1 / HISTORY_RATIO:
            cause, units = _cause(ratio, dimension)
            kind = "history_high" if ratio > 1 else "history_low"
            return Plausibility(kind, ratio, ref, cause, units)
    if amount_gj is not None and amount_gj > 0:
        if employees:
            bound = GJ_PER_EMPLOYEE_MONTH * employees
            if amount_gj > bound:
                ratio = amount_gj / bound
                return Plausibility("per_employee", ratio, bound, *_bound_cause(dimension))
        if amount_gj > GJ_MONTH_MAX:
            ratio = amount_gj / GJ_MONTH_MAX
            return Plausibility("per_company", ratio, GJ_MONTH_MAX, *_bound_cause(dimension))
        if floor_area_m2:
            bound = GJ_PER_M2_MONTH * Decimal(floor_area_m2)
            if amount_gj > bound:
                ratio = amount_gj / bound
                return Plausibility("per_area", ratio, bound, *_bound_cause(dimension))
    return None
