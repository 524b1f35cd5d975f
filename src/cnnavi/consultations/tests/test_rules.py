"""The pure rules: slot generation with holidays, deadlines, the hands-on state machine, CSV."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jpholiday
import pytest

from cnnavi.consultations import rules

TOKYO = ZoneInfo("Asia/Tokyo")
TUE, THU = 1, 3


def _generate(rule_list, first_day, days=7, closed=()):
    return rules.generate_slots(
        rule_list,
        first_day=first_day,
        days=days,
        tz=TOKYO,
        is_holiday=jpholiday.is_holiday,
        closed_days=set(closed),
    )


def test_online_on_tuesdays_and_thursdays_one_hour():
    specs = _generate(
        [rules.Rule(TUE, time(14), 60, "online"), rules.Rule(THU, time(14), 60, "online")],
        date(2026, 11, 9),  # a Monday
    )
    assert [(s.starts_at.strftime("%a %H:%M"), s.ends_at.strftime("%H:%M")) for s in specs] == [
        ("Tue 14:00", "15:00"),
        ("Thu 14:00", "15:00"),
    ]
    assert specs[0].starts_at.utcoffset() == timedelta(hours=9)


def test_public_holidays_and_closed_days_are_skipped():
    # 2026-11-03 (Tue) is 文化の日; 2026-11-05 (Thu) is closed by hand.
    assert jpholiday.is_holiday(date(2026, 11, 3))
    specs = _generate(
        [rules.Rule(TUE, time(14), 60, "online"), rules.Rule(THU, time(14), 60, "online")],
        date(2026, 11, 2),
        closed=[date(2026, 11, 5)],
    )
    assert specs == []


def test_overlapping_rules_give_one_slot_and_validity_dates_hold():
    specs = _generate(
        [
            rules.Rule(TUE, time(10), 60, "online"),
            rules.Rule(TUE, time(10, 30), 60, "office"),
            rules.Rule(THU, time(10), 60, "office", valid_from=date(2026, 11, 20)),
        ],
        date(2026, 11, 9),
    )
    assert [(s.starts_at.hour, s.starts_at.minute, s.mode) for s in specs] == [(10, 0, "online")]


def test_channel_fits_mode():
    assert rules.channel_fits_mode("in_person", "office")
    assert rules.channel_fits_mode("online", "office")
    assert not rules.channel_fits_mode("in_person", "online")
    assert rules.channel_fits_mode("phone", "online")


def test_change_deadline_is_24_hours_before():
    start = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
    assert rules.can_change(starts_at=start, now=start - timedelta(hours=24))
    assert not rules.can_change(starts_at=start, now=start - timedelta(hours=23, minutes=59))


def test_three_free_visits():
    taken = [set(range(1, n + 1)) for n in range(5)]
    assert [rules.next_visit_number(t) for t in taken] == [1, 2, 3, None, None]
    assert rules.next_visit_number({1, 3}) == 2  # visit 2 was cancelled: its number is free


def test_hands_on_happy_path():
    state = rules.RECEIVED
    state = rules.check_transition("review", state=state, role="staff")
    assert state == rules.UNDER_REVIEW
    decided = {"reason": "基準を満たす", "hearings": 2, "hearings_required": 2}
    state = rules.check_transition(
        "accept", state=state, role="staff", screening_complete=True, **decided
    )
    state = rules.check_transition("start", state=state, role="staff", has_plan=True)
    state = rules.check_transition("complete", state=state, role="expert", has_report=True)
    assert state == rules.COMPLETED


@pytest.mark.parametrize(
    ("name", "state", "role", "kwargs", "code"),
    [
        ("accept", rules.RECEIVED, "staff", {}, "not_allowed_now"),
        ("accept", rules.UNDER_REVIEW, "company", {}, "wrong_role"),
        ("accept", rules.UNDER_REVIEW, "expert", {}, "wrong_role"),
        (
            "decline",
            rules.UNDER_REVIEW,
            "staff",
            {"reason": "  ", "screening_complete": True},
            "reason_missing",
        ),
        # The decision is refused until the office's required hearings are recorded ...
        (
            "accept",
            rules.UNDER_REVIEW,
            "staff",
            {"reason": "ok", "hearings": 1, "hearings_required": 2, "screening_complete": True},
            "hearings_missing",
        ),
        # ... and every criterion is scored.
        (
            "accept",
            rules.UNDER_REVIEW,
            "staff",
            {"reason": "ok", "hearings": 2, "hearings_required": 2},
            "screening_missing",
        ),
        ("start", rules.ACCEPTED, "staff", {}, "plan_missing"),
        ("complete", rules.IN_SUPPORT, "staff", {}, "report_missing"),
        ("complete", rules.IN_SUPPORT, "company", {"has_report": True}, "wrong_role"),
        ("review", rules.DECLINED, "staff", {}, "not_allowed_now"),
        ("nonsense", rules.RECEIVED, "staff", {}, "not_allowed_now"),
    ],
)
def test_hands_on_refusals(name, state, role, kwargs, code):
    with pytest.raises(rules.TransitionError) as exc:
        rules.check_transition(name, state=state, role=role, **kwargs)
    assert exc.value.code == code


def test_tax_is_rounded_down_to_the_yen():
    assert rules.tax_yen(600_000, 10) == 60_000
    assert rules.tax_yen(123_457, 10) == 12_345
    assert rules.tax_yen(999, 8) == 79


def test_who_writes_what_in_hands_on():
    assert rules.transitions_for(state=rules.UNDER_REVIEW, role="staff") == ["accept", "decline"]
    assert rules.transitions_for(state=rules.UNDER_REVIEW, role="company") == []
    assert rules.may_edit_plan(state=rules.ACCEPTED, role="expert")
    assert not rules.may_edit_plan(state=rules.ACCEPTED, role="company")
    assert rules.may_log_pdca(state=rules.IN_SUPPORT, role="company")
    assert not rules.may_log_pdca(state=rules.IN_SUPPORT, role="staff")
    assert not rules.may_log_pdca(state=rules.ACCEPTED, role="expert")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+81", "'+81"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("北陸精密工業", "北陸精密工業"),
        (None, ""),
        (3, "3"),
    ],
)
def test_csv_cells_never_start_a_formula(value, expected):
    assert rules.csv_safe(value) == expected


def test_the_year_end_break_is_skipped():
    specs = _generate([rules.Rule(TUE, time(10), 60, "online")], date(2026, 12, 28), days=14)
    # Tuesday 29 December is in the break; Tuesday 5 January remains.
    assert [s.starts_at.date().isoformat() for s in specs] == ["2027-01-05"]
