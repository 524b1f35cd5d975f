"""Benchmark of the office's outcomes at national scale (docs/decisions/1401).

10,000 companies x 3 fiscal years x 12 months x 5 energies = 1.8 M energy records, generated in
the database with one INSERT ... SELECT per table (no ORM row by row), on SQLite and on
PostgreSQL (``BENCH_OUTCOMES_PG``, default ``postgres://postgres@127.0.0.1:5432/h_outcomes``;
skipped if unreachable). Each database runs in its own process (its own settings). Figures:

* ``outcomes page``: the median time of /staff/outcomes/ (FY2026 against FY2025, cached as users meet it) as a
  ratio to a trivial page in the same run. Goal: at most 20x.
* ``outcomes cold``: the CO2 figures computed cold (``co2.compute``: the SQL aggregate, the
  contract join, ``batch_calculate``) against one hand-written SQL aggregate that joins a factor
  table and sums per company in the database (ratio ours / baseline). Goal: at most 3x.
* ``outcomes report cold``: the whole report cold (reach, path, CO2), for information.
* ``outcomes peak memory``: the process's peak RSS. Goal: under 1 GiB.

Run: ``python benchmarks/run.py outcomes`` or ``PYTHONPATH=src python benchmarks/bench_outcomes.py``.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMPANIES = int(os.environ.get("BENCH_OUTCOMES_COMPANIES", "10000"))
FISCAL_YEARS = (2025, 2026, 2027)  # electricity factors ship from FY2025 (later: provisional)
ENERGIES = (  # (code, unit, monthly amount base)
    ("electricity", "kWh", 20000),
    ("kerosene", "L", 300),
    ("heavy_oil_a", "L", 500),
    ("lpg", "kg", 100),
    ("diesel_oil", "L", 200),
)
PG_URL = os.environ.get("BENCH_OUTCOMES_PG", "postgres://postgres@127.0.0.1:5432/h_outcomes")
REQUESTS = 15
GOAL_PAGE = 20
GOAL_COLD = 3


def _setup(db: str):
    os.environ["DJANGO_SETTINGS_MODULE"] = "cnnavi.settings"
    if db == "postgresql":
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["CNNAVI_SQLITE_PATH"] = os.path.join(
            tempfile.gettempdir(), "cnnavi-bench-outcomes.sqlite3"
        )
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection


def _generate(connection, office_id: int) -> float:
    """Companies, facilities, contracts, consents and 1.8 M records in bulk SQL; seconds."""
    t = time.perf_counter()
    pg = connection.vendor == "postgresql"
    n = COMPANIES
    if pg:
        seq = f"SELECT g AS i FROM generate_series(1, {n}) g"  # noqa: S608 - an int
        now = "now()"
    else:
        seq = (f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) "  # noqa: S608
               "SELECT i FROM s")  # fmt: skip
        now = "datetime('now')"
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE bench_seq AS {seq}")  # noqa: S608 - constants only
        cur.execute(f"""
INSERT INTO orgs_company (id, name, corporate_number, prefecture, municipality, industry,
  employees, capital_yen, fiscal_year_start_month, is_demo, created_at)
SELECT i, 'Bench ' || i, '',
  CASE i % 3 WHEN 0 THEN '16' WHEN 1 THEN '17' ELSE '18' END, '',
  CASE i % 6 WHEN 0 THEN 'E' WHEN 1 THEN 'D' WHEN 2 THEN 'I2' WHEN 3 THEN 'M' WHEN 4 THEN 'H'
    ELSE 'R' END,
  5 + (i * 7) % 290, 10000000, 4, {"false" if pg else "0"}, {now}
FROM bench_seq""")  # noqa: S608
        cur.execute(f"""
INSERT INTO orgs_facility (id, company_id, name, prefecture, municipality, kind, floor_area_m2,
  created_at)
SELECT i, i, 'Factory', '16', '', 'factory', 200 + (i * 13) % 5000, {now} FROM bench_seq""")  # noqa: S608
        cur.execute(f"""
