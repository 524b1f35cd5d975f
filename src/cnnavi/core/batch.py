"""Vectorised batch API: many companies' fiscal years at once (columns in, columns out).

Every distinct (fiscal year, energy, unit, supplier, menu) combination is resolved once through
the same rules as ``calculate_record`` (so provenance, provisional years and errors are the
same); its per-unit coefficients are then broadcast over the rows with numpy and summed per
(company, fiscal year). Float64 inside: this API is for statistics, not for a company's report
(use ``calculate`` for that, which keeps Decimal).

String columns may be given as arrays of strings, or already factorised as ``(codes,
categories)`` (integer codes into a list of strings), which is what a database or a dataframe
hands over cheaply and is much faster for millions of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from .calc import calculate_record
from .energies import get_energy
from .factors import FactorBook, FactorError, factor_book
from .notes import CoreNote
from .records import Record

# the record warnings a batch keeps (the others concern single records: LPG rates, defaults)
_BATCH_NOTES = frozenset(
    {
        "note.provisional_factors",
        "note.estimated_factors",
        "note.heat_value_unconfirmed",
        "note.heat_not_in_energy",
    }
)

__all__ = ["BatchError", "BatchResult", "Column", "batch_calculate"]

Column = np.ndarray | Sequence[str] | tuple[np.ndarray, Sequence[str]]
_OUT = ("scope1_t", "scope2_basic_t", "scope2_adjusted_t", "scope2_location_t",
        "scope2_market_t", "energy_gj", "crude_oil_kl")  # fmt: skip


class BatchError(ValueError):
    """Some combinations cannot be computed; ``problems`` lists (combination, reason, rows)."""

    def __init__(self, problems: list[tuple[dict, str, int]]):
        self.problems = problems
        super().__init__("; ".join(f"{c} ({n} rows): {reason}" for c, reason, n in problems[:5]))


@dataclass(frozen=True)
class BatchResult:
    """One row per (company, fiscal year), ascending. All arrays have the same length."""

    company: np.ndarray
    fiscal_year: np.ndarray
    scope1_t: np.ndarray
    scope2_basic_t: np.ndarray
    scope2_adjusted_t: np.ndarray
    scope2_location_t: np.ndarray
    scope2_market_t: np.ndarray
    energy_gj: np.ndarray
    crude_oil_kl: np.ndarray
    provisional: np.ndarray  # bool: any factor applied provisionally
    records: np.ndarray  # number of input rows
    warnings: tuple[str, ...] = ()  # English
    notes: tuple[CoreNote, ...] = ()  # the same with codes and parameters
    estimated: np.ndarray | None = None  # bool: any factor estimated (推計; only with estimate)

    def __len__(self) -> int:
        return len(self.company)

    def to_columns(self) -> dict[str, np.ndarray]:
        cols = {
            k: getattr(self, k) for k in ("company", "fiscal_year", *_OUT, "provisional", "records")
        }
        cols["estimated"] = (
            self.estimated if self.estimated is not None else np.zeros(len(self), dtype=bool)
        )
        return cols


def _factorise(col: Column | None, n: int) -> tuple[np.ndarray, list[str]]:
    if col is None:
        return np.zeros(n, dtype=np.int64), [""]
    if isinstance(col, tuple) and len(col) == 2:
        codes, cats = col
        codes = np.asarray(codes, dtype=np.int64)
        if len(codes) != n:
            raise ValueError("column length differs from the amount column")
        return codes, [str(c) for c in cats]
    arr = np.asarray(col)
    if arr.dtype == object:
        arr = arr.astype(str)
    if len(arr) != n:
        raise ValueError("column length differs from the amount column")
    cats, codes = np.unique(arr, return_inverse=True)
    return codes.astype(np.int64), [str(c) for c in cats]


_DENSE_LIMIT = 1 << 24


def _dense_unique(key: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(key, return_inverse=True)`` for keys in ``[0, space)``, in O(n)."""
    if space > _DENSE_LIMIT or space > 8 * len(key):
        uniq, inv = np.unique(key, return_inverse=True)
        return uniq, inv.astype(np.int64)
    seen = np.zeros(space, dtype=bool)
    seen[key] = True
    uniq = np.flatnonzero(seen)
    remap = np.cumsum(seen, dtype=np.int64) - 1
    return uniq, remap[key]


