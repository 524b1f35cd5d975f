"""Loading a year's official supplier table: PDF or text, preview of what changes, install."""

from __future__ import annotations

import shutil
from decimal import Decimal as D

import pytest

from cnnavi.core.cli import factors_main
from cnnavi.core.factors import DATA_DIR, FactorBook
from cnnavi.core.tables import (
    TableImportError,
    install_table,
    preview_table,
    read_table_file,
)
from cnnavi.core.tests.pdfs import layout_pdf
from cnnavi.core.tests.test_core import SHARED_DENKI

SHARED = SHARED_DENKI.parent
needs_shared = pytest.mark.skipif(not SHARED_DENKI.exists(), reason="shared data not present")


def _denki_excerpt() -> str:
    """The official text's title, the first suppliers and the closing part (grid operators,
    default value, national average): a small but complete table."""
    lines = [ln for ln in SHARED_DENKI.read_text(encoding="utf-8").split("\n")
             if not ln.startswith("#")]  # fmt: skip
    head = lines[:60]
    tail_from = next(i for i, ln in enumerate(lines) if "【一般送配電事業者】" in ln)
    return "\n".join(head + lines[tail_from - 3 :])


@needs_shared
def test_electricity_from_the_official_pdf(tmp_path):
    pdf = layout_pdf(_denki_excerpt())
    imp = read_table_file("electricity", pdf, filename="r08_denki.pdf")
    assert imp.fiscal_year == 2025 and imp.results_year == 2024
    assert imp.table.default_value == D("0.000416")
    assert imp.table.national_average == D("0.000423")
    a6 = imp.table.suppliers["A0006"]  # メニューB(残差) 0.000374 as in the text
    assert [(m.menu, m.basic) for m in a6.menus if m.kind == "residual"] == [
        ("メニューB(残差)", D("0.000374"))
    ]
    assert imp.tsv.startswith("# 電気事業者別排出係数")
    assert "pypdf" in imp.tsv.split("#@")[0]  # says how it was processed
    # compared with the shipped FY2025 table: the same year, most suppliers not in the excerpt
    p = preview_table(imp)
    assert p.replaces and p.compared_with == 2025 and not p.added and not p.changed
    # every supplier read from the PDF has the shipped values; the rest of the year's table
    # is not in the excerpt, so the preview lists it as removed
    assert p.unchanged == imp.suppliers == 20
    assert len(p.removed) == len(FactorBook().tables["electricity"][2025].suppliers) - 20


@needs_shared
def test_gas_text_preview_and_install(tmp_path):
    data = (SHARED / "gas.tsv").read_bytes()
    imp = read_table_file("gas", data, filename="gas.tsv")
    assert (imp.kind, imp.results_year, imp.fiscal_year) == ("gas", 2025, 2025)
    assert imp.filename == "gas_fy2025.tsv" and imp.suppliers == 37 and imp.rows == 113
    assert not preview_table(imp).changes_anything  # the shipped table is this one
    # next year's table (R8 results): a new file, compared with FY2025; 第一ガス changes
    text = (
        data.decode()
        .replace("R7年度供給実績", "R8年度供給実績")
        .replace(
            "K0052\t第一ガス株式会社\t第一ガス株式会社の供給区域\t2.91\t2.91",
            "K0052\t第一ガス株式会社\t第一ガス株式会社の供給区域\t2.85\t2.80",
        )
    )
    new = read_table_file("gas", text.encode(), filename="gas_r8.tsv")
    assert new.fiscal_year == 2026 and new.filename == "gas_fy2026.tsv"
    p = preview_table(new)
    assert not p.replaces and p.compared_with == 2025 and p.changes_anything
    assert [(c.reg, c.after[0].basic) for c in p.changed] == [("K0052", D("2.85"))]
    assert p.unchanged == 36 and not p.added and not p.removed
    # install into a copy of the package data: the factor book finds it, FY2026 is final
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    path = install_table(new, data_dir=data_dir)
    assert path == data_dir / "gas_fy2026.tsv"
    book = FactorBook(data_dir)
    table, provisional = book.table("gas", 2026)
    assert not provisional and table.suppliers["K0052"].menus[0].adjusted == D("2.80")


def test_gas_from_a_pdf_layout():
    text = (
        "ガス事業者別排出係数（特定排出者の温室効果ガス排出量算定用）\n"
        "－R7年度供給実績－ R８.６.３０ 環境省・経済産業省公表\n"
        "登録番号   ガス事業者名   供給区域・メニュー   基礎排出係数   調整後排出係数\n"
        "K0052   第一ガス株式会社   第一ガス株式会社の供給区域   2.91   2.91\n"
        "A0096   京葉ガス株式会社   京葉ガス株式会社の供給区域 メニューA   2.09   0.00\n"
        "                  京葉ガス株式会社の供給区域 残差   2.09   2.09\n"
        "\f1 / 1\n"
    )
    imp = read_table_file("gas", layout_pdf(text), filename="r07_gas.pdf")
    assert imp.fiscal_year == 2025 and imp.table.source.published == "2026-06-30"
    keiyo = imp.table.suppliers["A0096"]
    assert [(m.menu, m.kind, m.adjusted) for m in keiyo.menus] == [
        ("京葉ガス株式会社の供給区域 メニューA", "menu", D("0.00")),
        ("京葉ガス株式会社の供給区域 残差", "residual", D("2.09")),
    ]
    assert imp.table.suppliers["K0052"].menus[0].basic == D("2.91")


def test_heat_results_year_and_problems():
    text = "熱供給事業者別排出係数\n－R6年度供給実績－\n6   丸の内熱供給株式会社   残差   0.0436   0.0436\n"
    imp = read_table_file("heat", text.encode())
    assert imp.fiscal_year == 2025 and "006" in imp.table.suppliers  # heat: results + 1
    with pytest.raises(TableImportError) as exc:
        read_table_file("heat", text.encode(), results_year=2023)
    assert "disagrees" in str(exc.value)
    with pytest.raises(TableImportError) as exc:
        read_table_file("gas", b"no table here\n")
    assert len(exc.value.problems) == 2  # no rows, no results year
    with pytest.raises(TableImportError):
        read_table_file("gas", b"%PDF-1.4 broken", filename="x.pdf")


@needs_shared
def test_cli_import_gas_dry_run_and_errors(tmp_path, capsys):
    out = tmp_path / "gas.tsv"
    assert factors_main(["import-gas", str(SHARED / "gas.tsv"), "--dry-run",
                         "--output", str(out)]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert "replaces the FY2025 gas table: 0 added, 0 removed, 0 changed, 37 unchanged" in text
    assert "dry run: nothing written" in text and not out.exists()
    assert factors_main(["import-heat", str(SHARED / "heat.tsv"), "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# 熱供給事業者別排出係数")
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing\n", encoding="utf-8")
    assert factors_main(["import-gas", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "no supplier rows found" in err and "results year" in err
