"""Turn records into CO2, energy and crude-oil equivalent, per record and in totals.

Method (温対法 算定省令 第2条; 省エネ法 施行規則 第4条):

* fuel: ``GJ = amount x heat value``; ``t-CO2 = GJ x carbon factor x 44/12`` (算定省令 第2条,
  別表第1), unrounded; the 一覧's rounded per-unit CO2 factor (参考1) is only shown as
  ``FactorUsed.reference_value``. Where the heat value or carbon factor of a fuel is not
  confirmed but its published CO2 factor is, ``t-CO2 = amount x CO2 factor`` and its energy is
  reported as not available.
* city gas: ``t-CO2 = 千m3 x supplier factor`` (basic / adjusted), else the default value;
  ``GJ = 千m3 x the supplier's standard heat value`` where the record gives it (省エネ法), else
  ``x the ordinance heat value`` (算定省令 別表第5, 40.0); ``energy_factor.basis`` says which.
* electricity: ``t-CO2 = kWh x factor``; ``GJ = kWh x the 省エネ法 primary-energy factor``.
* heat: ``t-CO2 = GJ x supplier factor``.
* crude oil equivalent ``kL = GJ x 0.0258``.

Amounts and factors are ``Decimal``; nothing is rounded here.
"""

from __future__ import annotations

import copy
import decimal
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .energies import get_energy
from .errors import CoreError, InputError
from .factors import (
    USER_LABEL,
    USER_SOURCE,
    FactorBook,
    FactorError,
    FactorUsed,
    Source,
    SupplierTable,
    factor_book,
    pick_menu,
)
from .notes import CoreNote
from .records import Record, RowError
from .units import UNITS, Unit, convert

__all__ = [
    "CalculationError",
    "FiscalYearResult",
    "GroupTotal",
    "RecordResult",
    "Thresholds",
    "calculate",
    "calculate_record",
    "calculation_errors",
    "error_column",
]

ZERO = Decimal(0)
_CTX = decimal.Context(prec=34)


class CalculationError(ValueError):
    """Some records could not be computed; ``errors`` lists every one (nothing is computed)."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:5]))


@dataclass(frozen=True, slots=True)
class RecordResult:
    record: Record
    fiscal_year: int
    scope: int
    tco2: Decimal  # SHK basic (基礎)
    tco2_adjusted: Decimal  # SHK adjusted (調整後)
    tco2_location: Decimal  # location-based (scope 2: national average)
    tco2_market: Decimal  # market-based (scope 2: supplier adjusted, else default)
    energy_gj: Decimal | None  # None: heat value / conversion not available
    crude_oil_kl: Decimal | None
    factor: FactorUsed  # the SHK basic factor
    factor_adjusted: FactorUsed
    factor_location: FactorUsed
    factor_market: FactorUsed
    energy_factor: FactorUsed | None  # heat value or primary-energy factor used
    notes: tuple[CoreNote, ...] = ()  # shared by the records of one plan

    @property
    def warnings(self) -> tuple[str, ...]:
        """The notes as English text."""
        return tuple(n.text for n in self.notes)

    @property
    def provisional(self) -> bool:
        return any(
            f.provisional
            for f in (self.factor, self.factor_adjusted, self.factor_location, self.factor_market)
        )

    @property
    def estimated(self) -> bool:
        """A factor was estimated (推計) from another year's table (only with ``estimate``)."""
        return any(
            f.estimated
            for f in (self.factor, self.factor_adjusted, self.factor_location, self.factor_market)
        )

    @property
    def user_entered(self) -> bool:
        """A factor or heat value was entered by the user (事業者公表値（利用者入力）)."""
        return self.factor.basis == "user_supplier" or (
            self.energy_factor is not None and self.energy_factor.basis == "supplier_heat_value"
        )


