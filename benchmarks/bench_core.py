"""Benchmark of the core's batch API against a hand-written polars join (same data, same run).

``run()`` returns the dicts for benchmarks/out/results.json. Run directly with
``PYTHONPATH=src python benchmarks/bench_core.py`` to print them.
"""

from __future__ import annotations

import json
import time

import numpy as np

N = 1_000_000
REPEAT = 3


def _data(n: int = N, seed: int = 42) -> dict:
    rng = np.random.default_rng(seed)
    energies = ["electricity", "city_gas", "gasoline", "diesel_oil", "kerosene", "heavy_oil_a",
                "lpg"]  # fmt: skip
    units = ["kWh", "m3", "L", "L", "L", "kL", "kg"]
    suppliers = ["", "A0269", "A0064", "A0009", "A0021", "A0003"]
    e = rng.integers(0, len(energies), n)
    s = np.where(e == 0, rng.integers(0, len(suppliers), n), 0)
    return {
        "company": rng.integers(0, 50_000, n),
        "fiscal_year": rng.integers(2025, 2027, n),  # FY2026 exercises the provisional path
        "energy": (e, energies),
        "unit": (e, units),  # each energy's unit
        "supplier": (s, suppliers),
        "amount": rng.random(n) * 1000.0,
    }


def _ours(d: dict) -> float:
    from cnnavi.core import batch_calculate

    t = time.perf_counter()
    batch_calculate(accept_default=True, **d)
    return time.perf_counter() - t


def _baseline(d: dict, coef: np.ndarray) -> float | None:
    """polars: join a precomputed factor table on a combination key, multiply, group-sum."""
    try:
        import polars as pl
    except ImportError:
        return None
    e, _ = d["energy"]
    s, _ = d["supplier"]
    df = pl.DataFrame(
        {
            "company": d["company"],
            "fy": d["fiscal_year"],
            "k": (d["fiscal_year"] - 2025) * 100 + e * 10 + s,
            "amount": d["amount"],
        }
    )
    factors = pl.DataFrame({"k": np.arange(len(coef)), "f": coef})
    t = time.perf_counter()
    (
        df.join(factors, on="k", how="left")
        .with_columns((pl.col("amount") * pl.col("f")).alias("t"))
        .group_by(["company", "fy"])
        .agg(pl.col("t").sum())
    )
    return time.perf_counter() - t


def run() -> list[dict]:
    d = _data()
    rng = np.random.default_rng(0)
    coef = rng.random(200)  # the baseline multiplies only; its factor values do not matter
    _ours(d)  # warm the factor tables
    ours = min(_ours(d) for _ in range(REPEAT))
    base = [_baseline(d, coef) for _ in range(REPEAT)]
    ours_rps = N / ours
    results = [
        {
            "name": "core.batch_calculate records/s (1M monthly records, factor resolution incl.)",
            "value": round(ours_rps),
            "unit": "records/s",
            "baseline": None,
            "ratio": None,
        }
    ]
    if base[0] is not None:
        base_rps = N / min(b for b in base if b is not None)
        results[0]["baseline"] = round(base_rps)
        results[0]["ratio"] = round(ours_rps / base_rps, 3)
        results.append(
            {
                "name": "baseline: polars join + multiply + group-sum records/s",
                "value": round(base_rps),
                "unit": "records/s",
                "baseline": None,
                "ratio": None,
            }
        )
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
