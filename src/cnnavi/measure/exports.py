"""Files: the import template (XLSX with drop-downs and an example), and the fiscal year as an
XLSX check sheet or a CSV. Every figure comes from the core's results."""

from __future__ import annotations

import csv
import io

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from cnnavi.core import UNITS, energy_catalogue
from cnnavi.measure import rules
from cnnavi.measure.labels import energy_label
from cnnavi.measure.messages import error_message
from cnnavi.measure.selectors.dashboard import Dashboard

TEMPLATE_HEADERS = [
    "事業所",
    "年月",
    "エネルギー",
    "使用量",
    "単位",
    "供給事業者",
    "メニュー",
    "金額",
    "用途",
]
USES = ["照明", "空調", "給湯", "生産設備", "車両", "厨房", "その他"]
HEAD = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(ws, values):
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.font = HEAD
        cell.fill = FILL


def template_xlsx(*, facilities: list[str]) -> bytes:
    """The import template: sheet 1 to fill in (Japanese headers, drop-downs), sheet 2 an
    example row and notes, sheet 3 the lists behind the drop-downs."""
    wb = Workbook()
    ws = wb.active
    ws.title = "入力"
    _header(ws, TEMPLATE_HEADERS)
    for col, width in zip("ABCDEFGHI", (18, 10, 22, 14, 8, 16, 16, 12, 12), strict=True):
        ws.column_dimensions[col].width = width
    lists = wb.create_sheet("リスト")
    energies = [e.name_ja if len(e.name_ja) < 40 else e.aliases[0] for e in energy_catalogue()]
    units = sorted(UNITS)
    columns = {"A": facilities or ["本社"], "B": energies, "C": units, "D": USES}
    for col, values in columns.items():
        for i, v in enumerate(values, start=1):
            lists[f"{col}{i}"] = v
    lists.sheet_state = "hidden"
    for target, col, values in (
        ("A2:A5000", "A", columns["A"]),
        ("C2:C5000", "B", energies),
        ("E2:E5000", "C", units),
        ("I2:I5000", "D", USES),
    ):
        dv = DataValidation(
            type="list",
            formula1=f"=リスト!${col}$1:${col}${len(values)}",
            allow_blank=True,
            showErrorMessage=col != "A",
        )
        dv.add(target)
        ws.add_data_validation(dv)
    example = wb.create_sheet("記入例")
    _header(example, TEMPLATE_HEADERS)
    example.append(
        [
            facilities[0] if facilities else "本社工場",
            "2025-04",
            "電気",
            12500,
            "kWh",
            "A0271",
            "",
            398000,
            "",
        ]
    )
    example.append(
        [
            facilities[0] if facilities else "本社工場",
            "2025-04",
            "都市ガス",
            1.2,
            "千m3",
            "",
            "",
            210000,
            "給湯",
        ]
    )
    example.append([])
    for note in (
        "「入力」シートに1行ずつ入力してください（1行 = 1事業所・1か月・1エネルギー）。",
        "年月: 2025-04、2025/4、2025年4月、令和7年4月 のいずれでも読めます。",
        "供給事業者: 電気・都市ガス・熱は公表一覧の登録番号（例: 北陸電力 A0271）。空欄なら事業所の供給契約を使います。",
        "メニュー: 空欄なら残差メニュー。金額は円（整数）。用途は任意（照明・空調・給湯・生産設備・車両…）。",
        "同じ事業所・年月・エネルギー・供給事業者の行は、取り込むとファイルの内容に置き換わります。",
    ):
        example.append([note])
    example.column_dimensions["A"].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _inputs(rec) -> list:
    """A record's input columns, as the user entered them."""
    return [rec.facility, rec.month, energy_label(rec.energy), float(rec.amount), rec.unit,
            rec.supplier, rec.menu, rec.cost_yen, rec.use]  # fmt: skip


