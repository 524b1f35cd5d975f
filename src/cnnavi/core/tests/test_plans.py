"""``calculate`` resolves the factors of each energy, unit, supplier, menu and year once and
shares them between records; every record must still come out exactly as computed alone, and
every failing record must still be reported."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnnavi.core import CalculationError, Record, calculate, calculate_record

_KINDS = [
    ("electricity", "kWh", "A0271", ""),
    ("electricity", "千kWh", "A0009", "B"),
    ("electricity", "MWh", "", ""),
    ("city_gas", "m3", "", ""),
    ("lpg", "m3", "", ""),
    ("lpg", "kg", "", ""),
    ("heavy_oil_a", "L", "", ""),
    ("gasoline", "GJ", "", ""),
    ("kerosene", "MJ", "", ""),
]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(_KINDS),
            st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False),
            st.sampled_from(["プロパン", "ブタン", "LPガス", ""]),
            st.sampled_from(["2022-04", "2025-05", "2026-01", "2026-07"]),
        ),
        min_size=1,
        max_size=40,
    )
)
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_each_record_equals_the_record_computed_alone(rows):
    records = [
        Record(month, e, amount, unit, supplier=s, menu=m, energy_text=text, line=i)
        for i, ((e, unit, s, m), amount, text, month) in enumerate(rows, start=2)
    ]
    try:
        years = calculate(records)
    except CalculationError as exc:
        failing = set()
        for r in records:
            try:
                calculate_record(r)
            except (LookupError, ValueError):
                failing.add(r.line)
        assert {e.line for e in exc.errors} == failing  # every failing record, no other
        return
    results = [x for fy in years for x in fy.records]
    assert len(results) == len(records)
    for got in results:
        alone = calculate_record(got.record)
        assert (got.tco2, got.tco2_adjusted, got.tco2_location, got.tco2_market) == (
            alone.tco2, alone.tco2_adjusted, alone.tco2_location, alone.tco2_market,
        )  # fmt: skip
        assert (got.energy_gj, got.crude_oil_kl, got.warnings) == (
            alone.energy_gj, alone.crude_oil_kl, alone.warnings,
        )  # fmt: skip
        assert got.factor == alone.factor and got.factor_market == alone.factor_market


def test_a_failure_is_reported_for_every_record_that_shares_it():
    bad = [Record(f"2024-{m:02d}", "electricity", D(100), "kWh", line=m) for m in (4, 5, 6)]
    good = Record("2024-04", "gasoline", D(1), "kL", line=9)
    with pytest.raises(CalculationError) as exc:
        calculate([*bad, good])
    assert [e.line for e in exc.value.errors] == [4, 5, 6]
    assert len({e.reason for e in exc.value.errors}) == 1


def test_lpg_in_m3_uses_the_rate_of_the_energy_as_written():
    """Propane and butane in m3 share the energy code but not the m3-per-t rate."""
    rows = [
        Record("2025-04", "lpg", D(502), "m3", energy_text="プロパン"),
        Record("2025-04", "lpg", D(355), "m3", energy_text="ブタン"),
    ]
    propane, butane = calculate(rows)[0].records
    assert propane.tco2 == butane.tco2 == calculate_record(rows[0]).tco2  # one tonne each
