from django.core.management.base import BaseCommand

from cnnavi.common.discovery import app_modules


class Command(BaseCommand):
    help = "Load or refresh the reference data every installation needs. Safe to run again."

    def handle(self, *args, **options):
        for module in app_modules("reference"):
            summary = module.load()
            if summary:
                self.stdout.write(f"{module.__name__}: {summary}")
        self.stdout.write(self.style.SUCCESS("Reference data is up to date."))
