"""Fetch the offices' RSS/Atom feeds (run on a schedule, e.g. hourly)."""

from django.core.management.base import BaseCommand

from cnnavi.outcomes.services import feeds_fetch


class Command(BaseCommand):
    help = "Fetch every active feed; new items wait for staff review. A failing feed is reported."

    def handle(self, *args, **options):
        for feed, added, error in feeds_fetch():
            if error:
                self.stderr.write(f"{feed.url}: {error}")
            else:
                self.stdout.write(f"{feed.url}: {added} new")
