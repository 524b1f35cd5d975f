"""Energy data for the reduce tests, written through the measure app's services, and the
plan forms they post."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from cnnavi.measure import services as measure_services
from cnnavi.reduce.models import CatalogueMeasure

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


def post_target(client, company, **overrides):
    """Post the plan's target form: a 2025 base, SBT-like near and long terms."""
    form = {
        "base_year": "2025",
        "basis": "location",
        "near_year": "2030",
        "near_pct": "21",
        "long_year": "2050",
        "long_pct": "100",
        "turnover_under_limit": "true",
        "assets_under_limit": "unknown",
        "fi_or_oil_gas": "false",
        "sector_specific_required": "false",
        "subsidiary_of_standard_parent": "false",
        "mandatory_flag_sector": "false",
    }
    form.update(overrides)
    return client.post(reverse("reduce:target", args=[company.pk]), form)


def post_measures(client, company, codes, start_year="2026"):
    """Add the catalogue measures of ``codes`` to the plan from ``start_year``."""
    ids = list(CatalogueMeasure.objects.filter(code__in=codes).values_list("pk", flat=True))
    return client.post(
        reverse("reduce:measures_add", args=[company.pk]),
        {"measures": ids, "start_year": start_year},
    )
