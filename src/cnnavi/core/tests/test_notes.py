"""Every warning the core reports carries a stable code and parameters (``CoreNote``); the
English text (CLI, ``to_dict()["warnings"]``) stays what it was."""

from __future__ import annotations

import json
from decimal import Decimal as D

from cnnavi.core import CoreNote, Record, batch_calculate, calculate, calculate_record
from cnnavi.core.cli import co2_main


def test_a_note_is_its_english_text_and_hashable():
    n = CoreNote.make("some text", code="note.x", kind="gas", fiscal_year=2026)
    assert str(n) == "some text" and n.code == "note.x"
    assert n.params_dict == {"kind": "gas", "fiscal_year": 2026}
    assert hash(n) == hash(
        CoreNote("note.x", (("kind", "gas"), ("fiscal_year", 2026)), "some text")
    )


def test_provisional_factors_counted_per_year_with_code_and_params():
    recs = [
        Record(f"2026-{m:02d}", "electricity", D(1000), "kWh", supplier="A0271") for m in (4, 5, 6)
    ]
    (y,) = calculate(recs)
    text = (
        "electricity factors for FY2026 are not published yet: FY2025 factors applied provisionally"
    )
    assert y.warnings == (f"{text} (3 records)",)
    assert y.to_dict()["warnings"] == [f"{text} (3 records)"]
    ((note, count),) = y.notes
    assert (note.code, note.params_dict, note.text, count) == (
        "note.provisional_factors",
        {"kind": "electricity", "fiscal_year": 2026, "table_year": 2025},
        text,
        3,
    )
    # the records of one plan share one tuple of notes (no allocation per record)
    assert len({id(r.notes) for r in y.records}) == 1
    assert y.records[0].warnings == (text,)


def test_default_value_note_names_the_value_and_the_reason():
    r = calculate_record(Record("2025-04", "electricity", D(1), "kWh"))
    (note,) = r.notes
    assert note.code == "note.default_no_supplier"
    assert note.params_dict == {
        "kind": "electricity", "fiscal_year": 2025, "value": "0.000416", "factor_unit": "t-CO2/kWh",
    }  # fmt: skip
    assert note.text == (
        "no electricity supplier given: the electricity default value (代替値) "
        "(0.000416 t-CO2/kWh) was used"
    )
    r = calculate_record(
        Record("2025-04", "electricity", D(1), "kWh", supplier="NOPE"), accept_default=True
    )
    (note,) = r.notes
    assert note.code == "note.default_supplier_unknown"
    assert note.params_dict["text"] == "NOPE" and note.params_dict["table_year"] == 2025


def test_notes_keep_their_order_and_counts_across_plans():
    recs = [
        Record("2025-04", "lpg", D(100), "m3", energy_text="プロパン"),
        Record("2025-05", "electricity", D(1), "kWh"),
        Record("2025-06", "lpg", D(100), "m3", energy_text="プロパン"),
        Record("2025-07", "heat_steam", D(1), "GJ", supplier="014"),
    ]
    (y,) = calculate(recs, accept_default=True)
    assert [(n.code, c) for n, c in y.notes] == [
        ("note.lpg_m3_rate", 2),
        ("note.default_no_supplier", 1),
        ("note.heat_not_in_energy", 1),
    ]
    assert y.notes[0][0].params_dict["gas"] == "propane"
    assert y.warnings[0].endswith("use the supplier's rate where it gives one (2 records)")
    assert [str(n) for n, _ in y.notes][1:] == list(y.warnings[1:])


def test_months_outside_the_year():
    recs = [
        Record("2024-04", "diesel_oil", D(1), "kL"),
        Record("2025-04", "diesel_oil", D(1), "kL"),
    ]
    (y,) = calculate(recs, fiscal_year=2025)
    ((note, count),) = y.notes
    assert (note.code, note.params_dict, count) == (
        "note.months_outside_year", {"count": 1, "fiscal_year": 2025}, 1,
    )  # fmt: skip
    assert y.warnings == ("1 records have a month outside FY2025 and were counted in it",)


def test_cli_json_warnings_are_the_english_strings(capsys, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text(
        "年月,エネルギー,使用量,単位,供給事業者\n2026-04,電気,10,kWh,A0271\n2026-05,電気,10,kWh,A0271\n",
        encoding="utf-8",
    )
    assert co2_main([str(f), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    year = out[0] if isinstance(out, list) else out["years"][0]
    assert year["warnings"] == [
        "electricity factors for FY2026 are not published yet: FY2025 factors applied "
        "provisionally (2 records)"
    ]


def test_batch_keeps_the_year_wide_notes():
    r = batch_calculate(
        company=[1, 1],
        fiscal_year=[2026, 2025],
        energy=["electricity", "heat_steam"],
        amount=[1.0, 1.0],
        unit=["kWh", "GJ"],
        supplier=["A0271", "014"],
        accept_default=True,
    )
    assert [n.code for n in r.notes] == ["note.provisional_factors", "note.heat_not_in_energy"]
    assert r.warnings == tuple(n.text for n in r.notes)
