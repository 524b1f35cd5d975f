"""Every error code the core can report has a message in both languages; unknown codes fall
back to the core's English reason."""

import re

import pytest
from django.utils import translation

from cnnavi.core import RowError, read_rows
from cnnavi.core.tests.test_errors import core_error_codes
from cnnavi.measure.messages import MESSAGES, VARIANTS, error_message, message_for

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# parameters that make every message readable (names as in docs/core.md)
SAMPLE = {
    "text": "x", "field": "amount", "month": 13, "year": 1980, "energy": "city_gas",
    "unit": "千m3", "to_unit": "kWh", "units": "千m3, m3", "kind": "gas", "fiscal_year": 2024,
    "table_year": 2025, "shipped": "FY2025", "key": "k", "regs": "A1, A2", "reg": "A1",
    "name": "n", "menus": "m", "detail": "d",
}  # fmt: skip


def test_every_core_code_has_a_japanese_message_and_no_stale_ones():
    codes = core_error_codes()
    assert sorted(codes - set(MESSAGES)) == []
    assert sorted(set(MESSAGES) - codes) == []
    assert {code for code, _ in VARIANTS} <= codes


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
