"""Pure helpers of the statements app (no Django): the period a statement covers, allocation
to a customer, the verification code's shape and the bytes test of an evidence file."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cnnavi.core.periods import fiscal_year_of, months_between, next_month

PERIOD_SHK = "shk"  # SHK fiscal year, April to March
PERIOD_BUSINESS = "business"  # the company's own business year (its stored start month)
PERIOD_CALENDAR = "calendar"  # January to December
PERIOD_KINDS = (PERIOD_SHK, PERIOD_BUSINESS, PERIOD_CALENDAR)

ALLOCATION_ECONOMIC = "economic"  # sales to the customer / total sales
ALLOCATION_PHYSICAL = "physical"  # quantity delivered to the customer / total production
ALLOCATION_METHODS = (ALLOCATION_ECONOMIC, ALLOCATION_PHYSICAL)

# verification codes: no 0/O, 1/I/L, so a code read from paper is typed right
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


@dataclass(frozen=True)
class Period:
    kind: str
    year: int  # the year the period starts in
    start_month: int  # 1-12

    @property
    def months(self) -> list[date]:
        """The twelve first-of-month dates of the period."""
        first = date(self.year, self.start_month, 1)
        last = first
        for _ in range(11):
            last = next_month(last)
        return months_between(first, last)

    @property
    def first(self) -> date:
        return self.months[0]

    @property
    def last(self) -> date:
        return self.months[-1]

    @property
    def shk_years(self) -> list[int]:
        """The SHK fiscal years whose factors the period's months use (one or two)."""
        return sorted({fiscal_year_of(m) for m in self.months})


def period_of(kind: str, year: int, business_start_month: int = 4) -> Period:
    """The period of a statement. ``year`` is the year the period starts in: FY2025 (SHK)
    is 2025-04..2026-03; a business year starting in October 2025 is 2025-10..2026-09."""
    if kind == PERIOD_SHK:
        return Period(kind, year, 4)
    if kind == PERIOD_CALENDAR:
        return Period(kind, year, 1)
    if kind == PERIOD_BUSINESS:
        if not 1 <= business_start_month <= 12:
            raise ValueError("start month")
        return Period(kind, year, business_start_month)
    raise ValueError(kind)


@dataclass(frozen=True)
class Allocation:
    method: str
    part: Decimal  # sales to the customer, or quantity delivered to it
    total: Decimal  # total sales, or total production
    share: Decimal  # part / total
    scope1_t: Decimal
    scope2_market_t: Decimal
    scope2_location_t: Decimal
    total_market_t: Decimal  # Scope 1 + Scope 2 market-based, allocated
    total_location_t: Decimal  # Scope 1 + Scope 2 location-based, allocated


def allocate(
    *,
    method: str,
    part: Decimal,
    total: Decimal,
    scope1_t: Decimal,
    scope2_market_t: Decimal,
    scope2_location_t: Decimal,
) -> Allocation:
    """The customer's share of the company's emissions: every figure times part / total.
    Raises ValueError when the method is unknown, a value is negative, the total is zero or
    the part exceeds the total."""
    if method not in ALLOCATION_METHODS:
        raise ValueError("method")
    part, total = Decimal(part), Decimal(total)
    if part < 0 or total <= 0:
        raise ValueError("values")
    if part > total:
        raise ValueError("part_exceeds_total")
    share = part / total
    s1 = Decimal(scope1_t) * share
    s2m = Decimal(scope2_market_t) * share
    s2l = Decimal(scope2_location_t) * share
    return Allocation(method, part, total, share, s1, s2m, s2l, s1 + s2m, s1 + s2l)


def round_t(value, digits: int = 3) -> Decimal:
    """A tonnage rounded half-up for display (the figures themselves stay unrounded)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def format_code(code: str) -> str:
    """ABCDE23456 -> ABCDE-23456 (how it is printed)."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


def normalise_code(text: str) -> str:
    """A code as typed (lower case, spaces, hyphens, full-width) -> the stored form."""
    import unicodedata

    t = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(ch for ch in t if ch.isalnum())


# --------------------------------------------------------------------------- evidence files

EVIDENCE_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


def sniff_evidence_type(data: bytes) -> str | None:
    """The evidence file's type from its first bytes (its name is not trusted): "jpeg", "png"
    or "pdf"; None for anything else (HTML, executables, archives ... renamed or not)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None
