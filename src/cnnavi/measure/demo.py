"""Demo energy data: FY2024 and FY2025 monthly bills for every demo company's facilities, and the
months of later fiscal years that have ended by the day the demo is loaded (the year in progress
computes with the latest published factors, marked provisional), with electricity contracts from
the official table (北陸電力 A0271, residual menu). The figures are invented (the companies are
marked as demo, and every measure page says so). Running it twice changes nothing."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cnnavi.measure import rules
from cnnavi.measure.calc import data_changed
from cnnavi.measure.models import (
    ActivityVolume,
    EnergyRecord,
    GridRow,
    SupplyContract,
    UseShare,
)

HOKURIKU_ELECTRIC = ("A0271", "北陸電力(株)")
YEARS = (2024, 2025)

# Seasonal shape (April..March) of electricity (cooling and heating) and of heating fuels.
ELEC_SEASON = (0.92, 0.95, 1.0, 1.15, 1.2, 1.05, 0.93, 0.97, 1.08, 1.12, 1.1, 1.0)
HEAT_SEASON = (0.8, 0.6, 0.5, 0.45, 0.45, 0.5, 0.7, 0.95, 1.3, 1.5, 1.4, 1.1)
FLAT = (1.0,) * 12

# facility name -> [(energy, unit, monthly base, season, yen per unit, uses {use: share})]
PROFILES = {
    "高岡工場": [
        ("electricity", "kWh", 68_000, ELEC_SEASON, 27, {"生産設備": 70, "空調": 20, "照明": 10}),
        ("heavy_oil_a", "L", 5_200, HEAT_SEASON, 98, {}),
        ("diesel_oil", "L", 650, FLAT, 148, {}),
    ],
    "本社事務所": [
        ("electricity", "kWh", 4_800, ELEC_SEASON, 31, {}),
        ("gasoline", "L", 420, FLAT, 172, {}),
    ],
    "坂井食品工場": [
        ("electricity", "kWh", 52_000, ELEC_SEASON, 27, {"生産設備": 60, "空調": 25, "照明": 15}),
        ("city_gas", "m3", 9_500, HEAT_SEASON, 165, {}),
        ("lpg", "kg", 380, FLAT, 420, {}),
    ],
    "福井配送センター": [
        ("electricity", "kWh", 14_000, ELEC_SEASON, 29, {}),
        ("diesel_oil", "L", 2_300, FLAT, 148, {}),
    ],
    "金沢印刷工場": [
        ("electricity", "kWh", 31_000, ELEC_SEASON, 28, {"生産設備": 65, "空調": 25, "照明": 10}),
        ("city_gas", "m3", 2_100, HEAT_SEASON, 170, {}),
    ],
    "野々市営業所": [
        ("electricity", "kWh", 1_900, ELEC_SEASON, 32, {}),
        ("gasoline", "L", 260, FLAT, 172, {}),
    ],
}
# Offices have no metered uses: their electricity is divided by shares (flow diagram only).
OFFICE_SHARES = {"照明": 40, "空調": 45, "その他": 15}
SALES_MILLION_YEN = {"toyama": (1_480, 1_530), "fukui": (820, 845), "ishikawa": (410, 402)}


def _amount(base: int, season: float, fy: int, i: int) -> Decimal:
    wobble = ((fy * 7 + i * 13) % 5 - 2) * 0.015  # a small deterministic month-to-month wobble
    trend = {2024: 1.0, 2025: 0.97}.get(fy, 0.94)  # a little lower each year: the first savings
    return Decimal(round(base * season * (1 + wobble) * trend))


def _months(fy: int, today: date) -> list[date]:
    """The months of ``fy`` with data: all of FY2024 and FY2025, later years' ended months."""
    return rules.fiscal_months(fy) if fy in YEARS else rules.complete_months(fy, today)


def _years(today: date) -> list[int]:
    return list(range(YEARS[0], max(YEARS[-1], rules.fiscal_year_of(today)) + 1))


def _records_for(facility, fy: int, today: date) -> list[EnergyRecord]:
    out = []
    for energy, unit, base, season, yen, uses in PROFILES.get(facility.name, []):
        for i, month in enumerate(_months(fy, today)):
            total = _amount(base, season[i], fy, i)
            parts = uses or {"": 100}
            for use, share in parts.items():
                amount = (total * share / 100).quantize(Decimal(1))
                out.append(
                    EnergyRecord(
                        facility=facility,
                        month=month,
                        energy=energy,
                        amount=amount,
                        unit=unit,
                        cost_yen=int(amount * yen),
                        use=use,
                    )
                )
    return out


def load(ctx: dict) -> None:
    today = timezone.localdate()
    years = _years(today)
    with transaction.atomic():
        for key, company in ctx["companies"].items():
            facilities = list(company.facilities.all())
            for facility in facilities:
                SupplyContract.objects.get_or_create(
                    facility=facility,
                    kind="electricity",
                    valid_from=date(2024, 4, 1),
                    defaults={
                        "supplier_reg": HOKURIKU_ELECTRIC[0],
                        "supplier_name": HOKURIKU_ELECTRIC[1],
                        "menu": "",
                    },
                )
            if not EnergyRecord.objects.filter(facility__company=company).exists():
                records = []
                for fy in years:
                    for facility in facilities:
                        records += _records_for(facility, fy, today)
                EnergyRecord.objects.bulk_create(records)
                for facility in facilities:
                    for energy, unit, *_rest in PROFILES.get(facility.name, []):
                        for fy in (*years, years[-1] + 1):
                            GridRow.objects.get_or_create(
                                facility=facility,
                                fiscal_year=fy,
                                energy=energy,
                                defaults={"unit": unit},
                            )
            for facility in facilities:
                if (
                    facility.kind == "office"
                    and not UseShare.objects.filter(facility=facility).exists()
                ):
                    UseShare.objects.bulk_create(
                        UseShare(facility=facility, energy="electricity", use=u, percent=p)
                        for u, p in OFFICE_SHARES.items()
                    )
            for fy, sales in zip(YEARS, SALES_MILLION_YEN.get(key, ()), strict=False):
                ActivityVolume.objects.get_or_create(
                    company=company,
                    kind="sales",
                    fiscal_year=fy,
                    month=None,
                    defaults={"value": Decimal(sales), "unit": "百万円"},
                )
            data_changed(company=company)
    ctx["notes"].append(
        f"Measure: demo energy records FY{years[0]}-FY{years[-1]} for the three demo companies "
        "(invented figures, marked as demo; the year in progress up to last month, with "
        "provisional factors). Electricity factors for FY2024 are not shipped by the core, so "
        "FY2024 shows which records cannot be computed yet."
    )
