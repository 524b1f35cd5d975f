"""``cnnavi db_worker``: django-tasks-db's worker that survives a database restart.

The stock worker exits on the first OperationalError (PostgreSQL restarted, a connection cut by
a proxy or pg_terminate_backend), and queued e-mails then wait until someone restarts it. This
one closes the broken connections, waits (1 s, doubling up to 30 s) and carries on; it logs
each outage. A task that was running when the database went away is left as the database last
saw it (docs/decisions/1003).
"""

import logging
import time

from django.db import DatabaseError, connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("cnnavi.db_worker")

MAX_DELAY = 30.0


class ResilientWorker(db_worker.Worker):
    first_delay = 1.0

    def run(self) -> None:
        delay = self.first_delay
        while self.running:
            try:
                super().run()
                return  # --batch / --max-tasks finished
            except (OperationalError, InterfaceError) as exc:
                logger.warning(
                    "Database unavailable (%s); reconnecting in %.0f s", str(exc).strip(), delay
                )
                _close_connections()
                time.sleep(delay)
                delay = min(max(delay, 0.5) * 2, MAX_DELAY)


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            # Closing a connection whose server is gone can fail; drop it all the same.
            conn.connection = None


class Command(db_worker.Command):
    help = "Run the background-task worker (reconnects after a database restart)"

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
