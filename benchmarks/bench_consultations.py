"""Cost of safe slot booking, on the current database (SQLite by default, PostgreSQL with
DATABASE_URL), in a fresh test database.

The same N bookings of N free slots of one expert are written three ways in the same process,
each booking in its own transaction:

* ``service``: ``services.booking_create`` as a visitor uses it: lock the expert
  (``select_for_update``, a no-op on SQLite), check that neither the slot nor the expert is taken,
  insert, audit entry, confirmation e-mails with the .ics (sent on commit to the locmem backend);
* ``guarded insert``: only the lock, the check and the insert (the part that prevents double
  booking), without the audit and the e-mails;
* baseline: a plain insert of the same rows without lock or check.

The ratios are our throughput over the baseline's (higher is better; 1.0 would mean free). The
best of three rounds is kept; the bookings are deleted between rounds. Run:
``PYTHONPATH=src python benchmarks/bench_consultations.py``.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from datetime import timedelta

N = 300
REPEAT = 3


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnnavi.settings")
    os.environ.setdefault(
        "CNNAVI_SQLITE_PATH", os.path.join(tempfile.gettempdir(), "cnnavi-bench.sqlite3")
    )
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    try:
        setup_test_environment()
        owned = True
    except RuntimeError:  # another benchmark of this run set it up already
        owned = False
    old = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, old, owned


def _world():
    from django.utils import timezone

    from cnnavi.accounts.services import user_create_verified
    from cnnavi.consultations.models import Slot
    from cnnavi.orgs.models import Expert, SupportOffice

    office = SupportOffice.objects.create(name="ベンチ支援機関", prefectures=["16"])
    user = user_create_verified(email="bench-expert@example.com", password="bench-pass-123")  # noqa: S106
    expert = Expert.objects.create(office=office, user=user, display_name="ベンチ 専門家")
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    Slot.objects.bulk_create(
        Slot(
            expert=expert,
            starts_at=start + timedelta(hours=i),
            ends_at=start + timedelta(hours=i, minutes=60),
            mode="online",
        )
        for i in range(N)
    )
    return list(Slot.objects.filter(expert=expert).select_related("expert__office"))


def _fields(i: int) -> dict:
    return dict(
        channel="online",
        topics=["how_to_start"],
        description="何から始めればよいか知りたい",
        contact_name=f"富山 太郎{i}",
        contact_company="ベンチ工業株式会社",
        contact_email=f"guest{i}@example.com",
        contact_phone="076-000-0000",
    )


def _via_service(slots) -> None:
    from cnnavi.consultations import services

    for i, slot in enumerate(slots):
        services.booking_create(actor=None, slot=slot, **_fields(i))


def _guarded_insert(slots) -> None:
    from django.db import transaction
    from django.utils import timezone

    from cnnavi.consultations import services
    from cnnavi.consultations.models import Booking, Slot

    for i, slot in enumerate(slots):
        with transaction.atomic(durable=True):
            services._lock_experts(slot.expert_id)
            fresh = Slot.objects.get(pk=slot.pk)
            services._check_slot_free(fresh, now=timezone.now())
            Booking.objects.create(
                slot=fresh, expert_id=fresh.expert_id, starts_at=fresh.starts_at, **_fields(i)
            )


def _plain_insert(slots) -> None:
    from django.db import transaction

    from cnnavi.consultations.models import Booking

    for i, slot in enumerate(slots):
        with transaction.atomic(durable=True):
            Booking.objects.create(
                slot=slot, expert_id=slot.expert_id, starts_at=slot.starts_at, **_fields(i)
            )


def _best(write, slots) -> float:
    from django.core import mail

    from cnnavi.consultations.models import Booking

    best = float("inf")
    for _ in range(REPEAT):
        Booking.objects.all().delete()
        mail.outbox = []
        t = time.perf_counter()
        write(slots)
        best = min(best, time.perf_counter() - t)
        assert Booking.objects.count() == len(slots)
    Booking.objects.all().delete()
    return best


def _bookings() -> list[dict]:
    from django.db import connection

    slots = _world()
    baseline = _best(_plain_insert, slots)
    guarded = _best(_guarded_insert, slots)
    service = _best(_via_service, slots)
    vendor = connection.vendor
    return [
        {
            "name": f"consultations_booking_service_per_s_{vendor}",
            "value": N / service,
            "unit": "bookings/s",
            "baseline": N / baseline,
            "ratio": baseline / service,
        },
        {
            "name": f"consultations_booking_lock_check_insert_per_s_{vendor}",
            "value": N / guarded,
            "unit": "bookings/s",
            "baseline": N / baseline,
            "ratio": baseline / guarded,
        },
    ]


def run() -> list[dict]:
    connection, old, owned = _setup()
    try:
        return _bookings()
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
        if owned:
            from django.test.utils import teardown_test_environment

            teardown_test_environment()


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
