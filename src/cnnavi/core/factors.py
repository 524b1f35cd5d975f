"""Official factors with provenance, keyed by fiscal year, and the rules that pick one.

Everything here is read from the package data in ``cnnavi/core/data/``:

* ``fuels.tsv`` - CO2 factors of the 35 fuels (算定方法・排出係数一覧 R7 p.23), FY2023 on.
* ``fuel_params.tsv`` - heat value and carbon factor per fuel and edition (FY2023 on, FY2010-2022).
* ``constants.tsv`` - single official values (defaults, rates, primary-energy factor, thresholds),
  each with the fiscal years it applies to and its source.
* ``electricity_fy<N>.tsv``, ``gas_fy<N>.tsv``, ``heat_fy<N>.tsv`` - supplier tables, one per
  emission fiscal year ``N`` (the year whose emissions they are used for).

Years: supplier results of FY N apply to emissions of FY N+1 for electricity and heat; the gas
table states its own year (see docs/decisions/0100-core-factor-years.md). A year after the latest
table gets the latest table, marked provisional; a year before the first table is an error.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

from .energies import Energy, normalise_text
from .errors import CoreError

__all__ = [
    "DATA_DIR",
    "FactorBook",
    "FactorError",
    "FactorUsed",
    "Source",
    "Supplier",
    "SupplierMenu",
    "SupplierTable",
    "factor_book",
    "search_suppliers",
]

DATA_DIR = Path(str(resources.files("cnnavi.core") / "data"))
SHK_URL = "https://policies.env.go.jp/earth/ghg-santeikohyo/calc.html"
USER_LABEL = "事業者公表値（利用者入力）"


class FactorError(CoreError, LookupError):
    """No official factor for this energy, year, supplier or menu."""


@dataclass(frozen=True, slots=True)
class Source:
    document: str
    publisher: str
    published: str  # ISO date or year as printed
    page: str = ""
    url: str = ""


# a value the user entered from the supplier's own notice or bill (factor, standard heat value)
USER_SOURCE = Source(USER_LABEL, "供給事業者 (利用者入力 / entered by the user)", "")


@dataclass(frozen=True, slots=True)
class FactorUsed:
    """One factor as applied to a record: the value and where it came from."""

    value: Decimal
    unit: str  # e.g. t-CO2/kWh, t-CO2/千m3, t-CO2/GJ, t-CO2/kL
    # ordinance | supplier_menu | residual | whole | reference | grid | default | national_average
    # | user_supplier (事業者公表値（利用者入力）) | heat_value | supplier_heat_value | primary_energy
    basis: str
    source: Source
    fiscal_year: int  # the year whose table / edition was applied
    provisional: bool = False
    supplier: str = ""  # registration number
    supplier_name: str = ""
    menu: str = ""
    estimated: bool = False  # taken from the nearest published table of another year
    # fuels: the 一覧's rounded per-unit value (参考1), shown as a reference only
    reference_value: Decimal | None = None

    def as_dict(self) -> dict:
        return {
            "value": float(self.value),
            "value_text": str(self.value),
            "unit": self.unit,
            "basis": self.basis,
            "fiscal_year": self.fiscal_year,
            "provisional": self.provisional,
            "estimated": self.estimated,
            "reference_value": (
                float(self.reference_value) if self.reference_value is not None else None
            ),
            "supplier": self.supplier,
            "supplier_name": self.supplier_name,
            "menu": self.menu,
            "source": {
                "document": self.source.document,
                "publisher": self.source.publisher,
                "published": self.source.published,
                "page": self.source.page,
                "url": self.source.url,
            },
        }


@dataclass(frozen=True, slots=True)
class SupplierMenu:
    menu: str  # as printed ("" = whole company)
    kind: str  # whole | menu | residual | reference | grid
    basic: Decimal
    adjusted: Decimal
    page: str = ""


@dataclass(frozen=True, slots=True)
class Supplier:
    kind: str  # electricity | gas | heat
    reg: str
    name: str
    menus: tuple[SupplierMenu, ...]

    @property
    def menu_names(self) -> tuple[str, ...]:
        return tuple(m.menu for m in self.menus if m.menu)


@dataclass(frozen=True, slots=True)
class SupplierTable:
    kind: str
    fiscal_year: int  # emission year the table is used for
    results_year: int
    unit: str
    source: Source
    suppliers: dict[str, Supplier] = field(hash=False)
    default_value: Decimal | None = None  # electricity only (in the table)
    national_average: Decimal | None = None  # electricity only


# --------------------------------------------------------------------------- loading


def _read_tsv(path: Path) -> tuple[dict[str, str], list[str], list[list[str]]]:
    return _parse_tsv(path.read_text(encoding="utf-8"))


def _parse_tsv(text: str) -> tuple[dict[str, str], list[str], list[list[str]]]:
    meta: dict[str, str] = {}
    header: list[str] = []
    rows: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("#@"):
            key, _, value = line[2:].strip().partition("=")
            meta[key.strip()] = value.strip()
        elif line.startswith("#") or not line.strip():
            continue
        elif not header:
            header = line.split("\t")
        else:
            rows.append(line.split("\t"))
    return meta, header, rows


def _source_from_meta(meta: dict[str, str]) -> Source:
    return Source(
        document=meta.get("document", ""),
        publisher=meta.get("publisher", ""),
        published=meta.get("published", ""),
        page=meta.get("page", ""),
        url=meta.get("url", SHK_URL),
    )


def _load_supplier_table(path: Path) -> SupplierTable:
    return _load_supplier_table_text(path.read_text(encoding="utf-8"))


def _load_supplier_table_text(text: str) -> SupplierTable:
    meta, header, rows = _parse_tsv(text)
    kind = meta["kind"]
    suppliers: dict[str, dict] = {}
    for row in rows:
        rec = dict(zip(header, row, strict=False))
        reg = rec["reg"]
        menu = rec.get("menu", "")
        mkind = rec.get("kind") or _guess_menu_kind(menu)
        entry = suppliers.setdefault(reg, {"name": rec["name"], "menus": []})
        entry["menus"].append(
            SupplierMenu(
                menu, mkind, Decimal(rec["basic"]), Decimal(rec["adjusted"]), rec.get("page", "")
            )
        )
    table = {reg: Supplier(kind, reg, d["name"], tuple(d["menus"])) for reg, d in suppliers.items()}
    return SupplierTable(
        kind=kind,
        fiscal_year=int(meta["emission_year"]),
        results_year=int(meta["results_year"]),
        unit=meta["unit"],
        source=_source_from_meta(meta),
        suppliers=table,
        default_value=Decimal(meta["default_value"]) if "default_value" in meta else None,
        national_average=Decimal(meta["national_average"]) if "national_average" in meta else None,
    )


def _guess_menu_kind(menu: str) -> str:
    m = unicodedata.normalize("NFKC", menu)
    if not m:
        return "whole"
    if "残差" in m:
        return "residual"
    if "参考値" in m:
        return "reference"
    if re.search(r"メニュー[A-Z]", m):
        return "menu"
    return "whole"  # an area without menus: the supplier's value for that area


@dataclass(frozen=True, slots=True)
class Constant:
    key: str
    from_fy: int
    to_fy: int | None
    value: Decimal
    unit: str
    source: Source
    note: str = ""


@dataclass(frozen=True, slots=True)
class FuelParams:
    code: str
    from_fy: int
    to_fy: int | None
    heat_value: Decimal | None  # GJ per native unit
    carbon_factor: Decimal | None  # tC/GJ
    co2_factor: Decimal | None  # t-CO2 per native unit, as published (rounded), if any
    unit: str
    source: Source
    co2_source: Source | None = None  # where co2_factor was published


def _load_constants(path: Path) -> list[Constant]:
    _, header, rows = _read_tsv(path)
    out = []
    for row in rows:
        r = dict(zip(header, row, strict=False))
        out.append(
            Constant(
                key=r["key"],
                from_fy=int(r["from_fy"]),
                to_fy=int(r["to_fy"]) if r.get("to_fy") else None,
                value=Decimal(r["value"]),
                unit=r["unit"],
                source=Source(r["document"], r["publisher"], r["published"], r.get("page", "")),
                note=r.get("note", ""),
            )
        )
    return out


def _load_fuels(data_dir: Path) -> list[FuelParams]:
    out: list[FuelParams] = []
    # published composite CO2 factors (FY2023 on)
    fuels_src = Source(
        "温対法 算定・報告・公表制度「算定方法・排出係数一覧」(令和7年度) "
        "参考1 燃料の使用に関する排出係数",
        "環境省・経済産業省 (MOE/METI); transcribed by Japan GX Group",
        "2025",
        "p.23",
        SHK_URL,
    )
    composite: dict[str, tuple[Decimal, str]] = {}
    for line in (data_dir / "fuels.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        key, _name, _etype, unit, value = line.split("\t")
        composite[key] = (Decimal(value), unit.replace("tCO2/", ""))
    params_path = data_dir / "fuel_params.tsv"
    seen_new: set[str] = set()
    if params_path.exists():
        _, header, rows = _read_tsv(params_path)
        for row in rows:
            r = dict(zip(header, row, strict=False))
            code = r["code"]
            from_fy = int(r["from_fy"])
            hv = Decimal(r["heat_value"]) if r.get("heat_value") else None
            cf = Decimal(r["carbon_factor"]) if r.get("carbon_factor") else None
            co2 = composite[code][0] if from_fy >= 2023 and code in composite else None
            if from_fy >= 2023:
                seen_new.add(code)
            out.append(
                FuelParams(
                    code,
                    from_fy,
                    int(r["to_fy"]) if r.get("to_fy") else None,
                    hv,
                    cf,
                    co2,
                    r["unit"],
                    Source(r["document"], r["publisher"], r["published"], r.get("page", "")),
                    fuels_src if co2 is not None else None,
                )
            )
    for code, (value, unit) in composite.items():
        if code not in seen_new:
            out.append(FuelParams(code, 2023, None, None, None, value, unit, fuels_src, fuels_src))
    return out


class FactorBook:
    """All official data shipped with the package (or found in ``data_dir``)."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self.data_dir = data_dir
        self.constants = _load_constants(data_dir / "constants.tsv")
        self.fuels = _load_fuels(data_dir)
        self.tables: dict[str, dict[int, SupplierTable]] = {
            "electricity": {},
            "gas": {},
            "heat": {},
        }
        for path in sorted(data_dir.glob("*_fy*.tsv")):
            t = _load_supplier_table(path)
            self.tables[t.kind][t.fiscal_year] = t

    # ---- constants and fuel parameters

    def constant(self, key: str, fiscal_year: int) -> Constant:
        for c in self.constants:
            if (
                c.key == key
                and c.from_fy <= fiscal_year
                and (c.to_fy is None or fiscal_year <= c.to_fy)
            ):
                return c
        raise FactorError(
            f"official value {key!r} is not available for FY{fiscal_year}",
            code="factor.constant_unavailable",
            key=key,
            fiscal_year=fiscal_year,
        )

    def fuel_params(self, code: str, fiscal_year: int) -> FuelParams:
        for p in self.fuels:
            if (
                p.code == code
                and p.from_fy <= fiscal_year
                and (p.to_fy is None or fiscal_year <= p.to_fy)
            ):
                return p
        raise FactorError(
            f"no official factor for fuel {code!r} in FY{fiscal_year}",
            code="factor.fuel_unavailable",
            energy=code,
            fiscal_year=fiscal_year,
        )

    # ---- supplier tables

    def table(self, kind: str, fiscal_year: int) -> tuple[SupplierTable, bool]:
        """The table for ``fiscal_year`` and whether it is applied provisionally."""
        tables = self.tables[kind]
        if not tables:
            raise FactorError(
                f"no {kind} supplier table is shipped", code="factor.no_tables", kind=kind
            )
        if fiscal_year in tables:
            return tables[fiscal_year], False
        latest = max(tables)
        if fiscal_year > latest:
            return tables[latest], True
        shipped = ", ".join(f"FY{y}" for y in sorted(tables))
        raise FactorError(
            f"{kind} supplier factors for FY{fiscal_year} are not available "
            f"(tables shipped: {shipped})",
            code="factor.year_unavailable",
            kind=kind,
            fiscal_year=fiscal_year,
            shipped=shipped,
        )

    def table_for(
        self, kind: str, fiscal_year: int, *, estimate: bool = False
    ) -> tuple[SupplierTable, bool, bool]:
        """``(table, provisional, estimated)`` for ``fiscal_year``. Where no table covers the
        year (one before the first, or a gap) and ``estimate`` is true, the nearest published
        table (the later one on a tie), marked estimated; otherwise ``table``'s error."""
        try:
            table, provisional = self.table(kind, fiscal_year)
            return table, provisional, False
        except FactorError as exc:
            if not estimate or exc.code != "factor.year_unavailable":
                raise
        years = sorted(self.tables[kind])
        nearest = min(years, key=lambda y: (abs(y - fiscal_year), -y))
        return self.tables[kind][nearest], False, True

    def find_supplier(self, kind: str, fiscal_year: int, text: str) -> Supplier | None:
        table, _ = self.table(kind, fiscal_year)
        return _find_in_table(table, text)


