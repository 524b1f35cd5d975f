"""Qualified invoices (適格請求書), their cancellations (返還インボイス) and receipts (領収書) as
PDFs with the Japanese font embedded. Everything printed comes from the Invoice row, which was
copied when the invoice was issued."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cnnavi.common.pdf import FONT_FAMILY, JapanesePDF
from cnnavi.programmes.models import Invoice, InvoiceKind
from cnnavi.programmes.rules import format_yen


def _header(pdf, *, heading: str, invoice: Invoice) -> None:
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=22)
    pdf.cell(0, 14, heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, size=10)
    top = pdf.get_y()
    pdf.set_xy(pdf.w - pdf.r_margin - 92, top)
    pdf.multi_cell(
        92,
        5.5,
        "\n".join(
            [
                _("番号：%(number)s") % {"number": invoice.number},
                _("発行日：%(date)s") % {"date": invoice.issued_on.strftime("%Y-%m-%d")},
                invoice.issuer_name,
                _("登録番号：%(number)s") % {"number": invoice.registration_number},
            ]
        ),
        align="R",
        wrapmode="CHAR",
    )
    pdf.set_xy(pdf.l_margin, top)
    pdf.set_font(FONT_FAMILY, size=14)
    pdf.multi_cell(92, 8, _("%(name)s 様") % {"name": invoice.recipient}, wrapmode="CHAR")
    pdf.set_y(max(pdf.get_y(), top + 26))


def _items(pdf, invoice: Invoice) -> None:
    widths = (92, 26, 16, 28, 28)
    pdf.set_font(FONT_FAMILY, size=9.5)
    pdf.set_fill_color(232, 240, 236)
    heads = (_("品目"), _("開催日"), _("数量"), _("単価（税込）"), _("金額（税込）"))
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 8, head, border=1, align="C", fill=True)
    pdf.ln()
    day = invoice.item_date.strftime("%Y-%m-%d") if invoice.item_date else ""
    title = invoice.item_title + "  " + _("※%(rate)d%%対象") % {"rate": invoice.tax_rate_percent}
    left, y = pdf.l_margin, pdf.get_y()
    lines = pdf.multi_cell(widths[0] - 2, 6, title, dry_run=True, output="LINES", wrapmode="CHAR")
    height = max(8, 6 * len(lines) + 2)
    pdf.rect(left, y, widths[0], height)
    pdf.set_xy(left + 1, y + 1)
    pdf.multi_cell(widths[0] - 2, 6, title, wrapmode="CHAR")
    pdf.set_xy(left + widths[0], y)
    for width, text, align in (
        (widths[1], day, "C"),
        (widths[2], str(invoice.quantity), "R"),
        (widths[3], format_yen(invoice.unit_price_yen), "R"),
        (widths[4], format_yen(invoice.total_yen), "R"),
    ):
        pdf.cell(width, height, text, border=1, align=align)
    pdf.set_xy(left, y + height)
    pdf.ln(4)
    label_x = left + widths[0] + widths[1]
    rows = (
        (
            _("%(rate)d%%対象（税込）") % {"rate": invoice.tax_rate_percent},
            format_yen(invoice.total_yen),
        ),
        (
            _("うち消費税（%(rate)d%%）") % {"rate": invoice.tax_rate_percent},
            format_yen(invoice.tax_yen),
        ),
        (_("合計（税込）"), format_yen(invoice.total_yen)),
    )
    for label, value in rows:
        pdf.set_x(label_x)
        pdf.cell(widths[2] + widths[3], 8, label, border=1)
        pdf.cell(widths[4], 8, value, border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, size=8.5)
    pdf.set_text_color(80)
    pdf.multi_cell(
        0,
        4.5,
        _(
            "消費税額は税率ごとに合計した税込金額から1回だけ計算し、1円未満を切り捨てています。"
            "「※」は%(rate)d%%対象の品目です。"
        )
        % {"rate": invoice.tax_rate_percent},
        wrapmode="CHAR",
    )
    pdf.set_text_color(0)


def invoice_pdf(invoice: Invoice):
    """The qualified invoice, or (kind cancellation) the cancellation of an earlier one."""
    cancellation = invoice.kind == InvoiceKind.CANCELLATION
    heading = _("請求書（取消）") if cancellation else pgettext("invoice", "請求書")
    pdf = JapanesePDF(title=f"{heading} {invoice.number}", footer_text=invoice.number)
    _header(pdf, heading=heading, invoice=invoice)
    pdf.set_font(FONT_FAMILY, size=12)
    if cancellation:
        pdf.multi_cell(
            0,
            7,
            _("次の請求書を取り消します（返還インボイス）。元の請求書：%(number)s（%(date)s）")
            % {
                "number": invoice.original.number,
                "date": invoice.original.issued_on.strftime("%Y-%m-%d"),
            },
            wrapmode="CHAR",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    else:
        pdf.cell(0, 8, _("下記のとおりご請求申し上げます。"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_FAMILY, size=15)
    amount = (
        _("取消金額（税込）：%(total)s") if cancellation else _("ご請求金額（税込）：%(total)s")
    )
    pdf.cell(
        0,
        12,
        amount % {"total": format_yen(invoice.total_yen)},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    _items(pdf, invoice)
    if invoice.payment_note and not cancellation:
        pdf.ln(4)
        pdf.set_font(FONT_FAMILY, size=10)
        pdf.multi_cell(0, 5.5, _("お支払い方法：") + "\n" + invoice.payment_note, wrapmode="CHAR")
    return pdf


def receipt_pdf(invoice: Invoice):
    """The receipt of a paid invoice (also a qualified invoice: registration number, tax)."""
    heading = _("領収書")
    pdf = JapanesePDF(title=f"{heading} {invoice.number}", footer_text=invoice.number)
    _header(pdf, heading=heading, invoice=invoice)
    pdf.set_font(FONT_FAMILY, size=16)
    pdf.cell(
        0,
        14,
        _("金額 %(amount)s（税込）") % {"amount": format_yen(invoice.paid_amount_yen)},
        align="C",
        border=1,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, size=11)
    pdf.multi_cell(
        0,
        6.5,
        _("%(date)s、上記の金額を正に領収いたしました（%(number)s のお支払い）。")
        % {"date": invoice.paid_on.strftime("%Y-%m-%d"), "number": invoice.number},
        wrapmode="CHAR",
    )
    pdf.ln(3)
    _items(pdf, invoice)
    return pdf
