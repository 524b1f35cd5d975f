"""Render an e-mail in the recipient's language and send it after the transaction commits."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cnnavi.common.tasks import send_email


def language_of(user) -> str:
    """The language to write to a user in: their preferred one, else Japanese."""
    return getattr(user, "preferred_language", "") or "ja"


def mail_url(viewname: str, language: str, *, args=None, kwargs=None) -> str:
    """The absolute address (on CNNAVI_BASE_URL, never the request's Host) of a page in
    ``language``: a link in a mail opens the page in the mail's language, whichever page's
    language the action that sent it was taken in."""
    with translation.override(language):
        return settings.CNNAVI_BASE_URL + reverse(viewname, args=args, kwargs=kwargs)


def render_mail(*, template: str, context: dict, language: str = "ja") -> tuple[str, str]:
    """The subject (first line of ``template``, with the site's prefix) and the body, rendered
    in ``language``."""
    with translation.override(language):
        text = render_to_string(template, context).strip()
    subject, _, body = text.partition("\n")
    return f"[CN Navi] {subject.strip()}", body.strip() + "\n"


def mail_after_commit(
    *,
    to: str,
    template: str,
    context: dict,
    language: str = "ja",
    attachments: list[list[str]] | None = None,
) -> None:
    """``template`` names a text template whose first line is the subject. The mail is
    rendered and queued once the transaction has committed (never while the service still
    holds its row locks)."""

    def send() -> None:
        subject, body = render_mail(template=template, context=context, language=language)
        send_email.enqueue(to=[to], subject=subject, body=body, attachments=attachments or [])

    transaction.on_commit(send)
