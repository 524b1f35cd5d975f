"""Cost of the formula-injection guard in the participant CSV export.

Writes the same 200,000 participant rows with ``rules.safe_row`` (ours) and with plain
``csv.writer`` (baseline) in the same process; the ratio is our throughput over the baseline's
(higher is better; 1.0 means the guard is free). Run: ``PYTHONPATH=src python
benchmarks/bench_programmes.py``.
"""

from __future__ import annotations

import csv
import io
import json
import time

N = 200_000
REPEAT = 3
NAMES = ["富山 太郎", '=HYPERLINK("x")', "+81 76", "越前フーズ株式会社", "@cmd", "-1"]


def _rows(n: int = N) -> list[list]:
    return [
        [i, "申込確定", "", NAMES[i % len(NAMES)], "北陸精密工業株式会社", "企業の方",
         f"user{i}@example.com", "076-000-0000", "2026-11-24 10:00", "", "未発行", "", "未入金"]
        for i in range(n)
    ]  # fmt: skip


def _time(rows, transform) -> float:
    best = float("inf")
    for _ in range(REPEAT):
        out = io.StringIO()
        writer = csv.writer(out)
        t = time.perf_counter()
        for row in rows:
            writer.writerow(transform(row))
        best = min(best, time.perf_counter() - t)
    return best


def run() -> list[dict]:
    from cnnavi.programmes.rules import safe_row

    rows = _rows()
    ours = _time(rows, safe_row)
    baseline = _time(rows, lambda row: row)
    return [
        {
            "name": "programmes_csv_export_rows_per_s",
            "value": N / ours,
            "unit": "rows/s",
            "baseline": N / baseline,
            "ratio": baseline / ours,
        }
    ]


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
