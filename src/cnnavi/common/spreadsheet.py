"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV injection"). Pure: no Django."""

from collections.abc import Iterable

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A text starting with = + - @ tab or CR gets a leading apostrophe; None is empty."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def safe_row(values: Iterable) -> list[str]:
    return [spreadsheet_safe(v) for v in values]
