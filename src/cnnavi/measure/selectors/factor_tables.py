"""A year's official supplier table as office staff upload it: parsed and compared with what the
core holds now (a read; ``services.factor_table_confirm`` installs it).

TODO(corenum, issue #17 point 3): corenum's ``cnnavi.core.tables`` (read_table_file,
preview_table, install_table: electricity, gas and heat, text or the official PDF) replaces
the electricity-only parsing below when the branches are merged; the page and the services keep
their shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from cnnavi.core import factor_book
from cnnavi.core.denki import DenkiParseError, DenkiTable, parse_denki_text

PREVIEW_CHANGES = 200


class TableError(ValueError):
    """The file is not a table the importer can read (the reason in English, as the CLI)."""


@dataclass
class TablePreview:
    kind: str
    results_year: int
    emission_year: int
    title: str
    published: str
    suppliers: int
    rows: int
    replaces: bool  # a table for that emission year is installed now
    new: list[tuple[str, str, str, Decimal, Decimal]] = field(default_factory=list)
    changed: list[tuple[str, str, str, Decimal, Decimal, Decimal, Decimal]] = field(
        default_factory=list
    )
    removed: list[tuple[str, str, str]] = field(default_factory=list)
    unchanged: int = 0


def read_table(*, kind: str, data: bytes, results_year: int) -> DenkiTable:
    if kind != "electricity":
        raise TableError(f"{kind} tables cannot be read yet (electricity only)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise TableError("the file is not UTF-8 text (pdftotext -layout output)") from None
    try:
        return parse_denki_text(text, results_year=results_year)
    except DenkiParseError as exc:
        raise TableError(str(exc)) from None


def preview(*, kind: str, table: DenkiTable) -> TablePreview:
    """What installing the table changes, supplier menu by supplier menu."""
    book = factor_book()
    current = book.tables.get(kind, {}).get(table.emission_year)
    out = TablePreview(
        kind=kind,
        results_year=table.results_year,
        emission_year=table.emission_year,
        title=table.title,
        published=table.published,
        suppliers=table.supplier_count,
        rows=len(table.rows),
        replaces=current is not None,
    )
    old: dict[tuple[str, str], tuple[str, Decimal, Decimal]] = {}
    if current is not None:
        for s in current.suppliers.values():
            for m in s.menus:
                old[(s.reg, m.menu)] = (s.name, m.basic, m.adjusted)
    seen = set()
    for r in table.rows:
        key = (r.reg, r.menu)
        seen.add(key)
        before = old.get(key)
        if before is None:
            out.new.append((r.reg, r.name, r.menu, r.basic, r.adjusted))
        elif (before[1], before[2]) != (r.basic, r.adjusted):
            out.changed.append((r.reg, r.name, r.menu, before[1], before[2], r.basic, r.adjusted))
        else:
            out.unchanged += 1
    out.removed = [(reg, v[0], menu) for (reg, menu), v in old.items() if (reg, menu) not in seen]
    return out
