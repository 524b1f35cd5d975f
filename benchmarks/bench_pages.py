"""What a phone meets: the server time of the chart pages and Lighthouse on the pages users open.

* Server time (in this process, Django's test client on a test database with the demo data):
  the median of repeated requests of the measure dashboard and the reduce plan of the Toyama
  demo company, each as a ratio to a trivial page (the supplier search without a query) and to
  the home page, in the same run; and the median CPU time of this process per request as a
  ratio to the home page's (less sensitive to other load on the machine).
* Lighthouse, mobile profile (its default: a mid-range phone, simulated slow 4G and CPU), on the
  home page, the stage diagnosis, the measure dashboard, the monthly grid, the reduce plan, the
  consultation booking form and the staff outcome page (when the app has one), logged in where
  needed. The app runs from a fresh SQLite file with the demo data under gunicorn (development
  mode, DEBUG off: static files from the finders, gzip-compressed by Django's middleware).
  Lighthouse (the npm package) is installed on first use into ~/.cache/cnnavi-lighthouse
  (CNNAVI_LIGHTHOUSE_DIR) and drives CHROME_PATH (default /usr/bin/chromium); without node or
  chromium this part is skipped with a message. Each page is measured CNNAVI_LIGHTHOUSE_RUNS
  times (default 3): the row holds the median and every run.
  Goals: performance >= 95, total blocking time <= 200 ms, accessibility and best practices
  100, the dashboard <= 250 KiB transferred on a first visit.

Run alone: ``python benchmarks/run.py pages`` (CNNAVI_BENCH_PAGES=server or =lighthouse runs one
part; CNNAVI_BENCH_PORT, default 8765, is the port of the server it starts).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REQUESTS = 25
RUNS = int(os.environ.get("CNNAVI_LIGHTHOUSE_RUNS", "3"))
PORT = int(os.environ.get("CNNAVI_BENCH_PORT", "8765"))
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE_DIR = Path(
    os.environ.get("CNNAVI_LIGHTHOUSE_DIR", Path.home() / ".cache" / "cnnavi-lighthouse")
)
LIGHTHOUSE_VERSION = "12"
GOALS = {"performance": 95, "tbt_ms": 200, "accessibility": 100, "best_practices": 100}
DASHBOARD_GOAL_KIB = 250
TOYAMA = "2230001000008"  # the demo company with a plan, a CO2-support case and records


# --- server time -----------------------------------------------------------------------------
_CPU: dict[str, float] = {}  # url -> median CPU ms of this process per request (less noisy)


def _median_ms(client, url: str) -> float:
    assert client.get(url).status_code == 200, url  # warm up (and fill the caches)
    times, cpu = [], []
    for _ in range(REQUESTS):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    _CPU[url] = statistics.median(cpu)
    return statistics.median(times)


def _server_times() -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnnavi.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    try:
        setup_test_environment()
        owned = True
    except RuntimeError:  # another benchmark of this run set it up already
        owned = False
    old = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            call_command("load_reference", verbosity=0)
            call_command("demo")
        from django.contrib.auth import get_user_model

        from cnnavi.orgs.models import Company

        company = Company.objects.get(corporate_number=TOYAMA)
        client = Client()
        client.force_login(get_user_model().objects.get(email="demo-sme@example.com"))
        trivial = _median_ms(client, reverse("measure:supplier_search"))
        home_url = reverse("pages:home")
        home = _median_ms(client, home_url)
        rows = []
        for name, url in (
            ("dashboard", reverse("measure:dashboard", args=[company.pk]) + "?year=2025"),
            ("reduce_plan", reverse("reduce:plan", args=[company.pk])),
        ):
            ours = _median_ms(client, url)
            cpu_ratio = _CPU[url] / _CPU[home_url]
            print(
                f"  {name}: median {ours:.1f} ms = {ours / trivial:.1f} x the trivial page "
                f"({trivial:.2f} ms), {ours / home:.2f} x the home page ({home:.2f} ms); "
                f"CPU {_CPU[url]:.1f} ms = {cpu_ratio:.2f} x the home page's",
                flush=True,
            )
            rows.append(
                {
                    "name": f"page_server_time_{name}_demo_median_ms",
                    "value": ours,
                    "unit": "ms",
                    "baseline": trivial,
                    "ratio": ours / trivial,
                    "home_ms": home,
                    "ratio_to_home": ours / home,
                    "cpu_ms": _CPU[url],
                    "cpu_ratio_to_home": cpu_ratio,
                }
            )
        return rows
    finally:
        connection.creation.destroy_test_db(old, verbosity=0)
        if owned:
            from django.test.utils import teardown_test_environment

            teardown_test_environment()


# --- Lighthouse ------------------------------------------------------------------------------
def _lighthouse_cli() -> Path | None:
    cli = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        print(f"  installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}", flush=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix",
             str(LIGHTHOUSE_DIR), f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True, timeout=600,
        )  # fmt: skip
    return cli if cli.exists() else None


def _app_env(folder: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CNNAVI_", "DATABASE_URL", "DJANGO_", "REDIS_URL"))
    }
    env.update(
        CNNAVI_SQLITE_PATH=str(folder / "pages.sqlite3"),
        CNNAVI_VAR_DIR=str(folder / "var"),
        CNNAVI_DEBUG="false",
        CNNAVI_BASE_URL=f"http://127.0.0.1:{PORT}",
    )
    return env


_PAGES_SCRIPT = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from cnnavi.consultations.selectors import free_slots
from cnnavi.orgs.models import Company

company = Company.objects.get(corporate_number=%(toyama)r)
facility = company.facilities.order_by("pk").first()
slot = free_slots().filter(starts_at__gt=timezone.now()).order_by("starts_at").first()

def cookie(email):
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client.cookies["sessionid"].value

sme, staff = cookie("demo-sme@example.com"), cookie("demo-staff@example.com")
pages = [
    ("home", reverse("pages:home"), None),
    ("diagnosis", reverse("know:diagnosis"), None),
    ("dashboard", reverse("measure:dashboard", args=[company.pk]) + "?year=2025", sme),
    ("grid", reverse("measure:grid", args=[company.pk, facility.pk]) + "?year=2025", sme),
    ("reduce_plan", reverse("reduce:plan", args=[company.pk]), sme),
    ("consultation_booking", reverse("consultations:book", args=[slot.pk]), sme),
]
try:
    pages.append(("staff_outcomes", reverse("outcomes_staff:index"), staff))
except NoReverseMatch:
    pass
print("PAGES=" + json.dumps(pages))
"""


