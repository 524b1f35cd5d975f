"""The outcomes report as CSV and XLSX, laid out for the office's periodic results report, with
the definition of every figure (on its own sheet in XLSX, after the figures in CSV).

Every cell goes through ``cnnavi.core.spreadsheet.spreadsheet_safe`` (text) — numbers stay
numbers in XLSX; a suppressed figure is the text "—"."""

from __future__ import annotations

import csv
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cnnavi.core.spreadsheet import safe_row, spreadsheet_safe
from cnnavi.outcomes.selectors import DEFINITIONS, REACH_LABELS, Report

DASH = "—"


def _num(value, digits: int | None = None):
    if value is None:
        return DASH
    return round(value, digits) if digits is not None else value


def _pct(value):
    return DASH if value is None else round(value * 100, 1)


def rows(rep: Report) -> list[list]:
    p = rep.period
    out: list[list] = [
        [_("CN Navi 支援の成果")],
        [_("期間"), f"{p.start:%Y-%m-%d}", f"{p.end:%Y-%m-%d}"],
        [
            _("絞り込み"),
            rep.filters.prefecture or _("すべて"),
            rep.filters.industry or _("すべて"),
            rep.filters.size or _("すべて"),
        ],  # fmt: skip
        [],
        [_("メニュー別の利用"), _("件数"), _("企業数")],
    ]
    for key, label, f in rep.reach_rows():
        out.append([str(label), f.count, len(f.companies) if f.by_company else DASH, key])
    out += [[], [_("ステージ"), _("企業数"), _("そのステージ以上")]]
    for s in rep.path.stages:
        out.append([str(s["label"]), s["count"], s["reached"]])
    out += [[], [_("ステージの移動"), _("移動前"), _("移動後"), _("企業数")]]
    for m in rep.path.transitions:
        out.append(["", str(m["from_label"]), str(m["to_label"]), m["count"]])
    out += [[], [_("ステージが上がる前に利用したメニュー"), _("企業数")]]
    for pr in rep.path.preceding:
        out.append([str(REACH_LABELS[pr["key"]]), pr["count"]])
    c = rep.co2
    out += [
        [],
        [
            _("CO2排出量（同意企業）"),
            _("全月記録の企業数"),
            _("t-CO2"),
            _("比較できる企業数"),
            _("1年前の同じ月との増減（%）"),
        ],  # fmt: skip
    ]
    for title, groups in ((_("合計"), [c.total]), (_("都道府県別"), c.by_prefecture),
                          (_("業種別"), c.by_industry), (_("規模別"), c.by_size)):  # fmt: skip
        for g in groups:
            out.append([f"{title}: {g.label}", g.companies if not g.suppressed else DASH,
                        _num(g.total_t, 1), g.like_companies if g.change is not None else DASH,
                        _pct(g.change)])  # fmt: skip
    r = c.reductions
    out += [
        [],
        [_("削減"), _("企業数"), _("t-CO2/年"), _("円/年")],
        [_("計画された削減"), r["plan_companies"], _num(r["planned_t"], 1), _num(r["planned_yen"])],
        [
            _("実施済みの削減（実測）"),
            r["done_companies"],
            _num(r["achieved_t"], 1),
            _num(r["done_yen"]),
        ],  # fmt: skip
        [],
        [_("満足度"), _("まだアンケートはありません。") if not rep.satisfaction else ""],
        *[[s["label"], s["count"], s["score"]] for s in rep.satisfaction],
    ]
    return out


def definition_rows() -> list[list]:
    return [[_("項目"), _("定義")]] + [[key, str(text)] for key, text in DEFINITIONS.items()]


def _cell(value):
    """Numbers as numbers; everything else through the spreadsheet-safe helper."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return spreadsheet_safe(value)


def report_csv(rep: Report) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cnnavi-outcomes.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows(rep):
        writer.writerow(safe_row(row))
    writer.writerow([])
    for row in definition_rows():
        writer.writerow(safe_row(row))
    return response


def report_xlsx(rep: Report) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = _("成果")[:31]
    for row in rows(rep):
        ws.append([_cell(v) for v in row])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 44
    defs = wb.create_sheet(_("定義")[:31])
    for row in definition_rows():
        defs.append([_cell(v) for v in row])
    defs.column_dimensions["A"].width = 24
    defs.column_dimensions["B"].width = 110
    buf = BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="cnnavi-outcomes.xlsx"'
    return response
