"""Every company's t-CO2 for a period and the same months a year before, at national scale.

One SQL aggregate reads the energy records straight from the database, summed per (company,
period bucket, fiscal year, energy, unit, supplier, menu); a record that names no supplier takes
the contract valid in its month (a range join on the contracts' start months, the same rule as
``measure.rules.contract_for``). ``cnnavi.core.batch_calculate`` then applies the official
factors once per distinct combination and sums per company. The same aggregate keeps a bitmask of
the months with data. Nothing is stored: the result is cached for
``CACHE_SECONDS`` (a saved or imported record shows within a minute). See docs/decisions/1401.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.core.cache import cache
from django.db import connection, transaction

from cnnavi.core import BatchError, batch_calculate, energy_catalogue
from cnnavi.measure.calc import SUPPLY_KIND_OF_ENERGY
from cnnavi.outcomes.rules import Period, add_months, fiscal_year_of

CACHE_SECONDS = 60
_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 13)], dtype=np.int64)


@dataclass
class Co2Table:
    """Per company (ascending id): t-CO2 (温対法, Scope 1 + Scope 2 basic) of the period and of
    the same months a year before, and the months with any record in each."""

    company: np.ndarray
    t_cur: np.ndarray
    t_prev: np.ndarray
    months_cur: np.ndarray
    months_prev: np.ndarray
    uncomputed: np.ndarray  # bool: some records of the period could not be computed
    n_months: int
    problems: list[str] = field(default_factory=list)
    uncomputed_prev: np.ndarray | None = None  # the same for the months a year before

    def complete_cur(self) -> np.ndarray:
        """Every month recorded and every record computed: the period's total is whole."""
        return (self.months_cur >= self.n_months) & ~self.uncomputed

    def complete_prev(self) -> np.ndarray:
        prev_bad = self.uncomputed_prev if self.uncomputed_prev is not None else False
        return (self.months_prev >= self.n_months) & ~prev_bad


def _kind_case() -> tuple[str, list[str]]:
    """SQL: the supply kind of the record's energy (electricity / gas / heat), else NULL."""
    parts, params = [], []
    for e in energy_catalogue():
        kind = SUPPLY_KIND_OF_ENERGY.get(e.kind)
        if kind:
            parts.append("WHEN r.energy = %s THEN %s")
            params += [e.code, kind]
    return "CASE " + " ".join(parts) + " END", params


def _month_param(day):
    return day if connection.vendor == "postgresql" else day.isoformat()


def _bounds(period: Period):
    first = period.months[0]
    last = period.months[-1]
    prev = Period(period.kind, add_months(first, -12), add_months(last, -12))
    return prev.start, add_months(prev.end, 1), first, add_months(last, 1)


def _fy_case(start, end) -> tuple[str, list]:
    parts, params = [], []
    for fy in range(fiscal_year_of(start), fiscal_year_of(end) + 1):
        parts.append("WHEN r.month >= %s AND r.month < %s THEN %s")
        params += [_month_param(date(fy, 4, 1)), _month_param(date(fy + 1, 4, 1)), fy]
    return "CASE " + " ".join(parts) + " END", params


def sum_sql(period: Period) -> tuple[str, list]:
    """The aggregate over the records (company, bucket, fiscal year, combination)."""
    p0, p1, c0, c1 = _bounds(period)
    kind_sql, kind_params = _kind_case()
    fy_sql, fy_params = _fy_case(p0, c1)
    if connection.vendor == "postgresql":
        real = "DOUBLE PRECISION"
        # a bitmask of the months with data (bit 1..12): a plain aggregate, hashable
        months = "BIT_OR(1 << CAST(EXTRACT(MONTH FROM r.month) AS INTEGER))"
    else:
        real = "REAL"
        months = "SUM(DISTINCT 1 << CAST(strftime('%%m', r.month) AS INTEGER))"
    sql = f"""
WITH c AS (
  SELECT facility_id, kind, valid_from, supplier_reg, menu,
         LEAD(valid_from) OVER (PARTITION BY facility_id, kind ORDER BY valid_from) AS valid_to
  FROM measure_supplycontract
)
SELECT f.company_id,
       CASE WHEN r.month >= %s THEN 1 ELSE 0 END AS cur,
       {fy_sql} AS fy,
       r.energy, r.unit,
       CASE WHEN r.supplier = '' THEN COALESCE(c.supplier_reg, '') ELSE r.supplier END AS sup,
       CASE WHEN r.supplier = '' AND r.menu = '' THEN COALESCE(c.menu, '') ELSE r.menu END AS men,
       CAST(SUM(r.amount) AS {real}) AS amount, {months} AS months
FROM measure_energyrecord r
JOIN orgs_facility f ON f.id = r.facility_id
LEFT JOIN c ON r.supplier = '' AND c.facility_id = r.facility_id AND c.kind = {kind_sql}
     AND c.valid_from <= r.month AND (c.valid_to IS NULL OR r.month < c.valid_to)
WHERE (r.month >= %s AND r.month < %s) OR (r.month >= %s AND r.month < %s)
GROUP BY f.company_id, cur, fy, r.energy, r.unit, sup, men
"""  # noqa: S608 - only generated placeholders, every value is a parameter
    params = [_month_param(c0), *fy_params, *kind_params,
              *(_month_param(d) for d in (p0, p1, c0, c1))]  # fmt: skip
    return sql, params