@dataclass(frozen=True, slots=True)
class GroupTotal:
    key: str
    label: str
    tco2: Decimal = ZERO  # scope 1 + scope 2 SHK basic
    tco2_adjusted: Decimal = ZERO
    tco2_location: Decimal = ZERO
    tco2_market: Decimal = ZERO
    energy_gj: Decimal = ZERO
    crude_oil_kl: Decimal = ZERO
    cost_yen: int = 0
    records: int = 0

    def add(self, r: RecordResult) -> GroupTotal:
        return GroupTotal(
            self.key,
            self.label,
            self.tco2 + r.tco2,
            self.tco2_adjusted + r.tco2_adjusted,
            self.tco2_location + r.tco2_location,
            self.tco2_market + r.tco2_market,
            self.energy_gj + (r.energy_gj or ZERO),
            self.crude_oil_kl + (r.crude_oil_kl or ZERO),
            self.cost_yen + (r.record.cost_yen or 0),
            self.records + 1,
        )

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "tco2": float(self.tco2),
            "tco2_adjusted": float(self.tco2_adjusted),
            "tco2_location": float(self.tco2_location),
            "tco2_market": float(self.tco2_market),
            "energy_gj": float(self.energy_gj),
            "crude_oil_kl": float(self.crude_oil_kl),
            "cost_yen": self.cost_yen,
            "records": self.records,
        }


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Reporting thresholds. ``None`` where the answer cannot be known from the data."""

    crude_oil_kl: Decimal
    energy_complete: bool  # False: some energy could not be converted (see warnings)
    sho_energy_specified: bool | None  # 省エネ法 特定事業者: >= 1,500 kL
    shk_energy_co2_reporter: bool | None  # 温対法 エネルギー起源CO2: >= 1,500 kL
    co2_3000t_and_21_employees: bool | None  # the 3,000 t-CO2 + 21 employees test
    employees: int | None

    def as_dict(self) -> dict:
        return {
            "crude_oil_kl": float(self.crude_oil_kl),
            "energy_complete": self.energy_complete,
            "sho_energy_specified_business_operator": self.sho_energy_specified,
            "shk_energy_co2_reporter": self.shk_energy_co2_reporter,
            "co2_3000t_and_21_employees": self.co2_3000t_and_21_employees,
            "employees": self.employees,
        }


@dataclass(frozen=True, slots=True)
class FiscalYearResult:
    fiscal_year: int
    records: tuple[RecordResult, ...]
    scope1_t: Decimal
    scope1_adjusted_t: Decimal
    scope2_basic_t: Decimal
    scope2_adjusted_t: Decimal
    scope2_location_t: Decimal
    scope2_market_t: Decimal
    energy_gj: Decimal
    crude_oil_kl: Decimal
    provisional: bool
    by_energy: tuple[GroupTotal, ...]
    by_facility: tuple[GroupTotal, ...]
    by_month: tuple[GroupTotal, ...]
    by_use: tuple[GroupTotal, ...]
    thresholds: Thresholds
    warnings: tuple[str, ...] = field(default=())  # English, "(N records)" where N > 1
    # the same warnings with codes: (note, number of records it concerns)
    notes: tuple[tuple[CoreNote, int], ...] = field(default=())
    estimated: bool = False  # some factor estimated (推計) from another year's table
    user_entered: bool = False  # some factor entered by the user (事業者公表値（利用者入力）)

    @property
    def total_basic_t(self) -> Decimal:
        return self.scope1_t + self.scope2_basic_t

    @property
    def total_adjusted_t(self) -> Decimal:
        return self.scope1_adjusted_t + self.scope2_adjusted_t

    def factors_used(self) -> list[FactorUsed]:
        seen: dict[tuple, FactorUsed] = {}
        done: set[int] = set()  # records of one plan share their factor objects
        for r in self.records:
            for f in (r.factor, r.factor_adjusted, r.factor_location, r.factor_market):
                if id(f) not in done:
                    done.add(id(f))
                    k = (f.value, f.unit, f.basis, f.fiscal_year, f.supplier, f.menu, f.source)
                    seen.setdefault(k, f)
            f = r.energy_factor
            if f is not None and id(f) not in done:
                done.add(id(f))
                seen.setdefault((f.value, f.unit, f.basis, f.fiscal_year, "", "", f.source), f)
        return list(seen.values())

    def to_dict(self) -> dict:
        """The JSON-ready object that ``cnnavi co2 --format json`` prints for this year."""
        return {
            "fiscal_year": self.fiscal_year,
            "scope1_t": float(self.scope1_t),
            "scope1_adjusted_t": float(self.scope1_adjusted_t),
            "scope2_basic_t": float(self.scope2_basic_t),
            "scope2_adjusted_t": float(self.scope2_adjusted_t),
            "scope2_location_t": float(self.scope2_location_t),
            "scope2_market_t": float(self.scope2_market_t),
            "total_basic_t": float(self.total_basic_t),
            "total_adjusted_t": float(self.total_adjusted_t),
            "energy_gj": float(self.energy_gj),
            "crude_oil_kl": float(self.crude_oil_kl),
            "provisional": self.provisional,
            "estimated": self.estimated,
            "user_entered": self.user_entered,
            "records": len(self.records),
            "by_energy": [g.as_dict() for g in self.by_energy],
            "by_facility": [g.as_dict() for g in self.by_facility],
            "by_month": [g.as_dict() for g in self.by_month],
            "by_use": [g.as_dict() for g in self.by_use],
            "thresholds": self.thresholds.as_dict(),
            "factors": [f.as_dict() for f in self.factors_used()],
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------- one record


def _const_factor(book: FactorBook, key: str, fy: int, basis: str) -> FactorUsed:
    c = book.constant(key, fy)
    return FactorUsed(c.value, c.unit, basis, c.source, fy)


def _table_factor(
    table: SupplierTable,
    provisional: bool,
    value: Decimal,
    basis: str,
    reg="",
    name="",
    menu="",
    estimated: bool = False,
) -> FactorUsed:
    return FactorUsed(
        value, table.unit, basis, table.source, table.fiscal_year, provisional, reg, name, menu,
        estimated,
    )  # fmt: skip


# the unit of each supplier table (a user-entered supplier factor is in the same unit)
TABLE_UNITS = {"electricity": "t-CO2/kWh", "gas": "t-CO2/千m3", "heat": "t-CO2/GJ"}


def _lpg_rate_key(energy_text: str) -> str:
    t = energy_text
    if "ブタン" in t and "プロパン" not in t:
        return "lpg_m3_per_t_butane"
    if "プロパン" in t and "ブタン" not in t:
        return "lpg_m3_per_t_propane"
    return "lpg_m3_per_t_mix"


def _user_factors(
    book: FactorBook, kind: str, fy: int, rec: Record, estimate: bool
) -> tuple[FactorUsed, FactorUsed, FactorUsed | None, list[CoreNote]]:
    """The supplier's own factors as the user entered them (事業者公表値（利用者入力）), plus the
    national average of the year's table where there is one (electricity, location-based)."""
    unit = TABLE_UNITS[kind]
    b = rec.basic_factor if rec.basic_factor is not None else rec.adjusted_factor
    a = rec.adjusted_factor if rec.adjusted_factor is not None else rec.basic_factor
    assert b is not None and a is not None
    src = Source(USER_LABEL, rec.supplier or USER_SOURCE.publisher, "")
    basic = FactorUsed(b, unit, "user_supplier", src, fy, supplier=rec.supplier, menu=rec.menu)
    adjusted = FactorUsed(a, unit, "user_supplier", src, fy, supplier=rec.supplier, menu=rec.menu)
    warnings = [
        CoreNote.make(
            f"{kind} factor from the supplier's own notice, entered by the user "
            f"({USER_LABEL}): basic {b}, adjusted {a} {unit}",
            code="note.user_supplier_factor",
            kind=kind,
            fiscal_year=fy,
            text=rec.supplier,
            basic=str(b),
            adjusted=str(a),
            factor_unit=unit,
        )
    ]
    national = None
    if kind == "electricity":
        try:
            table, provisional, estimated = book.table_for(kind, fy, estimate=estimate)
        except FactorError:
            table = None
        if table is not None and table.national_average is not None:
            national = _table_factor(
                table, provisional, table.national_average, "national_average",
                estimated=estimated,
            )  # fmt: skip
            if provisional or estimated:
                warnings.insert(0, _year_note(kind, fy, table, estimated))
    return basic, adjusted, national, warnings


