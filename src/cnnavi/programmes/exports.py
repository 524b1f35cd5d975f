"""The office's CSV files for download: its invoices (for its accounts) and an event's
participants. Every cell goes through the formula-safe writer (``core.spreadsheet``) once: a
number stays a number (a cancellation's -66000), a text starting with = + - @ is made inert; a
BOM leads, so that spreadsheet programs read UTF-8."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone

from cnnavi.core.spreadsheet import csv_writer
from cnnavi.programmes.models import Application, ApplicationStatus, Invoice

INVOICE_CSV_HEADER = (
    "番号",
    "種類",
    "元の請求書",
    "発行日",
    "発行事業者",
    "登録番号",
    "宛先",
    "品目",
    "開催日",
    "数量",
    "単価（税込）",
    "合計（税込）",
    "税率（%）",
    "消費税額",
    "入金日",
    "入金額",
)


def invoices_csv(invoices: Iterable[Invoice]) -> bytes:
    buf = io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(INVOICE_CSV_HEADER)
    for inv in invoices:
        writer.writerow(_invoice_row(inv))
    return buf.getvalue().encode("utf-8-sig")


def _invoice_row(inv: Invoice) -> list:
    return [
        inv.number,
        inv.get_kind_display(),
        inv.original.number if inv.original else "",
        inv.issued_on.isoformat(),
        inv.issuer_name,
        inv.registration_number,
        inv.recipient,
        inv.item_title,
        inv.item_date.isoformat() if inv.item_date else "",
        inv.quantity,
        inv.unit_price_yen,
        inv.total_yen,
        inv.tax_rate_percent,
        inv.tax_yen,
        inv.paid_on.isoformat() if inv.paid_on else "",
        inv.paid_amount_yen if inv.paid_amount_yen is not None else "",
    ]


CSV_HEADER = (
    "申込番号",
    "状態",
    "キャンセル待ち順",
    "氏名",
    "所属",
    "申込区分",
    "メールアドレス",
    "電話番号",
    "申込日時",
    "出席",
    "請求書",
    "請求書番号",
    "入金",
)

ATTENDED = {True: "出席", False: "欠席", None: ""}


def participants_csv(applications: Iterable[Application]) -> bytes:
    """The event's applications in their order; the waiting list numbered from 1."""
    buf = io.StringIO()
    writer = csv_writer(buf)
    writer.writerow(CSV_HEADER)
    position = 0
    for a in applications:
        if a.status == ApplicationStatus.WAITLISTED:
            position += 1
        writer.writerow(_participant_row(a, position))
    return buf.getvalue().encode("utf-8-sig")


def _participant_row(a: Application, position: int) -> list:
    return [
        a.pk,
        a.get_status_display(),
        position if a.status == ApplicationStatus.WAITLISTED else "",
        a.name,
        a.organisation,
        a.get_applicant_kind_display(),
        a.email,
        a.phone,
        timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
        ATTENDED[a.attended],
        a.get_invoice_status_display(),
        a.invoice_number,
        a.get_payment_status_display(),
    ]
