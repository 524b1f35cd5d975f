"""Pure rules of the programmes app: who may apply, how many places are left, how a waiting
list moves, how a spreadsheet cell is made safe. No Django here (import-linter keeps it so)."""

from collections.abc import Sequence
from dataclasses import dataclass

from cnnavi.core.spreadsheet import safe_row, spreadsheet_safe  # noqa: F401 (re-exported)
from cnnavi.orgs.rules import corporate_number_is_valid

# Audience and applicant codes (the same strings as the models' TextChoices).
ANYONE = "anyone"
SME_MEMBERS = "sme_members"
SUPPORT_INSTITUTIONS = "support_institutions"
COMPANY = "company"
SUPPORT_INSTITUTION = "support_institution"

# Reasons an application is refused (the service turns them into messages).
NEEDS_COMPANY = "needs_company"
NOT_SME = "not_sme"
SME_UNKNOWN = "sme_unknown"
NEEDS_SUPPORT_INSTITUTION = "needs_support_institution"


def eligibility_problem(
    *, audience: str, applicant_kind: str, company_is_sme: bool | None
) -> str | None:
    """Why this applicant may not apply, or None if they may.

    ``company_is_sme`` is the SME Basic Act test of the applicant's company (None when the
    company has neither capital nor employees entered); it is ignored for other applicants."""
    if audience == ANYONE:
        return None
    if audience == SME_MEMBERS:
        if applicant_kind != COMPANY:
            return NEEDS_COMPANY
        if company_is_sme is None:
            return SME_UNKNOWN
        return None if company_is_sme else NOT_SME
    if audience == SUPPORT_INSTITUTIONS:
        return None if applicant_kind == SUPPORT_INSTITUTION else NEEDS_SUPPORT_INSTITUTION
    raise ValueError(f"unknown audience {audience!r}")


def places_left(*, capacity: int, confirmed: int) -> int:
    return max(capacity - confirmed, 0)


def promotions(*, capacity: int, confirmed: int, waiting: Sequence) -> list:
    """The waiting applications (in their order) that take the free places."""
    return list(waiting[: places_left(capacity=capacity, confirmed=confirmed)])


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down (99% until the last lesson is done)."""
        return 0 if self.total == 0 else self.done * 100 // self.total

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def completion_rate(*, enrolled: int, completed: int) -> float | None:
    return None if enrolled == 0 else round(completed * 100 / enrolled, 1)


# --- Qualified invoices (適格請求書) -----------------------------------------------------------
def registration_number_problem(number: str) -> str | None:
    """None if ``number`` is a valid 適格請求書発行事業者登録番号: "T" and the 13 digits of a
    法人番号 whose check digit holds (orgs.rules); otherwise what is wrong, as a code."""
    if not number.startswith("T"):
        return "prefix"
    digits = number[1:]
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return "digits"
    if not corporate_number_is_valid(digits):
        return "check_digit"
    return None


@dataclass(frozen=True)
class InvoiceAmounts:
    total_yen: int  # tax included
    tax_yen: int  # the consumption tax contained in total_yen, at rate_percent
    rate_percent: int

    @property
    def net_yen(self) -> int:
        return self.total_yen - self.tax_yen


def invoice_amounts(*, unit_price_yen: int, quantity: int, rate_percent: int) -> InvoiceAmounts:
    """Totals of a tax-included invoice with one tax rate. The tax is computed once per invoice
    and rate from the rate's tax-included total, rounding down (消費税法施行令 第70条の10: one
    rounding per invoice per rate; the direction is the issuer's choice). A negative total (a
    cancellation) rounds towards zero so that it returns exactly the original tax."""
    total = unit_price_yen * quantity
    tax = abs(total) * rate_percent // (100 + rate_percent)
    return InvoiceAmounts(
        total_yen=total, tax_yen=tax if total >= 0 else -tax, rate_percent=rate_percent
    )


def invoice_number(*, year: int, sequence: int) -> str:
    """``INV-2026-000123``: the year of issue and the office's sequence (never reset)."""
    return f"INV-{year}-{sequence:06d}"


def format_yen(amount: int) -> str:
    """¥66,000 (and -¥66,000)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,}"
