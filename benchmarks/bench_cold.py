"""Cold workers: what a new web worker pays on its first request.

Each measurement runs in a fresh interpreter (a new gunicorn worker):

* ``first request, URLconf not built``: a worker without --preload; its first request builds
  the URLconf (every app's views, the API's schema models) before it answers;
* ``first request after import of cnnavi.wsgi``: what gunicorn --preload gives (cnnavi.wsgi
  builds the URLconf at import, once, in the master);
* baseline: the same request again in the same process (warm).

The request is a page that touches no database (an unknown URL: the resolver walks every
pattern, the 404 page renders the base template), so the figures measure code loading. The
ratios are first / warm (lower is better; 1.0 means a new worker is as fast as an old one).
Also reported: building the URLconf relative to django.setup() in the same process.
Median of three processes. Run: ``PYTHONPATH=src python benchmarks/bench_cold.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile

REPEAT = 3

PROBE = r"""
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnnavi.settings")
t0 = time.perf_counter()
import django
django.setup()
t1 = time.perf_counter()
if sys.argv[1] == "preload":
    import cnnavi.wsgi  # noqa: F401
t2 = time.perf_counter()
from django.test import Client
client = Client()
client.get("/bench-no-such-page/")
t3 = time.perf_counter()
warm = []
for _ in range(7):
    s = time.perf_counter()
    client.get("/bench-no-such-page/")
    warm.append(time.perf_counter() - s)
warm.sort()
print(json.dumps({"setup": t1 - t0, "preload": t2 - t1, "first": t3 - t2, "warm": warm[3]}))
"""


def _probe(mode: str) -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "cnnavi.settings")
    env.setdefault("CNNAVI_SQLITE_PATH", os.path.join(tempfile.gettempdir(), "cnnavi-cold.sqlite3"))
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def run() -> list[dict]:
    cold = [_probe("cold") for _ in range(REPEAT)]
    pre = [_probe("preload") for _ in range(REPEAT)]
    first, warm = _median(cold, "first"), _median(cold, "warm")
    pre_first, pre_warm = _median(pre, "first"), _median(pre, "warm")
    setup, urlconf = _median(pre, "setup"), _median(pre, "preload")
    return [
        {
            "name": "first request, URLconf not built (vs warm; lower is better)",
            "value": first,
            "unit": "s",
            "baseline": warm,
            "ratio": first / warm,
        },
        {
            "name": "first request after import of cnnavi.wsgi (--preload; vs warm)",
            "value": pre_first,
            "unit": "s",
            "baseline": pre_warm,
            "ratio": pre_first / pre_warm,
        },
        {
            "name": "building the URLconf (vs django.setup(); lower is better)",
            "value": urlconf,
            "unit": "s",
            "baseline": setup,
            "ratio": urlconf / setup,
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row, ensure_ascii=False))
