"""The pure rules (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnavi.programmes import rules


@pytest.mark.parametrize(
    "audience, kind, is_sme, problem",
    [
        ("anyone", "company", None, None),
        ("anyone", "support_institution", None, None),
        ("sme_members", "company", True, None),
        ("sme_members", "company", False, rules.NOT_SME),
        ("sme_members", "company", None, rules.SME_UNKNOWN),
        ("sme_members", "support_institution", None, rules.NEEDS_COMPANY),
        ("support_institutions", "support_institution", None, None),
        ("support_institutions", "company", True, rules.NEEDS_SUPPORT_INSTITUTION),
    ],
)
def test_eligibility(audience, kind, is_sme, problem):
    assert (
        rules.eligibility_problem(audience=audience, applicant_kind=kind, company_is_sme=is_sme)
        == problem
    )


def test_unknown_audience_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown audience"):
        rules.eligibility_problem(audience="vip", applicant_kind="company", company_is_sme=True)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+81", "'+81"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("富山 太郎", "富山 太郎"),
        (None, ""),
        (12, "12"),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert rules.spreadsheet_safe(value) == expected


@given(st.text())
def test_no_safe_cell_starts_a_formula(text):
    assert not rules.spreadsheet_safe(text).startswith(("=", "+", "-", "@", "\t", "\r"))


@given(st.integers(1, 50), st.integers(0, 60), st.integers(0, 30))
def test_promotions_never_overbook(capacity, confirmed, waiting):
    promoted = rules.promotions(
        capacity=capacity, confirmed=confirmed, waiting=list(range(waiting))
    )
    assert promoted == list(range(len(promoted)))  # in order
    assert confirmed + len(promoted) <= max(capacity, confirmed)


def test_progress_and_completion_rate():
    assert rules.Progress(done=30, total=31).percent == 96
    assert not rules.Progress(done=30, total=31).complete
    assert rules.Progress(done=7, total=7).complete
    assert not rules.Progress(done=0, total=0).complete
    assert rules.completion_rate(enrolled=0, completed=0) is None
    assert rules.completion_rate(enrolled=3, completed=1) == 33.3
