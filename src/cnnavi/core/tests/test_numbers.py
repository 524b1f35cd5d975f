"""Issue #17 "numbers an SME can trust", core side: the ordinance's fuel formula, the supplier's
standard heat value for city-gas energy, one pass over every row, supplier-notice factors,
estimation only when asked, bill units and the months-as-columns layout.

Hand computations cite their source (docs/decisions/0100-core-official-values.md).
"""

from __future__ import annotations

import dataclasses
import decimal
import json
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnavi.core import (
    BatchError,
    CalculationError,
    Record,
    batch_calculate,
    bill_unit,
    calculate,
    calculate_record,
    calculation_errors,
    check_records,
    check_rows,
    get_energy,
    read_rows,
)
from cnnavi.core.cli import co2_main, factors_main


def rec(energy, amount, unit, month="2025-04", **kw) -> Record:
    return Record(month, energy, D(str(amount)), unit, **kw)


# ---------------------------------------------------------------- point 5: fuel formula


@pytest.mark.parametrize(
    ("energy", "amount", "unit", "heat_value", "carbon", "reference"),
    [
        # 算定省令 別表第1 (current): heat value GJ/unit, carbon factor tC/GJ; 一覧 R7 p.23 参考1
        ("kerosene", "1", "kL", "36.5", "0.0187", "2.50"),
        ("heavy_oil_a", "2", "kL", "38.9", "0.0193", "2.75"),
        ("diesel_oil", "1", "kL", "38.0", "0.0188", "2.62"),
        ("lpg", "0.1", "t", "50.1", "0.0163", "2.99"),
        ("lng", "1", "t", "54.7", "0.0139", "2.79"),
    ],
)
def test_fuel_co2_is_amount_x_heat_value_x_carbon_factor_x_44_12(
    energy, amount, unit, heat_value, carbon, reference
):
    r = calculate_record(rec(energy, amount, unit))
    with decimal.localcontext(decimal.Context(prec=34)):  # the core's working precision
        expected = D(amount) * D(heat_value) * D(carbon) * 44 / 12
    assert r.tco2 == expected  # unrounded: the rules do not round a record's CO2
    assert r.energy_gj == D(amount) * D(heat_value)
    assert r.factor.reference_value == D(reference)  # 参考1, shown as a reference only
    assert r.factor.as_dict()["reference_value"] == float(reference)


def test_hand_computed_kerosene_and_the_difference_to_the_reference_table():
    # 1,000 L of 灯油: 1 kL x 36.5 GJ/kL = 36.5 GJ; x 0.0187 tC/GJ = 0.68255 tC;
    # x 44/12 = 2.502683 t-CO2 (the 参考1 value 2.50 understates it by 0.11 %)
    r = calculate_record(rec("kerosene", 1000, "L"))
    assert round(r.tco2, 6) == D("2.502683")
    assert r.energy_gj == D("36.5")
    assert round(r.crude_oil_kl, 6) == D("0.941700")  # 36.5 GJ x 0.0258 kL/GJ


def test_fuel_given_in_gj_uses_the_carbon_factor():
    # 100 GJ of A重油 x 0.0193 tC/GJ x 44/12 = 7.076666... t
    r = calculate_record(rec("heavy_oil_a", 100, "GJ"))
    assert round(r.tco2, 6) == D("7.076667") and r.factor.unit == "t-CO2/GJ"
    assert r.factor.reference_value is None


def test_fuels_without_a_confirmed_heat_value_keep_the_published_factor():
    # RDF: heat value not confirmed (算定省令 別表第1 items 27-35 not read): 一覧 R7 p.23 1.07
    r = calculate_record(rec("rdf", 2, "t"))
    assert r.tco2 == D("2.14") and r.energy_gj is None and r.factor.source.page == "p.23"


# ---------------------------------------------------------------- point 5: city-gas heat value