def _year_note(kind: str, fy: int, table: SupplierTable, estimated: bool) -> CoreNote:
    if estimated:
        return CoreNote.make(
            f"no {kind} factors for FY{fy}: estimated (推計) from the FY{table.fiscal_year} table",
            code="note.estimated_factors",
            kind=kind,
            fiscal_year=fy,
            table_year=table.fiscal_year,
        )
    return CoreNote.make(
        f"{kind} factors for FY{fy} are not published yet: FY{table.fiscal_year} "
        "factors applied provisionally",
        code="note.provisional_factors",
        kind=kind,
        fiscal_year=fy,
        table_year=table.fiscal_year,
    )


def _supplier_factors(
    book: FactorBook,
    kind: str,
    fy: int,
    rec: Record,
    accept_default: bool,
    default: FactorUsed | None,
    default_name: str,
    estimate: bool = False,
) -> tuple[FactorUsed, FactorUsed, FactorUsed | None, list[CoreNote]]:
    """(basic, adjusted, the table's national average or None, warnings)."""
    if rec.basic_factor is not None or rec.adjusted_factor is not None:
        return _user_factors(book, kind, fy, rec, estimate)
    warnings: list[CoreNote] = []
    table, provisional, estimated = book.table_for(kind, fy, estimate=estimate)

    def year_note() -> None:  # only where a factor of the table is applied
        if provisional or estimated:
            warnings.insert(0, _year_note(kind, fy, table, estimated))

    national = None
    if table.national_average is not None:
        national = _table_factor(
            table, provisional, table.national_average, "national_average", estimated=estimated
        )
    if table.default_value is not None:
        default = _table_factor(
            table, provisional, table.default_value, "default", estimated=estimated
        )

    def use_default(
        why: str, code: str, note: str, **params: str | int
    ) -> tuple[FactorUsed, FactorUsed, FactorUsed | None, list[CoreNote]]:
        if default is None:
            raise FactorError(
                f"{why}, and the {default_name} for FY{fy} is not available",
                code=code,
                kind=kind,
                fiscal_year=fy,
                **params,
            )
        warnings.append(
            CoreNote.make(
                f"{why}: the {default_name} ({default.value} {default.unit}) was used",
                code=note,
                kind=kind,
                fiscal_year=fy,
                **params,
                value=str(default.value),
                factor_unit=default.unit,
            )
        )
        if default.provisional or default.estimated or national is not None:
            year_note()
        return default, default, national, warnings

    if not rec.supplier:
        if rec.menu:
            raise FactorError(
                "a menu is given without a supplier",
                code="factor.menu_without_supplier",
                kind=kind,
                text=rec.menu,
            )
        return use_default(
            f"no {kind} supplier given",
            "factor.no_supplier_no_default",
            "note.default_no_supplier",
        )
    supplier = book.find_supplier(kind, table.fiscal_year, rec.supplier)
    if supplier is None:
        if accept_default:
            return use_default(
                f"supplier {rec.supplier!r} is not in the FY{table.fiscal_year} {kind} table",
                "factor.supplier_unknown_no_default",
                "note.default_supplier_unknown",
                text=rec.supplier,
                table_year=table.fiscal_year,
            )
        raise FactorError(
            f"supplier {rec.supplier!r} is not in the FY{table.fiscal_year} {kind} table "
            "(use its registration number, or accept the default value)",
            code="factor.supplier_unknown",
            kind=kind,
            text=rec.supplier,
            table_year=table.fiscal_year,
            fiscal_year=fy,
        )
    row = pick_menu(supplier, rec.menu)
    basis = {"menu": "supplier_menu"}.get(row.kind, row.kind)
    basic = _table_factor(
        table, provisional, row.basic, basis, supplier.reg, supplier.name, row.menu, estimated
    )
    adjusted = _table_factor(
        table, provisional, row.adjusted, basis, supplier.reg, supplier.name, row.menu, estimated
    )
    year_note()
    return basic, adjusted, national, warnings


