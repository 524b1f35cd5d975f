"""Invoice numbers are gap-free and never duplicated when staff invoice many applications at
once: 20 threads each issue the invoice of one application (each of its own event, so the event
locks do not serialise them; only the office's counter row does).

Without the lock the race is seen (two threads read the same counter: duplicate numbers are
refused by the unique constraint, so some issues fail and the counter ends short); with the lock
the numbers are exactly 1..N. Invoices are also issued on acceptance (decision 1325): N people
applying at once to N paid trainings get invoices 1..N, and the staff's button pressed twice at
once for one application issues one invoice."""

import threading
import time

import pytest
from django.core import mail
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
            services.invoice_send(actor=None, application=application)
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


def _run(threads_targets):
    barrier = threading.Barrier(len(threads_targets))
    errors: list[BaseException] = []
    results: list = []

    def run(target):
        try:
            barrier.wait()
            results.append(target())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in threads_targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_concurrent_acceptances_number_their_invoices_one_to_n(monkeypatch):
    """Accepting paid applications issues their invoices in the acceptance's transaction
    (decision 1325): N people applying at once to N paid trainings get invoices 1..N, one
    each, and one invoice mail each."""
    monkeypatch.setattr(common_locking, "race_hook", lambda: time.sleep(0.02))
    office = SupportOffice.objects.create(name="Acceptance race office")
    services.invoice_settings_save(
        actor=None, office=office, issuer_name="競争テスト", registration_number="T9234567890123"
    )
    events = [make_event(office, title=f"研修 {n}", fee_yen=11_000) for n in range(N)]
    users = [make_user(f"accept-race-{n}@example.com") for n in range(N)]
    mail.outbox.clear()

    def apply(event, user):
        return lambda: services.application_create(
            user=user,
            event=event,
            applicant_kind="support_institution",
            organisation="競争商工会",
            name=user.email,
            consent=True,
        )

    applications, errors = _run([apply(e, u) for e, u in zip(events, users, strict=True)])
    assert not errors, errors
    invoices = Invoice.objects.filter(office=office)
    assert sorted(invoices.values_list("sequence", flat=True)) == list(range(1, N + 1))
    assert sorted(invoices.values_list("application_id", flat=True)) == sorted(
        a.pk for a in applications
    )
    assert InvoiceSettings.objects.get(office=office).last_sequence == N
    pdfs = [m for m in mail.outbox for a in m.attachments if a[2] == "application/pdf"]
    assert len(pdfs) == N and len({m.to[0] for m in pdfs}) == N


def test_the_staff_button_pressed_twice_at_once_issues_one_invoice(monkeypatch):
    """Applications accepted before invoices were issued on acceptance: two staff members
    press the button of each at the same moment; each application gets exactly one invoice
    (the other press re-sends it) and the numbers stay 1..N."""
    monkeypatch.setattr(common_locking, "race_hook", lambda: time.sleep(0.02))
    office = SupportOffice.objects.create(name="Button race office")
    applications = [
        make_application(
            make_event(office, title=f"研修 {n}", fee_yen=11_000),
            make_user(f"button-race-{n}@example.com"),
        )
        for n in range(N // 2)
    ]
    services.invoice_settings_save(
        actor=None, office=office, issuer_name="競争テスト", registration_number="T9234567890123"
    )

    def press(application):
        return lambda: services.invoice_send(actor=None, application=application)

    results, errors = _run([press(a) for a in applications for _twice in range(2)])
    assert not errors, errors
    assert sorted(issued for _invoice, issued in results) == [False] * (N // 2) + [True] * (N // 2)
    invoices = Invoice.objects.filter(office=office)
    assert sorted(invoices.values_list("sequence", flat=True)) == list(range(1, N // 2 + 1))
    assert sorted(invoices.values_list("application_id", flat=True)) == sorted(
        a.pk for a in applications
    )
