"""Invoice numbers are gap-free and never duplicated when staff invoice many applications at
once: 20 threads each issue the invoice of one application (each of its own event, so the event
locks do not serialise them; only the office's counter row does).

Without the lock the race is seen (two threads read the same counter: duplicate numbers are
refused by the unique constraint, so some issues fail and the counter ends short); with the lock
the numbers are exactly 1..N."""

import threading
import time

import pytest
from django.db import connection, connections

from cnnavi.common import locking as common_locking
from cnnavi.orgs.models import SupportOffice
from cnnavi.programmes import services
from cnnavi.programmes.models import Invoice, InvoiceSettings
from cnnavi.programmes.tests.factories import make_application, make_event
from cnnavi.testing import make_user

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

N = 20


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: set DATABASE_URL=postgres://... to run")


def _race(monkeypatch, *, locking: bool):
    monkeypatch.setattr(common_locking, "ENABLED", locking)
    monkeypatch.setattr(common_locking, "race_hook", lambda: time.sleep(0.02))
    office = SupportOffice.objects.create(name=f"Invoice race office {locking}")
    services.invoice_settings_save(
        actor=None, office=office, issuer_name="競争テスト", registration_number="T9234567890123"
    )
    applications = [
        make_application(
            make_event(office, title=f"研修 {n}", fee_yen=11_000),
            make_user(f"invoice-race-{locking}-{n}@example.com"),
        )
        for n in range(N)
    ]
    barrier = threading.Barrier(N)
    errors: list[BaseException] = []

    def issue(application):
        try:
            barrier.wait()
            services.invoice_issue(actor=None, application=application)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sequences = sorted(Invoice.objects.filter(office=office).values_list("sequence", flat=True))
    counter = InvoiceSettings.objects.get(office=office).last_sequence
    return sequences, counter, errors


def test_without_the_lock_numbers_collide(monkeypatch):
    sequences, counter, errors = _race(monkeypatch, locking=False)
    print("without the lock:", len(sequences), "issued,", len(errors), "failed, counter", counter)
    assert errors  # duplicate numbers, refused only by the unique constraint
    assert len(sequences) < N and counter < N


def test_with_the_lock_numbers_are_one_to_n(monkeypatch):
    sequences, counter, errors = _race(monkeypatch, locking=True)
    assert not errors, errors
    assert sequences == list(range(1, N + 1)) and counter == N