INSERT INTO measure_supplycontract (facility_id, kind, supplier_reg, supplier_name, menu,
  valid_from, created_at)
SELECT i, 'electricity', 'A0271', '北陸電力(株)', '', '2010-04-01', {now} FROM bench_seq""")  # noqa: S608
        cur.execute(f"""
INSERT INTO orgs_consent (company_id, office_id, scope, valid_until, granted_at, revoked_at)
SELECT i, {office_id}, 'read', NULL, {now}, NULL FROM bench_seq""")  # noqa: S608
        # the 36 months and the 5 energies as small tables, then one cross join
        cur.execute("CREATE TABLE bench_month (m DATE, k INTEGER)")
        months = []
        for fy in FISCAL_YEARS:
            for k in range(12):
                y, m = (fy, 4 + k) if k < 9 else (fy + 1, k - 8)
                months.append((f"{y:04d}-{m:02d}-01", k))
        cur.executemany("INSERT INTO bench_month (m, k) VALUES (%s, %s)", months)
        cur.execute("CREATE TABLE bench_energy (code VARCHAR(40), unit VARCHAR(10), base INTEGER)")
        cur.executemany("INSERT INTO bench_energy VALUES (%s, %s, %s)", ENERGIES)
        cur.execute(f"""
INSERT INTO measure_energyrecord (facility_id, month, energy, amount, unit, cost_yen, supplier,
  menu, use, updated_at)
SELECT s.i, bm.m, be.code, be.base * (1 + ((s.i * 31 + bm.k * 7) % 50) / 100.0), be.unit, NULL,
  '', '', '', {now}
FROM bench_seq s CROSS JOIN bench_month bm CROSS JOIN bench_energy be""")  # noqa: S608
        if pg:
            cur.execute("ANALYZE")
            cur.execute("SELECT setval(pg_get_serial_sequence('orgs_company','id'), %s)", [n + 10])
            cur.execute("SELECT setval(pg_get_serial_sequence('orgs_facility','id'), %s)", [n + 10])
        else:
            cur.execute("ANALYZE")
    return time.perf_counter() - t


def _factor_table(connection) -> None:
    """The baseline's factor table: t-CO2 per unit for every (fiscal year, energy), from the
    core (electricity with the contract's supplier)."""
    from decimal import Decimal

    from cnnavi.core import FactorError, Record, calculate_record

    rows = []
    for fy in (FISCAL_YEARS[0] - 1, *FISCAL_YEARS):
        for code, unit, _base in ENERGIES:
            sup = "A0271" if code == "electricity" else ""
            try:
                r = calculate_record(Record(f"{fy}-04", code, Decimal(1), unit, supplier=sup),
                                     fiscal_year=fy, accept_default=True)  # fmt: skip
            except (FactorError, ValueError):  # a year without factors has no row (as ours)
                continue
            rows.append((fy, code, float(r.tco2)))
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE bench_factor (fy INTEGER, energy VARCHAR(40), t DOUBLE PRECISION)"
        )
        cur.executemany("INSERT INTO bench_factor VALUES (%s, %s, %s)", rows)


def _baseline(connection, period) -> float:
    """One hand-written aggregate: records x facility x factor table, summed per company and
    bucket (the period and the same months a year before) in the database."""
    from cnnavi.outcomes import co2

    p0, p1, c0, c1 = co2._bounds(period)
    fy_sql, fy_params = co2._fy_case(p0, c1)
    mp = co2._month_param
    sql = f"""
SELECT f.company_id, CASE WHEN r.month >= %s THEN 1 ELSE 0 END AS cur, SUM(r.amount * bf.t)
FROM measure_energyrecord r
JOIN orgs_facility f ON f.id = r.facility_id
JOIN bench_factor bf ON bf.energy = r.energy AND bf.fy = ({fy_sql})
WHERE (r.month >= %s AND r.month < %s) OR (r.month >= %s AND r.month < %s)
GROUP BY f.company_id, cur"""  # noqa: S608
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql, [mp(c0), *fy_params, mp(p0), mp(p1), mp(c0), mp(c1)])
        rows = cur.fetchall()
    elapsed = time.perf_counter() - t
    assert len(rows) == 2 * COMPANIES, len(rows)
    return elapsed


