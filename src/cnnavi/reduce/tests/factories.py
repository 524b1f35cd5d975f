"""Energy data for the reduce tests, written through the measure app's services."""

from datetime import date
from decimal import Decimal

from cnnavi.measure import services as measure_services

HOKURIKU = "A0271"  # 北陸電力, in the official table


def fiscal_months(fy: int) -> list[date]:
    return [date(fy + (m < 4), m, 1) for m in (*range(4, 13), 1, 2, 3)]


def add_year(actor, facility, fy: int, *, kwh=10_000, lighting=2_000, oil_l=1_000, factor=1):
    """Electricity (of which lighting) and heavy oil A, every month of a fiscal year."""
    for month in fiscal_months(fy):
        for use, amount in (("照明", lighting), ("生産設備", kwh - lighting)):
            amount = Decimal(round(amount * factor))
            measure_services.record_create(
                actor=actor,
                facility=facility,
                month=month,
                energy="electricity",
                amount=amount,
                unit="kWh",
                cost_yen=int(amount * 27),
                supplier=HOKURIKU,
                use=use,
            )
        measure_services.record_create(
            actor=actor,
            facility=facility,
            month=month,
            energy="heavy_oil_a",
            amount=Decimal(oil_l),
            unit="L",
            cost_yen=oil_l * 98,
        )
