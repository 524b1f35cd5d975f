"""CN Navi calculation core: energy use -> CO2, as Japan's SHK system and the 省エネ法 prescribe.

Framework-free (no Django). Public API, documented in docs/core.md:

* records: ``read_rows``, ``read_file``, ``read_table``, ``Record``, ``RowError``, ``ReadResult``
* one pass over an input: ``check_rows``, ``check_records``, ``calculation_errors``
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
    calculation_errors,
    error_column,
)
from .checks import check_records, check_rows
from .energies import (
    Energy,
    EnergyError,
    bill_unit,
    energy_catalogue,
    find_energy,
    get_energy,
)
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
from .periods import fiscal_year_of
from .records import (
    ReadResult,
    Record,
    RowError,
    read_file,
    read_rows,
    read_table,
)
from .units import UNITS, Unit, UnitError, convert, parse_unit
from .wide import is_months_layout, parse_fiscal_year

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
    "bill_unit",
    "calculate",
    "calculate_record",
    "calculation_errors",
    "check_records",
    "check_rows",
    "convert",
    "energy_catalogue",
    "error_column",
    "factor_book",
    "find_energy",
    "fiscal_year_of",
    "get_energy",
    "is_months_layout",
    "parse_fiscal_year",
    "parse_unit",
    "read_file",
    "read_rows",
    "read_table",
    "search_suppliers",
]

_LAZY = {"BatchError", "BatchResult", "batch_calculate"}


def __getattr__(name: str):
    """The batch API (numpy) is imported on first use, not by every web worker at start-up."""
    if name in _LAZY:
        from . import batch

        return getattr(batch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
