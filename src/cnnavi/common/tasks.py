"""Background tasks shared by every app (Django's tasks framework through django-tasks)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(
    *, to: list[str], subject: str, body: str, attachments: list[list[str]] | None = None
) -> None:
    """Send one plain-text e-mail. ``attachments`` are [filename, content, mimetype] triples
    of text (e.g. an .ics calendar file) when queued; another task that renders a binary file
    itself (a PDF) passes bytes through ``send_email.call(...)``, never through the queue."""
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    message.send()
