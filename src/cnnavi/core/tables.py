"""Loading a year's official supplier table (electricity, gas, heat): read, preview, install.

The office loads the table the ministries publish each year, as the official PDF or its text
(``pdftotext -layout`` or the transcription TSV of the shared data), through
``cnnavi factors import-electricity|import-gas|import-heat`` or the back office:

    imp = read_table_file("gas", data, filename="r07_gas.pdf")   # TableImport, or raises
    preview = preview_table(imp)                                 # what changes, before writing
    path = install_table(imp)                                    # writes <kind>_fy<N>.tsv

A PDF's text is extracted with pypdf (layout mode). The written file keeps an attribution header
(publisher MOE/METI; processed by CN Navi, and by Japan GX Group where the input came from its
files) and the ``#@`` metadata the factor book reads; ``factor_book()`` is reloaded after writing.

Years: electricity and heat results of FY N apply to emissions of FY N+1; gas results of FY N to
FY N (decision 0100 §3).
"""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .denki import REIWA_OFFSET, DenkiParseError, parse_denki_text, write_denki_tsv
from .factors import (
    DATA_DIR,
    SHK_URL,
    FactorBook,
    Supplier,
    SupplierMenu,
    SupplierTable,
    _load_supplier_table_text,
    factor_book,
)

__all__ = [
    "KINDS",
    "SupplierChange",
    "TableImport",
    "TableImportError",
    "TablePreview",
    "extract_text",
    "install_table",
    "preview_table",
    "read_table_file",
]

KINDS = ("electricity", "gas", "heat")
_UNITS = {"electricity": "t-CO2/kWh", "gas": "t-CO2/千m3", "heat": "t-CO2/GJ"}
_TITLES = {
    "electricity": "電気事業者別排出係数（特定排出者の温室効果ガス排出量算定用）",
    "gas": "ガス事業者別排出係数（特定排出者の温室効果ガス排出量算定用）",
    "heat": "熱供給事業者別排出係数（特定排出者の温室効果ガス排出量算定用）",
}
_LAG = {"electricity": 1, "gas": 0, "heat": 1}  # emission year = results year + lag


