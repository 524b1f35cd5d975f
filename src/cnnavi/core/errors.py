"""Errors the core reports to users: an English message plus a stable code and parameters.

The message (``str(exc)``) is what the CLI prints. ``code`` (e.g. ``factor.year_unavailable``)
and ``params`` (plain ``str``/``int`` values) let another layer say the same thing in its own
words and language; a caller that does not know a code shows the English message. Parameter
names are used consistently: ``energy`` is an energy code, ``unit`` a unit code, ``units`` a
comma-separated list of unit codes, ``kind`` a supplier-table kind (electricity, gas, heat),
``fiscal_year`` a year, ``text`` something as the user wrote it. The codes are listed in
docs/core.md ("Errors").
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["CoreError", "InputError", "Params"]

Params = Mapping[str, str | int]


class CoreError(Exception):
    """Base of the core's user-facing exceptions: ``code`` ("" = none) and ``params``."""

    def __init__(self, message: str = "", *, code: str = "", **params: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, str | int] = dict(params)


class InputError(CoreError, ValueError):
    """A value in the user's input cannot be read (month, number, unit of an energy)."""