def _batch(company, fy, energy, amount, unit, supplier, menu):
    """``batch_calculate``; combinations it cannot compute are left out and named."""
    try:
        return batch_calculate(company=company, fiscal_year=fy, energy=energy, amount=amount,
                               unit=unit, supplier=supplier, menu=menu,
                               accept_default=True), np.zeros(0, np.int64), []  # fmt: skip
    except BatchError as exc:
        bad = np.zeros(len(amount), dtype=bool)
        for combo, _reason, _n in exc.problems:
            bad |= (
                (fy == combo["fiscal_year"])
                & (energy == combo["energy"])
                & (unit == combo["unit"])
                & (supplier == combo["supplier"])
                & (menu == combo["menu"])
            )
        ok = ~bad
        result = batch_calculate(
            company=company[ok], fiscal_year=fy[ok], energy=energy[ok], amount=amount[ok],
            unit=unit[ok], supplier=supplier[ok], menu=menu[ok], accept_default=True,
        )  # fmt: skip
        return result, np.unique(company[bad]), [f"{c} ({n}): {r}" for c, r, n in exc.problems]


def compute(period: Period) -> Co2Table:
    """The table computed now (no cache)."""
    n_months = len(period.months)
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":  # one analytic query: let it group in memory
            cur.execute("SET LOCAL work_mem = '128MB'")
        cur.execute(*sum_sql(period))
        rows = cur.fetchall()
    if not rows:
        empty = np.zeros(0, np.int64)
        none = np.zeros(0, bool)
        return Co2Table(empty, np.zeros(0), np.zeros(0), empty, empty, none, n_months, [], none)
    comp, bucket, fy, energy, unit, supplier, menu, amount, months = zip(*rows, strict=True)
    key = np.asarray(comp, dtype=np.int64) * 2 + np.asarray(bucket, dtype=np.int64)
    energy = np.asarray(energy, dtype=object)
    result, bad_keys, problems = _batch(
        key,
        np.asarray(fy, dtype=np.int64),
        energy,
        np.asarray(amount, dtype=np.float64),
        np.asarray(unit, dtype=object),
        np.asarray(supplier, dtype=object),
        np.asarray(menu, dtype=object),
    )
    t = result.scope1_t + result.scope2_basic_t
    companies = np.unique(key // 2)
    n = len(companies)
    t_cur, t_prev = np.zeros(n), np.zeros(n)
    pos = np.searchsorted(companies, result.company // 2)
    is_cur = (result.company % 2) == 1
    np.add.at(t_cur, pos[is_cur], t[is_cur])
    np.add.at(t_prev, pos[~is_cur], t[~is_cur])
    # months with data: the months' bitmasks OR-ed over a company's splits (facilities, fiscal
    # years, suppliers) per energy, then the best-covered energy of each bucket
    e_uniq, e_codes = np.unique(energy.astype(str), return_inverse=True)
    ke = key * len(e_uniq) + e_codes
    ke_uniq, ke_inv = np.unique(ke, return_inverse=True)
    masks = np.zeros(len(ke_uniq), dtype=np.int64)
    np.bitwise_or.at(masks, ke_inv, np.asarray(months, dtype=np.int64))
    per_energy = _POPCOUNT[masks & 0x1FFE]
    k_of = ke_uniq // len(e_uniq)
    best = np.zeros(2 * n, dtype=np.int64)
    slot = np.searchsorted(companies, k_of // 2) * 2 + (k_of % 2)
    np.maximum.at(best, slot, per_energy)
    bad = np.zeros(2 * n, dtype=bool)
    if len(bad_keys):
        bad[np.searchsorted(companies, bad_keys // 2) * 2 + bad_keys % 2] = True
    return Co2Table(companies, t_cur, t_prev, best[1::2], best[0::2], bad[1::2], n_months,
                    problems, bad[0::2])  # fmt: skip


def co2_table(period: Period) -> Co2Table:
    """The table, cached for ``CACHE_SECONDS`` per period."""
    key = f"outcomes:co2:{period.start}:{period.end}"
    table = cache.get(key)
    if table is None:
        table = compute(period)
        cache.set(key, table, CACHE_SECONDS)
    return table