@dataclass(frozen=True, slots=True)
class _Plan:
    """Everything about a record that does not depend on its amount: the factors chosen, the
    conversions and the warnings. Records of one energy, unit, supplier, menu and year share one
    plan, so a year of monthly records resolves its factors once per combination, then each
    record only converts and multiplies (the same Decimal operations, in the same order, as
    resolving it alone)."""

    mode: str  # fuel_gj | fuel_native | linear_fuel | city_gas | electricity | heat
    scope: int
    unit: Unit
    target: Unit  # the amount is converted to this unit first
    divisor: Decimal | None  # LPG: m3 per t
    heat_value: Decimal | None  # GJ per target unit (fuel, city gas, electricity)
    co2_native: Decimal | None  # fuel: the published t-CO2 per native unit
    carbon: Decimal | None  # fuel: tC/GJ
    basic: FactorUsed
    adjusted: FactorUsed
    location: FactorUsed
    market: FactorUsed
    energy_factor: FactorUsed | None
    kl_per_gj: Decimal | None
    warnings: tuple[CoreNote, ...]


def _plan(
    rec: Record, fy: int, accept_default: bool, book: FactorBook, estimate: bool = False
) -> _Plan:  # noqa: C901 - one branch per energy kind, as the method is written
    energy = get_energy(rec.energy)
    unit = UNITS[rec.unit]
    if not energy.accepts(unit):
        raise InputError(
            f"unit {unit.code} does not fit {energy.name_ja}",
            code="unit.not_accepted",
            unit=unit.code,
            energy=energy.code,
            units=", ".join(energy.units),
        )
    warnings: list[CoreNote] = []
    energy_factor: FactorUsed | None = None
    divisor = heat_value = co2_native = carbon = None
    has_gj = True
    with decimal.localcontext(_CTX):
        if energy.kind == "fuel":
            p = book.fuel_params(energy.code, fy)
            src = p.source
            if unit.dimension == "heat":
                mode, target = "fuel_gj", UNITS["GJ"]
            elif energy.code == "lpg" and unit.dimension == "gas_volume":
                rate = book.constant(_lpg_rate_key(rec.energy_text), fy)
                mode, target, divisor = "fuel_native", UNITS["m3"], rate.value
                warnings.append(
                    CoreNote.make(
                        f"LPG in m3 converted to t at {rate.value} m3/t ({rate.key}); "
                        "use the supplier's rate where it gives one",
                        code="note.lpg_m3_rate",
                        value=str(rate.value),
                        gas=rate.key.removeprefix("lpg_m3_per_t_"),
                    )
                )
            else:
                mode, target = "fuel_native", UNITS[energy.default_unit]
            native = mode == "fuel_native"
            if native:
                heat_value = p.heat_value
                has_gj = p.heat_value is not None
            if p.heat_value is not None:
                energy_factor = FactorUsed(p.heat_value, f"GJ/{p.unit}", "heat_value", src, fy)
            if p.carbon_factor is not None and has_gj:
                # the ordinance's formula (算定省令 第2条, 別表第1): amount x heat value x carbon
                # factor x 44/12, unrounded; the 一覧's rounded per-unit value (参考1) is kept
                # beside it as a reference only
                carbon = p.carbon_factor
                if native:
                    per_unit, fu_unit = p.heat_value * p.carbon_factor * 44 / 12, f"t-CO2/{p.unit}"
                else:
                    per_unit, fu_unit = p.carbon_factor * 44 / 12, "t-CO2/GJ"
                ref = p.co2_factor if native else None
                f = FactorUsed(per_unit, fu_unit, "ordinance", src, fy, reference_value=ref)
            elif p.co2_factor is not None and native:
                # heat value or carbon factor not confirmed (items 27-35): the published
                # per-unit CO2 factor (一覧 R7 p.23, 参考1) is the only confirmed value
                co2_native = p.co2_factor
                f = FactorUsed(p.co2_factor, f"t-CO2/{p.unit}", "ordinance", p.co2_source, fy)
            else:
                raise FactorError(
                    f"no confirmed official CO2 factor for {energy.name_ja} ({energy.code}) "
                    f"in FY{fy}" + ("" if native else " given in GJ"),
                    code="factor.no_co2_factor" if native else "factor.no_co2_factor_gj",
                    energy=energy.code,
                    fiscal_year=fy,
                )
            if not has_gj:
                warnings.append(
                    CoreNote.make(
                        f"heat value of {energy.name_ja} for FY{fy} is not confirmed: its energy "
                        "(GJ, crude-oil kL) is not included",
                        code="note.heat_value_unconfirmed",
                        energy=energy.code,
                        fiscal_year=fy,
                    )
                )
            basic = adjusted = location = market = f
        elif energy.kind == "city_gas":
            mode, target = "city_gas", UNITS["千m3"]
            hv = book.constant("city_gas_heat_value", fy)
            if rec.heat_value is not None:
                # 省エネ法: the supplier's standard heat value (bills print it, e.g. 45 MJ/m3 =
                # 45 GJ/千m3; METI FAQ ID_B-0047); CO2 keeps the SHK basis below
                heat_value = rec.heat_value
                energy_factor = FactorUsed(
                    rec.heat_value, "GJ/千m3", "supplier_heat_value", USER_SOURCE, fy,
                    supplier=rec.supplier,
                )  # fmt: skip
                warnings.append(
                    CoreNote.make(
                        f"city-gas energy uses the supplier's standard heat value "
                        f"({rec.heat_value} GJ/千m3, user-entered)",
                        code="note.supplier_heat_value",
                        value=str(rec.heat_value),
                        factor_unit="GJ/千m3",
                    )
                )
            else:  # the ordinance's value (算定省令 別表第5), labelled heat_value
                heat_value = hv.value
                energy_factor = FactorUsed(hv.value, hv.unit, "heat_value", hv.source, fy)
            if rec.basic_factor is not None or rec.adjusted_factor is not None:
                basic, adjusted, _, w = _user_factors(book, "gas", fy, rec, estimate)
                warnings += w
            elif fy <= 2022:
                cf = book.constant("city_gas_carbon_factor", fy)
                f = FactorUsed(
                    hv.value * cf.value * 44 / 12, "t-CO2/千m3", "ordinance", cf.source, fy
                )
                if rec.supplier:
                    warnings.append(
                        CoreNote.make(
                            f"FY{fy}: no gas supplier factors existed; the ordinance value was used",
                            code="note.gas_ordinance_value",
                            fiscal_year=fy,
                        )
                    )
                basic = adjusted = f
            else:
                try:
                    default = _const_factor(book, "city_gas_default_co2", fy, "default")
                except FactorError:
                    default = None
                try:
                    basic, adjusted, _, w = _supplier_factors(
                        book, "gas", fy, rec, accept_default, default, "city-gas default value",
                        estimate,
                    )  # fmt: skip
                except FactorError as exc:
                    if exc.code == "factor.year_unavailable" and (
                        not rec.supplier or accept_default
                    ):
                        if default is None:
                            raise
                        basic = adjusted = default
                        w = [
                            CoreNote.make(
                                f"gas supplier factors for FY{fy} are not shipped: the city-gas "
                                f"default value ({default.value} {default.unit}) was used",
                                code="note.gas_tables_unavailable",
                                fiscal_year=fy,
                                value=str(default.value),
                                factor_unit=default.unit,
                            )
                        ]
                    else:
                        raise
                warnings += w
            location, market = basic, adjusted
        elif energy.kind == "electricity":
            mode, target = "electricity", UNITS["kWh"]
            pe = book.constant("electricity_primary_gj_per_kwh", fy)
            heat_value = pe.value
            energy_factor = FactorUsed(pe.value, pe.unit, "primary_energy", pe.source, fy)
            if pe.note:
                warnings.append(
                    CoreNote.make(
                        f"electricity energy FY{fy}: {pe.note}",
                        code="note.electricity_energy",
                        fiscal_year=fy,
                        note=pe.note,
                    )
                )
            basic, adjusted, national, w = _supplier_factors(
                book, "electricity", fy, rec, accept_default, None,
                "electricity default value (代替値)", estimate,
            )  # fmt: skip
            warnings += w
            if national is None:  # a user-entered factor in a year without a table
                location = basic
                warnings.append(
                    CoreNote.make(
                        f"no national average (全国平均係数) for FY{fy}: the location-based figure "
                        "uses the supplier's basic factor",
                        code="note.no_national_average",
                        fiscal_year=fy,
                    )
                )
            else:
                location = national
            market = adjusted  # the supplier's adjusted factor, else the default value
        elif energy.kind == "heat":
            mode, target = "heat", UNITS["GJ"]
            basic, adjusted, _, w = _supplier_factors(
                book, "heat", fy, rec, accept_default, None, "purchased-heat default value",
                estimate,
            )  # fmt: skip
            warnings += w
            location, market = basic, adjusted
            has_gj = False
            warnings.append(
                CoreNote.make(
                    "the 省エネ法 conversion factor for purchased heat is not confirmed: heat is "
                    "not included in energy (GJ, crude-oil kL)",
                    code="note.heat_not_in_energy",
                )
            )
        else:  # pragma: no cover - the catalogue has no other kinds
            raise ValueError(f"unknown energy kind {energy.kind}")
        kl_per_gj = book.constant("crude_oil_kl_per_gj", fy).value if has_gj else None
    return _Plan(
        mode, energy.scope, unit, target, divisor, heat_value, co2_native, carbon,
        basic, adjusted, location, market, energy_factor, kl_per_gj, tuple(warnings),
    )  # fmt: skip


