"""Files: the import template (XLSX with drop-downs and an example), and the fiscal year as an
XLSX check sheet or a CSV. Every figure comes from the core's results."""

from __future__ import annotations

import io

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from cnnavi.core import UNITS, energy_catalogue
from cnnavi.core.spreadsheet import csv_writer, safe_cell
from cnnavi.measure import rules
from cnnavi.measure.labels import energy_label, use_label
from cnnavi.measure.messages import error_message
from cnnavi.measure.selectors.dashboard import Dashboard
from cnnavi.measure.templatetags.measure import basis_label

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
HEAD = {"bold": True}  # openpyxl Font / PatternFill arguments (openpyxl is imported lazily)
FILL = {"fill_type": "solid", "fgColor": "DDEBF7"}


def _cell(value):
    """Every exported cell: numbers stay numbers, text goes through the one formula-safe
    helper (``cnnavi.core.spreadsheet``), None stays empty."""
    return safe_cell(value)


def _row(values) -> list:
    return [_cell(v) for v in values]


def _t(value) -> float | None:
    """t-CO2 for display: three decimals (a float sum of Decimals never shows 315.8609999…)."""
    return None if value is None else round(float(value), 3)


def _round(value, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def _shown(value, digits: int):
    """A total as the sheet shows it: whole yen (int) or rounded to ``digits``."""
    if value is None:
        return None
    return int(round(value)) if digits == 0 else round(float(value), digits)


def official_title(document: str) -> str:
    """A source's official title: the document as the table names it, without our notes of
    how the value was checked (after ";") or the detail in brackets at its end."""
    title = (document or "").split(";")[0].strip()
    if title.endswith(")") and " (" in title:
        title = title[: title.rindex(" (")].strip()
    return title


def _header(ws, values):
    from openpyxl.styles import Font, PatternFill

    ws.append(_row(values))
    for cell in ws[ws.max_row]:
        cell.font = Font(**HEAD)
        cell.fill = PatternFill(**FILL)


def template_xlsx(*, facilities: list[str]) -> bytes:
    """The import template: sheet 1 to fill in (Japanese headers, drop-downs), sheet 2 an
    example row and notes, sheet 3 the lists behind the drop-downs."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "入力"
    _header(ws, TEMPLATE_HEADERS)
    for col, width in zip("ABCDEFGHI", (18, 10, 22, 14, 8, 16, 16, 12, 12), strict=True):
        ws.column_dimensions[col].width = width
    lists = wb.create_sheet("リスト")
    energies = [e.name_ja if len(e.name_ja) < 40 else e.aliases[0] for e in energy_catalogue()]
    bill = rules.bill_units_in_use()
    units = bill + sorted(u for u in UNITS if u not in bill)
    columns = {"A": facilities or ["本社"], "B": energies, "C": units, "D": USES}
    for col, values in columns.items():
        for i, v in enumerate(values, start=1):
            lists[f"{col}{i}"] = _cell(v)
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
    first = facilities[0] if facilities else "本社工場"
    example.append(_row([first, "2025-04", "電気", 12500, "kWh", "A0271", "", 398000, ""]))
    example.append(_row([first, "2025-04", "都市ガス", 6200, "m3", "", "", 210000, "給湯"]))
    example.append([])
    for note in (
        "「入力」シートに1行ずつ入力してください（1行 = 1事業所・1か月・1エネルギー）。",
        "使用量と単位は請求書に書かれたとおりに（都市ガスは m3、電気は kWh、灯油・軽油・A重油は L、LPG は kg か m3）。",
        *(["この会社の事業所: " + "、".join(facilities)] if facilities else []),
        "年月: 2025-04、2025/4、2025年4月、令和7年4月 のいずれでも読めます。",
        "供給事業者: 電気・都市ガス・熱は公表一覧の登録番号（例: 北陸電力 A0271）。空欄なら事業所の供給契約を使います。",
        "メニュー: 空欄なら残差メニュー。金額は円（整数）。用途は任意（照明・空調・給湯・生産設備・車両…）。",
        "同じ事業所・年月・エネルギー・供給事業者の行は、取り込むとファイルの内容に置き換わります。",
    ):
        example.append(_row([note]))
    example.column_dimensions["A"].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def factor_kind(*, provisional: bool, estimated: bool, user_entered: bool) -> str:
    """How a factor (or a record's factors) must be read: 暫定, 推計, 事業者公表値（利用者入力）
    (never shown as an official value), "" for the official table's value."""
    labels = []
    if user_entered:
        labels.append(_("事業者公表値（利用者入力）"))
    if estimated:
        labels.append(_("推計"))
    if provisional:
        labels.append(_("暫定"))
    return "、".join(labels)


def _inputs(rec) -> list:
    """A record's input columns, as the user entered them."""
    return [rec.facility, rec.month, energy_label(rec.energy), float(rec.amount), rec.unit,
            rec.supplier, rec.menu, rec.cost_yen, use_label(rec.use) if rec.use else ""]  # fmt: skip


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
        _("係数の区分（暫定・推計・利用者入力）"),
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
                _t(r.tco2),
                _t(r.tco2_adjusted),
                _t(r.tco2_location),
                _t(r.tco2_market),
                _round(r.energy_gj, 3),
                float(r.factor.value),
                r.factor.unit,
                r.factor.fiscal_year,
                factor_kind(
                    provisional=r.provisional, estimated=r.estimated, user_entered=r.user_entered
                ),
                "",
            ]
        )
    return head, rows


