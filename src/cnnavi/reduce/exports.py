"""The plan as XLSX (openpyxl) and PDF (JapanesePDF). Same figures as the plan page."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _

from cnnavi.common.pdf import JapanesePDF, pdf_response
from cnnavi.core.spreadsheet import append_row


def _headings():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="", fill_color=(230, 236, 242))


def basis_label(basis: str) -> str:
    return {
        "basic": _("温対法 基礎"),
        "location": _("ロケーション基準"),
        "market": _("マーケット基準"),
    }[basis]


def _name(row, language):
    return row.pm.measure.name_en if language == "en" else row.pm.measure.name


def _round(value, digits=2):
    return None if value is None else round(float(value), digits)


def _measure_rows(ov, language):
    header = [
        _("対策"),
        _("状況"),
        _("開始年度"),
        _("削減量 t-CO2/年（基礎）"),
        _("削減量 t-CO2/年（ロケーション）"),
        _("削減量 t-CO2/年（マーケット）"),
        _("金額効果 円/年"),
        _("投資額 円"),
        _("単純回収年数"),
        _("削減費用 円/t-CO2"),
        _("仮定を含む"),
    ]
    rows = []
    for r in ov.rows:
        e = r.effect
        rows.append(
            [
                _name(r, language),
                r.pm.get_status_display(),
                r.pm.start_year,
                _round(e.t_saved["basic"]),
                _round(e.t_saved["location"]),
                _round(e.t_saved["market"]),
                e.yen_saved,
                e.investment_yen,
                _round(e.payback_years, 1),
                _round(e.cost_per_t(ov.basis), 0),
                _("はい") if "assumption" in r.origins.values() else _("いいえ"),
            ]
        )
    return header, rows


def _tracking_rows(ov, language):
    """Planned versus actual of every done measure: one row per comparison (energy amounts
    for saving measures, tCO2 on the page's basis for every lever but offsets)."""
    header = [
        _("対策"),
        _("比較"),
        _("比較した月"),
        _("前年同月"),
        _("実施後"),
        _("削減量（計画）"),
        _("削減量（実績）"),
        _("前年同月比 減少率 %"),
        _("比較できない月"),
    ]
    rows = []
    for r in ov.rows:
        for t, unit, digits in (
            (r.tracking, r.tracking_unit, 0),
            (r.co2_tracking, "t-CO2", 3),
        ):
            if t is None:
                continue
            what = unit if not t.basis else f"t-CO2 ({basis_label(t.basis)})"
            months = f"{t.months[0]}〜{t.months[-1]} ({len(t.months)})" if t.months else "—"
            share = t.actual_share
            rows.append(
                [
                    _name(r, language),
                    what,
                    months,
                    _round(t.before, digits),
                    _round(t.after, digits),
                    _round(t.planned_saved, digits),
                    _round(t.actual_saved, digits),
                    _round(share * 100, 1) if share is not None and t.months else None,
                    ", ".join(t.missing),
                ]
            )
    return header, rows


def xlsx_response(ov, *, language="ja") -> HttpResponse:
    from openpyxl import Workbook  # imported on the first export, not at start-up
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "plan"
    bold = Font(bold=True)
    append_row(ws, [_("削減計画"), ov.company.name])
    if getattr(ov.company, "is_demo", False):
        append_row(ws, [_("デモデータ（架空の数値）")])
    if ov.plan:
        append_row(ws, [_("基準年度"), ov.plan.base_year])
        append_row(ws, [_("スコープ2の基準"), basis_label(ov.basis)])
        append_row(ws, [_("基準年度の排出量 t-CO2"), _round(ov.totals_before[ov.basis])])
        append_row(ws, [_("中期目標"), ov.plan.near_year, _round(ov.plan.near_share * 100, 1), "%"])
        append_row(ws, [_("長期目標"), ov.plan.long_year, _round(ov.plan.long_share * 100, 1), "%"])
    append_row(ws, [])
    header, rows = _measure_rows(ov, language)
    append_row(ws, header)
    for cell in ws[ws.max_row]:
        cell.font = bold
    for row in rows:
        append_row(ws, row)
    append_row(ws, [])
    append_row(ws, [_("仮定の数値は目安です。自社の見積りや実測で確認してください。")])
    road = wb.create_sheet("roadmap")
    append_row(road, [_("年度"), _("排出量 t-CO2"), _("目標 t-CO2"), _("開始する対策")])
    for cell in road[1]:
        cell.font = bold
    names = {str(r.pm.pk): _name(r, language) for r in ov.rows}
    for y in ov.roadmap:
        append_row(
            road,
            [
                y.year,
                _round(y.t[ov.basis]),
                _round(y.target_t),
                ", ".join(names.get(k, k) for k in y.starting),
            ],
        )
    header, rows = _tracking_rows(ov, language)
    track = wb.create_sheet("tracking")
    append_row(track, header)
    for cell in track[1]:
        cell.font = bold
    for row in rows:
        append_row(track, row)
    if not rows:
        append_row(track, [_("実施済みの対策はまだありません。")])
    energy = wb.create_sheet("energy")
    append_row(
        energy,
        [
            _("エネルギー"),
            _("使用量"),
            _("単位"),
            _("金額 円"),
            "GJ",
            "t-CO2 basic",
            "t-CO2 location",
            "t-CO2 market",
        ],
    )
    for cell in energy[1]:
        cell.font = bold
    for e in ov.profile.energies:
        append_row(
            energy,
            [
                e.label_en if language == "en" else e.label,
                _round(e.amount, 3),
                e.unit,
                e.cost_yen,
                _round(e.gj, 3),
                _round(e.t["basic"], 3),
                _round(e.t["location"], 3),
                _round(e.t["market"], 3),
            ],
        )
    buf = BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="reduction-plan-{ov.company.pk}.xlsx"'
    return response


def _fmt(value, digits=1):
    if value is None:
        return "—"
    return f"{float(value):,.{digits}f}"


def pdf_response_for(ov, *, language="ja"):
    pdf = JapanesePDF(title=_("削減計画"))
    pdf.add_page()
    pdf.set_font_size(16)
    pdf.cell(0, 10, _("削減計画") + f"  {ov.company.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(10)
    if getattr(ov.company, "is_demo", False):
        pdf.set_text_color(180, 0, 0)
        pdf.cell(0, 6, _("デモデータ（架空の数値）"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    if ov.plan:
        lines = [
            _("基準年度") + f": {ov.plan.base_year}",
            _("スコープ2の基準") + f": {basis_label(ov.basis)}",
            _("基準年度の排出量 t-CO2") + f": {_fmt(ov.totals_before[ov.basis])}",
            _("中期目標") + f": {ov.plan.near_year} −{_fmt(ov.plan.near_share * 100)}%",
            _("長期目標") + f": {ov.plan.long_year} −{_fmt(ov.plan.long_share * 100)}%",
            _("計画の対策による削減量 t-CO2/年") + f": {_fmt(ov.saved(ov.basis))}",
            _("投資額の合計 円") + f": {ov.investment_yen:,}",
            _("金額効果の合計 円/年") + f": {ov.yen_saved:,}",
        ]
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    header, rows = _measure_rows(ov, language)
    cols = [0, 1, 2, 5 if ov.basis == "market" else 4 if ov.basis == "location" else 3, 6, 7, 8, 9]
    widths = [52, 16, 14, 20, 22, 22, 16, 20]
    pdf.set_font_size(7.5)
    with pdf.table(
        col_widths=widths, text_align="LEFT", line_height=5, headings_style=_headings()
    ) as table:
        hdr = table.row()
        for i in cols:
            hdr.cell(str(header[i]))
        for row in rows:
            tr = table.row()
            for i in cols:
                value = row[i]
                if isinstance(value, int) and i in (6, 7):
                    value = f"{value:,}"
                elif value is not None and i == 9:
                    value = f"{value:,.0f}"
                tr.cell("—" if value is None else str(value))
    pdf.ln(3)
    pdf.set_font_size(10)
    pdf.cell(0, 6, _("ロードマップ"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(8)
    names = {str(r.pm.pk): _name(r, language) for r in ov.rows}
    with pdf.table(
        col_widths=[18, 30, 30, 104], text_align="LEFT", line_height=5, headings_style=_headings()
    ) as table:
        hdr = table.row()
        for text in (_("年度"), _("排出量 t-CO2"), _("目標 t-CO2"), _("開始する対策")):
            hdr.cell(text)
        for y in ov.roadmap:
            if y.year > 2035 and y.year % 5 and not y.starting:
                continue
            tr = table.row()
            tr.cell(str(y.year))
            tr.cell(_fmt(y.t[ov.basis]))
            tr.cell(_fmt(y.target_t))
            tr.cell(", ".join(names.get(k, k) for k in y.starting))
    header, rows = _tracking_rows(ov, language)
    if rows:
        pdf.ln(3)
        pdf.set_font_size(10)
        pdf.cell(0, 6, _("実施した対策の計画と実績"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font_size(7.5)
        with pdf.table(
            col_widths=[40, 24, 30, 16, 16, 18, 18, 20],
            text_align="LEFT",
            line_height=5,
            headings_style=_headings(),
        ) as table:
            hdr = table.row()
            for text in header[:8]:
                hdr.cell(str(text))
            for row in rows:
                tr = table.row()
                digits = 3 if str(row[1]).startswith("t-CO2") else 0
                for i, value in enumerate(row[:8]):
                    if value is None:
                        tr.cell("—")
                    elif isinstance(value, float) and 3 <= i <= 6:
                        tr.cell(f"{value:,.{digits}f}")
                    else:
                        tr.cell(str(value))
    pdf.ln(3)
    pdf.set_font_size(8)
    pdf.multi_cell(
        0,
        4.5,
        _(
            "削減量は自社のエネルギーデータ（公的な排出係数で算定）に、対策の削減率を掛けて見積もったものです。"
            "仮定の数値は目安です。自社の見積りや実測で確認してください。"
        ),
    )
    return pdf_response(pdf, f"reduction-plan-{ov.company.pk}.pdf")
