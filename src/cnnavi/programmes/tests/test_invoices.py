"""Qualified invoices (適格請求書) for paid trainings: the registration number with its check
digit, one tax rounding per invoice, sequential numbers, receipts, cancellations, who may
download which PDF."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cnnavi.audit.models import AuditEntry
from cnnavi.programmes import rules, services
from cnnavi.programmes.models import Application, Invoice, InvoiceKind, InvoiceSettings
from cnnavi.programmes.tests.factories import make_event
from cnnavi.testing import make_user

REGISTRATION = "T9234567890123"  # 法人番号 9234567890123: its check digit holds


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("NotoSansJP" in f for f in fonts), fonts  # the Japanese font is embedded
    text = "".join(page.extract_text() for page in reader.pages)
    return text.replace("\x00", "").replace("\n", "")


def _settings(office):
    return services.invoice_settings_save(
        actor=None,
        office=office,
        issuer_name="ふくい脱炭素支援センター",
        registration_number=REGISTRATION,
    )


def _apply(event, email, name="請求 太郎"):
    return services.application_create(
        user=make_user(email),
        event=event,
        applicant_kind="support_institution",
        organisation="ふくい商工会",
        name=name,
        consent=True,
    )


# --- Pure rules ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("T9234567890123", None),
        ("T8700110005901", None),
        ("9234567890123", "prefix"),
        ("T923456789012", "digits"),
        ("T92345678901２3", "digits"),
        ("T1234567890123", "check_digit"),
    ],
)
def test_registration_number_needs_t_and_a_valid_corporate_number(number, problem):
    assert rules.registration_number_problem(number) == problem


@pytest.mark.parametrize(
    ("price", "quantity", "tax"),
    [(66_000, 1, 6_000), (5_500, 1, 500), (16_000, 1, 1_454), (16_000, 3, 4_363), (1, 1, 0)],
)
def test_tax_is_rounded_down_once_per_invoice(price, quantity, tax):
    amounts = rules.invoice_amounts(unit_price_yen=price, quantity=quantity, rate_percent=10)
    assert (amounts.total_yen, amounts.tax_yen) == (price * quantity, tax)
    # once per invoice: three lines of 16,000 rounded one by one would give 1,454 x 3 = 4,362
    back = rules.invoice_amounts(unit_price_yen=price, quantity=-quantity, rate_percent=10)
    assert (back.total_yen, back.tax_yen) == (-price * quantity, -tax)


def test_numbers_and_yen_are_formatted():
    assert rules.invoice_number(year=2026, sequence=123) == "INV-2026-000123"
    assert rules.format_yen(66_000) == "¥66,000"
    assert rules.format_yen(-66_000) == "-¥66,000"


# --- Office settings -----------------------------------------------------------------------
def test_settings_refuse_a_bad_registration_number(world, alice_client):
    url = reverse("programmes_staff:invoice_list")
    response = alice_client.post(
        url, {"issuer_name": "センター", "registration_number": "T1234567890123"}
    )
    assert response.status_code == 422
    assert "登録番号のチェックデジットが合いません。" in response.content.decode()
    assert not InvoiceSettings.objects.exists()
    response = alice_client.post(url, {"issuer_name": "", "registration_number": "1234"})
    page = response.content.decode()
    assert "発行事業者の名称" in page and response.status_code == 422
    response = alice_client.post(
        url, {"issuer_name": "センター", "registration_number": " t9234567890123 "}, follow=True
    )
    assert "請求書の設定を保存しました。" in response.content.decode()
    assert InvoiceSettings.objects.get(office=world.a.office).registration_number == REGISTRATION
    assert AuditEntry.objects.filter(action="invoice.settings").count() == 1


def test_no_invoice_without_settings(world, alice_client):
    event = make_event(world.a.office, fee_yen=66_000, kind="training")
    application = _apply(event, "nosettings@example.com")  # accepted: no invoice, no error
    assert application.status == "confirmed" and application.invoice_status == "to_issue"
    page = alice_client.get(reverse("programmes_staff:event_detail", args=[event.pk]))
    assert "請求書の設定（登録番号）を先に登録してください" in page.content.decode()
    response = alice_client.post(
        reverse("programmes_staff:invoice_issue", args=[event.pk, application.pk]), follow=True
    )
    assert "事務局の登録番号（請求書の設定）を登録してください。" in response.content.decode()
    assert not Invoice.objects.exists()
    # Once the settings exist, the button issues the invoice of the application accepted before.
    _settings(world.a.office)
    invoice, issued = services.invoice_send(actor=None, application=application)
    assert issued and invoice.number == f"INV-{timezone.localdate().year}-000001"


# --- Issue, pay, cancel --------------------------------------------------------------------
def test_invoice_receipt_and_cancellation(world, alice_client):
    _settings(world.a.office)
    event = make_event(world.a.office, title="脱炭素経営 実践研修", fee_yen=66_000, kind="training")
    first = _apply(event, "first@example.com", name="請求 一郎")  # issued on acceptance
    second = _apply(event, "second@example.com", name="請求 二郎")
    year = timezone.localdate().year
    assert Invoice.objects.get(application=second).number == f"INV-{year}-000002"
    again = alice_client.post(
        reverse("programmes_staff:invoice_issue", args=[event.pk, first.pk]), follow=True
    )
    assert (
        f"請求 一郎 さんに請求書 INV-{year}-000001 をもう一度メールで送りました。"
        in again.content.decode()
    )
    invoice = Invoice.objects.get(application=first)
    assert (invoice.number, invoice.total_yen, invoice.tax_yen) == (
        f"INV-{year}-000001",
        66_000,
        6_000,
    )
    first.refresh_from_db()
    assert (first.invoice_status, first.invoice_number) == ("issued", invoice.number)

    text = _text(alice_client.get(reverse("programmes_staff:invoice_pdf", args=[invoice.pk])))
    for expected in (
        "請求書",
        invoice.number,
        "登録番号：T9234567890123",
        "ふくい脱炭素支援センター",
        "ふくい商工会 請求 一郎 様",
        "脱炭素経営 実践研修",
        "¥66,000",
        "うち消費税（10%）",
        "¥6,000",
        "10%対象",
    ):
        assert expected in text, expected

    # No receipt before the payment; a wrong amount is refused and nothing is saved.
    receipt = reverse("programmes_staff:receipt_pdf", args=[invoice.pk])
    assert alice_client.get(receipt).status_code == 404
    pay = reverse("programmes_staff:invoice_payment", args=[invoice.pk])
    today = timezone.localdate()
    response = alice_client.post(
        pay, {"paid_on": today.isoformat(), "amount_yen": "60000", "back": "event"}, follow=True
    )
    assert (
        f"INV-{year}-000001: 入金額 ¥60,000 が請求額 ¥66,000 と一致しません。"
        in response.content.decode()
    )
    response = alice_client.post(
        pay,
        {"paid_on": (today + timedelta(days=3)).isoformat(), "amount_yen": "66000"},
        follow=True,
    )
    assert "入金日に未来の日付は入力できません。" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.paid_on is None
    alice_client.post(pay, {"paid_on": today.isoformat(), "amount_yen": "66000"})
    invoice.refresh_from_db()
    assert (invoice.paid_on, invoice.paid_amount_yen) == (today, 66_000)
    assert Application.objects.get(pk=first.pk).payment_status == "paid"
    text = _text(alice_client.get(receipt))
    assert "領収書" in text and "金額 ¥66,000（税込）" in text and "T9234567890123" in text

    # Cancelling an invoiced application issues a cancellation with the next number.
    alice_client.post(reverse("programmes_staff:application_cancel", args=[event.pk, first.pk]))
    cancellation = Invoice.objects.get(application=first, kind=InvoiceKind.CANCELLATION)
    assert cancellation.number == f"INV-{year}-000003"
    assert cancellation.original == invoice
    assert (cancellation.total_yen, cancellation.tax_yen) == (-66_000, -6_000)
    text = _text(alice_client.get(reverse("programmes_staff:invoice_pdf", args=[cancellation.pk])))
    assert "請求書（取消）" in text and invoice.number in text and "-¥66,000" in text
    invoice.refresh_from_db()
    assert invoice.number == f"INV-{year}-000001"  # never reused
    page = alice_client.get(reverse("programmes_staff:invoice_list")).content.decode()
    assert page.count('data-testid="invoice-row"') == 3 and "-¥66,000" in page
    # The office's CSV keeps the cancellation's amounts as numbers, not as quoted text.
    csv_text = alice_client.get(reverse("programmes_staff:invoices_csv")).content.decode(
        "utf-8-sig"
    )
    row = next(r for r in csv.reader(io.StringIO(csv_text)) if r[0] == cancellation.number)
    assert (row[11], row[13]) == ("-66000", "-6000")
    assert [
        e.action for e in AuditEntry.objects.filter(action__startswith="invoice.").order_by("pk")
    ] == [
        "invoice.settings",
        "invoice.issue",
        "invoice.issue",
        "invoice.resend",
        "invoice.payment",
        "invoice.cancel",
    ]
    # the next invoice continues the sequence
    third = _apply(event, "third@example.com")
    assert Invoice.objects.get(application=third).sequence == 4


def test_applicant_downloads_only_their_own(world, client):
    _settings(world.a.office)
    event = make_event(world.a.office, fee_yen=5_500, kind="training")
    mine = _apply(event, "mine@example.com")
    other = _apply(event, "other@example.com")
    invoice = Invoice.objects.get(application=mine)
    other_invoice = Invoice.objects.get(application=other)
    client.force_login(mine.user)
    page = client.get(reverse("programmes:my_applications")).content.decode()
    assert invoice.number in page and "領収書" not in page.split("my-invoices")[1][:400]
    assert "¥5,500" in _text(client.get(reverse("programmes:my_invoice_pdf", args=[invoice.pk])))
    assert client.get(reverse("programmes:my_receipt_pdf", args=[invoice.pk])).status_code == 404
    for url in (
        reverse("programmes:my_invoice_pdf", args=[other_invoice.pk]),
        reverse("programmes_staff:invoice_pdf", args=[invoice.pk]),  # not office staff
    ):
        assert client.get(url).status_code in (403, 404)
    services.invoice_payment_record(
        actor=None, invoice=invoice, paid_on=timezone.localdate(), amount_yen=5_500
    )
    assert "領収書" in _text(client.get(reverse("programmes:my_receipt_pdf", args=[invoice.pk])))


def test_free_and_waitlisted_applications_get_no_invoice(world):
    _settings(world.a.office)
    free = _apply(make_event(world.a.office), "free@example.com")
    with pytest.raises(Exception, match="無料のイベントには請求書を発行しません"):
        services.invoice_send(actor=None, application=free)
    full = make_event(world.a.office, fee_yen=1_000, capacity=1)
    _apply(full, "in@example.com")
    waiting = _apply(full, "wait@example.com")
    with pytest.raises(Exception, match="請求書を発行できるのは申込確定の方だけです"):
        services.invoice_send(actor=None, application=waiting)
    assert InvoiceSettings.objects.get(office=world.a.office).last_sequence == 1  # "in"'s
