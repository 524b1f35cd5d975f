"""Send the satisfaction surveys of the occasions that ended (run hourly; sends once)."""

from django.core.management.base import BaseCommand

from cnnavi.surveys import services


class Command(BaseCommand):
    help = "E-mail a satisfaction survey link to each participant of an occasion that ended."

    def handle(self, *args, **options):
        sent = services.invitations_send()
        self.stdout.write(f"{sent} survey invitation(s) sent")
