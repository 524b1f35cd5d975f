"""Every error code the core can report has a message in both languages; unknown codes fall
back to the core's English reason."""

import html
import re
from decimal import Decimal as D

import pytest
from django.utils import translation

from cnnavi.core import CoreNote, Record, RowError, calculate, read_rows
from cnnavi.core.tests.test_errors import core_error_codes, core_note_codes
from cnnavi.measure.messages import (
    MESSAGES,
    VARIANTS,
    error_message,
    message_for,
    note_dict,
    note_message,
)

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# parameters that make every message readable (names as in docs/core.md)
SAMPLE = {
    "text": "x", "field": "amount", "month": 13, "year": 1980, "energy": "city_gas",
    "unit": "千m3", "to_unit": "kWh", "units": "千m3, m3", "kind": "gas", "fiscal_year": 2024,
    "table_year": 2025, "shipped": "FY2025", "key": "k", "regs": "A1, A2", "reg": "A1",
    "name": "n", "menus": "m", "detail": "d", "value": "0.000416", "factor_unit": "t-CO2/千m3",
    "gas": "propane", "note": "n", "count": 3, "basic": "0.00048", "adjusted": "0.000471",
}  # fmt: skip


def test_every_core_code_has_a_japanese_message_and_no_stale_ones():
    codes = core_error_codes() | core_note_codes()
    assert sorted(codes - set(MESSAGES)) == []
    assert sorted(set(MESSAGES) - codes) == []
    assert {code for code, _ in VARIANTS} <= codes


def test_every_warning_code_has_a_message():
    notes = core_note_codes()
    assert notes and sorted(notes - set(MESSAGES)) == []


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_each_message_fills_in_japanese_and_english(code):
    with translation.override("ja"):
        ja = message_for(code, SAMPLE, "REASON")
    with translation.override("en"):
        en = message_for(code, SAMPLE, "REASON")
    assert ja != "REASON" and JAPANESE.search(ja)
    assert en != "REASON" and not JAPANESE.search(en), en
    assert "%(" not in ja and "%(" not in en


def test_parameters_are_shown_with_names_in_the_users_language():
    params = {"unit": "kL", "energy": "electricity", "units": "kWh, MWh, 千kWh"}
    with translation.override("ja"):
        ja = message_for("unit.not_accepted", params, "")
    with translation.override("en"):
        en = message_for("unit.not_accepted", params, "")
    assert ja == "電気 の単位に kL は使えません。使える単位: kWh, MWh, 千kWh"
    assert en == "kL is not a unit for Electricity. Units: kWh, MWh, 1,000 kWh"


def test_user_text_is_escaped_and_japanese_names_marked():
    with translation.override("en"):
        html = message_for("energy.unknown", {"text": "<b>重油</b>"}, "")
    assert "&lt;b&gt;" in html and '<span lang="ja">' in html and "<b>" not in html


def test_unknown_code_or_missing_parameter_falls_back_to_the_english_reason():
    assert message_for("factor.not_a_code", {}, "the reason") == "the reason"
    assert message_for("unit.not_accepted", {}, "the reason") == "the reason"
    assert error_message(RowError(1, "", "web text")) == "web text"
    assert error_message(ValueError("plain")) == "plain"


def test_a_row_error_from_the_reader():
    (error,) = read_rows("年月,エネルギー,使用量,単位\n2025-04,電気,1,furlong\n".encode()).errors
    with translation.override("ja"):
        assert error_message(error).startswith("単位「furlong」が分かりません。")


def test_a_warning_with_its_number_of_records_in_both_languages():
    recs = [
        Record(f"2026-{m:02d}", "electricity", D(1000), "kWh", supplier="A0271") for m in (4, 5, 6)
    ]
    ((note, count),) = calculate(recs)[0].notes
    with translation.override("ja"):
        assert note_message(note, count) == (
            "2026年度の電気の排出係数はまだ公表されていないため、2025年度の係数を暫定で使っています"
            "（3件）。公表後に数値が変わることがあります。"
        )
        assert note_message(note, 1).startswith("2026年度の電気の排出係数は")
        assert "件" not in note_message(note, 1)
    with translation.override("en"):
        assert note_message(note_dict(note, count)) == (
            "The electricity emission factors for FY2026 have not been published yet, so the "
            "FY2025 factors are used provisionally (3 records). The figures may change once they "
            "are published."
        )


def test_default_value_says_which_value_and_what_to_do():
    ((note, count),) = calculate([Record("2026-04", "city_gas", D(1), "千m3")])[0].notes
    with translation.override("ja"):
        ja = note_message(note, count)
    with translation.override("en"):
        en = html.unescape(note_message(note, count))  # safe HTML: the apostrophe is escaped
    assert ja == (
        "都市ガスの供給事業者が分からないため、代替値（2.05 t-CO2/千m3）で計算しています。"
        "事業所の供給契約で供給事業者を選ぶと、より正確な値になります。"
    )
    assert en == (
        "No city gas supplier is known, so the default value (2.05 t-CO2/1,000 m3) is used. "
        "Choose the supplier in the facility's supply contracts for a more accurate figure."
    )


def test_unknown_warning_code_shows_the_english_text_with_its_count():
    note = CoreNote.make("something new happened", code="note.not_a_code")
    with translation.override("ja"):
        assert note_message(note, 2) == "something new happened (2 records)"
        assert note_message(note_dict(note, 1)) == "something new happened"
