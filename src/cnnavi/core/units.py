"""Units with exact conversions (Decimal, powers of ten only).

Each unit belongs to one dimension and converts to that dimension's base unit by an exact
factor. Conversions between dimensions (LPG m3 -> t, fuel volume -> GJ) are energy-specific and
live with the energy's factors, never here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from .errors import CoreError

__all__ = ["UNITS", "Unit", "UnitError", "convert", "parse_unit"]


class UnitError(CoreError, ValueError):
    """An unknown unit, or a conversion between different dimensions."""


@dataclass(frozen=True, slots=True)
class Unit:
    code: str  # canonical spelling, as shown to users
    dimension: str  # electricity | liquid | gas_volume | mass | heat
    to_base: Decimal  # multiply an amount in this unit to get the dimension's base unit
    aliases: tuple[str, ...] = ()


_UNIT_LIST = (
    Unit("kWh", "electricity", Decimal(1), ("kwh", "kwh", "キロワット時")),
    Unit("MWh", "electricity", Decimal(1000), ("mwh", "メガワット時")),
    Unit("千kWh", "electricity", Decimal(1000), ("千kwh", "1000kwh", "thousandkwh")),
    Unit("L", "liquid", Decimal(1), ("l", "ℓ", "リットル", "litre", "liter")),
    Unit("kL", "liquid", Decimal(1000), ("kl", "kℓ", "キロリットル", "千l")),
    Unit("m3", "gas_volume", Decimal(1), ("m3", "m^3", "m³", "立方メートル", "㎥")),
    Unit("千m3", "gas_volume", Decimal(1000), ("千m3", "千m³", "1000m3", "thousandm3")),
    Unit("Nm3", "gas_volume", Decimal(1), ("nm3", "nm³", "n㎥")),
    Unit("千Nm3", "gas_volume", Decimal(1000), ("千nm3", "千nm³")),
    Unit("kg", "mass", Decimal("0.001"), ("kg", "キログラム", "㎏")),
    Unit("t", "mass", Decimal(1), ("t", "トン", "ton", "tonne")),
    Unit("MJ", "heat", Decimal("0.001"), ("mj", "メガジュール")),
    Unit("GJ", "heat", Decimal(1), ("gj", "ギガジュール")),
)
# Base units: kWh, L, m3, t, GJ.

UNITS: dict[str, Unit] = {u.code: u for u in _UNIT_LIST}
_LOOKUP: dict[str, Unit] = {}
for _u in _UNIT_LIST:
    _LOOKUP[_u.code.lower()] = _u
    for _a in _u.aliases:
        _LOOKUP[_a.lower()] = _u


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").lower()


def parse_unit(text: str) -> Unit:
    """Find a unit by its code or an alias (case-insensitive, full-width tolerant)."""
    key = _norm(text)
    unit = _LOOKUP.get(key)
    if unit is None:
        raise UnitError(
            f"unknown unit {text!r}; known: {', '.join(UNITS)}",
            code="unit.unknown",
            text=str(text),
            units=", ".join(UNITS),
        )
    return unit


def convert(amount: Decimal, from_unit: str | Unit, to_unit: str | Unit) -> Decimal:
    """Convert between two units of the same dimension, exactly."""
    a = from_unit if isinstance(from_unit, Unit) else parse_unit(from_unit)
    b = to_unit if isinstance(to_unit, Unit) else parse_unit(to_unit)
    if a.dimension != b.dimension:
        raise UnitError(
            f"cannot convert {a.code} ({a.dimension}) to {b.code} ({b.dimension})",
            code="unit.incompatible",
            unit=a.code,
            to_unit=b.code,
        )
    if a.to_base == b.to_base:
        return amount
    return amount * a.to_base / b.to_base
