"""One pass over a whole input: the reader's errors and the calculation's errors of every row
together, so that a user fixes a file once (issue #17: a negative amount on one line and an
unknown supplier on another are named at the same time).

``check_rows(data)`` takes file bytes (CSV/XLSX, any layout ``read_rows`` reads) or rows
already split into cells (``read_table``); ``check_records(records)`` takes records built in code.
Both return a ``ReadResult``: the records that can be computed, and every error sorted by line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from .calc import _failures
from .factors import FactorBook
from .records import ReadResult, Record, read_rows, read_table

__all__ = ["check_records", "check_rows"]

RawRows = Sequence[Sequence[object]] | Sequence[Mapping[str, object]]


def _checked(
    read: ReadResult,
    fiscal_year: int | None,
    accept_default: bool,
    book: FactorBook | None,
    estimate: bool,
) -> ReadResult:
    failed = _failures(read.records, fiscal_year, accept_default, book, estimate)
    if not failed:
        return read
    bad = {i for i, _ in failed}
    records = tuple(r for i, r in enumerate(read.records) if i not in bad)
    # a calculation error names its column as the file heads it (供給事業者, not supplier)
    heads = dict(read.headers)
    calc = (dataclasses.replace(e, column=heads.get(e.column, e.column)) for _, e in failed)
    # stable: within a line, the reader's errors first, then the calculation's
    errors = sorted((*read.errors, *calc), key=lambda e: e.line)
    return ReadResult(records, tuple(errors), read.headers)


def check_records(
    records: Iterable[Record],
    *,
    fiscal_year: int | None = None,
    accept_default: bool = False,
    book: FactorBook | None = None,
    estimate: bool = False,
) -> ReadResult:
    """The records that can be computed and every calculation error (sorted by line)."""
    return _checked(ReadResult(tuple(records), ()), fiscal_year, accept_default, book, estimate)


def check_rows(
    data: bytes | RawRows,
    *,
    filename: str = "",
    fiscal_year: int | None = None,
    accept_default: bool = False,
    book: FactorBook | None = None,
    estimate: bool = False,
) -> ReadResult:
    """Read ``data`` (file bytes, or rows as ``read_table`` takes them) and check every row's
    calculation too: ``errors`` holds the parse errors and the calculation errors of all rows
    (sorted by line); ``records`` the rows that are fine. Never raises on bad input."""
    read = read_rows(data, filename=filename) if isinstance(data, bytes) else read_table(data)
    return _checked(read, fiscal_year, accept_default, book, estimate)
