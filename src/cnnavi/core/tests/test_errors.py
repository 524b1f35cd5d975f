"""Every error the core reports to users carries a stable code and parameters; the English
message stays what the CLI prints."""

from __future__ import annotations

import ast
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from cnnavi.core import (
    CalculationError,
    CoreError,
    EnergyError,
    FactorError,
    InputError,
    Record,
    RowError,
    calculate,
    calculate_record,
    read_rows,
)

CORE = Path(__file__).resolve().parents[1]
CODE = re.compile(r"^(input|file|energy|unit|factor)\.[a-z0-9_]+$")
NOTE_CODE = re.compile(r"^note\.[a-z0-9_]+$")  # warnings (CoreNote)


def _scan(shape: re.Pattern) -> set[str]:
    """String constants in the core's modules shaped like a code."""
    codes = set()
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and shape.match(node.value)
            ):
                codes.add(node.value)
    return codes


def core_error_codes() -> set[str]:
    """Every error code the core's modules can report."""
    return _scan(CODE)


def core_note_codes() -> set[str]:
    """Every warning code the core's modules can report (``CoreNote.code``)."""
    return _scan(NOTE_CODE)


def test_the_scan_finds_the_codes():
    codes = core_error_codes()
    assert {"factor.year_unavailable", "input.month_out_of_range", "unit.unknown"} <= codes
    assert len(codes) >= 25
    notes = core_note_codes()
    assert {"note.provisional_factors", "note.default_no_supplier"} <= notes
    assert len(notes) >= 10


def _section(doc: str, title: str) -> str:
    start = doc.index(f"## {title}")
    end = doc.find("\n## ", start + 1)
    return doc[start : end if end != -1 else None]


def test_every_code_is_documented():
    doc = (CORE.parents[2] / "docs" / "core.md").read_text(encoding="utf-8")
    errors = _section(doc, "Errors")
    missing = sorted(c for c in core_error_codes() if f"`{c}`" not in errors)
    assert not missing, f"error codes not listed in docs/core.md (Errors): {missing}"


def test_every_warning_code_is_documented():
    doc = (CORE.parents[2] / "docs" / "core.md").read_text(encoding="utf-8")
    warnings = _section(doc, "Warnings")
    missing = sorted(c for c in core_note_codes() if f"`{c}`" not in warnings)
    assert not missing, f"warning codes not listed in docs/core.md (Warnings): {missing}"


def test_read_rows_errors_have_codes_and_the_same_english_reasons():
    data = "年月,エネルギー,使用量,単位\n2025-13,電気,10,kWh\n2025-04,電気,-1,kWh\n2025-04,電気,1,furlong\n"
    out = read_rows(data.encode())
    by_line = {e.line: e for e in out.errors}
    e = by_line[2]
    assert (e.column, e.reason, e.code, e.params_dict) == (
        "年月",
        "month 13 is not 1-12",
        "input.month_out_of_range",
        {"month": 13},
    )
    assert str(e) == "line 2, column 年月: month 13 is not 1-12"
    assert by_line[3].code == "input.negative" and by_line[3].reason == "amount -1 is negative"
    u = by_line[4]
    assert u.code == "unit.unknown" and u.params_dict["text"] == "furlong"
    assert u.reason.startswith("unknown unit 'furlong'; known: kWh")
    assert hash(u)  # frozen and hashable (params are a tuple of pairs)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file.no_header"),
        (b"\x00\x01", "file.nul_bytes"),
        (b"month,energy,amount\n", "file.missing_column"),
        (b"month,energy,amount,unit\n", "file.no_data"),
        (b"month,energy,amount,unit,month\n2025-04,electricity,1,kWh,x\n", "file.duplicate_column"),
    ],
)
def test_file_errors_have_codes(data, code):
    assert code in {e.code for e in read_rows(data).errors}


def test_unit_that_does_not_fit_the_energy():
    out = read_rows("年月,エネルギー,使用量,単位\n2025-04,電気,1,kL\n".encode())
    (e,) = out.errors
    assert e.code == "unit.not_accepted"
    assert e.params_dict == {"unit": "kL", "energy": "electricity", "units": "kWh, MWh, 千kWh"}
    assert "does not fit" in e.reason


def test_calculation_errors_carry_code_params_and_column():
    recs = [
        Record("2024-05", "electricity", D(1000), "kWh", line=7),
        Record("2024-06", "electricity", D(1000), "kWh", line=8),  # the same plan: memo
    ]
    with pytest.raises(CalculationError) as exc:
        calculate(recs)
    errors = exc.value.errors
    assert [e.line for e in errors] == [7, 8]
    for e in errors:
        assert e.column == "supplier"
        assert e.code == "factor.year_unavailable"
        assert e.params_dict == {"kind": "electricity", "fiscal_year": 2024, "shipped": "FY2025"}
        assert e.reason == (
            "electricity supplier factors for FY2024 are not available (tables shipped: FY2025)"
        )


def test_unknown_supplier_and_menu_codes():
    with pytest.raises(FactorError) as exc:
        calculate_record(Record("2025-04", "electricity", D(1), "kWh", supplier="NOPE"))
    assert exc.value.code == "factor.supplier_unknown"
    assert exc.value.params["text"] == "NOPE" and exc.value.params["kind"] == "electricity"
    with pytest.raises(CalculationError) as calc:
        calculate([Record("2025-04", "electricity", D(1), "kWh", supplier="A0269", menu="ZZZ")])
    (e,) = calc.value.errors
    assert e.column == "menu" and e.code == "factor.menu_unknown"


def test_exception_classes_keep_their_bases():
    assert issubclass(FactorError, LookupError) and issubclass(FactorError, CoreError)
    assert issubclass(EnergyError, ValueError) and issubclass(InputError, ValueError)
    err = FactorError("plain")
    assert (str(err), err.code, err.params) == ("plain", "", {})
    assert RowError.of(1, "x", ValueError("boom")) == RowError(1, "x", "boom")
