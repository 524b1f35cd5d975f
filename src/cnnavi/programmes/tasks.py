"""Background work of programmes: e-mailing an invoice, a receipt or a cancellation invoice
with its PDF (decision 1325). The services queue it after their transaction commits, so the
PDF and the mail are rendered with no row locked, in the applicant's language."""

from django.utils import translation
from django_tasks import task

from cnnavi.common.mail import language_of, mail_url, render_mail
from cnnavi.common.tasks import send_email
from cnnavi.programmes.invoice_pdf import invoice_pdf, receipt_pdf
from cnnavi.programmes.models import Invoice

# document -> (mail template, PDF builder, file name suffix)
DOCUMENTS = {
    "invoice": ("programmes/email/invoice_issued.txt", invoice_pdf, ""),
    "receipt": ("programmes/email/invoice_receipt.txt", receipt_pdf, "-receipt"),
    "cancellation": ("programmes/email/invoice_cancelled.txt", invoice_pdf, ""),
}


@task()
def send_invoice_mail(*, invoice_id: int, document: str) -> None:
    """E-mail ``document`` ("invoice", "receipt" or "cancellation") of the invoice to its
    applicant, the PDF attached."""
    template, build, suffix = DOCUMENTS[document]
    invoice = Invoice.objects.select_related(
        "application__user", "application__event", "original"
    ).get(pk=invoice_id)
    application = invoice.application
    language = language_of(application.user)
    mine_url = mail_url("programmes:my_applications", language)  # in the mail's language
    subject, body = render_mail(
        template=template,
        context={
            "invoice": invoice,
            "application": application,
            "event": application.event,
            "mine_url": mine_url,
        },
        language=language,
    )
    with translation.override(language):
        pdf = bytes(build(invoice).output())
    send_email.call(
        to=[application.email],
        subject=subject,
        body=body,
        attachments=[[f"{invoice.number}{suffix}.pdf", pdf, "application/pdf"]],
    )