def batch_calculate(
    *,
    company: np.ndarray | Sequence[int],
    fiscal_year: np.ndarray | Sequence[int],
    energy: Column,
    amount: np.ndarray | Sequence[float],
    unit: Column,
    supplier: Column | None = None,
    menu: Column | None = None,
    accept_default: bool = False,
    book: FactorBook | None = None,
    estimate: bool = False,
) -> BatchResult:
    """Totals per (company, fiscal year) for many rows at once.

    ``company`` integer ids; ``fiscal_year`` integers; ``energy`` energy codes (see
    ``energy_catalogue``); ``amount`` in ``unit`` (unit codes); ``supplier``/``menu`` as in the
    CLI (empty string = none). Raises ``BatchError`` naming every combination that cannot be
    computed (unknown supplier without ``accept_default``, year not available, ...).
    ``estimate`` as in ``calculate``: rows whose factors were estimated (推計) from another
    year's table are marked in ``estimated``.
    """
    book = book or factor_book()
    amt = np.asarray(amount, dtype=np.float64)
    n = len(amt)
    comp = np.asarray(company, dtype=np.int64)
    fy = np.asarray(fiscal_year, dtype=np.int64)
    if len(comp) != n or len(fy) != n:
        raise ValueError("company, fiscal_year and amount must have the same length")
    if n == 0:
        empty = np.zeros(0)
        return BatchResult(
            np.zeros(0, np.int64), np.zeros(0, np.int64), *([empty] * 7),
            np.zeros(0, bool), np.zeros(0, np.int64),
        )  # fmt: skip
    e_codes, e_cats = _factorise(energy, n)
    u_codes, u_cats = _factorise(unit, n)
    s_codes, s_cats = _factorise(supplier, n)
    m_codes, m_cats = _factorise(menu, n)
    fy_min = int(fy.min())
    fy_codes = fy - fy_min
    n_fy = int(fy.max()) - fy_min + 1
    # one int64 key per combination, then resolve each distinct key once
    key = fy_codes
    space = n_fy
    for codes, size in (
        (e_codes, len(e_cats)),
        (u_codes, len(u_cats)),
        (s_codes, len(s_cats)),
        (m_codes, len(m_cats)),
    ):
        key = key * size + codes
        space *= size
    uniq, inverse = _dense_unique(key, space)
    coef = np.zeros((len(uniq), 7), dtype=np.float64)
    prov = np.zeros(len(uniq), dtype=bool)
    est = np.zeros(len(uniq), dtype=bool)
    problems: list[tuple[dict, str, int]] = []
    counts = None
    notes: set[CoreNote] = set()
    for i, k in enumerate(uniq.tolist()):
        k, m = divmod(k, len(m_cats))
        k, s = divmod(k, len(s_cats))
        k, u = divmod(k, len(u_cats))
        f, e = divmod(k, len(e_cats))
        year = fy_min + f
        combo = {"fiscal_year": year, "energy": e_cats[e], "unit": u_cats[u],
                 "supplier": s_cats[s], "menu": m_cats[m]}  # fmt: skip
        try:
            en = get_energy(e_cats[e])
            rec = Record(f"{year}-04", en.code, Decimal(1), u_cats[u],
                         supplier=s_cats[s], menu=m_cats[m])  # fmt: skip
            r = calculate_record(
                rec, fiscal_year=year, accept_default=accept_default, book=book, estimate=estimate
            )
        except (FactorError, ValueError, KeyError) as exc:
            if counts is None:
                counts = np.bincount(inverse, minlength=len(uniq))
            problems.append((combo, str(exc), int(counts[i])))
            continue
        s1 = r.scope == 1
        coef[i] = (
            float(r.tco2) if s1 else 0.0,
            0.0 if s1 else float(r.tco2),
            0.0 if s1 else float(r.tco2_adjusted),
            0.0 if s1 else float(r.tco2_location),
            0.0 if s1 else float(r.tco2_market),
            float(r.energy_gj) if r.energy_gj is not None else 0.0,
            float(r.crude_oil_kl) if r.crude_oil_kl is not None else 0.0,
        )
        prov[i] = r.provisional
        est[i] = r.estimated
        notes.update(n for n in r.notes if n.code in _BATCH_NOTES)
    if problems:
        raise BatchError(problems)
    # group by (company, fiscal year): one bincount over (group, combination), then a matmul
    c_min = int(comp.min())
    c_uniq, c_codes = _dense_unique(comp - c_min, int(comp.max()) - c_min + 1)
    c_uniq = c_uniq + c_min
    g_uniq, g_inv = _dense_unique(c_codes * n_fy + fy_codes, len(c_uniq) * n_fy)
    ng, nc = len(g_uniq), len(uniq)
    if ng * nc <= _DENSE_LIMIT:
        per = np.bincount(g_inv * nc + inverse, weights=amt, minlength=ng * nc).reshape(ng, nc)
        cols = list((per @ coef).T)
        hits = np.bincount(g_inv * nc + inverse, minlength=ng * nc).reshape(ng, nc) > 0
        provisional = (hits & prov[None, :]).any(axis=1)
        estimated = (hits & est[None, :]).any(axis=1)
    else:
        cols = [np.bincount(g_inv, weights=amt * coef[inverse, j], minlength=ng) for j in range(7)]
        provisional = np.bincount(g_inv, weights=prov[inverse], minlength=ng) > 0
        estimated = np.bincount(g_inv, weights=est[inverse], minlength=ng) > 0
    nrec = np.bincount(g_inv, minlength=ng)
    return BatchResult(
        c_uniq[g_uniq // n_fy],
        fy_min + g_uniq % n_fy,
        *cols,
        provisional,
        nrec,
        tuple(sorted(n.text for n in notes)),
        tuple(sorted(notes, key=lambda n: n.text)),
        estimated,
    )
