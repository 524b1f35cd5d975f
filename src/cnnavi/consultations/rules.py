"""Pure rules of the consultation window, the CO2 calculation support and the hands-on support.

No Django here (import-linter keeps it that way): slot generation with holidays, deadlines,
the three-visit limit, the hands-on state machine and CSV cell escaping.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from cnnavi.core.spreadsheet import spreadsheet_safe as csv_safe  # noqa: F401 (re-exported)

MAX_FREE_VISITS = 3
CHANGE_DEADLINE_HOURS = 24  # cancel or reschedule until 24 hours before the start
REMINDER_HOURS = 48  # the reminder goes out within 48 hours of the start
DEFAULT_REQUIRED_HEARINGS = 2  # hands-on: hearings/site surveys before the decision


# --- Availability -> concrete slots ------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    weekday: int  # Monday = 0
    start: time
    minutes: int
    mode: str
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class SlotSpec:
    starts_at: datetime
    ends_at: datetime
    mode: str


def is_year_end(day: date) -> bool:
    """Japanese offices close from 29 December to 3 January (年末年始)."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def generate_slots(
    rules: Iterable[Rule],
    *,
    first_day: date,
    days: int,
    tz: tzinfo,
    is_holiday: Callable[[date], bool],
    closed_days: set[date],
) -> list[SlotSpec]:
    """Concrete slots for ``days`` days from ``first_day``: each rule on its weekday, skipping
    public holidays, the year-end break and the days closed by hand, and never two overlapping
    slots (the first rule wins)."""
    specs: list[SlotSpec] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if is_holiday(day) or is_year_end(day) or day in closed_days:
            continue
        for rule in sorted(rules, key=lambda r: (r.start, r.mode)):
            if rule.weekday != day.weekday():
                continue
            if rule.valid_from and day < rule.valid_from:
                continue
            if rule.valid_until and day > rule.valid_until:
                continue
            start = datetime.combine(day, rule.start, tzinfo=tz)
            spec = SlotSpec(start, start + timedelta(minutes=rule.minutes), rule.mode)
            if not any(overlaps(spec, other) for other in specs):
                specs.append(spec)
    return sorted(specs, key=lambda s: s.starts_at)


def overlaps(a: SlotSpec, b: SlotSpec) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def offered_channels(mode: str) -> tuple[str, ...]:
    """The channels the booking form offers for a slot: an office slot is a meeting in person
    at the support office; an online slot is met online or by phone."""
    return ("in_person",) if mode == "office" else ("online", "phone")


def channel_fits_mode(channel: str, mode: str) -> bool:
    """An office slot takes any channel; an online slot cannot be met in person."""
    return mode == "office" or channel != "in_person"


def can_change(*, starts_at: datetime, now: datetime) -> bool:
    return now <= starts_at - timedelta(hours=CHANGE_DEADLINE_HOURS)


def change_deadline(starts_at: datetime) -> datetime:
    return starts_at - timedelta(hours=CHANGE_DEADLINE_HOURS)


# --- CO2 calculation support ---------------------------------------------------------------
def next_visit_number(taken: set[int]) -> int | None:
    """The number of the next visit: the lowest of 1..3 that no scheduled or held visit has
    (a cancelled visit frees its number), or None when all three are taken."""
    free = [n for n in range(1, MAX_FREE_VISITS + 1) if n not in taken]
    return free[0] if free else None


# --- Hands-on support: the state machine -----------------------------------------------------
RECEIVED = "received"
UNDER_REVIEW = "under_review"
ACCEPTED = "accepted"
DECLINED = "declined"
IN_SUPPORT = "in_support"
COMPLETED = "completed"

STATES = (RECEIVED, UNDER_REVIEW, ACCEPTED, DECLINED, IN_SUPPORT, COMPLETED)


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    roles: frozenset[str]
    needs_reason: bool = False
    needs_plan: bool = False
    needs_report: bool = False
    needs_screening: bool = False  # the required hearings recorded and every criterion scored


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("review", RECEIVED, UNDER_REVIEW, frozenset({"staff"})),
        Transition(
            "accept",
            UNDER_REVIEW,
            ACCEPTED,
            frozenset({"staff"}),
            needs_reason=True,
            needs_screening=True,
        ),
        Transition(
            "decline",
            UNDER_REVIEW,
            DECLINED,
            frozenset({"staff"}),
            needs_reason=True,
            needs_screening=True,
        ),
        Transition("start", ACCEPTED, IN_SUPPORT, frozenset({"staff"}), needs_plan=True),
        Transition(
            "complete", IN_SUPPORT, COMPLETED, frozenset({"staff", "expert"}), needs_report=True
        ),
    )
}


class TransitionError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        # not_allowed_now | wrong_role | reason_missing | plan_missing | report_missing |
        # hearings_missing | screening_missing
        self.code = code


def check_transition(
    name: str,
    *,
    state: str,
    role: str,
    reason: str = "",
    has_plan: bool = False,
    has_report: bool = False,
    hearings: int = 0,
    hearings_required: int = 0,
    screening_complete: bool = False,
) -> str:
    """The target state of transition ``name`` from ``state`` by ``role``; raises
    TransitionError with a code when it is not allowed. A decision (accept or decline) needs
    the office's required number of hearings, every screening criterion scored and a reason;
    starting needs the support plan accepted by the company."""
    transition = TRANSITIONS.get(name)
    if transition is None or transition.source != state:
        raise TransitionError("not_allowed_now")
    if role not in transition.roles:
        raise TransitionError("wrong_role")
    if transition.needs_screening and hearings < hearings_required:
        raise TransitionError("hearings_missing")
    if transition.needs_screening and not screening_complete:
        raise TransitionError("screening_missing")
    if transition.needs_reason and not reason.strip():
        raise TransitionError("reason_missing")
    if transition.needs_plan and not has_plan:
        raise TransitionError("plan_missing")
    if transition.needs_report and not has_report:
        raise TransitionError("report_missing")
    return transition.target


def transitions_for(*, state: str, role: str) -> list[str]:
    return [t.name for t in TRANSITIONS.values() if t.source == state and role in t.roles]


# Who may write which part of a hands-on case, by state.
def may_edit_hearing(*, state: str, role: str) -> bool:
    return role in ("staff", "expert") and state in (RECEIVED, UNDER_REVIEW, ACCEPTED)


def may_score(*, state: str, role: str) -> bool:
    return role == "staff" and state == UNDER_REVIEW


def tax_yen(net_yen: int, rate_percent: int) -> int:
    """Consumption tax on a fee, rounded down to the yen (one rate per plan)."""
    return net_yen * rate_percent // 100


def may_edit_plan(*, state: str, role: str) -> bool:
    return role in ("staff", "expert") and state == ACCEPTED


def may_log_pdca(*, state: str, role: str) -> bool:
    return role in ("expert", "company") and state == IN_SUPPORT
