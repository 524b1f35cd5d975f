"""CN Navi calculation core: energy use -> CO2, as Japan's SHK system and the 省エネ法 prescribe.

Framework-free (no Django). Public API, documented in docs/core.md:

* records: ``read_rows``, ``read_file``, ``Record``, ``RowError``, ``ReadResult``
* calculation: ``calculate``, ``calculate_record``, ``FiscalYearResult``, ``RecordResult``,
  ``CalculationError``
* factors: ``search_suppliers``, ``factor_book``, ``FactorUsed``, ``Source``, ``FactorError``
* catalogue: ``energy_catalogue``, ``find_energy``, ``get_energy``, ``Energy``, ``UNITS``
* batch: ``batch_calculate``, ``BatchResult``, ``BatchError``
* errors: ``CoreError`` (``code``, ``params``), ``InputError``; ``RowError.code``/``params``
* warnings: ``CoreNote`` (``code``, ``params``, ``text``): ``RecordResult.notes``,
  ``FiscalYearResult.notes`` (with counts), ``BatchResult.notes``
"""

from .calc import (
    CalculationError,
    FiscalYearResult,
    GroupTotal,
    RecordResult,
    Thresholds,
    calculate,
    calculate_record,
    error_column,
)
from .energies import Energy, EnergyError, energy_catalogue, find_energy, get_energy
from .errors import CoreError, InputError
from .factors import (
    FactorError,
    FactorUsed,
    Source,
    SupplierInfo,
    factor_book,
    search_suppliers,
)
from .notes import CoreNote
from .records import ReadResult, Record, RowError, fiscal_year_of, read_file, read_rows
from .units import UNITS, Unit, UnitError, convert, parse_unit

__all__ = [
    "UNITS",
    "BatchError",
    "BatchResult",
    "CalculationError",
    "CoreError",
    "CoreNote",
    "Energy",
    "EnergyError",
    "FactorError",
    "FactorUsed",
    "FiscalYearResult",
    "GroupTotal",
    "InputError",
    "ReadResult",
    "Record",
    "RecordResult",
    "RowError",
    "Source",
    "SupplierInfo",
    "Thresholds",
    "Unit",
    "UnitError",
    "batch_calculate",
    "calculate",
    "calculate_record",
    "convert",
    "energy_catalogue",
    "error_column",
    "factor_book",
    "find_energy",
    "fiscal_year_of",
    "get_energy",
    "parse_unit",
    "read_file",
    "read_rows",
    "search_suppliers",
]

_LAZY = {"BatchError", "BatchResult", "batch_calculate"}


def __getattr__(name: str):
    """The batch API (numpy) is imported on first use, not by every web worker at start-up."""
    if name in _LAZY:
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
