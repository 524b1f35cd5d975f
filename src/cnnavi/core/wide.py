"""The months-as-columns layout: one row per facility, energy and fiscal year, the twelve months
as columns (4月 … 3月), as many SMEs keep their energy use in a spreadsheet::

    事業所, 年度,   エネルギー, 単位, 供給事業者, 4月,  5月,  …, 3月
    本社,   2025,   電気,       kWh,  A0269,     12000, 11800, …, 13100

``read_rows`` / ``read_table`` recognise it by its header (a fiscal-year column 年度 and month
columns, no 年月 column) and give the same records as the row layout (one per filled month
cell; an empty cell is no record; 0 is a record of zero). Each row is read on its own, so one bad
row never hides the others: its errors name the row's line and the column (e.g. ``5月``).
Optional columns of the row layout (supplier, menu, use, 基礎排出係数, 調整後排出係数, 標準熱量)
apply to every month of the row; a cost (金額) column is not read in this layout (costs differ
by month).
"""

from __future__ import annotations

import re
import unicodedata

from .energies import normalise_text
from .errors import InputError
from .records import COLUMNS, ReadResult, RowError, _records_from_rows, _text

__all__ = ["FISCAL_YEAR_HEADERS", "MONTH_COLUMNS", "is_months_layout", "parse_fiscal_year"]

FISCAL_YEAR_HEADERS = ("年度", "fiscal_year", "fiscalyear", "対象年度", "fy", "会計年度")
_FY_KEYS = {normalise_text(h) for h in FISCAL_YEAR_HEADERS}
_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_LONG = ("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december")  # fmt: skip
# fiscal order: April first
MONTH_COLUMNS = tuple(f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3))
_MONTH = re.compile(r"^(\d{1,2})月(?:分)?$")
_FY = re.compile(r"^(?:fy)?(\d{4})(?:年度?)?$")
_FY_REIWA = re.compile(r"^(?:令和|r)(\d{1,2}|元)(?:年度?)?$")
_SKIP = {"cost_yen"}  # not read in this layout


def _month_of(header: object) -> int | None:
    t = normalise_text(_text(header)).rstrip(".")
    if m := _MONTH.match(t):
        n = int(m.group(1))
        return n if 1 <= n <= 12 else None
    if t in _EN:
        return _EN.index(t) + 1
    if t in _EN_LONG:
        return _EN_LONG.index(t) + 1
    return None


def parse_fiscal_year(value: object) -> int:
    """``2025``, ``2025年度``, ``FY2025``, ``令和7年度``, ``R7`` -> 2025."""
    text = unicodedata.normalize("NFKC", _text(value)).strip().lower().replace(" ", "")
    if not text:
        raise InputError("fiscal year is empty", code="input.empty", field="fiscal_year")
    if m := _FY.match(text):
        year = int(m.group(1))
    elif m := _FY_REIWA.match(text):
        year = 2018 + (1 if m.group(1) == "元" else int(m.group(1)))
    else:
        raise InputError(
            f"cannot read fiscal year {_text(value)!r} (write 2025, 2025年度 or 令和7年度)",
            code="input.fiscal_year_unreadable",
            text=_text(value),
        )
    if not 1990 <= year <= 2100:
        raise InputError(f"year {year} is out of range", code="input.year_out_of_range", year=year)
    return year


def is_months_layout(header: list[object]) -> bool:
    keys = [normalise_text(_text(h)) for h in header]
    has_month_column = any(k in {normalise_text(h) for h in COLUMNS["month"]} for k in keys)
    return (
        not has_month_column
        and any(k in _FY_KEYS for k in keys)
        and any(_month_of(h) is not None for h in header)
    )


def read_months_layout(
    rows: list[tuple[int, list[object]]], header_index: int, errors: list[RowError]
) -> ReadResult:
    """Records from a months-as-columns table (``rows[header_index]`` is its header)."""
    header_line, header = rows[header_index]
    fy_col = next(i for i, h in enumerate(header) if normalise_text(_text(h)) in _FY_KEYS)
    months = [(i, m, _text(h)) for i, h in enumerate(header) if (m := _month_of(h)) is not None]
    errs: list[RowError] = list(errors)
    seen: dict[int, str] = {}
    for _, m, name in months:
        if m in seen:
            errs.append(
                RowError.coded(
                    header_line,
                    name,
                    f"a second column for month {m}",
                    "file.duplicate_column",
                    field=name,
                )  # fmt: skip
            )
        seen[m] = name
    # the other columns, with their headers as written: what the row layout reads
    index = {normalise_text(h): key for key, hs in COLUMNS.items() for h in hs}
    fixed = [
        (i, _text(h))
        for i, h in enumerate(header)
        if i != fy_col
        and _month_of(h) is None
        and index.get(normalise_text(_text(h))) not in (None, "month", "amount", *_SKIP)
    ]
    if errs:
        return ReadResult((), tuple(errs))
    long_header: list[object] = [h for _, h in fixed] + ["年月", "使用量"]
    records = []
    for line, row in rows[header_index + 1 :]:
        if not any(_text(v) for v in row):
            continue

        def cell(i: int, row: list[object] = row) -> object:
            return row[i] if i < len(row) else None

        try:
            fy = parse_fiscal_year(cell(fy_col))
        except InputError as exc:
            errs.append(RowError.of(line, _text(header[fy_col]), exc))
            continue
        base = [cell(i) for i, _ in fixed]
        filled = [(m, name, cell(i)) for i, m, name in months if _text(cell(i))]
        if not filled:
            continue
        # the row's own fields once (so a bad energy is one error, not twelve)
        first = f"{fy}-04"
        check = _records_from_rows([(header_line, long_header), (line, [*base, first, 0])], [])
        if check.errors:
            errs.extend(check.errors)
            continue
        for m, name, value in filled:
            month = f"{fy + (1 if m <= 3 else 0):04d}-{m:02d}"
            got = _records_from_rows(
                [(header_line, long_header), (line, [*base, month, value])], []
            )
            errs.extend(
                RowError(
                    e.line, name if e.column == "使用量" else e.column, e.reason, e.code, e.params
                )  # fmt: skip
                for e in got.errors
            )
            records.extend(got.records)
    if not records and not errs:
        errs.append(RowError.coded(0, "", "the file has a header but no data rows", "file.no_data"))
    headers = tuple((index[normalise_text(h)], h) for _, h in fixed)
    return ReadResult(tuple(records), tuple(errs), headers)