_CORP = (
    ("株式会社", "(株)"),
    ("有限会社", "(有)"),
    ("合同会社", "(同)"),
    ("一般財団法人", "(一財)"),
    ("一般社団法人", "(一社)"),
    ("瓦斯", "ガス"),
)


def _norm_name(text: str) -> str:
    t = normalise_text(text)
    for long, short in _CORP:
        t = t.replace(long, short)
    return t


def _norm_reg(kind: str, text: str) -> str:
    t = unicodedata.normalize("NFKC", text).strip().upper()
    if kind == "heat" and t.isdigit():
        return t.zfill(3)
    return t


def _find_in_table(table: SupplierTable, text: str) -> Supplier | None:
    reg = _norm_reg(table.kind, text)
    if reg in table.suppliers:
        return table.suppliers[reg]
    key = _norm_name(text)
    hits = [s for s in table.suppliers.values() if _norm_name(s.name) == key]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        regs = ", ".join(s.reg for s in hits)
        raise FactorError(
            f"supplier name {text!r} matches several registrations "
            f"({regs}); give the registration number",
            code="factor.supplier_ambiguous",
            kind=table.kind,
            text=text,
            regs=regs,
        )
    return None


_BOOKS: dict[str, tuple[int, FactorBook]] = {}


def _signature(path: Path) -> int:
    """The data directory's modification time: it changes when a table file is added, removed
    or replaced by a rename (``install_table`` writes a temporary file and renames it)."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def factor_book(data_dir: str | None = None) -> FactorBook:
    """The shared FactorBook (package data unless ``data_dir`` is given), loaded once and again
    whenever a table file there is added or replaced (``install_table``, another process)."""
    path = Path(data_dir) if data_dir else DATA_DIR
    key = str(path)
    sig = _signature(path)
    hit = _BOOKS.get(key)
    if hit is not None and hit[0] == sig:
        return hit[1]
    book = FactorBook(path)
    _BOOKS[key] = (sig, book)
    return book


def _clear_books() -> None:
    _BOOKS.clear()


factor_book.cache_clear = _clear_books  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- menus


def _menu_key(text: str) -> str:
    t = normalise_text(text)
    t = t.replace("(残差)", "").replace("menu", "").replace("メニュー", "")
    return t


def pick_menu(supplier: Supplier, menu: str) -> SupplierMenu:
    """Apply the SHK rules to choose one row of ``supplier``.

    With ``menu``: that menu (``B`` finds ``メニューB(残差)``; ``残差`` the residual menu;
    ``参考値`` the whole-company reference value; for gas and heat a unique part of the area
    and menu text). Without: the residual menu; where the supplier publishes menus but no
    residual, the reference value (参考値, as the table's note prescribes); where it has no
    menus, its whole-company value (for gas and heat: the one value all its unlabelled areas
    share, else the area must be given).
    """
    rows = supplier.menus
    m = (menu or "").strip()
    if m:
        nm = normalise_text(m)
        if nm in ("残差", "residual"):
            hits = [r for r in rows if r.kind == "residual"]
        elif nm in ("参考値", "reference", "事業者全体", "(参考値)事業者全体", "whole"):
            hits = [r for r in rows if r.kind in ("reference", "whole")]
        else:
            hits = [r for r in rows if normalise_text(r.menu) == nm]
            if not hits:
                key = _menu_key(m)
                hits = [r for r in rows if r.menu and _menu_key(r.menu) == key]
            if not hits and len(nm) >= 2:
                hits = [r for r in rows if r.menu and nm in normalise_text(r.menu)]
        if len(hits) == 1:
            return hits[0]
        names = ", ".join(r.menu or "(事業者全体)" for r in rows)
        if not hits:
            raise FactorError(
                f"menu {m!r} not found for {supplier.reg} {supplier.name}; menus: {names}",
                code="factor.menu_unknown",
                text=m,
                reg=supplier.reg,
                name=supplier.name,
                menus=names,
            )
        matches = ", ".join(r.menu for r in hits)
        raise FactorError(
            f"menu {m!r} is ambiguous for {supplier.reg} {supplier.name}: {matches}",
            code="factor.menu_ambiguous",
            text=m,
            reg=supplier.reg,
            name=supplier.name,
            menus=matches,
        )
    residual = [r for r in rows if r.kind == "residual"]
    plain = [r for r in rows if r.kind in ("whole", "grid")]
    if supplier.kind == "electricity":
        if residual:
            return residual[0]
        ref = [r for r in rows if r.kind == "reference"]
        if ref:
            return ref[0]
        if plain:
            return plain[0]
    else:
        cands = residual + plain
        if cands and len({(r.basic, r.adjusted) for r in cands}) == 1:
            return cands[0]
        if not cands and len(rows) == 1:
            return rows[0]
    menus = ", ".join(r.menu for r in rows if r.menu)
    raise FactorError(
        f"{supplier.reg} {supplier.name} publishes several values; give the menu or area "
        f"(one of: {menus})",
        code="factor.menu_required",
        reg=supplier.reg,
        name=supplier.name,
        menus=menus,
    )


# --------------------------------------------------------------------------- search


@dataclass(frozen=True, slots=True)
class SupplierInfo:
    kind: str
    reg: str
    name: str
    menus: tuple[str, ...]
    fiscal_year: int


def search_suppliers(
    query: str = "", *, kind: str | None = None, fiscal_year: int | None = None, limit: int = 50
) -> list[SupplierInfo]:
    """Suppliers whose registration number or name contains ``query`` (normalised).

    ``kind`` is electricity, gas or heat (all when None); ``fiscal_year`` selects the table used
    for that emission year (the latest when None, or when the year is not yet published).
    """
    book = factor_book()
    kinds = [kind] if kind else ["electricity", "gas", "heat"]
    q = _norm_name(query) if query else ""
    qreg = query.strip().upper()
    out: list[SupplierInfo] = []
    for k in kinds:
        if k not in book.tables:
            raise ValueError(f"unknown supplier kind {k!r}")
        if not book.tables[k]:
            continue
        fy = fiscal_year if fiscal_year is not None else max(book.tables[k])
        table, _ = book.table(k, fy)
        for s in table.suppliers.values():
            if not q or (qreg and s.reg.upper().startswith(qreg)) or q in _norm_name(s.name):
                out.append(SupplierInfo(k, s.reg, s.name, s.menu_names, table.fiscal_year))
                if len(out) >= limit:
                    return out
    return out


def energy_table_kind(energy: Energy) -> str | None:
    return {"electricity": "electricity", "city_gas": "gas", "heat": "heat"}.get(energy.kind)
