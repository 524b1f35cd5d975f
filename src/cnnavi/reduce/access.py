"""Access helpers of the reduce app, built on ``cnnavi.orgs.access``."""

from django.http import Http404

from cnnavi.orgs.access import CompanyAccess, int_or_404
from cnnavi.reduce.models import CatalogueMeasure, PlanMeasure


def get_plan_measure(access: CompanyAccess, plan_measure_id) -> PlanMeasure:
    """A measure of the company's own plan; another company's is 404."""
    pm = (
        PlanMeasure.objects.filter(plan__company=access.company, pk=int_or_404(plan_measure_id))
        .select_related("measure", "plan")
        .first()
    )
    if pm is None:
        raise Http404
    return pm


def get_catalogue_measure(code: str) -> CatalogueMeasure:
    """A catalogue measure by its code (the catalogue is shared reference data)."""
    measure = CatalogueMeasure.objects.filter(code=code).first()
    if measure is None:
        raise Http404
    return measure