def test_city_gas_energy_uses_the_suppliers_standard_heat_value_where_given():
    # a bill of 6,200 m3 with 標準熱量 45 MJ/m3 (= 45 GJ/千m3): 6.2 千m3 x 45 = 279 GJ,
    # x 0.0258 = 7.1982 kL; CO2 stays on the SHK basis (代替値 2.05 t-CO2/千m3 = 12.71 t)
    r = calculate_record(rec("city_gas", 6200, "m3", heat_value=D(45)))
    assert r.energy_gj == D("279") and r.crude_oil_kl == D("7.1982")
    assert r.tco2 == D("12.710")
    assert r.energy_factor.basis == "supplier_heat_value"
    assert r.energy_factor.source.document == "事業者公表値（利用者入力）"
    assert "note.supplier_heat_value" in [n.code for n in r.notes]
    # without it: the ordinance's 40.0 GJ/千m3 (算定省令 別表第5), and the result says so
    s = calculate_record(rec("city_gas", 6200, "m3"))
    assert s.energy_gj == D("248.0") and s.energy_factor.basis == "heat_value"
    assert "別表第5" in s.energy_factor.source.document
    assert "note.supplier_heat_value" not in [n.code for n in s.notes]


def test_standard_heat_value_column_in_a_file():
    csv = (
        "年月,エネルギー,使用量,単位,標準熱量\n"
        "2025-04,都市ガス,1000,m3,45\n"
        "2025-05,都市ガス,1000,m3,\n"
        "2025-06,電気,1000,kWh,45\n"
        "2025-07,都市ガス,1000,m3,0\n"
    )
    out = read_rows(csv.encode())
    assert [r.heat_value for r in out.records] == [D(45), None]
    assert [(e.line, e.column, e.code) for e in out.errors] == [
        (4, "標準熱量", "input.field_not_applicable"),
        (5, "標準熱量", "input.not_positive"),
    ]
    (fy,) = calculate(out.records)
    assert fy.energy_gj == D(45) + D("40.0")


# ---------------------------------------------------------------- point 6: one pass

BOTH_KINDS = (
    "年月,エネルギー,使用量,単位,供給事業者\n"
    "2025-04,電気,1000,kWh,A0269\n"
    "2025-05,電気,-5,kWh,A0269\n"  # line 3: parse error
    "2025-06,電気,1000,kWh,Z9999\n"  # line 4: unknown supplier
    "2025-07,都市ガス,100,m3,K0052\n"
    "2025-08,都市ガス,100,m3,K0052,\n"
    "2025-09,電気,1000,kWh,A0269\n"
)


def test_check_rows_names_parse_and_calculation_errors_at_once():
    out = check_rows(BOTH_KINDS.encode())
    assert [(e.line, e.column, e.code) for e in out.errors] == [
        (3, "使用量", "input.negative"),
        (4, "供給事業者", "factor.supplier_unknown"),  # the column as the file heads it
    ]
    assert [r.line for r in out.records] == [2, 5, 6, 7]
    # the same rows as cells (an API's JSON rows), numbered from the first data row
    rows = [
        {"month": "2025-04", "energy": "電気", "amount": "-1", "unit": "kWh"},
        {"month": "2025-05", "energy": "電気", "amount": "1", "unit": "kWh", "supplier": "Z9"},
        {"month": "2025-06", "energy": "軽油", "amount": "1", "unit": "L"},
    ]
    out = check_rows(rows)
    assert [(e.line, e.code) for e in out.errors] == [
        (1, "input.negative"),
        (2, "factor.supplier_unknown"),
    ]
    assert [r.line for r in out.records] == [3]


def test_check_records_built_in_code():
    good = rec("diesel_oil", 1, "kL")
    bad = rec("electricity", 1, "kWh", supplier="Z9999")
    out = check_records([good, bad, good])
    assert out.records == (good, good) and [e.code for e in out.errors] == [
        "factor.supplier_unknown"
    ]
    assert calculation_errors([bad], accept_default=True) == []


