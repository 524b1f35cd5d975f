"""Ids of tenant A and tenant B for the URL kwargs of the reduce app."""

from decimal import Decimal

from cnnavi.reduce.models import CatalogueMeasure, PlanMeasure, ReductionPlan


def provide(world) -> dict[str, tuple]:
    from cnnavi.reduce.reference import load

    load()  # a transactional test may have emptied the shipped catalogue
    ids = []
    for tenant in (world.a, world.b):
        plan = ReductionPlan.objects.create(
            company=tenant.company, base_year=2025, near_share=Decimal("0.42")
        )
        measure = CatalogueMeasure.objects.get(code="led-lighting")
        ids.append(PlanMeasure.objects.create(plan=plan, measure=measure).pk)
    # The catalogue is shared reference data: B's value is a code that does not exist. A's is a
    # measure with ASCII text (the English-page test expects ASCII test data).
    CatalogueMeasure.objects.get_or_create(
        code="tenancy-test",
        defaults=dict(
            name="Test measure",
            name_en="Test measure",
            lever="kaeru",
            kind="saving",
            energies=["electricity"],
            share=Decimal("0.1"),
            source="Test source",
            source_en="Test source",
            cost_note="Test",
            cost_note_en="Test",
        ),
    )
    return {"plan_measure_id": tuple(ids), "code": ("tenancy-test", "no-such-measure")}
