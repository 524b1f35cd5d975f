"""Writes of the reduce app. Each service owns its transaction and writes one audit entry."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cnnavi.audit.services import apply_changes, audit_record
from cnnavi.reduce.models import (
    OVERRIDABLE,
    CatalogueMeasure,
    PlanMeasure,
    ReductionPlan,
    Status,
)
from cnnavi.reduce.selectors import catalogue_changed, plan_changed

PLAN_FIELDS = (
    "base_year",
    "basis",
    "near_year",
    "near_share",
    "long_year",
    "long_share",
    "follows_sbt_sme",
    "turnover_under_limit",
    "assets_under_limit",
    "fi_or_oil_gas",
    "sector_specific_required",
    "subsidiary_of_standard_parent",
    "mandatory_flag_sector",
)
TRACKING_FIELDS = ("status", "start_year", "planned_on", "done_on", "note")
CATALOGUE_FIELDS = (
    "name",
    "name_en",
    "description",
    "description_en",
    "lever",
    "kind",
    "energies",
    "use",
    "use_share",
    "facility_kinds",
    "share",
    "amount_kwh",
    "kwh_per_gj",
    "unit_cost_yen",
    "offset_t",
    "investment_yen",
    "annual_cost_yen",
    "lifetime_years",
    "source",
    "source_en",
    "source_url",
    "saving_is_assumption",
    "cost_note",
    "cost_note_en",
    "topics",
    "position",
    "active",
)


def _check_years(plan: ReductionPlan) -> None:
    errors = {}
    if plan.near_year <= plan.base_year:
        errors["near_year"] = _("中期目標の年度は基準年度より後にしてください。")
    if plan.long_year < plan.near_year:
        errors["long_year"] = _("長期目標の年度は中期目標の年度以降にしてください。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic(durable=True)
def plan_save(*, actor, company, is_demo: bool = False, **fields) -> ReductionPlan:
    """Create or update the company's targets."""
    values = {k: v for k, v in fields.items() if k in PLAN_FIELDS}
    plan = ReductionPlan.objects.select_for_update().filter(company=company).first()
    created = plan is None
    if created:
        plan = ReductionPlan(company=company, is_demo=is_demo, **values)
        changed = {k: [None, str(v)] for k, v in values.items()}
    else:
        changed = apply_changes(plan, values)
    plan.full_clean()
    _check_years(plan)
    plan.save()
    plan_changed(company=company)
    audit_record(
        actor=actor,
        action="reduce.plan_create" if created else "reduce.plan_update",
        target=plan,
        company=company,
        data={"changed": changed},
    )
    return plan


@transaction.atomic(durable=True)
def measures_add(
    *, actor, plan: ReductionPlan, measures: list[CatalogueMeasure], start_year: int | None = None
) -> list[PlanMeasure]:
    """Add catalogue measures to the plan (those already in it are left as they are). The plan
    row is locked first, so two submissions at once cannot add the same measure twice (the
    unique constraint is the backstop)."""
    plan = ReductionPlan.objects.select_for_update().get(pk=plan.pk)
    have = set(plan.measures.values_list("measure_id", flat=True))
    position = (plan.measures.aggregate(m=Max("position"))["m"] or 0) + 1
    added = []
    for m in measures:
        if m.pk in have:
            continue
        pm = PlanMeasure(
            plan=plan,
            measure=m,
            start_year=start_year,
            status=Status.PLANNED if start_year else Status.IDEA,
            position=position,
        )
        pm.full_clean()
        pm.save()
        added.append(pm)
        position += 1
    plan_changed(company=plan.company)
    audit_record(
        actor=actor,
        action="reduce.measures_add",
        target=plan,
        company=plan.company,
        data={"measures": [pm.measure.code for pm in added]},
    )
    return added


@transaction.atomic(durable=True)
def measure_update(*, actor, plan_measure: PlanMeasure, **fields) -> PlanMeasure:
    """Change the status, dates and any overridden number (None: back to the catalogue's)."""
    values = {k: v for k, v in fields.items() if k in OVERRIDABLE + TRACKING_FIELDS}
    if values.get("status") == Status.DONE and not values.get("done_on", plan_measure.done_on):
        raise ValidationError({"done_on": _("完了にするときは完了日を入力してください。")})
    changed = apply_changes(plan_measure, values)
    plan_measure.full_clean()
    plan_measure.save()
    plan_changed(company=plan_measure.plan.company)
    audit_record(
        actor=actor,
        action="reduce.measure_update",
        target=plan_measure,
        company=plan_measure.plan.company,
        data={"changed": changed},
    )
    return plan_measure


@transaction.atomic(durable=True)
def measure_remove(*, actor, plan_measure: PlanMeasure) -> None:
    company = plan_measure.plan.company
    plan_changed(company=company)
    audit_record(
        actor=actor,
        action="reduce.measure_remove",
        target=plan_measure,
        company=company,
        data={"measure": plan_measure.measure.code},
    )
    plan_measure.delete()


@transaction.atomic(durable=True)
def catalogue_save(*, actor, measure: CatalogueMeasure | None = None, code: str = "", **fields):
    """Create (``measure`` None) or edit a catalogue measure (office staff)."""
    values = {k: v for k, v in fields.items() if k in CATALOGUE_FIELDS}
    created = measure is None
    if created:
        measure = CatalogueMeasure(code=code, **values)
        changed = {"code": [None, code]}
    else:
        changed = apply_changes(measure, values)
    measure.full_clean()
    measure.save()
    catalogue_changed()
    audit_record(
        actor=actor,
        action="reduce.catalogue_create" if created else "reduce.catalogue_update",
        target=measure,
        data={"changed": changed},
    )
    return measure
