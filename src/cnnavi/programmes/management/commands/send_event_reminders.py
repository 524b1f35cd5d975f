from django.core.management.base import BaseCommand

from cnnavi.programmes.services import event_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail a reminder (with the .ics) to every confirmed participant of an event whose "
        "first session starts within the next HOURS hours; each participant once. Schedule it "
        "hourly, e.g. cron: `0 * * * * cnnavi send_event_reminders`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=48, help="look-ahead window (default 48)")

    def handle(self, *args, hours: int, **options):
        if hours < 1:
            self.stderr.write("--hours must be at least 1")
            raise SystemExit(2)
        count = event_reminders_send(within_hours=hours)
        self.stdout.write(f"Sent {count} event reminder(s).")
