"""Energy-use records and the file parser shared by the CLI and the web app.

``read_rows(data)`` takes the bytes of a CSV (UTF-8 with or without BOM, or Shift_JIS/CP932) or
XLSX file and returns every good record and every error (line, column, reason). It never
raises on bad input: any bytes give a ``ReadResult``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import cast

from .energies import EnergyError, check_unit, find_energy, normalise_text
from .errors import CoreError, InputError
from .periods import fiscal_year_of

__all__ = [
    "COLUMNS",
    "ReadResult",
    "Record",
    "RowError",
    "parse_month",
    "read_file",
    "read_rows",
    "read_table",
]


@dataclass(frozen=True, slots=True)
class Record:
    """One month of one energy at one facility. ``amount`` is in ``unit`` (a unit code)."""

    month: str  # YYYY-MM
    energy: str  # energy code (see energies.py)
    amount: Decimal
    unit: str  # unit code, e.g. "kWh", "kL", "千m3"
    facility: str = ""
    supplier: str = ""  # registration number or name as in the official table
    menu: str = ""
    cost_yen: int | None = None
    use: str = ""
    line: int = 0  # line (CSV) or row (XLSX) in the source file; 0 when built in code
    energy_text: str = ""  # the energy as written (keeps e.g. プロパン for the LPG m3 rate)
    # city gas: the supplier's standard heat value in GJ/千m3 (= MJ/m3), from the bill/contract
    heat_value: Decimal | None = None
    # the supplier's own factors from its notice or bill (事業者公表値（利用者入力）), in the
    # unit of the official table: t-CO2/kWh, t-CO2/千m3 (city gas), t-CO2/GJ (heat)
    basic_factor: Decimal | None = None
    adjusted_factor: Decimal | None = None

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.month)


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # 0 = the file as a whole
    column: str  # the column as headed in the file ("" = whole row / file)
    reason: str  # English, as the CLI prints it
    code: str = ""  # stable machine code (see errors.py and docs/core.md); "" = none
    params: tuple[tuple[str, str | int], ...] = ()  # the code's parameters, in order

    @classmethod
    def of(cls, line: int, column: str, exc: Exception) -> RowError:
        """The error of ``exc`` at ``line``/``column``: its message, code and parameters."""
        if isinstance(exc, CoreError):
            return cls(line, column, str(exc), exc.code, tuple(exc.params.items()))
        return cls(line, column, str(exc))

    @classmethod
    def coded(cls, line: int, column: str, reason: str, code: str, **params: str | int) -> RowError:
        return cls(line, column, reason, code, tuple(params.items()))

    @property
    def params_dict(self) -> dict[str, str | int]:
        return dict(self.params)

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        col = f", column {self.column}" if self.column else ""
        return f"{where}{col}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ReadResult:
    records: tuple[Record, ...]
    errors: tuple[RowError, ...]
    # (canonical column, header as written in the file), for naming calculation errors
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


# canonical column -> accepted headers (normalised with normalise_text)
COLUMNS: dict[str, tuple[str, ...]] = {
    "facility": ("事業所", "facility", "事業所名", "拠点", "site"),
    "month": ("年月", "month", "対象年月", "使用年月", "yearmonth"),
    "energy": ("エネルギー", "energy", "エネルギー種別", "燃料", "energytype"),
    "amount": ("使用量", "amount", "数量", "quantity"),
    "unit": ("単位", "unit"),
    "supplier": ("供給事業者", "supplier", "事業者", "登録番号", "小売電気事業者"),
    "menu": ("メニュー", "menu", "料金メニュー", "area"),
    "cost_yen": ("金額", "cost_yen", "料金", "cost", "金額(円)"),
    "use": ("用途", "use", "purpose"),
    # optional: values from the supplier's own notice or bill (see docs/core.md)
    "heat_value": (
        "標準熱量", "heat_value", "熱量換算係数", "標準熱量(mj/m3)", "標準熱量(gj/千m3)",
    ),
    "basic_factor": ("基礎排出係数", "basic_factor", "排出係数", "基礎排出係数(t-co2/kwh)"),
    "adjusted_factor": ("調整後排出係数", "adjusted_factor", "調整後排出係数(t-co2/kwh)"),
}  # fmt: skip
# optional number columns -> (the energy kinds they apply to, may be zero)
_SUPPLIED = ("electricity", "city_gas", "heat")
_OPTIONAL_NUMBERS: dict[str, tuple[tuple[str, ...], bool]] = {
    "heat_value": (("city_gas",), False),
    "basic_factor": (_SUPPLIED, True),
    "adjusted_factor": (_SUPPLIED, True),
}
REQUIRED = ("month", "energy", "amount", "unit")
_HEADER_INDEX = {normalise_text(h): c for c, hs in COLUMNS.items() for h in hs}

_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ t].*)?$")
_YM_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_REIWA = re.compile(r"^(?:令和|r)\s*(\d{1,2}|元)\s*[年.\-/]\s*(\d{1,2})\s*月?$")


def parse_month(value: object) -> str:
    """``2025-04``, ``2025/4``, ``2025年4月``, ``202504``, ``令和7年4月``, a date -> ``YYYY-MM``."""
    if isinstance(value, dt.datetime | dt.date):
        y, m = value.year, value.month
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().lower()
        if not text:
            raise InputError("month is empty", code="input.empty", field="month")
        if (mt := _YM.match(text)) or (mt := _YMD.match(text)) or (mt := _YM_COMPACT.match(text)):
            y, m = int(mt.group(1)), int(mt.group(2))
        elif mt := _REIWA.match(text):
            n = 1 if mt.group(1) == "元" else int(mt.group(1))
            y, m = 2018 + n, int(mt.group(2))
        else:
            raise InputError(
                f"cannot read month {value!r} (write 2025-04, 2025/4 or 2025年4月)",
                code="input.month_unreadable",
                text=str(value),
            )
    if not 1 <= m <= 12:
        raise InputError(f"month {m} is not 1-12", code="input.month_out_of_range", month=m)
    if not 1990 <= y <= 2100:
        raise InputError(f"year {y} is out of range", code="input.year_out_of_range", year=y)
    return f"{y:04d}-{m:02d}"


def _decimal(value: object, what: str) -> Decimal:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        text = text.replace(",", "").replace(" ", "").replace("円", "").replace("¥", "")
        if not text:
            raise InputError(f"{what} is empty", code="input.empty", field=what)
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise InputError(
                f"{what} {value!r} is not a number",
                code="input.not_a_number",
                field=what,
                text=str(value),
            ) from None
    if not d.is_finite():
        raise InputError(
            f"{what} {value!r} is not a finite number",
            code="input.not_a_number",
            field=what,
            text=str(value),
        )
    return d


def _optional_number(value: object, what: str, zero_ok: bool) -> Decimal:
    d = _decimal(value, what)
    if d < 0 or (d == 0 and not zero_ok):
        raise InputError(
            f"{what} {d} must be {'zero or more' if zero_ok else 'more than zero'}",
            code="input.not_positive",
            field=what,
            text=str(d),
        )
    return d


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _rows_from_csv(data: bytes) -> tuple[list[tuple[int, list[object]]], list[RowError]]:
    text = None
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        reason = "the file is neither UTF-8 nor Shift_JIS (CP932) text"
        return [], [RowError.coded(0, "", reason, "file.encoding")]
    if "\x00" in text:
        reason = "the file contains NUL bytes: not a CSV text file"
        return [], [RowError.coded(0, "", reason, "file.nul_bytes")]
    out: list[tuple[int, list[object]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for row in reader:
            out.append((start, list(row)))
            start = reader.line_num + 1
    except csv.Error as exc:
        return out, [
            RowError.coded(
                start, "", f"CSV syntax error: {exc}", "file.csv_syntax", detail=str(exc)
            )
        ]
    return out, []


def _rows_from_xlsx(data: bytes) -> tuple[list[tuple[int, list[object]]], list[RowError]]:
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        out = [(i, list(row)) for i, row in enumerate(ws.iter_rows(values_only=True), start=1)]
        wb.close()
        return out, []
    except Exception as exc:  # noqa: BLE001 - any broken workbook is a user error
        detail = f"{type(exc).__name__}: {exc}"
        reason = f"cannot read the XLSX workbook: {detail}"
        return [], [RowError.coded(0, "", reason, "file.xlsx_unreadable", detail=detail)]


def read_rows(data: bytes, *, filename: str = "") -> ReadResult:
    """Parse CSV or XLSX bytes into records and errors (never raises on bad data)."""
    try:
        return _read_rows(data, filename)
    except Exception as exc:  # noqa: BLE001 - last line of defence: report, don't crash
        detail = f"{type(exc).__name__}: {exc}"
        reason = f"unreadable file: {detail}"
        return ReadResult((), (RowError.coded(0, "", reason, "file.unreadable", detail=detail),))


def read_file(path: str) -> ReadResult:
    with open(path, "rb") as fh:
        return read_rows(fh.read(), filename=path)


def read_table(rows: Sequence[Sequence[object]] | Sequence[Mapping[str, object]]) -> ReadResult:
    """Parse rows already split into cells, as a file would give them (never raises on bad data).

    ``rows`` is either a header row followed by data rows (lists of cells; line numbers count
    from 1 at the header, as in a file), or a list of mappings ``{header: value}`` (an API's JSON
    rows; line 1 is the first mapping, the header line is 0). Headers are those of ``read_rows``.
    """
    try:
        if rows and all(isinstance(r, Mapping) for r in rows):
            maps = cast("Sequence[Mapping[str, object]]", rows)
            heads = list(dict.fromkeys(k for r in maps for k in r))
            table = [(0, list(heads))] + [
                (i, [r.get(h) for h in heads]) for i, r in enumerate(maps, start=1)
            ]
        else:
            table = [(i, list(r)) for i, r in enumerate(rows, start=1)]  # type: ignore[arg-type]
        return _records_from_rows(table, [])
    except Exception as exc:  # noqa: BLE001 - last line of defence: report, don't crash
        detail = f"{type(exc).__name__}: {exc}"
        reason = f"unreadable rows: {detail}"
        return ReadResult((), (RowError.coded(0, "", reason, "file.unreadable", detail=detail),))


def _read_rows(data: bytes, filename: str) -> ReadResult:
    is_xlsx = data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm"))
    rows, errors = _rows_from_xlsx(data) if is_xlsx else _rows_from_csv(data)
    if errors and not rows:
        return ReadResult((), tuple(errors))
    return _records_from_rows(rows, errors)


def _records_from_rows(rows: list[tuple[int, list[object]]], errors: list[RowError]) -> ReadResult:
    # header: the first row with any content
    idx = 0
    while idx < len(rows) and not any(_text(v) for v in rows[idx][1]):
        idx += 1
    if idx == len(rows):
        no_header = RowError.coded(0, "", "the file has no header row", "file.no_header")
        return ReadResult((), (*errors, no_header))
    header_line, header = rows[idx]
    from .wide import is_months_layout, read_months_layout  # wide builds on this module

    if is_months_layout(header):  # one row per facility, energy and fiscal year (4月 … 3月)
        return read_months_layout(rows, idx, errors)
    colmap: dict[str, int] = {}
    names: dict[str, str] = {}
    errs: list[RowError] = list(errors)
    for i, h in enumerate(header):
        key = _HEADER_INDEX.get(normalise_text(_text(h)))
        if key is None:
            continue
        if key in colmap:
            errs.append(
                RowError.coded(
                    header_line,
                    _text(h),
                    f"a second column for {key}",
                    "file.duplicate_column",
                    field=key,
                )
            )
            continue
        colmap[key] = i
        names[key] = _text(h)
    for req in REQUIRED:
        if req not in colmap:
            heads = "/".join(COLUMNS[req][:2])
            errs.append(
                RowError.coded(
                    header_line,
                    heads,
                    f"required column {heads} is missing",
                    "file.missing_column",
                    field=req,
                )
            )
    if any(e.line == header_line for e in errs):
        return ReadResult((), tuple(errs))

    records: list[Record] = []
    for line, row in rows[idx + 1 :]:
        if not any(_text(v) for v in row):
            continue

        def cell(key: str, row: list[object] = row) -> object:
            i = colmap.get(key)
            return row[i] if i is not None and i < len(row) else None

        row_errs: list[RowError] = []
        month = energy = unit = None
        amount = None
        cost = None
        try:
            month = parse_month(cell("month") if cell("month") is not None else "")
        except ValueError as exc:
            row_errs.append(RowError.of(line, names["month"], exc))
        energy_text = _text(cell("energy"))
        try:
            energy = find_energy(energy_text) if energy_text else None
            if energy is None:
                row_errs.append(
                    RowError.coded(
                        line, names["energy"], "energy is empty", "input.empty", field="energy"
                    )
                )
        except EnergyError as exc:
            row_errs.append(RowError.of(line, names["energy"], exc))
        try:
            amount = _decimal(cell("amount"), "amount")
            if amount < 0:
                row_errs.append(
                    RowError.coded(
                        line,
                        names["amount"],
                        f"amount {amount} is negative",
                        "input.negative",
                        field="amount",
                        text=str(amount),
                    )
                )
        except ValueError as exc:
            row_errs.append(RowError.of(line, names["amount"], exc))
        unit_text = _text(cell("unit"))
        if not unit_text:
            row_errs.append(
                RowError.coded(line, names["unit"], "unit is empty", "input.empty", field="unit")
            )
        elif energy is not None:
            try:
                unit = check_unit(energy, unit_text)
            except EnergyError as exc:
                row_errs.append(RowError.of(line, names["unit"], exc))
        if "cost_yen" in colmap and _text(cell("cost_yen")):
            try:
                c = _decimal(cell("cost_yen"), "cost")
                if c != c.to_integral_value():
                    raise InputError(
                        f"cost {c} is not whole yen", code="input.not_whole_yen", text=str(c)
                    )
                cost = int(c)
            except ValueError as exc:
                row_errs.append(RowError.of(line, names["cost_yen"], exc))
        extra: dict[str, Decimal] = {}
        for key, (kinds, zero_ok) in _OPTIONAL_NUMBERS.items():
            if key not in colmap or not _text(cell(key)):
                continue
            try:
                value = _optional_number(cell(key), key, zero_ok)
                if energy is not None and energy.kind not in kinds:
                    raise InputError(
                        f"{key} does not apply to {energy.code}",
                        code="input.field_not_applicable",
                        field=key,
                        energy=energy.code,
                    )
                extra[key] = value
            except ValueError as exc:
                row_errs.append(RowError.of(line, names[key], exc))
        if row_errs:
            errs.extend(row_errs)
            continue
        assert month and energy and unit and amount is not None
        records.append(
            Record(
                month=month,
                energy=energy.code,
                amount=amount,
                unit=unit.code,
                facility=_text(cell("facility")),
                supplier=_text(cell("supplier")),
                menu=_text(cell("menu")),
                cost_yen=cost,
                use=_text(cell("use")),
                line=line,
                energy_text=energy_text,
                **extra,
            )
        )
    if not records and not errs:
        errs.append(RowError.coded(0, "", "the file has a header but no data rows", "file.no_data"))
    return ReadResult(tuple(records), tuple(errs), tuple(names.items()))
