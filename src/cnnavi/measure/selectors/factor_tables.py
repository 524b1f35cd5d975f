"""A year's official supplier table (electricity, gas or heat; the official PDF or its text) as
office staff upload it: read by the core (``cnnavi.core.tables``, the same reader as ``cnnavi
factors import-*``) and compared with what the core holds now (a read;
``services.factor_table_confirm`` installs it with ``install_table``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from cnnavi.core import factor_book
from cnnavi.core.factors import DATA_DIR, SupplierMenu
from cnnavi.core.tables import (
    SupplierChange,
    TableImport,
    TableImportError,
    TablePreview,
    preview_table,
    read_table_file,
)
from cnnavi.measure.models import FactorTableUpload, ImportStatus

PREVIEW_CHANGES = 200
KINDS = ("electricity", "gas", "heat")

# Where tables are read from and installed: the core's package data (None), as ``cnnavi
# factors import-*`` does. Tests point it at a copy of the package data.
TABLE_DIR: Path | None = None


class TableError(ValueError):
    """The file is not a table the core can read; ``problems`` names every problem (English,
    as the CLI prints them)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def table_dir() -> Path:
    return Path(TABLE_DIR) if TABLE_DIR is not None else DATA_DIR


def read_table(
    *, kind: str, data: bytes, filename: str = "", results_year: int | None = None
) -> TableImport:
    """The core's reading of the file (``results_year`` None: read from the table's title)."""
    if kind not in KINDS:
        raise TableError([f"unknown table kind {kind!r}"])
    try:
        return read_table_file(kind, data, filename=filename, results_year=results_year)
    except TableImportError as exc:
        raise TableError(list(exc.problems)) from None


def preview(*, table: TableImport) -> TablePreview:
    """What installing the table changes, supplier by supplier (core.tables.preview_table),
    compared with the tables in ``table_dir()``."""
    book = factor_book(str(TABLE_DIR)) if TABLE_DIR is not None else factor_book()
    return preview_table(table, book=book)


@dataclass(frozen=True)
class ChangeRow:
    """One supplier of the preview, its menus before and after as (menu, basic, adjusted)."""

    reg: str
    name: str
    before: list[tuple[str, Decimal, Decimal]]
    after: list[tuple[str, Decimal, Decimal]]


def _menus(menus: tuple[SupplierMenu, ...]) -> list[tuple[str, Decimal, Decimal]]:
    return [(m.menu, m.basic, m.adjusted) for m in menus]


def change_rows(changes: tuple[SupplierChange, ...]) -> list[ChangeRow]:
    return [
        ChangeRow(c.reg, c.name, _menus(c.before), _menus(c.after))
        for c in changes[:PREVIEW_CHANGES]
    ]


def preview_page(upload: FactorTableUpload) -> dict:
    """The preview page of a stored upload: the table read again and what installing it
    changes (a pending upload), or the problems of a file kept from before the reader
    checked it at upload; nothing to preview once the upload is confirmed or discarded."""
    preview_, table, problems = None, None, []
    if upload.status == ImportStatus.PENDING:
        try:
            table = read_table(
                kind=upload.kind,
                data=bytes(upload.data),
                filename=upload.filename,
                results_year=upload.results_year,
            )
        except TableError as exc:
            problems = exc.problems
        else:
            preview_ = preview(table=table)
    return {
        "upload": upload,
        "preview": preview_,
        "table": table,
        "error": bool(problems),
        "problems": problems,
        "added": change_rows(preview_.added) if preview_ else [],
        "changed": change_rows(preview_.changed) if preview_ else [],
        "removed": change_rows(preview_.removed) if preview_ else [],
        "limit": PREVIEW_CHANGES,
    }