def _apply(plan: _Plan, rec: Record, fy: int) -> RecordResult:
    """The record's amount through its plan (same operations as ``calculate_record``); the
    caller holds the 34-digit decimal context."""
    x = convert(rec.amount, plan.unit, plan.target)
    mode = plan.mode
    gj: Decimal | None
    if mode == "fuel_gj":
        gj = x
        tco2 = gj * plan.carbon * 44 / 12  # type: ignore[operator]
        tco2_adj = tco2_loc = tco2_mkt = tco2
    elif mode == "fuel_native":
        native = x / plan.divisor if plan.divisor is not None else x
        gj = native * plan.heat_value if plan.heat_value is not None else None
        if plan.co2_native is not None:
            tco2 = native * plan.co2_native
        else:
            tco2 = gj * plan.carbon * 44 / 12  # type: ignore[operator]
        tco2_adj = tco2_loc = tco2_mkt = tco2
    elif mode == "heat":
        gj = None
        tco2, tco2_adj = x * plan.basic.value, x * plan.adjusted.value
        tco2_loc, tco2_mkt = tco2, tco2_adj
    else:  # city_gas, electricity: amount x factor
        gj = x * plan.heat_value  # type: ignore[operator]
        tco2, tco2_adj = x * plan.basic.value, x * plan.adjusted.value
        if mode == "electricity":
            tco2_loc, tco2_mkt = x * plan.location.value, x * plan.market.value
        else:
            tco2_loc, tco2_mkt = tco2, tco2_adj
    kl = gj * plan.kl_per_gj if gj is not None and plan.kl_per_gj is not None else None
    return RecordResult(
        record=rec,
        fiscal_year=fy,
        scope=plan.scope,
        tco2=tco2,
        tco2_adjusted=tco2_adj,
        tco2_location=tco2_loc,
        tco2_market=tco2_mkt,
        energy_gj=gj,
        crude_oil_kl=kl,
        factor=plan.basic,
        factor_adjusted=plan.adjusted,
        factor_location=plan.location,
        factor_market=plan.market,
        energy_factor=plan.energy_factor,
        notes=plan.warnings,
    )


