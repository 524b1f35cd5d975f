"""Pure rules of the programmes app: who may apply, how many places are left, how a waiting
list moves, how a spreadsheet cell is made safe. No Django here (import-linter keeps it so)."""

from collections.abc import Sequence
from dataclasses import dataclass

from cnnavi.core.spreadsheet import safe_row, spreadsheet_safe  # noqa: F401 (re-exported)

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
