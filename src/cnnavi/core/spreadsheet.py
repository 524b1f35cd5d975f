"""The one formula-safe writer for every spreadsheet cell and CSV field the project writes
(OWASP "CSV injection"). Pure: no Django.

A text starting with = + - @ tab or CR would run as a formula when a spreadsheet opens the file
(a supplier named "@SUM(1+1)", a use "=HYPERLINK(...)"): it gets a leading apostrophe. Numbers,
dates and booleans stay what they are (a negative number is a number, not a formula).
"""

import csv
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN = (bool, int, float, Decimal)


def spreadsheet_safe(value) -> str:
    """A CSV field: text starting with = + - @ tab or CR gets a leading apostrophe; None is
    empty; a number is its digits."""
    if value is None:
        return ""
    if isinstance(value, _PLAIN):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value):
    """An XLSX cell: numbers, dates and None kept as values, anything else as safe text."""
    if value is None or isinstance(value, (*_PLAIN, date, datetime, time)):
        return value
    return spreadsheet_safe(value)


def safe_row(values: Iterable) -> list[str]:
    return [spreadsheet_safe(v) for v in values]


def safe_cells(values: Iterable) -> list:
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """csv.writer whose every field goes through spreadsheet_safe."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, values: Iterable):
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **kwargs)


def append_row(worksheet, values: Iterable) -> None:
    """worksheet.append for openpyxl, every cell through safe_cell."""
    worksheet.append(safe_cells(values))