_ERRORS = (FactorError, ValueError, decimal.InvalidOperation)


class _Plans:
    """The plans of one calculation, by everything but the amount (failures remembered too)."""

    def __init__(self, book: FactorBook, accept_default: bool, estimate: bool = False) -> None:
        self.book, self.accept_default, self.estimate = book, accept_default, estimate
        self.memo: dict[tuple, _Plan | Exception] = {}

    def get(self, rec: Record, fy: int) -> _Plan:
        text = rec.energy_text if rec.energy == "lpg" else ""
        key = (rec.energy, rec.unit, rec.supplier, rec.menu, text, rec.heat_value,
               rec.basic_factor, rec.adjusted_factor, fy)  # fmt: skip
        plan = self.memo.get(key)
        if plan is None:
            try:
                plan = _plan(rec, fy, self.accept_default, self.book, self.estimate)
            except _ERRORS as exc:
                plan = exc
            self.memo[key] = plan
        if isinstance(plan, Exception):
            raise copy.copy(plan)  # a fresh exception each time, code and params kept
        return plan


# the column a calculation error belongs to (otherwise "energy")
_SUPPLIER_CODES = frozenset(
    {
        "factor.no_tables",
        "factor.year_unavailable",
        "factor.supplier_unknown",
        "factor.supplier_unknown_no_default",
        "factor.supplier_ambiguous",
        "factor.no_supplier_no_default",
        "factor.menu_without_supplier",
    }
)
_MENU_CODES = frozenset({"factor.menu_unknown", "factor.menu_ambiguous", "factor.menu_required"})


