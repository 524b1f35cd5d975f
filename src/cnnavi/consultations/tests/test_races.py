"""Race tests with real threads on PostgreSQL (pretix style): with the lock switched off the
race is seen (every thread passes the availability check), with it exactly the capacity wins.

Run them with DATABASE_URL=postgres://... (they skip on SQLite, which has no row locks).
"""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from cnnavi.common import locking
from cnnavi.consultations import services
from cnnavi.consultations.models import Booking, CalcVisit
from cnnavi.consultations.tests.tenancy import make_slot

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 5


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: set DATABASE_URL=postgres://... to run it")


@pytest.fixture
def probe(monkeypatch):
    """Counts the threads that passed the availability check, and keeps them there a moment
    so that, without the lock, every thread checks before any inserts."""
    passed = []

    def after_check():
        passed.append(threading.get_ident())
        time.sleep(0.4)

    monkeypatch.setattr(locking, "race_hook", after_check)
    return passed


def _run_threads(target, n=THREADS):
    barrier = threading.Barrier(n)
    results: list = []

    def run(i):
        try:
            barrier.wait()
            results.append(("ok", target(i)))
        except ValidationError as exc:
            results.append(("refused", " ".join(exc.messages)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _book_concurrently(world):
    slot = make_slot(world.a.expert, days=5)
    a = world.a

    def book(i):
        return services.booking_create(
            actor=None,
            slot=slot,
            channel="online",
            topics=["how_to_start"],
            description="",
            contact_name=f"Racer {i}",
            contact_company=f"Racer {i} Ltd",
            contact_email=f"racer{i}@example.com",
            contact_phone="076-000-0000",
        ).pk

    results = _run_threads(book)
    return slot, results, a


def test_slot_race_is_seen_without_the_lock(world, probe, monkeypatch):
    monkeypatch.setattr(locking, "ENABLED", False)
    slot, results, _a = _book_concurrently(world)
    # Every thread saw the slot free: without the unique constraint all would be booked.
    assert len(probe) == THREADS
    # The backstop keeps the slot single, but the losers only learn it at the insert.
    assert Booking.objects.filter(slot=slot, status="booked").count() == 1
    assert sorted(kind for kind, _ in results) == ["ok"] + ["refused"] * (THREADS - 1)


def test_slot_race_with_the_lock_books_exactly_once(world, probe):
    slot, results, _a = _book_concurrently(world)
    assert len(probe) == 1  # only one thread ever found the slot free
    assert Booking.objects.filter(slot=slot, status="booked").count() == 1
    refused = [message for kind, message in results if kind == "refused"]
    assert len(refused) == THREADS - 1
    assert all("この枠は先ほど埋まりました" in m for m in refused)


def _case_with_visits(world, done: int):
    a = world.a
    case = services.calc_case_apply(
        actor=a.owner, company=a.company, office=a.office, message="", preferred_dates=""
    )
    services.calc_case_accept(actor=a.owner, office=a.office, case=case, expert=a.expert)
    for _ in range(done):
        services.calc_visit_schedule(
            actor=a.owner, case=case, expert=a.expert, scheduled_at=timezone.now()
        )
    return case


def _schedule_concurrently(world, case):
    def schedule(i):
        return services.calc_visit_schedule(
            actor=world.a.owner,
            case=case,
            expert=world.a.expert,
            scheduled_at=timezone.now() + timedelta(days=i + 1),
        ).number

    return _run_threads(schedule)


def test_visit_race_is_seen_without_the_lock(world, probe, monkeypatch):
    case = _case_with_visits(world, done=2)
    probe.clear()  # the two visits of the setup passed the check too
    monkeypatch.setattr(locking, "ENABLED", False)
    results = _schedule_concurrently(world, case)
    assert len(probe) == THREADS  # all five thought a third visit was still free
    assert CalcVisit.objects.filter(company=world.a.company).count() == 3  # backstop
    assert [v for kind, v in results if kind == "ok"] == [3]


def test_visit_limit_with_the_lock_gives_exactly_three_visits(world, probe):
    case = _case_with_visits(world, done=0)
    results = _schedule_concurrently(world, case)
    numbers = sorted(v for kind, v in results if kind == "ok")
    assert numbers == [1, 2, 3]
    refused = [m for kind, m in results if kind == "refused"]
    full = "無料の訪問（最大3回）はすべて予定済みか利用済みです。予定の訪問は変更・中止できます。"
    assert refused == [full] * (THREADS - 3)
    assert len(probe) == 3
    assert CalcVisit.objects.filter(company=world.a.company).count() == 3
