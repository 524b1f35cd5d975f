from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cnnavi.common.discovery import app_modules

DEMO_PASSWORD = "cnnavi-demo-2026"  # noqa: S105 - printed on purpose: demo data only


class Command(BaseCommand):
    help = (
        "Load the demo data (an office, its staff and experts, three companies). "
        "Refused in production mode. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "The demo data is refused in production mode (CNNAVI_ENV=production)."
            )
        ctx: dict = {"password": DEMO_PASSWORD, "logins": [], "notes": []}
        for module in app_modules("demo"):
            module.load(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data is ready. Demo logins (password: {DEMO_PASSWORD}):")
        )
        for email, what in ctx["logins"]:
            self.stdout.write(f"  {email:<28} {what}")
        for note in ctx["notes"]:
            self.stdout.write(f"  {note}")
