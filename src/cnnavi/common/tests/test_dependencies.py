"""Dependencies declared for what they do: defusedxml guards openpyxl's XML parsing, the
Japanese PDF font comes from a font-only package (no matplotlib), and the lock file pins every
dependency the project declares."""

import io
import re
import zipfile
from importlib.metadata import requires
from pathlib import Path

import openpyxl.xml
import pytest

from cnnavi.common.pdf import FONT_FAMILY, JapanesePDF, japanese_font_path

ROOT = Path(__file__).resolve().parents[4]


def _declared() -> set[str]:
    names = set()
    for line in requires("cnnavi") or []:
        names.add(re.split(r"[\s<>=!~;\[]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def test_defusedxml_is_declared_and_openpyxl_uses_it():
    assert "defusedxml" in _declared()
    assert openpyxl.xml.DEFUSEDXML


def test_an_xlsx_with_an_entity_bomb_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData>'
        "</worksheet>"
    )
    good = io.BytesIO()
    openpyxl.Workbook().save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = bomb.encode()
            dst.writestr(item, data)
    from defusedxml import DTDForbidden, EntitiesForbidden

    with pytest.raises(ValueError, match="invalid XML") as refused:
        openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert isinstance(refused.value.__context__, (EntitiesForbidden, DTDForbidden))


def test_pdfs_embed_the_japanese_font_without_matplotlib():
    declared = _declared()
    assert "matplotlib" not in declared and "japanize-matplotlib" not in declared
    assert Path(japanese_font_path()).is_file()
    pdf = JapanesePDF(title="テスト")
    pdf.add_page()
    pdf.cell(0, 10, "削減計画 ステージ診断の結果")
    data = bytes(pdf.output())
    assert FONT_FAMILY.encode() in data and b"/FontFile" in data


def test_the_lock_pins_every_declared_dependency():
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {
        line.split("==")[0].strip().lower().replace("_", "-")
        for line in lock.splitlines()
        if "==" in line
    }
    missing = sorted(_declared() - pinned)
    assert missing == [], f"run `make lock`: {missing} not in requirements.lock"