def _prepare(folder: Path) -> list:
    env = _app_env(folder)
    (folder / "var").mkdir()

    def cnnavi(*args):
        return subprocess.run(
            [sys.executable, "-m", "cnnavi", *args], env=env, check=True, capture_output=True,
            text=True, timeout=900,
        )  # fmt: skip

    cnnavi("migrate", "--no-input", "-v", "0")
    cnnavi("load_reference")
    cnnavi("demo")
    out = cnnavi("shell", "-c", _PAGES_SCRIPT % {"toyama": TOYAMA}).stdout
    return json.loads(out.split("PAGES=", 1)[1])


def _start_server(folder: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cnnavi.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2",
         "--log-level", "warning"],
        env=_app_env(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=2):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"the app did not start on port {PORT}")


def _audit(cli: Path, url: str, session: str | None, folder: Path) -> dict:
    report = folder / "report.json"
    command = [
        "node", str(cli), url, "--output=json", f"--output-path={report}", "--quiet",
        "--only-categories=performance,accessibility,best-practices",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]  # fmt: skip
    if session:
        command.append("--extra-headers=" + json.dumps({"Cookie": f"sessionid={session}"}))
    for attempt in range(3):  # Lighthouse now and then fails to record a trace (NO_NAVSTART)
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, timeout=300)
        if done.returncode == 0 and report.exists():
            data = json.loads(report.read_text())
            if not data.get("runtimeError"):
                break
        print(f"  Lighthouse failed on {url} (attempt {attempt + 1}), trying again", flush=True)
    else:
        raise RuntimeError(f"Lighthouse failed three times on {url}")
    report.replace(folder / "last.json")  # the latest report, for a closer look
    cats, audits = data["categories"], data["audits"]
    return {
        "performance": round(cats["performance"]["score"] * 100),
        "accessibility": round(cats["accessibility"]["score"] * 100),
        "best_practices": round(cats["best-practices"]["score"] * 100),
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "final_url": data.get("finalDisplayedUrl") or data.get("finalUrl"),
        "benchmark_index": data.get("environment", {}).get("benchmarkIndex"),
    }