def error_column(exc: Exception) -> str:
    """``supplier``, ``menu`` or ``energy``: where the user would fix the record."""
    code = exc.code if isinstance(exc, CoreError) else ""
    if code in _SUPPLIER_CODES:
        return "supplier"
    if code in _MENU_CODES:
        return "menu"
    return "energy"


def calculate_record(
    rec: Record,
    *,
    fiscal_year: int | None = None,
    accept_default: bool = False,
    book: FactorBook | None = None,
    estimate: bool = False,
) -> RecordResult:
    """Compute one record; raises FactorError / ValueError with a reason on failure."""
    book = book or factor_book()
    fy = fiscal_year if fiscal_year is not None else rec.fiscal_year
    plan = _plan(rec, fy, accept_default, book, estimate)
    with decimal.localcontext(_CTX):
        return _apply(plan, rec, fy)


# --------------------------------------------------------------------------- totals


def _group(results: Iterable[RecordResult], keyf, labelf) -> tuple[GroupTotal, ...]:
    """Totals per key: one list of sums per group, one ``GroupTotal`` per group at the end."""
    sums: dict[str, list] = {}
    labels: dict[str, str] = {}
    for r in results:
        k = keyf(r)
        acc = sums.get(k)
        if acc is None:
            acc = sums[k] = [ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, 0, 0]
            labels[k] = labelf(r)
        acc[0] += r.tco2
        acc[1] += r.tco2_adjusted
        acc[2] += r.tco2_location
        acc[3] += r.tco2_market
        if r.energy_gj is not None:
            acc[4] += r.energy_gj
        if r.crude_oil_kl is not None:
            acc[5] += r.crude_oil_kl
        acc[6] += r.record.cost_yen or 0
        acc[7] += 1
    return tuple(GroupTotal(k, labels[k], *sums[k]) for k in sorted(sums))


