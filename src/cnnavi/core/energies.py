"""The energy catalogue: every fuel of the SHK method, city gas, electricity and purchased heat.

Codes are stable (they are stored by the web app); the 35 fuel codes are the keys of the official
``fuels.tsv``. Japanese names are the official names; aliases are what people write on bills and
in spreadsheets. Lookup normalises with NFKC, case and spaces, so ``Ａ重油``, ``a重油`` and
``重油 A`` find the same energy.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from .errors import CoreError
from .units import UNITS, Unit, UnitError, parse_unit

__all__ = [
    "ENERGIES",
    "Energy",
    "EnergyError",
    "bill_unit",
    "energy_catalogue",
    "find_energy",
    "get_energy",
    "normalise_text",
]


class EnergyError(CoreError, ValueError):
    """Unknown energy, or a unit the energy does not accept."""


@dataclass(frozen=True, slots=True)
class Energy:
    code: str
    name_ja: str
    name_en: str
    kind: str  # fuel | city_gas | electricity | heat
    scope: int  # 1 (combustion) or 2 (purchased electricity / heat)
    default_unit: str
    units: tuple[str, ...]  # accepted unit codes
    aliases: tuple[str, ...] = ()
    # the unit bills print (what a form, template or import offers first); default_unit is the
    # official table's unit
    bill_unit: str = ""

    def accepts(self, unit: str | Unit) -> bool:
        code = unit.code if isinstance(unit, Unit) else unit
        return code in self.units

    @property
    def bill_units(self) -> tuple[str, ...]:
        """The units bills use, the usual one first (LPG: kg, or m3 where the supplier bills
        the gas volume; heat: MJ or GJ)."""
        return _BILL_UNITS.get(self.code, (self.bill_unit,))


def normalise_text(text: str) -> str:
    """NFKC, lower case, no spaces or middle dots: the key used for names and aliases."""
    t = unicodedata.normalize("NFKC", text).strip().lower()
    for ch in (" ", "\u3000", "・", "･", "\t"):
        t = t.replace(ch, "")
    return t


_MASS = ("t", "kg", "GJ", "MJ")
_LIQ = ("kL", "L", "GJ", "MJ")
_GAS = ("千m3", "m3", "千Nm3", "Nm3", "GJ", "MJ")

# (code, official Japanese name, English name, default unit, extra aliases)
_FUELS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("coal_coking_imported", "輸入原料炭", "Imported coking coal", "t", ("原料炭",)),
    ("coal_coking_for_coke", "コークス用原料炭", "Coking coal for coke", "t", ()),
    ("coal_coking_pci", "吹込用原料炭", "Coking coal for injection (PCI)", "t", ()),
    ("coal_steam_imported", "輸入一般炭", "Imported steam coal", "t", ("一般炭",)),
    ("coal_steam_domestic", "国産一般炭", "Domestic steam coal", "t", ()),
    ("coal_anthracite_imported", "輸入無煙炭", "Imported anthracite", "t", ("無煙炭",)),
    ("coal_coke", "石炭コークス", "Coal coke", "t", ("コークス",)),
    (
        "petroleum_coke",
        "石油コークス又はFCCコーク（流動接触分解で使用された触媒に析出する炭素）",
        "Petroleum coke or FCC coke",
        "t",
        ("石油コークス", "FCCコーク", "オイルコークス"),
    ),
    ("coal_tar", "コールタール", "Coal tar", "t", ()),
    ("petroleum_asphalt", "石油アスファルト", "Petroleum asphalt", "t", ("アスファルト",)),
    (
        "condensate_ngl",
        "コンデンセート（NGL）",
        "Condensate (NGL)",
        "kL",
        ("NGL", "コンデンセート"),
    ),
    ("crude_oil", "原油（コンデンセート（NGL）を除く。）", "Crude oil", "kL", ("原油",)),
    (
        "gasoline",
        "揮発油",
        "Gasoline",
        "kL",
        ("ガソリン", "レギュラーガソリン", "ハイオク", "ハイオクガソリン", "レギュラー", "petrol"),
    ),
    ("naphtha", "ナフサ", "Naphtha", "kL", ()),
    ("jet_fuel", "ジェット燃料油", "Jet fuel", "kL", ("ジェット燃料", "jet")),
    ("kerosene", "灯油", "Kerosene", "kL", ("白灯油",)),
    ("diesel_oil", "軽油", "Diesel oil", "kL", ("ディーゼル", "diesel", "gas oil", "gasoil")),
    (
        "heavy_oil_a",
        "A重油",
        "Heavy fuel oil A",
        "kL",
        ("重油A", "重油 A", "A重", "Ａ重油", "heavy oil a", "fuel oil a"),
    ),
    (
        "heavy_oil_bc",
        "B・C重油",
        "Heavy fuel oil B/C",
        "kL",
        ("B重油", "C重油", "BC重油", "重油B", "重油C", "重油BC", "heavy oil c", "fuel oil c"),
    ),
    ("lubricating_oil", "潤滑油", "Lubricating oil", "kL", ("潤滑油類", "lube oil")),
    (
        "lpg",
        "液化石油ガス（LPG）",
        "Liquefied petroleum gas (LPG)",
        "t",
        ("LPG", "LPガス", "プロパン", "プロパンガス", "液化石油ガス", "propane"),
    ),
    (
        "petroleum_hydrocarbon_gas",
        "石油系炭化水素ガス",
        "Petroleum hydrocarbon gas",
        "千m3",
        ("製油所ガス", "refinery gas"),
    ),
    ("lng", "液化天然ガス（LNG）", "Liquefied natural gas (LNG)", "t", ("LNG", "液化天然ガス")),
    (
        "natural_gas",
        "天然ガス（液化天然ガス（LNG）を除く。）",
        "Natural gas",
        "千m3",
        ("天然ガス",),
    ),
    ("coke_oven_gas", "コークス炉ガス", "Coke oven gas", "千m3", ()),
    ("blast_furnace_gas", "高炉ガス", "Blast furnace gas", "千m3", ()),
    ("blast_furnace_gas_power", "発電用高炉ガス", "Blast furnace gas for power", "千m3", ()),
    ("converter_gas", "転炉ガス", "Converter gas", "千m3", ()),
    ("rdf", "RDF", "Refuse-derived fuel (RDF)", "t", ("ごみ固形燃料",)),
    ("rpf", "RPF", "Refuse paper and plastic fuel (RPF)", "t", ()),
    ("waste_tire", "廃タイヤ", "Waste tyres", "t", ("廃タイア",)),
    (
        "waste_plastic_municipal",
        "廃プラスチック類（一般廃棄物）",
        "Waste plastics (municipal)",
        "t",
        (),
    ),
    (
        "waste_plastic_industrial",
        "廃プラスチック類（産業廃棄物）",
        "Waste plastics (industrial)",
        "t",
        ("廃プラスチック", "廃プラ"),
    ),
    (
        "hydrocarbon_oil_from_waste_oil",
        "廃油から製造された燃料炭化水素油",
        "Fuel hydrocarbon oil made from waste oil",
        "kL",
        ("再生油",),
    ),
    (
        "hydrocarbon_oil_from_waste_plastic",
        "廃プラスチック類から製造された燃料炭化水素油",
        "Fuel hydrocarbon oil made from waste plastics",
        "kL",
        (),
    ),
)


def _fuel_units(default_unit: str, code: str) -> tuple[str, ...]:
    dim = UNITS[default_unit].dimension
    base = {"mass": _MASS, "liquid": _LIQ, "gas_volume": _GAS}[dim]
    units = (default_unit,) + tuple(u for u in base if u != default_unit)
    if code == "lpg":  # LPG billed in m3 (gas phase): official m3 -> t rate, see factors
        units += ("m3", "千m3")
    return units


# the unit on the bill by the official unit's dimension: litres for liquid fuels, m3 for gases;
# solid fuels and LNG are bought by the tonne; LPG by the kg (bottles) or m3 (meter)
_BILL_BY_DIMENSION = {"liquid": "L", "gas_volume": "m3", "mass": "t"}
_BILL_UNITS = {
    "lpg": ("kg", "m3"),
    "heat_steam": ("MJ", "GJ"),
    "heat_hot_water": ("MJ", "GJ"),
    "heat_cold_water": ("MJ", "GJ"),
}


def _fuel_bill_unit(code: str, unit: str) -> str:
    if code == "lpg":
        return "kg"
    return _BILL_BY_DIMENSION[UNITS[unit].dimension]


def _build() -> tuple[Energy, ...]:
    out = [
        Energy(
            code,
            ja,
            en,
            "fuel",
            1,
            unit,
            _fuel_units(unit, code),
            aliases,
            _fuel_bill_unit(code, unit),
        )  # fmt: skip
        for code, ja, en, unit, aliases in _FUELS
    ]
    out.append(
        Energy(
            "city_gas",
            "都市ガス",
            "City gas",
            "city_gas",
            1,
            "千m3",
            ("千m3", "m3", "千Nm3", "Nm3"),
            ("ガス", "都市ガス13A", "13A", "town gas", "gas"),
            "m3",
        )
    )
    out.append(
        Energy(
            "electricity",
            "電気",
            "Electricity",
            "electricity",
            2,
            "kWh",
            ("kWh", "MWh", "千kWh"),
            ("電力", "買電", "電気使用量", "power", "electric"),
            "kWh",
        )
    )
    for code, ja, en, aliases in (
        ("heat_steam", "蒸気", "Steam", ("産業用蒸気", "熱(蒸気)", "steam")),
        ("heat_hot_water", "温水", "Hot water", ("熱(温水)", "hot water")),
        ("heat_cold_water", "冷水", "Cold water", ("熱(冷水)", "chilled water", "cold water")),
    ):
        out.append(Energy(code, ja, en, "heat", 2, "GJ", ("GJ", "MJ"), aliases, "MJ"))
    return tuple(out)


ENERGIES: tuple[Energy, ...] = _build()
_BY_CODE = {e.code: e for e in ENERGIES}


@cache
def _alias_index() -> dict[str, Energy]:
    index: dict[str, Energy] = {}
    for e in ENERGIES:
        for key in (e.code, e.name_ja, e.name_en, *e.aliases):
            k = normalise_text(key)
            if k in index and index[k] is not e:
                raise RuntimeError(f"alias {key!r} names two energies")
            index[k] = e
    return index


def energy_catalogue() -> tuple[Energy, ...]:
    """All energies, fuels first (in the official order), then city gas, electricity, heat."""
    return ENERGIES


def bill_unit(code: str) -> str:
    """The unit bills print for energy ``code`` (see ``Energy.bill_unit``)."""
    return get_energy(code).bill_unit


def get_energy(code: str) -> Energy:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise EnergyError(
            f"unknown energy code {code!r}", code="energy.unknown_code", text=str(code)
        ) from None


def find_energy(text: str) -> Energy:
    """Find an energy by code, Japanese or English name, or alias."""
    e = _alias_index().get(normalise_text(text))
    if e is None:
        raise EnergyError(f"unknown energy {text!r}", code="energy.unknown", text=str(text))
    return e


def check_unit(energy: Energy, unit_text: str) -> Unit:
    """Parse ``unit_text`` and check that ``energy`` accepts it; never guesses."""
    try:
        unit = parse_unit(unit_text)
    except UnitError as exc:
        raise EnergyError(str(exc), code=exc.code, **exc.params) from None
    if not energy.accepts(unit):
        raise EnergyError(
            f"unit {unit.code} does not fit {energy.name_ja} ({energy.code}); "
            f"accepted: {', '.join(energy.units)}",
            code="unit.not_accepted",
            unit=unit.code,
            energy=energy.code,
            units=", ".join(energy.units),
        )
    return unit