def test_cli_names_every_bad_line_at_once(tmp_path, capsys):
    f = tmp_path / "use.csv"
    f.write_text(BOTH_KINDS, encoding="utf-8")
    assert co2_main([str(f)]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    lines = out.err.strip().splitlines()
    assert len(lines) == 2
    assert "line 3, column 使用量: amount -5 is negative" in lines[0]
    assert "line 4, column 供給事業者: supplier 'Z9999' is not in the FY2025" in lines[1]


# ---------------------------------------------------------------- point 3: every year computable

NOTICE = {"basic_factor": D("0.000480"), "adjusted_factor": D("0.000471")}  # from a bill/notice


def test_fy2024_with_a_supplier_notice_factor_computes_and_is_labelled():
    r = rec("electricity", 10_000, "kWh", month="2024-06", supplier="A0269", **NOTICE)
    (fy,) = calculate([r])
    (x,) = fy.records
    assert x.tco2 == D("4.800000") and x.tco2_adjusted == D("4.710000")
    assert x.tco2_market == D("4.710000")
    assert x.factor.basis == "user_supplier" and x.factor.unit == "t-CO2/kWh"
    assert x.factor.source.document == "事業者公表値（利用者入力）"
    # no FY2024 table: no national average, so location-based takes the supplier's basic factor
    assert x.tco2_location == D("4.800000")
    codes = [n.code for n, _ in fy.notes]
    assert codes == ["note.user_supplier_factor", "note.no_national_average"]
    assert fy.user_entered and not fy.estimated and not fy.provisional
    d = fy.to_dict()
    assert d["user_entered"] is True and d["estimated"] is False
    assert {f["basis"] for f in d["factors"]} >= {"user_supplier"}
    assert any("事業者公表値（利用者入力）" in w for w in d["warnings"])


def test_a_notice_factor_wins_over_the_table_and_keeps_the_national_average():
    r = rec("electricity", 1000, "kWh", supplier="A0269", basic_factor=D("0.0004"))
    x = calculate_record(r)
    assert x.tco2 == x.tco2_adjusted == D("0.4000")  # adjusted not given: the basic one
    assert x.tco2_location == D("0.423000")  # FY2025 national average 0.000423
    assert x.factor_location.basis == "national_average"


def test_gas_notice_factor_and_standard_heat_value():
    r = rec("city_gas", 6200, "m3", month="2024-05", supplier="日本海ガス",
            basic_factor=D("2.21"), adjusted_factor=D("2.10"), heat_value=D(45))  # fmt: skip
    x = calculate_record(r)
    assert x.tco2 == D("13.702") and x.tco2_adjusted == D("13.020")
    assert x.energy_gj == D("279") and x.user_entered
    assert x.factor.unit == "t-CO2/千m3" and not x.estimated


def test_fy2024_without_a_table_computes_only_when_estimation_is_chosen():
    r = rec("electricity", 10_000, "kWh", month="2024-06", supplier="A0269")
    with pytest.raises(CalculationError) as exc:
        calculate([r])
    assert exc.value.errors[0].code == "factor.year_unavailable"
    (fy,) = calculate([r], estimate=True)
    (x,) = fy.records
    # A0269 メニューM(残差) 0.000452 of the FY2025 table (R6 results), marked 推計
    assert x.tco2 == D("4.520000") and x.factor.estimated and x.factor.fiscal_year == 2025
    assert x.tco2_location == D("4.230000") and x.factor_location.estimated
    assert x.estimated and fy.estimated and not fy.provisional
    assert [n.code for n, _ in fy.notes] == ["note.estimated_factors"]
    assert fy.to_dict()["estimated"] is True
    assert fy.to_dict()["factors"][0]["estimated"] is True
    # a gas supplier likewise (第一ガス K0052 2.91 of the R7 table)
    g = calculate_record(rec("city_gas", 1, "千m3", month="2024-04", supplier="K0052"),
                         estimate=True)  # fmt: skip
    assert g.factor.value == D("2.91") and g.estimated
    # no supplier: the default of the nearest table (代替値 0.000416), estimated too
    d = calculate_record(rec("electricity", 1000, "kWh", month="2023-04"), estimate=True)
    assert d.factor.basis == "default" and d.estimated
    # a year with a table is never estimated
    assert not calculate_record(
        rec("electricity", 1, "kWh", supplier="A0269"), estimate=True
    ).estimated


def test_cli_estimate_and_notice_columns(tmp_path, capsys):
    f = tmp_path / "fy2024.csv"
    f.write_text(
        "年月,エネルギー,使用量,単位,供給事業者,基礎排出係数,調整後排出係数\n"
        "2024-04,電気,10000,kWh,A0269,,\n"
        "2024-05,電気,10000,kWh,A0269,0.000480,0.000471\n",
        encoding="utf-8",
    )
    assert co2_main([str(f), "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "line 3" not in err
    assert co2_main([str(f), "--format", "json", "--estimate"]) == 0
    (year,) = json.loads(capsys.readouterr().out)
    assert year["estimated"] is True and year["user_entered"] is True
    assert year["scope2_basic_t"] == pytest.approx(4.52 + 4.80)
    assert any("推計" in w for w in year["warnings"])
    assert co2_main([str(f), "--estimate"]) == 0
    assert "ESTIMATED" in capsys.readouterr().out


def test_notice_factor_on_a_fuel_is_refused():
    out = read_rows("年月,エネルギー,使用量,単位,基礎排出係数\n2025-04,軽油,1,kL,2.6\n".encode())
    assert [(e.line, e.code) for e in out.errors] == [(2, "input.field_not_applicable")]


def test_batch_marks_estimated_years():
    b = batch_calculate(company=[1, 1], fiscal_year=[2024, 2025], energy=["electricity"] * 2,
                        amount=[1000.0, 1000.0], unit=["kWh"] * 2, supplier=["A0269"] * 2,
                        estimate=True)  # fmt: skip
    assert list(b.estimated) == [True, False]
    assert b.scope2_basic_t == pytest.approx([0.452, 0.452])
    assert "note.estimated_factors" in {n.code for n in b.notes}
    with pytest.raises(BatchError):
        batch_calculate(company=[1], fiscal_year=[2024], energy=["electricity"], amount=[1.0],
                        unit=["kWh"], supplier=["A0269"])  # fmt: skip


# ---------------------------------------------------------------- point 1: units as on bills


@pytest.mark.parametrize(
    ("code", "unit"),
    [("city_gas", "m3"), ("electricity", "kWh"), ("kerosene", "L"), ("diesel_oil", "L"),
     ("gasoline", "L"), ("heavy_oil_a", "L"), ("lpg", "kg"), ("heat_steam", "MJ")],
)  # fmt: skip
def test_each_energy_has_the_unit_its_bills_print(code, unit):
    e = get_energy(code)
    assert e.bill_unit == unit == bill_unit(code) and e.accepts(unit)
    assert all(e.accepts(u) for u in e.bill_units)
    assert get_energy("lpg").bill_units == ("kg", "m3")
    assert get_energy("heat_steam").bill_units == ("MJ", "GJ")


def test_the_template_filled_in_from_bills_gives_the_right_co2(tmp_path, capsys):
    assert co2_main(["--template"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("事業所,年月,エネルギー,使用量,単位,供給事業者")
    assert "本社,2025-04,都市ガス,,m3,,,,,,," in lines
    # the user types the bills: 6,200 m3 of city gas from 第一ガス, 1,000 L of kerosene
    filled = [lines[0]] + [
        ln.replace(",都市ガス,,m3,,", ",都市ガス,6200,m3,K0052,").replace(
            ",灯油,,L,", ",灯油,1000,L,"
        )
        for ln in lines[1:]
        if "都市ガス" in ln or "灯油" in ln
    ]
    f = tmp_path / "bills.csv"
    f.write_text("\n".join(filled) + "\n", encoding="utf-8")
    assert co2_main([str(f), "--format", "json"]) == 0
    (year,) = json.loads(capsys.readouterr().out)
    # 6.2 千m3 x 2.91 (R7 gas table, FY2025) + 1 kL x 36.5 x 0.0187 x 44/12
    assert year["scope1_t"] == pytest.approx(18.042 + 2.5026833333)
    energies = {g["key"]: g["tco2"] for g in year["by_energy"]}
    assert energies["city_gas"] == pytest.approx(18.042)


def test_factors_energies_lists_bill_units(capsys):
    assert factors_main(["energies", "--format", "json"]) == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["city_gas"]["bill_unit"] == "m3" and rows["city_gas"]["official_unit"] == "千m3"
    assert rows["lpg"]["bill_units"] == ["kg", "m3"]


# ---------------------------------------------------------------- point 9: months as columns

MONTHS = ("4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月", "1月", "2月", "3月")
WIDE_HEAD = "事業所,年度,エネルギー,単位,供給事業者," + ",".join(MONTHS) + "\n"


def _strip_lines(records):
    return [dataclasses.replace(r, line=0) for r in records]


def test_months_as_columns_gives_the_row_layout_records():
    wide = WIDE_HEAD + (
        "本社,2025,電気,kWh,A0269,12000,11800,,,,,,,,9000,,13100\n"
        "工場,令和7年度,都市ガス,m3,K0052,6200,,,,,,,,,,,0\n"
    )
    rows = (
        "事業所,年月,エネルギー,使用量,単位,供給事業者\n"
        "本社,2025-04,電気,12000,kWh,A0269\n本社,2025-05,電気,11800,kWh,A0269\n"
        "本社,2026-01,電気,9000,kWh,A0269\n本社,2026-03,電気,13100,kWh,A0269\n"
        "工場,2025-04,都市ガス,6200,m3,K0052\n工場,2026-03,都市ガス,0,m3,K0052\n"
    )
    a, b = read_rows(wide.encode()), read_rows(rows.encode())
    assert a.ok and b.ok
    assert _strip_lines(a.records) == _strip_lines(b.records)
    assert [r.line for r in a.records] == [2, 2, 2, 2, 3, 3]  # the row's line in the file
    assert calculate(a.records)[0].total_basic_t == calculate(b.records)[0].total_basic_t


def test_one_bad_row_does_not_hide_the_others():
    wide = WIDE_HEAD + (
        "本社,2025,電気,kWh,A0269,100,-5,x,,,,,,,,,\n"
        "本社,2025,ガソリン,furlong,,1,,,,,,,,,,,\n"
        "工場,202X,灯油,L,,1,,,,,,,,,,,\n"
        "工場,2025,灯油,L,,10,20,,,,,,,,,,\n"
    )
    out = read_rows(wide.encode())
    assert [(e.line, e.column, e.code) for e in out.errors] == [
        (2, "5月", "input.negative"),
        (2, "6月", "input.not_a_number"),
        (3, "単位", "unit.unknown"),  # once for the row, not once per month
        (4, "年度", "input.fiscal_year_unreadable"),
    ]
    assert [(r.line, r.month, r.amount) for r in out.records] == [
        (2, "2025-04", D(100)), (5, "2025-04", D(10)), (5, "2025-05", D(20)),
    ]  # fmt: skip
    # the one-pass check adds calculation errors of the good rows
    bad_supplier = WIDE_HEAD + "本社,2024,電気,kWh,A0269,1,,,,,,,,,,,\n"
    checked = check_rows(bad_supplier.encode())
    assert [e.code for e in checked.errors] == ["factor.year_unavailable"]
    assert check_rows(bad_supplier.encode(), estimate=True).ok


def test_months_layout_from_json_rows_and_english_headers():
    rows = [{"facility": "HQ", "fiscal_year": "FY2025", "energy": "electricity", "unit": "kWh",
             "Apr": "1000", "May": "", "Mar": 3}]  # fmt: skip
    out = check_rows(rows)
    assert [(r.month, r.amount) for r in out.records] == [("2025-04", D(1000)), ("2026-03", D(3))]


_MONTH_AMOUNTS = st.lists(
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2)), min_size=12,
    max_size=12,
)  # fmt: skip


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["本社", "工場"]),
            st.integers(2015, 2030),
            st.sampled_from([("電気", "kWh"), ("都市ガス", "m3"), ("灯油", "L"), ("LPG", "kg")]),
            _MONTH_AMOUNTS,
        ),
        min_size=1,
        max_size=6,
    )
)
@settings(max_examples=40, deadline=None)
def test_property_months_layout_equals_row_layout(table):
    wide = [WIDE_HEAD.strip()]
    long = ["事業所,年月,エネルギー,使用量,単位"]
    for facility, fy, (energy, unit), amounts in table:
        wide.append(",".join([facility, str(fy), energy, unit, ""]
                             + ["" if a is None else str(a) for a in amounts]))  # fmt: skip
        for i, a in enumerate(amounts):
            if a is not None:
                m = (i + 3) % 12 + 1
                long.append(f"{facility},{fy + (m <= 3)}-{m:02d},{energy},{a},{unit}")
    a = read_rows(("\n".join(wide) + "\n").encode())
    b = read_rows(("\n".join(long) + "\n").encode())
    assert not a.errors or (len(long) == 1 and a.errors[0].code == "file.no_data")
    assert _strip_lines(a.records) == _strip_lines(b.records)


def test_months_template(capsys):
    assert co2_main(["--template", "--layout", "months"]) == 0
    head = capsys.readouterr().out.splitlines()[0].split(",")
    assert head[:4] == ["事業所", "年度", "エネルギー", "単位"] and head[-12:] == list(MONTHS)


def test_months_layout_in_an_xlsx_workbook():
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["事業所", "年度", "エネルギー", "単位", *MONTHS])
    ws.append(["本社", 2025, "A重油", "L", 1200.5, None, None, None, None, None, None, None,
               None, 800, None, None])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    out = read_rows(buf.getvalue(), filename="use.xlsx")
    assert out.ok
    assert [(r.line, r.month, r.amount, r.unit) for r in out.records] == [
        (2, "2025-04", D("1200.5"), "L"),
        (2, "2026-01", D(800), "L"),
    ]