def _summarise(
    fy: int,
    results: list[RecordResult],
    employees: int | None,
    book: FactorBook,
    extra: list[CoreNote],
) -> FiscalYearResult:
    s1 = [r for r in results if r.scope == 1]
    s2 = [r for r in results if r.scope == 2]
    gj = sum((r.energy_gj for r in results if r.energy_gj is not None), ZERO)
    kl = sum((r.crude_oil_kl for r in results if r.crude_oil_kl is not None), ZERO)
    complete = all(r.energy_gj is not None for r in results)
    # records of one plan share one tuple of notes: count the tuples, then the notes in them
    # (the same order as counting each record's notes, first seen first)
    shared: dict[int, list] = {}
    for r in results:
        ns = r.notes
        if ns:
            s = shared.get(id(ns))
            if s is None:
                shared[id(ns)] = [ns, 1]
            else:
                s[1] += 1
    counts: dict[CoreNote, int] = dict.fromkeys(extra, 1)
    for ns, n in shared.values():
        for note in ns:
            counts[note] = counts.get(note, 0) + n
    notes = tuple(counts.items())
    warnings = [n.text if c == 1 else f"{n.text} ({c} records)" for n, c in notes]

    def over(key: str, value: Decimal) -> bool | None:
        limit = book.constant(key, fy).value
        if value >= limit:
            return True
        return False if complete else None

    total_basic = sum((r.tco2 for r in results), ZERO)
    other = None
    if employees is not None:
        t_lim = book.constant("shk_other_gas_t", fy).value
        e_lim = book.constant("shk_other_gas_employees", fy).value
        other = total_basic >= t_lim and employees >= e_lim
    thresholds = Thresholds(
        crude_oil_kl=kl,
        energy_complete=complete,
        sho_energy_specified=over("sho_energy_specified_kl", kl),
        shk_energy_co2_reporter=over("shk_energy_co2_kl", kl),
        co2_3000t_and_21_employees=other,
        employees=employees,
    )
    from .energies import get_energy as _ge

    return FiscalYearResult(
        fiscal_year=fy,
        records=tuple(results),
        scope1_t=sum((r.tco2 for r in s1), ZERO),
        scope1_adjusted_t=sum((r.tco2_adjusted for r in s1), ZERO),
        scope2_basic_t=sum((r.tco2 for r in s2), ZERO),
        scope2_adjusted_t=sum((r.tco2_adjusted for r in s2), ZERO),
        scope2_location_t=sum((r.tco2_location for r in s2), ZERO),
        scope2_market_t=sum((r.tco2_market for r in s2), ZERO),
        energy_gj=gj,
        crude_oil_kl=kl,
        provisional=any(r.provisional for r in results),
        by_energy=_group(
            results, lambda r: r.record.energy, lambda r: _ge(r.record.energy).name_ja
        ),
        by_facility=_group(results, lambda r: r.record.facility, lambda r: r.record.facility),
        by_month=_group(results, lambda r: r.record.month, lambda r: r.record.month),
        by_use=_group(results, lambda r: r.record.use, lambda r: r.record.use),
        thresholds=thresholds,
        warnings=tuple(warnings),
        notes=notes,
        estimated=any(r.estimated for r in results),
        user_entered=any(r.user_entered for r in results),
    )


def calculate(
    records: Iterable[Record],
    *,
    fiscal_year: int | None = None,
    accept_default: bool = False,
    employees: int | None = None,
    book: FactorBook | None = None,
    estimate: bool = False,
) -> list[FiscalYearResult]:
    """Compute one company's records, one result per fiscal year (ascending).

    Without ``fiscal_year`` each record counts in the fiscal year of its month. With it, every
    record counts in that year (with a warning for records whose month lies outside it).
    Raises ``CalculationError`` listing every record that cannot be computed; then nothing is
    returned (no partial results). With ``estimate``, a year without a supplier table uses the
    nearest published table; every such factor, record and year is marked ``estimated`` (推計)
    with the warning ``note.estimated_factors``. Never without being asked.
    """
    book = book or factor_book()
    records = list(records)
    results: dict[int, list[RecordResult]] = {}
    errors: list[RowError] = []
    outside = 0
    plans = _Plans(book, accept_default, estimate)
    with decimal.localcontext(_CTX):
        for rec in records:
            fy = fiscal_year if fiscal_year is not None else rec.fiscal_year
            if fiscal_year is not None and rec.fiscal_year != fiscal_year:
                outside += 1
            try:
                results.setdefault(fy, []).append(_apply(plans.get(rec, fy), rec, fy))
            except _ERRORS as exc:
                errors.append(RowError.of(rec.line, error_column(exc), exc))
    if errors:
        raise CalculationError(errors)
    extra = []
    if outside:
        extra.append(
            CoreNote.make(
                f"{outside} records have a month outside FY{fiscal_year} and were counted in it",
                code="note.months_outside_year",
                count=outside,
                fiscal_year=fiscal_year,
            )
        )
    return [_summarise(fy, results[fy], employees, book, extra) for fy in sorted(results)]


def calculation_errors(
    records: Iterable[Record],
    *,
    fiscal_year: int | None = None,
    accept_default: bool = False,
    book: FactorBook | None = None,
    estimate: bool = False,
) -> list[RowError]:
    """Every record's calculation error (unknown supplier or menu, year without a table, ...),
    in input order, without computing anything: what ``calculate`` would raise, as a list."""
    return [e for _, e in _failures(records, fiscal_year, accept_default, book, estimate)]


def _failures(
    records: Iterable[Record],
    fiscal_year: int | None,
    accept_default: bool,
    book: FactorBook | None,
    estimate: bool = False,
) -> list[tuple[int, RowError]]:
    """(index of the record, its error) for each record that cannot be computed."""
    plans = _Plans(book or factor_book(), accept_default, estimate)
    out: list[tuple[int, RowError]] = []
    with decimal.localcontext(_CTX):
        for i, rec in enumerate(records):
            fy = fiscal_year if fiscal_year is not None else rec.fiscal_year
            try:
                plans.get(rec, fy)
            except _ERRORS as exc:
                out.append((i, RowError.of(rec.line, error_column(exc), exc)))
    return out
