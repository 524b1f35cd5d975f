"""Send the reminder e-mails for consultations starting within 48 hours (run it hourly)."""

from django.core.management.base import BaseCommand

from cnnavi.consultations.services import bookings_remind


class Command(BaseCommand):
    help = "E-mail a reminder for each consultation booking that starts within 48 hours."

    def handle(self, *args, **options):
        count = bookings_remind()
        self.stdout.write(f"reminders sent: {count}")
