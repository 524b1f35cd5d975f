"""The statement as a one-page A4 PDF (Japanese font embedded) and as an XLSX workbook."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cnnavi.common.pdf import FONT_FAMILY, JapanesePDF
from cnnavi.core.spreadsheet import spreadsheet_safe
from cnnavi.statements.present import StatementView

GREEN = (26, 107, 69)


def _sep() -> str:
    return ", " if (get_language() or "ja").startswith("en") else "、"


MUTED = (90, 90, 90)


def statement_pdf(view: StatementView, *, verify_url: str) -> JapanesePDF:
    pdf = JapanesePDF(title=view.title, footer_text="CN Navi")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(16, 14, 16)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(value: str, size: float = 9.5, color=None, h: float = 4.6, indent: float = 0):
        pdf.set_font(FONT_FAMILY, size=size)
        if color:
            pdf.set_text_color(*color)
        pdf.set_x(pdf.l_margin + indent)
        # "Scope 2" stays on one line (Japanese text wraps anywhere, Latin text at spaces)
        pdf.multi_cell(width - indent, h, value.replace("Scope ", "Scope\u00a0"), align="L")
        pdf.set_text_color(0)

    def heading(value: str):
        pdf.ln(1.5)
        text(value, size=11, color=GREEN, h=6)

    text(view.title, size=17, h=9)
    if view.draft:
        text(_("下書き（未発行）: 検証コードはありません。提出には発行した報告書を使ってください。"),
             size=9, color=(160, 40, 40))  # fmt: skip
    if view.demo:
        text(_("デモ用の架空のデータです。実在の企業の排出量ではありません。"), size=9,
             color=(160, 40, 40))  # fmt: skip
    text(view.company_name, size=13, h=7)
    text(
        _("法人番号: %(n)s　所在地: %(a)s") % {"n": view.corporate_number, "a": view.address},
        size=9,
    )
    text(_("対象期間: %(p)s") % {"p": view.period}, size=9.5)
    text(view.period_note, size=8, color=MUTED, h=4)
    text(_("対象範囲（事業所）: %(f)s") % {"f": _sep().join(view.boundary) or "—"},
         size=8.5, h=4.2)  # fmt: skip
    if view.recipient:
        text(_("提出先: %(r)s") % {"r": view.recipient}, size=9.5)

    heading(_("排出量（t-CO2）"))
    pdf.set_font(FONT_FAMILY, size=9.5)
    label_w = width * 0.62
    for label, value in view.rows:
        pdf.set_x(pdf.l_margin)
        pdf.cell(label_w, 5.6, label, border="B")
        pdf.cell(width - label_w, 5.6, f"{value} t-CO2", border="B", align="R",
                 new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    if view.provisional:
        text(_("暫定の排出係数（翌年度の公表前の値）を含みます。"), size=8, color=MUTED)
    energy = _sep().join(f"{label} {value} GJ" for label, value in view.energy_rows)
    text(_("エネルギー使用量: %(gj)s GJ（%(by)s）") % {"gj": view.energy_gj, "by": energy}, size=8.5,
         h=4.2)  # fmt: skip

    if view.facility_rows:
        heading(_("事業所別（t-CO2: 基礎 / マーケット基準 / ロケーション基準）"))
        for name, basic, market, location in view.facility_rows[:12]:
            text(f"{name}: {basic} / {market} / {location}", size=8.5, h=4.2, indent=2)

    if view.allocation:
        heading(_("提出先への按分"))
        for line in view.allocation:
            text(line, size=9, h=4.6, indent=2)

    heading(_("算定方法"))
    text(view.method, size=8, h=4)
    for doc in view.documents[:8]:
        text("・" + doc, size=7.5, h=3.8, indent=2)

    heading(_("データの網羅性"))
    for line in view.completeness:
        text(line, size=8.5, h=4.2, indent=2)

    pdf.ln(2)
    if view.issued:
        text(view.issued, size=9)
    if view.code:
        pdf.set_fill_color(230, 243, 236)
        text(_("検証コード: %(code)s　（%(url)s で確認できます）") % {"code": view.code, "url": verify_url},
             size=10.5, h=7)  # fmt: skip
    # the page does not break (a statement is one page): what would run into the footer is
    # a defect the tests catch through this mark
    pdf.fits_one_page = pdf.get_y() <= pdf.h - 13.5
    return pdf


def _number(text: str) -> Decimal:
    """A displayed figure ("1,234.567") back as a number for the spreadsheet cell."""
    return Decimal(text.replace(",", ""))


def statement_xlsx(view: StatementView) -> bytes:
    from openpyxl import Workbook  # loaded on first use (a worker starts without it)

    wb = Workbook()
    ws = wb.active
    ws.title = "statement"
    rows = [
        [view.title],
        [_("企業名"), view.company_name],
        [_("法人番号"), view.corporate_number],
        [_("所在地"), view.address],
        [_("対象期間"), view.period],
        [_("期間と係数"), view.period_note],
        [_("対象範囲（事業所）"), ", ".join(view.boundary)],
    ]
    if view.recipient:
        rows.append([_("提出先"), view.recipient])
    rows.append([])
    rows.append([_("項目"), "t-CO2"])
    rows += [[label, _number(value)] for label, value in view.rows]
    rows.append([_("エネルギー使用量（GJ）"), _number(view.energy_gj)])
    rows += [[label, _number(value)] for label, value in view.energy_rows]
    if view.facility_rows:
        rows.append([])
        rows.append([_("事業所"), _("基礎"), _("マーケット基準"), _("ロケーション基準")])
        rows += [[r[0], *(_number(v) for v in r[1:])] for r in view.facility_rows]
    if view.allocation:
        rows.append([])
        rows += [[line] for line in view.allocation]
    rows.append([])
    rows.append([_("算定方法"), view.method])
    rows += [["", doc] for doc in view.documents]
    rows += [[_("データの網羅性"), line] for line in view.completeness]
    if view.issued:
        rows.append([view.issued])
    if view.code:
        rows.append([_("検証コード"), view.code])
    if view.draft:
        rows.append([_("下書き（未発行）")])
    for row in rows:
        ws.append([v if isinstance(v, Decimal) else spreadsheet_safe(v) for v in row])
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 60
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