class TableImportError(ValueError):
    """The file is not the expected official table; ``problems`` lists what was wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class TableImport:
    """A parsed table, ready to preview and install."""

    kind: str
    table: SupplierTable  # as the factor book will load it
    tsv: str  # the package-data file
    filename: str  # e.g. gas_fy2025.tsv

    @property
    def fiscal_year(self) -> int:
        """The emission year the table is used for."""
        return self.table.fiscal_year

    @property
    def results_year(self) -> int:
        return self.table.results_year

    @property
    def suppliers(self) -> int:
        return len(self.table.suppliers)

    @property
    def rows(self) -> int:
        return sum(len(s.menus) for s in self.table.suppliers.values())


@dataclass(frozen=True, slots=True)
class SupplierChange:
    reg: str
    name: str
    before: tuple[SupplierMenu, ...] = ()  # empty: added
    after: tuple[SupplierMenu, ...] = ()  # empty: removed


@dataclass(frozen=True, slots=True)
class TablePreview:
    """What installing ``TableImport`` would change, compared with ``compared_with``: the table
    of the same year where one is loaded (``replaces``), else the table now used for that year
    (the nearest one), else nothing (every supplier is added)."""

    kind: str
    fiscal_year: int
    results_year: int
    replaces: bool
    compared_with: int | None  # the emission year of the table compared with
    added: tuple[SupplierChange, ...]
    removed: tuple[SupplierChange, ...]
    changed: tuple[SupplierChange, ...]
    unchanged: int
    default_value: tuple[Decimal | None, Decimal | None] = (None, None)  # before, after
    national_average: tuple[Decimal | None, Decimal | None] = (None, None)

    @property
    def changes_anything(self) -> bool:
        return bool(
            not self.replaces
            or self.added
            or self.removed
            or self.changed
            or self.default_value[0] != self.default_value[1]
            or self.national_average[0] != self.national_average[1]
        )


# --------------------------------------------------------------------------- text


def extract_text(data: bytes, *, filename: str = "") -> str:
    """The text of an official table: a PDF's text (pypdf, layout mode, pages separated by form
    feeds), or the bytes decoded as UTF-8 (with or without BOM) or CP932."""
    if data[:5] == b"%PDF-" or filename.lower().endswith(".pdf"):
        import pypdf  # imported here: only loading a table needs it

        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            pages = [p.extract_text(extraction_mode="layout") for p in reader.pages]
        except Exception as exc:  # noqa: BLE001 - any broken PDF is the user's file problem
            raise TableImportError([f"cannot read the PDF: {type(exc).__name__}: {exc}"]) from None
        text = "\f".join(pages)
        if not text.strip():
            raise TableImportError(["the PDF has no text layer (a scanned image?)"])
        return text
    for enc in ("utf-8-sig", "cp932"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise TableImportError(["the file is neither a PDF nor UTF-8 / Shift_JIS (CP932) text"])


def read_table_file(
    kind: str, data: bytes, *, filename: str = "", results_year: int | None = None
) -> TableImport:
    """Parse an official supplier table (PDF or text) of ``kind``; raises ``TableImportError``
    naming every problem. ``results_year`` (the 実績 fiscal year) is read from the title where
    the document states it; given, it must agree."""
    if kind not in KINDS:
        raise TableImportError([f"unknown table kind {kind!r} (one of {', '.join(KINDS)})"])
    text = extract_text(data, filename=filename)
    if kind == "electricity":
        try:
            denki = parse_denki_text(text, results_year=results_year)
        except DenkiParseError as exc:
            raise TableImportError(str(exc).split("; ")) from None
        header = denki.header_lines or _attribution(kind, denki.title, pdf=_is_pdf(data, filename))
        tsv = write_denki_tsv(dataclasses.replace(denki, header_lines=header))
    else:
        tsv = _supplier_tsv(kind, text, results_year, pdf=_is_pdf(data, filename))
    table = _load_supplier_table_text(tsv)
    return TableImport(kind, table, tsv, f"{kind}_fy{table.fiscal_year}.tsv")


def _is_pdf(data: bytes, filename: str) -> bool:
    return data[:5] == b"%PDF-" or filename.lower().endswith(".pdf")


def _attribution(kind: str, title: str, *, pdf: bool) -> tuple[str, ...]:
    how = "公表PDFから CN Navi (cnnavi.core.tables, pypdf) がテキストを抽出して表形式に変換したもの"
    if not pdf:
        how = "公表資料のテキストを CN Navi (cnnavi.core.tables) が表形式に変換したもの"
    return (
        f"# {title or _TITLES[kind]}",
        f"# 出典: 「温室効果ガス排出量 算定・報告・公表制度」（環境省・経済産業省） {SHK_URL}",
        f"# {how}。加工後の値について公表元は責任を負わない。",
        "# 公共データ利用規約（第1.0版）＝CC BY 4.0 互換: 出典と加工した旨を表示すれば利用・改変・再配布できる"
        "（再配布時はこの表示を保持すること）。",
    )


# --------------------------------------------------------------------------- gas and heat

_RESULTS = re.compile(r"R\s*(\d+)\s*年度(?:供給)?実績")
_PUBLISHED = re.compile(r"R\s*(\d+)\s*\.\s*(\d+)\s*\.\s*(\d+)\s*環境省・経済産業省公表")
_REG = {"gas": re.compile(r"^[A-Z]\d{4}$"), "heat": re.compile(r"^\d{1,3}$")}
_NUM = re.compile(r"^\d+\.\d+$")


def _supplier_tsv(kind: str, text: str, results_year: int | None, *, pdf: bool) -> str:
    """Gas or heat: the transcription TSV (reg, name, menu, basic, adjusted; ``#`` comment lines
    with the title) or the layout text of the PDF (columns separated by two or more spaces; a
    line without a registration number continues the supplier above)."""
    text = text.replace("\r\n", "\n").replace("\f", "\n")  # names kept as printed
    comments = [line for line in text.split("\n") if line.startswith("#")]
    problems: list[str] = []
    doc_year = published = None
    title = ""
    for line in text.split("\n"):
        body = unicodedata.normalize("NFKC", line).lstrip("# ").strip()
        if not title and ("事業者別排出係数" in body):
            title = line.lstrip("# ").strip()
        if doc_year is None and (m := _RESULTS.search(body)):
            doc_year = REIWA_OFFSET + int(m.group(1))
            if title:  # the results line as printed: 「－R7年度供給実績－ R8.6.30 …公表」
                title = f"{title} {line.lstrip('# ').strip().removeprefix('出典:').strip()}"
            if m2 := _PUBLISHED.search(body):
                y, mo, d = (int(g) for g in m2.groups())
                published = f"{REIWA_OFFSET + y:04d}-{mo:02d}-{d:02d}"
    rows: list[tuple[str, str, str, Decimal, Decimal]] = []
    current: tuple[str, str] | None = None
    reg_re = _REG[kind]
    for n, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#") or not line.strip():
            continue
        if "\t" in line:  # the transcription TSV: empty cells count (a supplier without area)
            cells = [c.strip() for c in line.split("\t")]
        else:  # PDF layout text: columns are two or more spaces apart
            cells = [c.strip() for c in re.split(r"\s{2,}", line.strip()) if c.strip()]
        last = [unicodedata.normalize("NFKC", c) for c in cells[-2:]]
        if len(cells) < 3 or not (_NUM.match(last[0]) and _NUM.match(last[1])):
            continue  # headings, notes, page numbers
        try:
            basic, adjusted = Decimal(last[0]), Decimal(last[1])
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            continue
        lead = cells[:-2]
        word, _, rest = lead[0].partition(" ")
        if rest and reg_re.match(unicodedata.normalize("NFKC", word)):
            lead = [word, rest.strip(), *lead[1:]]  # a PDF may set the name one space away
        first = unicodedata.normalize("NFKC", lead[0])
        if reg_re.match(first):
            reg = first.zfill(3) if kind == "heat" else first
            if len(lead) < 2:
                problems.append(f"line {n}: no supplier name for {reg}")
                continue
            current = (reg, lead[1])
            menu = " ".join(lead[2:])
        elif current is not None:
            menu = " ".join(lead)
        else:
            problems.append(f"line {n}: factor values before any registration number")
            continue
        rows.append((current[0], current[1], menu, basic, adjusted))
    if not rows:
        problems.append(f"no supplier rows found: is this the {kind} supplier table?")
    ry = results_year or doc_year
    if ry is None:
        problems.append("results year (R?年度(供給)実績) not found; give the results year")
    elif results_year and doc_year and results_year != doc_year:
        problems.append(f"results year {results_year} disagrees with the document (FY{doc_year})")
    if problems:
        raise TableImportError(problems)
    assert ry is not None
    header = tuple(comments) or _attribution(kind, title, pdf=pdf)
    out = list(header)
    out += [
        "# 以下の #@ 行と列見出しは CN Navi (cnnavi.core.tables) が付加したもの。",
        f"#@ kind={kind}",
        f"#@ results_year={ry}",
        f"#@ emission_year={ry + _LAG[kind]}",
        f"#@ document={title or _TITLES[kind]}",
        "#@ publisher=環境省・経済産業省 (MOE/METI); processed by CN Navi"
        + ("" if not comments else " and Japan GX Group"),
        f"#@ published={published or ''}",
        f"#@ url={SHK_URL}",
        f"#@ unit={_UNITS[kind]}",
        "reg\tname\tmenu\tbasic\tadjusted",
    ]
    out += [f"{r}\t{nm}\t{mn}\t{b}\t{a}" for r, nm, mn, b, a in rows]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- preview, install


def _values(s: Supplier) -> tuple:
    return tuple((m.menu, m.kind, m.basic, m.adjusted) for m in s.menus)


def preview_table(imp: TableImport, *, book: FactorBook | None = None) -> TablePreview:
    """What installing ``imp`` changes: suppliers added, removed and changed (any menu, area or
    value), compared with the loaded table of the same year, else the table now used for it."""
    book = book or factor_book()
    tables = book.tables[imp.kind]
    new = imp.table
    replaces = new.fiscal_year in tables
    old: SupplierTable | None = None
    if replaces:
        old = tables[new.fiscal_year]
    elif tables:
        old = tables[min(tables, key=lambda y: (abs(y - new.fiscal_year), -y))]
    before = old.suppliers if old else {}
    added = tuple(
        SupplierChange(r, s.name, (), s.menus) for r, s in new.suppliers.items() if r not in before
    )
    removed = tuple(
        SupplierChange(r, s.name, s.menus, ()) for r, s in before.items() if r not in new.suppliers
    )
    changed = tuple(
        SupplierChange(r, s.name, before[r].menus, s.menus)
        for r, s in new.suppliers.items()
        if r in before and _values(before[r]) != _values(s)
    )
    unchanged = sum(
        1 for r, s in new.suppliers.items() if r in before and _values(before[r]) == _values(s)
    )
    return TablePreview(
        kind=imp.kind,
        fiscal_year=new.fiscal_year,
        results_year=new.results_year,
        replaces=replaces,
        compared_with=old.fiscal_year if old else None,
        added=added,
        removed=removed,
        changed=changed,
        unchanged=unchanged,
        default_value=(old.default_value if old else None, new.default_value),
        national_average=(old.national_average if old else None, new.national_average),
    )


def install_table(imp: TableImport, *, data_dir: Path | str | None = None) -> Path:
    """Write the table where the factor book finds it (``<kind>_fy<N>.tsv`` in the package data,
    or ``data_dir``), replacing a table of the same year, and reload ``factor_book()``."""
    path = Path(data_dir or DATA_DIR) / imp.filename
    tmp = path.with_suffix(".tsv.tmp")
    tmp.write_text(imp.tsv, encoding="utf-8")
    tmp.replace(path)  # atomic on one file system: never a half-written table
    factor_book.cache_clear()
    return path
