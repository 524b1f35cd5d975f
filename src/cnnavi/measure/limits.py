"""Limits an uploaded energy file must meet before anything parses it (docs/decisions/1005).

Checked on the bytes alone: the size, the number of lines of a CSV, and for an XLSX the sizes
its ZIP directory declares (zipfile refuses to inflate a member past its declared size) and the
first sheet's declared dimensions. Each refusal names the limit. No Django here.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024  # the file as uploaded
MAX_ROWS = 100_000  # data rows (CSV lines or sheet rows, header excluded)
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024  # all members of the XLSX, inflated
MAX_XLSX_RATIO = 100  # inflated size / compressed size of any member
MAX_COLUMNS = 50

_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]+(\d+)(?::([A-Z]+)(\d+))?"')


@dataclass(frozen=True)
class LimitExceeded(Exception):
    limit: str  # bytes, rows, xlsx_uncompressed, xlsx_ratio, columns, xlsx
    message: str  # English, naming the limit

    def __str__(self) -> str:
        return self.message


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def check_size(size: int, *, max_bytes: int | None = None) -> None:
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    if size > max_bytes:
        raise LimitExceeded(
            "bytes",
            f"The file is {size:,} bytes; the limit is {max_bytes:,} bytes "
            f"({max_bytes // (1024 * 1024)} MB).",
        )


def check(data: bytes, filename: str = "", *, max_rows: int | None = None) -> int | None:
    """Raise LimitExceeded if the file is too large to parse; parse nothing. Return the data
    rows counted on the bytes (a CSV's lines, an XLSX's declared dimension; None if an XLSX
    declares none): the total the task worker's progress counts towards."""
    max_rows = MAX_ROWS if max_rows is None else max_rows
    check_size(len(data))
    if data[:2] == b"PK" or filename.lower().endswith((".xlsx", ".xlsm")):
        return _check_xlsx(data, max_rows)
    # A byte scan (about 1 ms for 4.5 MB): no decoding, no CSV parsing.
    rows = max(0, data.count(b"\n") + (0 if data.endswith(b"\n") else 1) - 1)
    if rows > max_rows:
        raise LimitExceeded("rows", f"The file has {rows:,} rows; the limit is {max_rows:,} rows.")
    return rows


def _check_xlsx(data: bytes, max_rows: int) -> int | None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise LimitExceeded("xlsx", "The file is not a readable XLSX (ZIP) file.") from None
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise LimitExceeded(
            "xlsx_uncompressed",
            f"The XLSX unpacks to {total:,} bytes; the limit is {MAX_XLSX_UNCOMPRESSED:,} bytes.",
        )
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1):
            raise LimitExceeded(
                "xlsx_ratio",
                f"The XLSX member {m.filename} unpacks {m.file_size // max(m.compress_size, 1):,} "
                f"times its size; the limit is {MAX_XLSX_RATIO} times.",
            )
    sheets = sorted(
        (m for m in members if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", m.filename)),
        key=lambda m: int(re.sub(r"\D", "", m.filename) or 0),
    )
    if not sheets:
        return None
    with zf.open(sheets[0]) as f:
        head = f.read(4096)
    found = _DIMENSION.search(head)
    if not found:
        return None
    last_row = int(found.group(3) or found.group(1))
    if last_row - 1 > max_rows:
        raise LimitExceeded(
            "rows", f"The sheet has {last_row - 1:,} rows; the limit is {max_rows:,} rows."
        )
    if found.group(2) and _column_number(found.group(2).decode()) > MAX_COLUMNS:
        raise LimitExceeded(
            "columns", f"The sheet has more than {MAX_COLUMNS} columns; the limit is {MAX_COLUMNS}."
        )
    return max(0, last_row - 1)
