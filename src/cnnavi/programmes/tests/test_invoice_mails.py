"""Invoices issued on acceptance and e-mailed with their PDF (decision 1325): accepting a paid
application issues exactly one invoice with the next number and mails it after commit; the
receipt is mailed when the payment is recorded, the cancellation invoice when an invoiced
application is cancelled; the staff's button issues what was accepted before (or re-sends)."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cnnavi.audit.models import AuditEntry
from cnnavi.programmes import services
from cnnavi.programmes.models import Application, Invoice, InvoiceKind
from cnnavi.programmes.tests.factories import make_application, make_event
from cnnavi.testing import make_user

REGISTRATION = "T9234567890123"
YEAR = timezone.localdate().year


def _settings(office):
    return services.invoice_settings_save(
        actor=None,
        office=office,
        issuer_name="ふくい脱炭素支援センター",
        registration_number=REGISTRATION,
        payment_note="福井銀行 本店 普通 1234567",
    )


def _apply(event, email, *, name="請求 太郎", language=""):
    user = make_user(email)
    if language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return services.application_create(
        user=user,
        event=event,
        applicant_kind="support_institution",
        organisation="ふくい商工会",
        name=name,
        consent=True,
    )


def _pdf_mails():
    """The mails with a PDF attached, as (mail, file name, the PDF's text)."""
    found = []
    for message in mail.outbox:
        for filename, content, mimetype in message.attachments:
            if mimetype == "application/pdf":
                reader = PdfReader(io.BytesIO(content))
                text = "".join(page.extract_text() for page in reader.pages)
                found.append((message, filename, text.replace("\x00", "").replace("\n", "")))
    return found


@pytest.fixture
def training(world):
    _settings(world.a.office)
    return make_event(world.a.office, title="脱炭素経営 実践研修", fee_yen=66_000, kind="training")


def test_accepting_a_paid_application_issues_and_mails_one_invoice(
    training, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        application = _apply(training, "first@example.com", name="請求 一郎")
    # Issued in the acceptance's transaction; nothing is mailed (or rendered) before commit.
    invoice = Invoice.objects.get(application=application)
    assert (invoice.number, invoice.kind, invoice.total_yen, invoice.tax_yen) == (
        f"INV-{YEAR}-000001",
        InvoiceKind.INVOICE,
        66_000,
        6_000,
    )
    application.refresh_from_db()
    assert (application.invoice_status, application.invoice_number) == ("issued", invoice.number)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    [(message, filename, text)] = _pdf_mails()
    assert message.to == ["first@example.com"]
    assert message.subject == f"[CN Navi] 請求書 INV-{YEAR}-000001 をお送りします"
    assert "ご請求金額（税込）: ¥66,000" in message.body
    assert "うち消費税（10%）: ¥6,000" in message.body
    assert "福井銀行 本店 普通 1234567" in message.body
    assert filename == f"INV-{YEAR}-000001.pdf"
    for expected in (
        "請求書",
        f"INV-{YEAR}-000001",
        "登録番号：T9234567890123",
        "ふくい商工会 請求 一郎 様",
        "ご請求金額（税込）：¥66,000",
        "うち消費税（10%）",
        "¥6,000",
    ):
        assert expected in text, expected
    assert len(mail.outbox) == 2  # the confirmation (with its .ics) and the invoice
    entry = AuditEntry.objects.get(action="invoice.issue")
    assert entry.data["automatic"] is True

    # The next acceptance takes the next number.
    with django_capture_on_commit_callbacks(execute=True):
        second = _apply(training, "second@example.com")
    assert Invoice.objects.get(application=second).number == f"INV-{YEAR}-000002"
    assert Invoice.objects.count() == 2


def test_an_english_applicant_gets_the_invoice_in_english(
    training, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _apply(training, "english@example.com", language="en")
    [(message, _filename, text)] = _pdf_mails()
    assert message.subject == f"[CN Navi] Invoice INV-{YEAR}-000001"
    assert "Amount due (tax incl.): ¥66,000" in message.body
    assert "Amount due (tax incl.): ¥66,000" in text and "consumption tax (10%)" in text


def test_free_and_waitlisted_applications_issue_no_invoice(
    world, django_capture_on_commit_callbacks
):
    _settings(world.a.office)
    with django_capture_on_commit_callbacks(execute=True):
        free = _apply(make_event(world.a.office), "free@example.com")
        full = make_event(world.a.office, fee_yen=11_000, capacity=1, kind="training")
        _apply(full, "in@example.com")
        waiting = _apply(full, "wait@example.com")
    assert not Invoice.objects.filter(application__in=[free, waiting]).exists()
    assert Invoice.objects.count() == 1
    assert [f for _m, f, _t in _pdf_mails()] == [f"INV-{YEAR}-000001.pdf"]


def test_promotion_from_the_waiting_list_issues_the_invoice(
    world, django_capture_on_commit_callbacks
):
    _settings(world.a.office)
    event = make_event(world.a.office, fee_yen=11_000, capacity=1, kind="training")
    with django_capture_on_commit_callbacks(execute=True):
        first = _apply(event, "in@example.com")
        waiting = _apply(event, "wait@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_cancel(actor=first.user, application=first)
    promoted = Invoice.objects.get(application=waiting)
    assert promoted.number == f"INV-{YEAR}-000003"  # 1: first's invoice, 2: its cancellation
    sent = {(m.to[0], f) for m, f, _t in _pdf_mails()}
    assert sent == {
        ("in@example.com", f"INV-{YEAR}-000002.pdf"),
        ("wait@example.com", f"INV-{YEAR}-000003.pdf"),
    }


def test_payment_mails_the_receipt_and_cancellation_the_cancellation_invoice(
    training, alice_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = _apply(training, "payer@example.com")
    invoice = Invoice.objects.get(application=application)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            reverse("programmes_staff:invoice_payment", args=[invoice.pk]),
            {"paid_on": timezone.localdate().isoformat(), "amount_yen": "66000"},
        )
    [(message, filename, text)] = _pdf_mails()
    assert message.to == ["payer@example.com"]
    assert message.subject == f"[CN Navi] 領収書をお送りします（INV-{YEAR}-000001）"
    assert filename == f"INV-{YEAR}-000001-receipt.pdf"
    assert "領収書" in text and "金額 ¥66,000（税込）" in text and "¥6,000" in text

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            reverse("programmes_staff:application_cancel", args=[training.pk, application.pk])
        )
    cancellation = Invoice.objects.get(application=application, kind=InvoiceKind.CANCELLATION)
    [(message, filename, text)] = _pdf_mails()
    assert message.subject == f"[CN Navi] 請求書 INV-{YEAR}-000001 を取り消しました"
    assert filename == f"{cancellation.number}.pdf" == f"INV-{YEAR}-000002.pdf"
    assert "請求書（取消）" in text and f"INV-{YEAR}-000001" in text and "-¥66,000" in text
    assert "-¥6,000" in text
    assert len(mail.outbox) == 2  # the cancellation notice and the cancellation invoice


def test_the_staff_button_issues_what_was_accepted_before_and_resends(
    world, alice_client, django_capture_on_commit_callbacks
):
    event = make_event(world.a.office, fee_yen=5_500, kind="training")
    # Accepted before invoices were issued on acceptance (or before the office's settings).
    application = make_application(event, make_user("before@example.com"))
    _settings(world.a.office)
    url = reverse("programmes_staff:invoice_issue", args=[event.pk, application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, follow=True)
    page = response.content.decode()
    assert (
        f"before@example.com さんの請求書 INV-{YEAR}-000001 を発行し、メールで送りました。" in page
    )
    assert "メールで再送" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, {"back": "list"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("programmes_staff:invoice_list")
    assert (
        f"before@example.com さんに請求書 INV-{YEAR}-000001 をもう一度メールで送りました。"
        in response.content.decode()
    )
    assert Invoice.objects.filter(application=application).count() == 1
    assert [f for _m, f, _t in _pdf_mails()] == [f"INV-{YEAR}-000001.pdf"] * 2
    assert list(
        AuditEntry.objects.filter(action__startswith="invoice.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["invoice.settings", "invoice.issue", "invoice.resend"]
    assert Application.objects.get(pk=application.pk).invoice_number == f"INV-{YEAR}-000001"
