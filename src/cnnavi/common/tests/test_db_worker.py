"""`cnnavi db_worker` survives the database going away: its connection is terminated by the
server (what a PostgreSQL restart does to every client), and the next queued task still runs."""

import psycopg
import pytest
from django.core import mail
from django.db import connection
from django_tasks_db.management.commands import db_worker as stock
from django_tasks_db.models import DBTaskResult

from cnnavi.common.management.commands.db_worker import ResilientWorker
from cnnavi.common.tasks import send_email

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("terminates a PostgreSQL backend: set DATABASE_URL=postgres://... to run it")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _terminate_the_workers_connection() -> None:
    """pg_terminate_backend from another connection, as a server restart would."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def _worker(cls):
    return cls(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def test_the_worker_reconnects_and_runs_the_queued_task(monkeypatch):
    monkeypatch.setattr(ResilientWorker, "first_delay", 0)
    result = send_email.enqueue(to=["a@example.com"], subject="queued", body="hello")
    _terminate_the_workers_connection()
    mail.outbox.clear()
    _worker(ResilientWorker).run()
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    assert [m.subject for m in mail.outbox] == ["queued"]


def test_the_stock_worker_would_have_exited():
    """Why the command is replaced: django-tasks-db's own worker raises and stops."""
    send_email.enqueue(to=["a@example.com"], subject="queued", body="hello")
    _terminate_the_workers_connection()
    with pytest.raises(stock.OperationalError):
        _worker(stock.Worker).run()
    connection.close()
