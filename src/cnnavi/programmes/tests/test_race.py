"""No overbooking, ever: 50 people apply at the same moment for 10 places (pretix style).

Without the lock the race is seen (more than 10 confirmed); with the lock exactly 10 are
confirmed and 40 wait. Each thread has its own database connection; a barrier starts them
together; the service's race window is widened so the unlocked run shows the race reliably."""

import threading
import time

import pytest
from django.db import connection, connections

from cnnavi.accounts.models import User
from cnnavi.common import locking as common_locking
from cnnavi.orgs.models import SupportOffice
from cnnavi.programmes import services
from cnnavi.programmes.models import Application, ApplicationStatus
from cnnavi.programmes.tests.factories import make_event

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

APPLICANTS = 50
PLACES = 10


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: set DATABASE_URL=postgres://... to run")


def _race(monkeypatch, *, locking: bool) -> dict[str, int]:
    monkeypatch.setattr(common_locking, "ENABLED", locking)
    monkeypatch.setattr(common_locking, "race_hook", lambda: time.sleep(0.02))
    office = SupportOffice.objects.create(name=f"Race office {locking}")
    event = make_event(office, capacity=PLACES)
    users = [
        User.objects.create_user(email=f"race-{locking}-{n}@example.com", password="x")
        for n in range(APPLICANTS)
    ]
    barrier = threading.Barrier(APPLICANTS)
    errors: list[BaseException] = []

    def apply(user):
        try:
            barrier.wait()
            services.application_create(
                user=user,
                event=event,
                applicant_kind="support_institution",
                organisation="競争テスト支援機関",
                name=user.email,
                consent=True,
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    statuses = list(Application.objects.filter(event=event).values_list("status", flat=True))
    return {
        "confirmed": statuses.count(ApplicationStatus.CONFIRMED),
        "waitlisted": statuses.count(ApplicationStatus.WAITLISTED),
    }


def test_without_the_lock_the_race_overbooks(monkeypatch):
    counts = _race(monkeypatch, locking=False)
    assert counts["confirmed"] + counts["waitlisted"] == APPLICANTS
    print("without the lock:", counts)
    assert counts["confirmed"] > PLACES, counts


def test_with_the_lock_exactly_the_capacity_is_confirmed(monkeypatch):
    counts = _race(monkeypatch, locking=True)
    assert counts == {"confirmed": PLACES, "waitlisted": APPLICANTS - PLACES}
