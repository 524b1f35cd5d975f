import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnavi.orgs.rules import corporate_number_is_valid, is_sme, sme_threshold


@pytest.mark.parametrize(
    "number",
    [
        "7000012050002",  # National Tax Agency (国税庁), published on its own site
        "2230001000008",  # demo data
    ],
)
def test_valid_corporate_numbers(number):
    assert corporate_number_is_valid(number)


@pytest.mark.parametrize(
    "number",
    ["1000012050002", "700001205000", "70000120500021", "７000012050002", "70000120500x2", ""],
)
def test_invalid_corporate_numbers(number):
    assert not corporate_number_is_valid(number)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_exactly_one_check_digit_fits_every_base(base):
    assert sum(corporate_number_is_valid(str(d) + base) for d in range(10)) == 1


@pytest.mark.parametrize(
    ("industry", "capital", "employees", "expected"),
    [
        ("E", 300_000_000, 1000, True),  # manufacturing: capital at the limit
        ("E", 300_000_001, 300, True),  # ... or employees at the limit
        ("E", 300_000_001, 301, False),
        ("I1", 100_000_000, 500, True),  # wholesale
        ("I1", 100_000_001, 101, False),
        ("I2", 50_000_001, 50, True),  # retail
        ("I2", 50_000_001, 51, False),
        ("R", 50_000_001, 100, True),  # services
        ("R", 50_000_001, 101, False),
        ("E", None, None, None),
        ("E", None, 500, None),  # capital unknown: cannot tell
        ("E", None, 20, True),
    ],
)
def test_sme_basic_act_thresholds(industry, capital, employees, expected):
    assert is_sme(industry=industry, capital_yen=capital, employees=employees) is expected


def test_sectors():
    assert sme_threshold("M").sector == "services"
    assert sme_threshold("D").sector == "manufacturing_and_others"
