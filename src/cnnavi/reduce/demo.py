"""Demo reduction plan for the Toyama demo company (北陸精密工業, invented figures, marked as
demo): FY2025 as base year, the SBTi SME-style near-term target, and four measures with start
years, one of them done. Needs the measure app's demo energy data (loaded before this app).
Running it twice changes nothing."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from cnnavi.core.reduce import sbt_sme_near_term_share
from cnnavi.reduce.models import CatalogueMeasure, PlanMeasure, ReductionPlan, Status
from cnnavi.reduce.selectors import plan_changed

# (catalogue code, status, start fiscal year, done on)
MEASURES = [
    ("ac-setpoint", Status.DONE, 2025, date(2025, 6, 1)),
    ("led-lighting", Status.PLANNED, 2026, None),
    ("compressor-pressure", Status.IN_PROGRESS, 2026, None),
    ("boiler-heat-pump", Status.PLANNED, 2028, None),
    ("renewable-menu", Status.IDEA, 2029, None),
]


def load(ctx: dict) -> None:
    company = ctx.get("companies", {}).get("toyama")
    if company is None:
        return
    with transaction.atomic():
        plan, _created = ReductionPlan.objects.get_or_create(
            company=company,
            defaults=dict(
                base_year=2025,
                basis="location",
                near_year=2030,
                near_share=sbt_sme_near_term_share(2025),  # the SME proposal (to be confirmed)
                long_year=2050,
                long_share=Decimal(1),
                follows_sbt_sme=True,
                turnover_under_limit=True,
                assets_under_limit=True,
                fi_or_oil_gas=False,
                sector_specific_required=False,
                subsidiary_of_standard_parent=False,
                mandatory_flag_sector=False,
                is_demo=True,
            ),
        )
        for position, (code, status, start, done_on) in enumerate(MEASURES, start=1):
            measure = CatalogueMeasure.objects.filter(code=code).first()
            if measure is None:
                continue
            PlanMeasure.objects.get_or_create(
                plan=plan,
                measure=measure,
                defaults=dict(status=status, start_year=start, done_on=done_on, position=position),
            )
        plan_changed(company=company)
    ctx["notes"].append(
        "Reduce: a demo reduction plan for the Toyama demo company (base year FY2025, "
        "five measures; invented figures, marked as demo)."
    )
