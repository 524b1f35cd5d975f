"""Create the bookable slots of the coming weeks for every office (run it daily)."""

from django.core.management.base import BaseCommand

from cnnavi.consultations.services import slots_generate
from cnnavi.orgs.models import SupportOffice


class Command(BaseCommand):
    help = "Create the consultation slots of the coming weeks from the availability rules."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=6)

    def handle(self, *args, **options):
        for office in SupportOffice.objects.all():
            created = slots_generate(actor=None, office=office, weeks=options["weeks"])
            self.stdout.write(f"{office.name}: {created} slots created")