def _records_table(d: Dashboard) -> tuple[list[str], list[list]]:
    head = [
        _("事業所"),
        _("年月"),
        _("エネルギー"),
        _("使用量"),
        _("単位"),
        _("供給事業者"),
        _("メニュー"),
        _("金額（円）"),
        _("用途"),
        _("CO2 基礎（t）"),
        _("CO2 調整後（t）"),
        _("CO2 ロケーション基準（t）"),
        _("CO2 マーケット基準（t）"),
        _("エネルギー（GJ）"),
        _("係数"),
        _("係数の単位"),
        _("係数の年度"),
        _("暫定"),
        _("算定できない理由"),
    ]
    rows = []
    calc = d.calc
    if calc is not None and not calc.ok:
        # The year cannot be computed: the user still gets every input row back, CO2 blank,
        # with the reason for the records that fail and a note for the others.
        reasons = {e.line: strip_tags(error_message(e)) for e, _ref in calc.errors}
        others = _("この年度は算定できない記録があるため、CO2 を計算していません。")
        for rec in calc.records:
            rows.append([*_inputs(rec), *[None] * 9, reasons.get(rec.line, others)])
        return head, rows
    for r in calc.result.records if calc is not None else []:
        rows.append(
            [
                *_inputs(r.record),
                float(r.tco2),
                float(r.tco2_adjusted),
                float(r.tco2_location),
                float(r.tco2_market),
                float(r.energy_gj) if r.energy_gj is not None else None,
                float(r.factor.value),
                r.factor.unit,
                r.factor.fiscal_year,
                _("暫定") if r.provisional else "",
                "",
            ]
        )
    return head, rows


def dashboard_xlsx(d: Dashboard) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("合計")
    title = _("%(company)s %(fy)d年度 CO2排出量チェックシート") % {
        "company": d.company.name,
        "fy": d.fiscal_year,
    }
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    if d.company.is_demo:
        ws.append([_("デモデータ（架空の数値です）")])
        ws["A2"].font = Font(bold=True, color="C00000")
    ws.append([])
    _header(ws, [_("項目"), _("値"), _("単位"), _("前年度"), _("増減率")])
    labels = [
        ("scope1_t", _("Scope 1"), "t-CO2"),
        ("scope2_basic_t", _("Scope 2 基礎排出係数"), "t-CO2"),
        ("scope2_adjusted_t", _("Scope 2 調整後排出係数"), "t-CO2"),
        ("scope2_location_t", _("Scope 2 ロケーション基準"), "t-CO2"),
        ("scope2_market_t", _("Scope 2 マーケット基準"), "t-CO2"),
        ("total_basic_t", _("合計（Scope 1 + Scope 2 基礎）"), "t-CO2"),
        ("energy_gj", _("エネルギー使用量"), "GJ"),
        ("crude_oil_kl", _("原油換算"), "kL"),
        ("cost_yen", _("エネルギー費用"), _("円")),
    ]
    for key, label, unit in labels:
        cur = d.totals.get(key)
        prev = d.previous_totals.get(key) if d.previous_totals else None
        ratio = d.changes.get(key)
        ws.append(
            [
                label,
                float(cur) if cur is not None else None,
                unit,
                float(prev) if prev is not None else None,
                ratio,
            ]
        )
    ws.column_dimensions["A"].width = 34
    for col in "BCDE":
        ws.column_dimensions[col].width = 16

    inputs = wb.create_sheet(_("入力データ"))
    head, rows = _records_table(d)
    _header(inputs, head)
    for row in rows:
        inputs.append(row)

    monthly = wb.create_sheet(_("月別CO2"))
    _header(monthly, [_("エネルギー")] + d.monthly["months"] + [_("合計")])
    for s in d.monthly["series"]:
        monthly.append([s["label"]] + s["values"] + [sum(s["values"])])
    if d.monthly["total"]:
        monthly.append([_("合計")] + d.monthly["total"] + [sum(d.monthly["total"])])
    if d.monthly["previous"]:
        monthly.append([_("前年度")] + d.monthly["previous"] + [sum(d.monthly["previous"])])

    factors = wb.create_sheet(_("排出係数"))
    _header(
        factors,
        [
            _("値"),
            _("単位"),
            _("種別"),
            _("年度"),
            _("暫定"),
            _("登録番号"),
            _("事業者"),
            _("メニュー"),
            _("出典"),
            _("公表"),
        ],
    )
    for f in d.factors:
        factors.append(
            [
                float(f["value"]),
                f["unit"],
                f["basis"],
                f["fiscal_year"],
                _("暫定") if f["provisional"] else "",
                f["supplier"],
                f["supplier_name"],
                f["menu"],
                f["document"],
                f["published"],
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def dashboard_csv(d: Dashboard) -> bytes:
    head, rows = _records_table(d)
    buf = io.StringIO()
    w = csv.writer(buf)
    demo = d.company.is_demo
    w.writerow(([_("デモ")] if demo else []) + head)
    for row in rows:
        w.writerow(
            ([_("デモデータ（架空）")] if demo else []) + ["" if v is None else v for v in row]
        )
    return buf.getvalue().encode("utf-8-sig")


def months_header(fiscal_year: int) -> list[str]:
    return [rules.month_text(m) for m in rules.fiscal_months(fiscal_year)]
