"""Golden, hand-checked and property tests of the calculation core.

Golden cases cite their source; the values behind them are listed with sources in
docs/decisions/0100-core-official-values.md.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal as D
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnnavi.core import (
    CalculationError,
    FactorError,
    Record,
    batch_calculate,
    calculate,
    calculate_record,
    energy_catalogue,
    find_energy,
    read_rows,
    search_suppliers,
)
from cnnavi.core.cli import co2_main, factors_main
from cnnavi.core.denki import parse_denki_text
from cnnavi.core.factors import factor_book

_REPO = Path(__file__).resolve().parents[4]
SHARED_DENKI = next(
    (
        p / "data/official-factors/denki.txt"
        for p in (_REPO.parent / "shared", _REPO / "shared", Path("/work/shared"))
        if (p / "data/official-factors/denki.txt").exists()
    ),
    Path("/nonexistent"),
)


def rec(energy, amount, unit, month="2025-04", **kw) -> Record:
    return Record(month, energy, D(str(amount)), unit, **kw)


def one(r: Record, **kw):
    return calculate_record(r, **kw)


# ---------------------------------------------------------------- catalogue and units


def test_catalogue_has_all_35_fuels_and_the_others():
    codes = [e.code for e in energy_catalogue()]
    fuels = [
        line.split("\t")[0]
        for line in (factor_book().data_dir / "fuels.tsv").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert len(fuels) == 35
    assert set(fuels) <= set(codes)
    for c in ("city_gas", "electricity", "heat_steam", "heat_hot_water", "heat_cold_water"):
        assert c in codes


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ガソリン", "gasoline"),
        ("揮発油", "gasoline"),
        ("プロパン", "lpg"),
        ("LPガス", "lpg"),
        ("重油 A", "heavy_oil_a"),
        ("Ａ重油", "heavy_oil_a"),
        ("A重油", "heavy_oil_a"),
        ("電気", "electricity"),
        ("都市ガス", "city_gas"),
    ],
)
def test_aliases(text, code):
    assert find_energy(text).code == code


def test_unit_that_does_not_fit_is_an_error():
    out = read_rows("年月,エネルギー,使用量,単位\n2025-04,ガソリン,10,kWh\n".encode())
    assert not out.records
    assert out.errors[0].line == 2 and out.errors[0].column == "単位"
    assert "does not fit" in out.errors[0].reason


# ---------------------------------------------------------------- golden cases


def test_g5_gasoline_10kl_fy2025():
    # the ordinance's formula (算定省令 第2条, 別表第1): 10 kL x 33.4 GJ/kL x 0.0187 tC/GJ x 44/12
    # = 22.90126... t; the 一覧's rounded 2.29 t-CO2/kL (R7 p.23, 参考1) is only a reference
    r = one(rec("gasoline", 10, "kL"))
    assert round(r.tco2, 10) == D("22.9012666667")
    assert r.energy_gj == D("334.0")
    assert r.factor.basis == "ordinance" and "別表第1" in r.factor.source.document
    assert r.factor.reference_value == D("2.29")


def test_g5_gasoline_old_factors_fy2022():
    r = one(rec("gasoline", 10, "kL", month="2022-04"))
    # old: 34.6 GJ/kL x 0.0183 tC/GJ x 44/12 (施行令 別表第1)
    assert round(r.tco2, 12) == round(D("34.6") * D("0.0183") * 44 / 12 * 10, 12)
    assert round(r.tco2, 1) == D("23.2")


def test_g6_diesel_20kl():
    # 20 kL x 38.0 x 0.0188 x 44/12 = 52.38933... (参考1 would give 52.40)
    assert round(one(rec("diesel_oil", 20, "kL")).tco2, 10) == D("52.3893333333")
    # old years: the ordinance formula (37.7 GJ/kL x 0.0187 x 44/12), no published rounded factor
    old = one(rec("diesel_oil", 20, "kL", month="2021-05")).tco2
    assert round(old, 12) == round(20 * D("37.7") * D("0.0187") * 44 / 12, 12)


def test_g7_electricity_default_value():
    # 代替値 0.000416 t-CO2/kWh (denki.txt R6実績, for FY2025 emissions)
    r = one(rec("electricity", 100_000, "kWh"))
    assert r.tco2 == D("41.600000")
    assert r.factor.basis == "default"
    assert any("default" in w for w in r.warnings)
    assert r.tco2_location == D("42.300000")  # national average 0.000423


def test_g8_lpg_m3():
    # 100 m3 / 502 m3/t x 50.1 GJ/t x 0.0163 tC/GJ x 44/12 = 0.59648 t (mix: / 458 = 0.65378)
    propane = one(rec("lpg", 100, "m3", energy_text="プロパン"))
    assert round(propane.tco2, 5) == D("0.59648")
    mix = one(rec("lpg", 100, "m3", energy_text="LPG"))
    assert round(mix.tco2, 5) == D("0.65378")


def test_g9_electricity_primary_energy():
    r = one(rec("electricity", 50_000, "kWh"))
    assert r.energy_gj == D("432.00000")
    assert round(r.crude_oil_kl, 2) == D("11.15")


def test_g3_city_gas_default():
    # 40.0 GJ/千m3 x 0.0140 x 44/12 = 2.05 (東京ガス FAQ 8954, 算定省令 別表第5)
    r = one(rec("city_gas", 1, "千m3"))
    assert r.tco2 == D("2.05")
    assert r.energy_gj == D("40.0")


def test_city_gas_old_year_uses_ordinance_values():
    r = one(rec("city_gas", 1, "千m3", month="2020-06"))
    assert round(r.tco2, 12) == round(D("44.8") * D("0.0136") * 44 / 12, 12)
    assert r.energy_gj == D("44.8")


# ---------------------------------------------------------------- supplier rules


def test_explicit_menu():
    r = one(rec("electricity", 1000, "kWh", supplier="A0269", menu="メニューA"))
    assert r.tco2 == 0 and r.factor.menu == "メニューA"


def test_residual_menu_when_no_menu_given():
    r = one(rec("electricity", 1000, "kWh", supplier="A0269"))
    assert r.factor.value == D("0.000452") and r.factor.basis == "residual"


def test_reference_value_when_menus_but_no_residual():
    # A0027 publishes menus A-D but no residual: the 参考値 applies (table note)
    r = one(rec("electricity", 1000, "kWh", supplier="A0027"))
    assert r.factor.basis == "reference" and r.factor.value == D("0.001006")


def test_whole_company_value_without_menus():
    r = one(rec("electricity", 1000, "kWh", supplier="A0003"))
    assert r.factor.basis == "whole" and r.factor.value == 0


def test_supplier_by_name():
    r = one(rec("electricity", 1000, "kWh", supplier="東京電力エナジーパートナー株式会社"))
    assert r.factor.supplier == "A0269"


def test_unknown_supplier_is_an_error_unless_default_accepted():
    with pytest.raises(FactorError):
        one(rec("electricity", 1000, "kWh", supplier="Z9999"))
    r = one(rec("electricity", 1000, "kWh", supplier="Z9999"), accept_default=True)
    assert r.factor.basis == "default"


def test_unknown_menu_is_an_error():
    with pytest.raises(FactorError):
        one(rec("electricity", 1000, "kWh", supplier="A0269", menu="メニューZ"))


def test_market_based_uses_adjusted_factor():
    # A0045 メニューD(残差): basic 0.000538, adjusted 0.000482
    r = one(rec("electricity", 1000, "kWh", supplier="A0045"))
    assert r.tco2 == D("0.538000") and r.tco2_adjusted == D("0.482000")
    assert r.tco2_market == D("0.482000") and r.tco2_location == D("0.423000")


def test_unpublished_year_is_provisional():
    r = one(rec("electricity", 1000, "kWh", month="2026-05", supplier="A0269"))
    assert r.provisional and r.factor.fiscal_year == 2025
    assert any("provisionally" in w for w in r.warnings)


def test_earlier_year_without_table_is_an_error():
    with pytest.raises(FactorError, match="FY2023"):
        one(rec("electricity", 1000, "kWh", month="2023-05"))


def test_heat_supplier_and_missing_default():
    r = one(rec("heat_steam", 100, "GJ", supplier="6"))
    assert r.tco2 == D("4.3600") and r.energy_gj is None
    with pytest.raises(FactorError, match="not available"):
        one(rec("heat_steam", 100, "GJ"))


def test_r7_gas_table_applies_to_fy2025_emissions():
    # ガス事業者別排出係数 －R7年度供給実績－ (R8.6.30): 第一ガス K0052 2.91 t-CO2/千m3, used for
    # FY2025 emissions (decision 0100 §3); a bill of 6,200 m3 = 6.2 千m3 x 2.91 = 18.042 t
    r = one(rec("city_gas", 6200, "m3", month="2025-06", supplier="K0052"))
    assert r.factor.value == D("2.91") and r.factor.fiscal_year == 2025 and not r.provisional
    assert r.tco2 == D("18.042")
    # FY2026: not published yet, the FY2025 table applies provisionally
    r26 = one(rec("city_gas", 1, "千m3", month="2026-04", supplier="K0052"))
    assert r26.factor.value == D("2.91") and r26.provisional
    assert [n.code for n in r26.notes] == ["note.provisional_factors"]
    # FY2024: no gas table; a named supplier is an error, no supplier uses the default 2.05
    with pytest.raises(FactorError) as exc:
        one(rec("city_gas", 1, "千m3", month="2024-04", supplier="K0052"))
    assert exc.value.code == "factor.year_unavailable"
    r24 = one(rec("city_gas", 1, "千m3", month="2024-04"))
    assert r24.factor.value == D("2.05") and not r24.provisional


def test_gas_default_in_an_unpublished_year_is_not_provisional():
    # the city-gas default is the ordinance's value (算定省令 別表第5), not a table value
    r = one(rec("city_gas", 1, "千m3", month="2026-04"))
    assert r.factor.basis == "default" and not r.provisional
    assert [n.code for n in r.notes] == ["note.default_no_supplier"]


def test_fuel_without_confirmed_heat_value_reports_missing_energy():
    r = one(rec("rdf", 1, "t"))
    assert r.tco2 == D("1.07") and r.energy_gj is None


def test_fuel_without_confirmed_old_factor_is_an_error():
    with pytest.raises(FactorError, match="rdf"):
        one(rec("rdf", 1, "t", month="2020-04"))


def test_search_suppliers():
    hits = search_suppliers("A0269", kind="electricity")
    assert hits[0].name == "東京電力エナジーパートナー(株)"
    assert "メニューM(残差)" in hits[0].menus
    assert search_suppliers("丸の内", kind="heat")[0].reg == "006"


# ---------------------------------------------------------------- totals, CLI


CSV = (
    "事業所,年月,エネルギー,使用量,単位,供給事業者,メニュー,金額,用途\n"
    '本社,2025-04,電気,"12,000",kWh,A0269,,350000,空調\n'
    "本社,2025/5,ガソリン,300,L,,,,社用車\n"
    "工場,2025年6月,重油 A,2,kL,,,,ボイラー\n"
    "工場,2026-04,電気,1000,kWh,,,,\n"
)


def test_totals_and_fiscal_years():
    read = read_rows(CSV.encode("utf-8-sig"))
    assert read.ok
    fy25, fy26 = calculate(read.records)
    assert fy25.fiscal_year == 2025 and fy26.fiscal_year == 2026
    assert fy25.scope2_basic_t == D(12000) * D("0.000452")
    gasoline = D("0.300") * D("33.4") * D("0.0187") * 44 / 12
    heavy_oil_a = 2 * D("38.9") * D("0.0193") * 44 / 12
    assert round(fy25.scope1_t, 20) == round(gasoline + heavy_oil_a, 20)
    assert not fy25.provisional and fy26.provisional
    assert sum(g.tco2 for g in fy25.by_facility) == fy25.total_basic_t
    assert sum(g.tco2 for g in fy25.by_energy) == fy25.total_basic_t


def test_cli_json(tmp_path, capsys):
    f = tmp_path / "use.csv"
    f.write_bytes(CSV.encode("cp932"))
    assert co2_main([str(f), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["fiscal_year"] for d in data] == [2025, 2026]
    keys = {"fiscal_year", "scope1_t", "scope2_basic_t", "scope2_adjusted_t",
            "scope2_location_t", "scope2_market_t", "energy_gj", "crude_oil_kl",
            "provisional", "by_energy", "by_facility", "warnings"}  # fmt: skip
    assert keys <= set(data[0])
    assert all("tco2" in g for g in data[0]["by_energy"] + data[0]["by_facility"])
    assert data[1]["provisional"] is True


def test_cli_bad_input_exit_2_nothing_on_stdout(tmp_path, capsys):
    f = tmp_path / "bad.csv"
    f.write_text(
        "年月,エネルギー,使用量,単位,供給事業者\n2025-04,電気,10,kWh,Z9999\n2025-13,灯油,x,L,\n"
    )
    assert co2_main([str(f), "--format", "json"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    # one pass: the supplier error of line 2 and the read errors of line 3 together
    lines = out.err.splitlines()
    assert "line 2, column 供給事業者" in lines[0]
    assert "line 3, column 年月" in lines[1] and "line 3, column 使用量" in lines[2]
    assert len(lines) == 3


def test_xlsx(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["facility", "month", "energy", "amount", "unit"])
    ws.append(["HQ", "2025-04", "灯油", 1.5, "kL"])
    buf = io.BytesIO()
    wb.save(buf)
    out = read_rows(buf.getvalue())
    assert out.ok and out.records[0].amount == D("1.5") and out.records[0].line == 2


def test_factors_cli(tmp_path, capsys):
    if not SHARED_DENKI.exists():
        pytest.skip("shared denki.txt not present")
    out = tmp_path / "e.tsv"
    assert factors_main(["import-electricity", str(SHARED_DENKI), "--results-year", "2024",
                         "--output", str(out)]) == 0  # fmt: skip
    assert str(out) in capsys.readouterr().out
    assert out.read_text().startswith("# 電気事業者別排出係数")
    assert factors_main(["list-suppliers", "--kind", "gas", "--search", "第一ガス"]) == 0
    assert "K0052" in capsys.readouterr().out


def test_denki_parser_counts_and_mapping():
    if not SHARED_DENKI.exists():
        pytest.skip("shared denki.txt not present")
    t = parse_denki_text(SHARED_DENKI.read_text())
    assert t.supplier_count == 511 and t.results_year == 2024 and t.emission_year == 2025
    assert t.default_value == D("0.000416") and t.national_average == D("0.000423")
    assert sum(1 for r in t.rows if r.kind == "grid") == 10


# ---------------------------------------------------------------- batch


def test_batch_matches_single_calculation():
    recs = [
        rec("electricity", 1234, "kWh", supplier="A0269"),
        rec("gasoline", 56, "L"),
        rec("city_gas", 789, "m3"),
    ]
    expected = calculate(recs)[0]
    b = batch_calculate(
        company=[7, 7, 7],
        fiscal_year=[2025] * 3,
        energy=["electricity", "gasoline", "city_gas"],
        amount=[1234, 56, 789],
        unit=["kWh", "L", "m3"],
        supplier=["A0269", "", ""],
    )
    assert len(b) == 1 and b.company[0] == 7
    assert b.scope1_t[0] == pytest.approx(float(expected.scope1_t), rel=1e-12)
    assert b.scope2_market_t[0] == pytest.approx(float(expected.scope2_market_t), rel=1e-12)
    assert b.crude_oil_kl[0] == pytest.approx(float(expected.crude_oil_kl), rel=1e-12)


def test_batch_sums_per_company_and_year():
    n = 1000
    rng = np.random.default_rng(0)
    comp = rng.integers(0, 10, n)
    amt = rng.random(n) * 100
    b = batch_calculate(company=comp, fiscal_year=np.full(n, 2025), energy=(np.zeros(n, int),
                        ["kerosene"]), amount=amt, unit=(np.zeros(n, int), ["kL"]))  # fmt: skip
    assert b.scope1_t.sum() == pytest.approx(amt.sum() * 36.5 * 0.0187 * 44 / 12)
    assert b.records.sum() == n


# ---------------------------------------------------------------- properties

_AMOUNTS = st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False)


@given(_AMOUNTS)
def test_same_use_in_other_units_same_co2(x):
    base = one(rec("electricity", x, "kWh", supplier="A0009")).tco2
    assert one(rec("electricity", x / 1000, "MWh", supplier="A0009")).tco2 == base
    assert one(rec("electricity", x / 1000, "千kWh", supplier="A0009")).tco2 == base
    assert one(rec("kerosene", x, "L")).tco2 == one(rec("kerosene", x / 1000, "kL")).tco2
    assert one(rec("lpg", x, "kg")).tco2 == one(rec("lpg", x / 1000, "t")).tco2
    assert one(rec("city_gas", x, "m3")).tco2 == one(rec("city_gas", x / 1000, "千m3")).tco2


_RECORD = st.builds(
    lambda e, a, f, m: rec(e[0], a, e[1], month=f"2025-{m:02d}", facility=f),
    st.sampled_from(
        [
            ("electricity", "kWh"),
            ("gasoline", "L"),
            ("city_gas", "m3"),
            ("heavy_oil_a", "kL"),
            ("lpg", "kg"),
        ]
    ),
    _AMOUNTS,
    st.sampled_from(["A", "B", "C"]),
    st.integers(4, 12),
)


@given(st.lists(_RECORD, min_size=1, max_size=30))
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_totals_equal_sum_of_parts(records):
    (r,) = calculate(records)
    # equal to the 34-digit working precision (sums in another order round the last digits)
    parts = sum((x.tco2 for x in r.records), D(0))
    tiny = (abs(parts) + 1) * D("1e-24")  # relative: 28-digit sums here, 34 in the core
    assert abs(r.total_basic_t - parts) < tiny
    for groups in (r.by_energy, r.by_facility, r.by_month, r.by_use):
        assert abs(sum((g.tco2 for g in groups), D(0)) - parts) < tiny
        market = sum((g.tco2_market for g in groups), D(0))
        assert abs(market - (r.scope1_t + r.scope2_market_t)) < tiny


@given(st.binary(max_size=2000))
@settings(deadline=None)
def test_parser_never_crashes_on_bytes(data):
    out = read_rows(data)
    assert isinstance(out.records, tuple) and isinstance(out.errors, tuple)


@given(st.text(max_size=500))
@settings(deadline=None)
def test_parser_never_crashes_on_text_after_a_header(body):
    out = read_rows(("年月,エネルギー,使用量,単位\n" + body).encode("utf-8"))
    assert out.records or out.errors


def test_parse_errors_are_not_exceptions_for_broken_xlsx():
    out = read_rows(b"PK\x03\x04garbage")
    assert out.errors and not out.records


def test_nothing_half_computed():
    good = rec("gasoline", 1, "kL", line=2)
    bad = rec("electricity", 1, "kWh", supplier="Z9999", line=3)
    with pytest.raises(CalculationError) as exc:
        calculate([good, bad])
    assert [e.line for e in exc.value.errors] == [3]


def test_batch_sparse_company_ids_take_the_sorting_path():
    comp = np.array([10**12, 5, 10**12, 5])
    b = batch_calculate(company=comp, fiscal_year=[2025, 2025, 2026, 2025], energy=["gasoline"] * 4,
                        amount=[1.0, 2.0, 3.0, 4.0], unit=["kL"] * 4)  # fmt: skip
    assert list(b.company) == [5, 10**12, 10**12]
    assert list(b.fiscal_year) == [2025, 2025, 2026]
    per_kl = 33.4 * 0.0187 * 44 / 12  # gasoline, 算定省令 別表第1
    assert b.scope1_t == pytest.approx([6 * per_kl, per_kl, 3 * per_kl])
