"""Access helpers of the reduce app, built on ``cnnavi.orgs.access``."""

from django.shortcuts import get_object_or_404

from cnnavi.orgs.access import CompanyAccess, int_or_404
from cnnavi.reduce.models import CatalogueMeasure, PlanMeasure


def get_plan_measure(access: CompanyAccess, plan_measure_id) -> PlanMeasure:
    """A measure of the company's own plan; another company's is 404."""
    return get_object_or_404(
        PlanMeasure.objects.select_related("measure", "plan"),
        plan__company=access.company,
        pk=int_or_404(plan_measure_id),
    )


def get_catalogue_measure(code: str) -> CatalogueMeasure:
    """A catalogue measure by its code (the catalogue is shared reference data)."""
    return get_object_or_404(CatalogueMeasure, code=code)