def dashboard_xlsx(d: Dashboard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("合計")
    title = _("%(company)s %(fy)d年度 CO2排出量チェックシート") % {
        "company": d.company.name,
        "fy": d.fiscal_year,
    }
    ws.append(_row([title]))
    ws["A1"].font = Font(bold=True, size=14)
    if d.company.is_demo:
        ws.append(_row([_("デモデータ（架空の数値です）")]))
        ws["A2"].font = Font(bold=True, color="C00000")
    kind = factor_kind(
        provisional=d.provisional, estimated=d.estimated, user_entered=d.user_entered
    )
    if kind:  # never read as official values
        ws.append(_row([_("この年度の数値には次の係数を含みます: %(kind)s") % {"kind": kind}]))
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
    digits = {"energy_gj": 1, "crude_oil_kl": 3, "cost_yen": 0}
    for key, label, unit in labels:
        cur = d.totals.get(key)
        prev = d.previous_totals.get(key) if d.previous_totals else None
        ratio = d.changes.get(key)
        n = digits.get(key, 3)
        ws.append(
            _row(
                [
                    label,
                    _shown(cur, n),
                    unit,
                    _shown(prev, n),
                    _round(ratio, 4) if ratio is not None else None,
                ]
            )
        )
        ws.cell(ws.max_row, 5).number_format = "0.0%"
        if n == 0:
            ws.cell(ws.max_row, 2).number_format = ws.cell(ws.max_row, 4).number_format = "#,##0"
    ws.column_dimensions["A"].width = 34
    for col in "BCDE":
        ws.column_dimensions[col].width = 16

    inputs = wb.create_sheet(_("入力データ"))
    head, rows = _records_table(d)
    _header(inputs, head)
    for row in rows:
        inputs.append(_row(row))

    monthly = wb.create_sheet(_("月別CO2"))
    _header(monthly, [_("エネルギー")] + d.monthly["months"] + [_("合計")])

    def _line(label, values):
        monthly.append(_row([label] + [_t(v) for v in values] + [_t(sum(values))]))

    for series in d.monthly["series"]:
        _line(series["label"], series["values"])
    if d.monthly["total"]:
        _line(_("合計"), d.monthly["total"])
    if d.monthly["previous"]:
        _line(_("前年度"), d.monthly["previous"])

    factors = wb.create_sheet(_("排出係数"))
    _header(
        factors,
        [
            _("値"),
            _("単位"),
            _("種別"),
            _("年度"),
            _("係数の区分（暫定・推計・利用者入力）"),
            _("登録番号"),
            _("事業者"),
            _("メニュー"),
            _("エネルギー"),
            _("出典"),
            _("公表元"),
            _("公表"),
        ],
    )
    for f in d.factors:
        factors.append(
            _row(
                [
                    float(f["value"]),
                    f["unit"],
                    basis_label(f["basis"]),
                    f["fiscal_year"],
                    factor_kind(
                        provisional=f["provisional"],
                        estimated=f["estimated"],
                        user_entered=f["user_entered"],
                    ),
                    f["supplier"],
                    f["supplier_name"],
                    f["menu"],
                    "、".join(f["energies"]),
                    official_title(f["document"]),
                    f["publisher"],
                    f["published"],
                ]
            )
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def dashboard_csv(d: Dashboard) -> bytes:
    head, rows = _records_table(d)
    buf = io.StringIO()
    w = csv_writer(buf)
    demo = d.company.is_demo
    w.writerow(([_("デモ")] if demo else []) + head)
    for row in rows:
        w.writerow(([_("デモデータ（架空）")] if demo else []) + row)
    return buf.getvalue().encode("utf-8-sig")


def months_header(fiscal_year: int) -> list[str]:
    return [rules.month_text(m) for m in rules.fiscal_months(fiscal_year)]
