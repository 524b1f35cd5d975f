"""A bounded load run: the measure dashboard against the home page under concurrent clients.

The app runs under gunicorn (4 sync workers, development mode with DEBUG off, the per-worker
local-memory cache) on PostgreSQL with the demo data, logged in as the Toyama demo company's
owner. A load client on the loopback (``wrk`` when installed, else Python threads with
keep-alive connections) requests one page at a time with 10 concurrent clients for 30 s, then
with 50: the home page, then the dashboard of FY2025. Reported: requests per second, the median,
p95 and p99 latency, errors; the dashboard's requests per second as a share of the home page's
in the same run, and its p95 as a multiple of the home page's.
Goals: share >= 0.5 at 10 clients; dashboard p95 at 50 clients <= 3 x the home page's.

Not part of ``make bench`` (it takes about three minutes and a PostgreSQL server):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnnavi_load python benchmarks/load.py

The database named in DATABASE_URL is dropped and created again. CNNAVI_LOAD_PORT (default
8766) is the server's port, CNNAVI_LOAD_SECONDS (default 30) the length of each step. Writes
benchmarks/out/load.json.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PORT = int(os.environ.get("CNNAVI_LOAD_PORT", "8766"))
SECONDS = int(os.environ.get("CNNAVI_LOAD_SECONDS", "30"))
CLIENTS = (10, 50)
WORKERS = 4
TOYAMA = "2230001000008"
GOAL_SHARE = 0.5
GOAL_P95_MULTIPLE = 3.0

_WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "non2xx": %d, "errors": %d, '
    .. '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def _env(database_url: str, folder: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CNNAVI_", "DATABASE_URL", "DJANGO_", "REDIS_URL"))
    }
    env.update(
        DATABASE_URL=database_url,
        CNNAVI_DEBUG="false",
        CNNAVI_VAR_DIR=str(folder),
        CNNAVI_BASE_URL=f"http://127.0.0.1:{PORT}",
    )
    return env


def _recreate_database(database_url: str) -> None:
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


_SETUP_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from cnnavi.orgs.models import Company

company = Company.objects.get(corporate_number=%(toyama)r)
client = Client()
client.force_login(get_user_model().objects.get(email="demo-sme@example.com"))
print("SETUP=" + json.dumps({
    "session": client.cookies["sessionid"].value,
    "pages": [["home", reverse("pages:home")],
              ["dashboard", reverse("measure:dashboard", args=[company.pk]) + "?year=2025"]],
}))
"""


def _wrk(url: str, session: str, clients: int, folder: Path) -> dict:
    script = folder / "report.lua"
    script.write_text(_WRK_REPORT)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{SECONDS}s", "--timeout", "20s", "-s", str(script),
         "-H", f"Cookie: sessionid={session}", "-H", "Accept-Encoding: gzip", url],
        capture_output=True, text=True, check=True, timeout=SECONDS + 60,
    ).stdout  # fmt: skip
    data = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def _threads(url: str, session: str, clients: int) -> dict:
    """The fallback client: one keep-alive connection per thread."""
    path = url.split(str(PORT), 1)[1]
    times: list[float] = []
    errors = [0]
    stop = time.perf_counter() + SECONDS
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=20)
        mine = []
        while time.perf_counter() < stop:
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": f"sessionid={session}",
                                                   "Accept-Encoding": "gzip"})  # fmt: skip
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=20)
                ok = False
            mine.append(time.perf_counter() - t)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            times.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.perf_counter() - started
    q = statistics.quantiles([t * 1000 for t in times], n=100)
    return {"requests": len(times), "rps": len(times) / duration, "non2xx": errors[0],
            "errors": 0, "p50_ms": q[49], "p95_ms": q[94], "p99_ms": q[98]}  # fmt: skip


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        print("DATABASE_URL must name a PostgreSQL database (it is dropped and created again)")
        return 2
    client_name = "wrk" if shutil.which("wrk") else "python threads"
    with tempfile.TemporaryDirectory(prefix="cnnavi-load-") as tmp:
        folder = Path(tmp)
        env = _env(database_url, folder)
        _recreate_database(database_url)

        def cnnavi(*args):
            return subprocess.run([sys.executable, "-m", "cnnavi", *args], env=env, check=True,
                                  capture_output=True, text=True, timeout=900)  # fmt: skip

        cnnavi("migrate", "--no-input", "-v", "0")
        cnnavi("load_reference")
        cnnavi("demo")
        setup = json.loads(
            cnnavi("shell", "-c", _SETUP_SCRIPT % {"toyama": TOYAMA}).stdout.split("SETUP=")[1]
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cnnavi.wsgi", "-b", f"127.0.0.1:{PORT}", "-w",
             str(WORKERS), "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{PORT}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/", timeout=2).close()  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.2)
            session = setup["session"]
            for _name, path in setup["pages"]:  # warm every worker's cache
                request = urllib.request.Request(  # noqa: S310 - our own server
                    base + path,
                    headers={"Cookie": f"sessionid={session}"},
                )
                for _ in range(WORKERS * 4):
                    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                        assert response.status == 200 and response.url == base + path
            results: dict = {"client": client_name, "workers": WORKERS, "seconds": SECONDS}
            for clients in CLIENTS:
                step = {}
                for name, path in setup["pages"]:
                    if client_name == "wrk":
                        step[name] = _wrk(base + path, session, clients, folder)
                    else:
                        step[name] = _threads(base + path, session, clients)
                    r = step[name]
                    print(f"{clients:3d} clients {name:10s} {r['rps']:7.1f} rps  p50 "
                          f"{r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  p99 "
                          f"{r['p99_ms']:7.1f} ms  errors {r['non2xx'] + r['errors']}",
                          flush=True)  # fmt: skip
                step["share"] = step["dashboard"]["rps"] / step["home"]["rps"]
                step["p95_multiple"] = step["dashboard"]["p95_ms"] / step["home"]["p95_ms"]
                print(f"{clients:3d} clients: dashboard rps share {step['share']:.2f}, "
                      f"p95 {step['p95_multiple']:.2f} x the home page's", flush=True)  # fmt: skip
                results[f"clients_{clients}"] = step
        finally:
            server.terminate()
            server.wait(timeout=30)
    results["goals"] = {
        "share_at_10": GOAL_SHARE,
        "p95_multiple_at_50": GOAL_P95_MULTIPLE,
        "met": results["clients_10"]["share"] >= GOAL_SHARE
        and results["clients_50"]["p95_multiple"] <= GOAL_P95_MULTIPLE,
    }
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out / 'load.json'}; goals met: {results['goals']['met']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
