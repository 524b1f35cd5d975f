"""A 100,000-row energy import never holds a web worker: the longest web request of the whole
import, as a ratio to a trivial page, in a fresh test database (SQLite by default, PostgreSQL
with DATABASE_URL).

The import goes through the pages as a user drives it: upload (the file is stored, its limits
checked on the bytes), the preview polled while the task worker parses, the preview read from
the stored plan, confirm (queued), the poll that sees the write finished. The task worker's own
work (parsing 100,000 rows, writing them in one transaction) is run in between, as
`cnnavi db_worker` would, and reported separately (it holds no web worker).

Ratio: longest web request / median of a trivial page (the upload form) in the same run (lower
is better; the issue's target is a longest request under one second).
Run: ``PYTHONPATH=src python benchmarks/bench_import.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time

ROWS = 100_000


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
    except RuntimeError:
        owned = False
    old = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, old, owned


def _csv() -> bytes:
    months = [f"2024-{m:02d}" for m in range(4, 13)] + [f"2025-{m:02d}" for m in (1, 2, 3)]
    lines = ["事業所,年月,エネルギー,使用量,単位,供給事業者,メニュー,金額,用途"]
    for i in range(ROWS):
        lines.append(f"Factory a,{months[i % 12]},電気,{1000 + i % 97},kWh,A0271,,,u{i // 12}")
    return ("\n".join(lines) + "\n").encode()


def _timed(fn):
    start = time.perf_counter()
    response = fn()
    return time.perf_counter() - start, response


def _measure() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings
    from django.urls import reverse

    from cnnavi.measure import tasks
    from cnnavi.measure.models import EnergyImport, EnergyRecord
    from cnnavi.testing import build_world

    world = build_world()
    company = world.a.company
    client = Client()
    client.force_login(world.a.owner)
    upload_url = reverse("measure:import_upload", args=[company.pk])
    trivial = sorted(_timed(lambda: client.get(upload_url))[0] for _ in range(7))
    data = _csv()
    requests = {}
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        requests["upload"], response = _timed(
            lambda: client.post(upload_url, {"file": SimpleUploadedFile("big.csv", data)})
        )
        assert response.status_code == 302, response.content[:300]
        preview_url = response.url
        imp = EnergyImport.objects.get()
        requests["poll while queued"], _r = _timed(
            lambda: client.get(preview_url, HTTP_HX_REQUEST="true")
        )
        parse, _r = _timed(lambda: tasks.import_plan.call(import_id=imp.pk))
        requests["preview (stored plan)"], page = _timed(lambda: client.get(preview_url))
        assert page.status_code == 200 and page.context["plan"].row_count == ROWS
        confirm_url = reverse("measure:import_confirm", args=[company.pk, imp.pk])
        requests["confirm"], _r = _timed(lambda: client.post(confirm_url))
        requests["poll while writing"], _r = _timed(
            lambda: client.get(preview_url, HTTP_HX_REQUEST="true")
        )
        write, _r = _timed(
            lambda: tasks.import_commit.call(import_id=imp.pk, actor_id=world.a.owner.pk)
        )
        requests["poll after the write"], done = _timed(
            lambda: client.get(preview_url, HTTP_HX_REQUEST="true")
        )
        assert done.status_code == 204 and EnergyRecord.objects.count() == ROWS
    return {
        "trivial": statistics.median(trivial),
        "requests": requests,
        "parse": parse,
        "write": write,
        "bytes": len(data),
    }


def run() -> list[dict]:
    connection, old, owned = _setup()
    try:
        m = _measure()
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
        if owned:
            from django.test.utils import teardown_test_environment

            teardown_test_environment()
    longest_name, longest = max(m["requests"].items(), key=lambda kv: kv[1])
    rows = [
        {
            "name": f"longest web request of a {ROWS:,}-row import ({longest_name}; vs trivial page,"
            " lower is better)",
            "value": longest,
            "unit": "s",
            "baseline": m["trivial"],
            "ratio": longest / m["trivial"],
        }
    ]
    for name, seconds in m["requests"].items():
        rows.append(
            {"name": f"  web request: {name}", "value": seconds, "unit": "s",
             "baseline": m["trivial"], "ratio": seconds / m["trivial"]}
        )  # fmt: skip
    rows.append(
        {"name": "task worker: parse and check (holds no web worker)", "value": m["parse"],
         "unit": "s", "baseline": None, "ratio": None}
    )  # fmt: skip
    rows.append(
        {"name": "task worker: write in one transaction", "value": m["write"], "unit": "s",
         "baseline": None, "ratio": None}
    )  # fmt: skip
    return rows


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row, ensure_ascii=False))