def _median(fn, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _one(db: str) -> list[dict]:
    connection = _setup(db)
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from cnnavi.orgs.models import OfficeStaff, SupportOffice
    from cnnavi.outcomes import co2, rules, selectors
    from cnnavi.testing import make_user

    office = SupportOffice.objects.create(name="Bench office", prefectures=["16", "17", "18"])
    staff = make_user("bench-staff@example.com", totp=True)
    OfficeStaff.objects.create(office=office, user=staff)
    gen = _generate(connection, office.pk)
    print(f"  [{db}] generated {COMPANIES * 180:,} records in {gen:.1f} s", flush=True)
    _factor_table(connection)
    period = rules.period_of("fy", 2026)

    table = co2.compute(period)  # warm the factor book and the database's caches
    assert len(table.company) == COMPANIES, len(table.company)
    assert int(table.complete_cur().sum()) == COMPANIES
    _baseline(connection, period)
    base = statistics.median(_baseline(connection, period) for _ in range(5))
    ours = _median(lambda: co2.compute(period), 5)

    def report_cold_once():
        cache.clear()  # the CO2 table too: everything computed
        selectors.report(office=office, period=period, filters=selectors.Filters())

    report_cold = _median(report_cold_once, 3)

    client = Client()
    client.force_login(staff)
    url = reverse("outcomes_staff:index") + "?period=fy&fiscal_year=2026"
    trivial = reverse("measure:supplier_search")
    cache.clear()

    def page(u):
        def get():
            response = client.get(u)
            assert response.status_code == 200, response.status_code

        return get

    page(url)()  # computes and caches
    page(trivial)()
    page_ms = _median(page(url), REQUESTS) * 1000
    trivial_ms = _median(page(trivial), REQUESTS) * 1000
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    return [
        {"name": f"outcomes page (cached) [{db}]", "value": page_ms, "unit": "ms",
         "baseline": trivial_ms, "ratio": page_ms / trivial_ms, "goal": f"<= {GOAL_PAGE}x"},
        {"name": f"outcomes cold CO2 figures [{db}]", "value": ours * 1000, "unit": "ms",
         "baseline": base * 1000, "ratio": ours / base, "goal": f"<= {GOAL_COLD}x"},
        {"name": f"outcomes report cold [{db}]", "value": report_cold * 1000, "unit": "ms",
         "baseline": base * 1000, "ratio": report_cold / base},
        {"name": f"outcomes peak memory [{db}]", "value": peak_mib, "unit": "MiB",
         "baseline": 1024.0, "ratio": peak_mib / 1024, "goal": "< 1 GiB"},
    ]  # fmt: skip


def _pg_reachable() -> bool:
    try:
        import psycopg

        base = PG_URL.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(base, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - no server: the PostgreSQL half is skipped
        return False


def run() -> list[dict]:
    """Each database in a subprocess of its own (Django settings are per process)."""
    out = []
    dbs = ["sqlite"] + (["postgresql"] if _pg_reachable() else [])
    for db in dbs:
        proc = subprocess.run(
            [sys.executable, __file__, db],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")},
            check=False,
        )
        sys.stdout.write(proc.stderr[-2000:] if proc.returncode else "")
        for line in proc.stdout.splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
            else:
                print(line, flush=True)
        if proc.returncode:
            raise RuntimeError(f"bench_outcomes [{db}] failed")
    return out


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("sqlite", "postgresql"):
        for row in _one(sys.argv[1]):
            print(json.dumps(row, ensure_ascii=False), flush=True)
    else:
        for row in run():
            print(row)