def _lighthouse() -> list[dict]:
    if not shutil.which("node") or not shutil.which("npm"):
        print("  skipped Lighthouse: node/npm not found", flush=True)
        return []
    if not Path(CHROME).exists():
        print(f"  skipped Lighthouse: no chromium at {CHROME} (set CHROME_PATH)", flush=True)
        return []
    cli = _lighthouse_cli()
    if cli is None:
        print("  skipped Lighthouse: the npm package could not be installed", flush=True)
        return []
    rows = []
    with tempfile.TemporaryDirectory(prefix="cnnavi-pages-") as tmp:
        folder = Path(tmp)
        pages = _prepare(folder)
        server = _start_server(folder)
        try:
            for name, path, session in pages:
                url = f"http://127.0.0.1:{PORT}{path}"
                runs = [_audit(cli, url, session, folder) for _ in range(RUNS)]
                for run in runs:  # a redirect to the login page would measure the wrong page
                    assert run["final_url"].split("?")[0] == url.split("?")[0], run["final_url"]
                med = {
                    k: statistics.median(r[k] for r in runs)
                    for k in ("performance", "accessibility", "best_practices", "tbt_ms",
                              "lcp_ms", "bytes")
                }  # fmt: skip
                kib = med["bytes"] / 1024
                print(
                    f"  {name}: performance {med['performance']:.0f}, accessibility "
                    f"{med['accessibility']:.0f}, best practices {med['best_practices']:.0f}, "
                    f"TBT {med['tbt_ms']:.0f} ms, LCP {med['lcp_ms'] / 1000:.2f} s, "
                    f"{kib:.0f} KiB (median of {len(runs)}; performance of each run: "
                    f"{', '.join(str(r['performance']) for r in runs)})",
                    flush=True,
                )
                met = (
                    med["performance"] >= GOALS["performance"]
                    and med["tbt_ms"] <= GOALS["tbt_ms"]
                    and med["accessibility"] >= GOALS["accessibility"]
                    and med["best_practices"] >= GOALS["best_practices"]
                    and (name != "dashboard" or kib <= DASHBOARD_GOAL_KIB)
                )
                rows.append(
                    {
                        "name": f"lighthouse_mobile_{name}_performance",
                        "value": med["performance"],
                        "unit": "score",
                        "baseline": GOALS["performance"],
                        "ratio": med["performance"] / GOALS["performance"],
                        "path": path,
                        "accessibility": med["accessibility"],
                        "best_practices": med["best_practices"],
                        "tbt_ms": med["tbt_ms"],
                        "lcp_ms": med["lcp_ms"],
                        "transferred_kib": kib,
                        "goals_met": met,
                        "runs": [{k: v for k, v in r.items() if k != "final_url"} for r in runs],
                    }
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows


def run() -> list[dict]:
    part = os.environ.get("CNNAVI_BENCH_PAGES", "")
    rows = []
    if part in ("", "server"):
        rows += _server_times()
    if part in ("", "lighthouse"):
        rows += _lighthouse()
    return rows


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
