"""The statement as JSON (mounted at /api/v1/companies/{id}/statement)."""

from django.http import Http404
from ninja import Router, Schema, Status

from cnnavi.measure.api_routes import FiscalYear
from cnnavi.orgs.access import get_company_access
from cnnavi.statements import rules, selectors

prefix = "/companies"
router = Router(tags=["statements"])


class Problem(Schema):
    detail: str
    errors: list[dict] = []


# What the statement adds to the emissions endpoint's keys, as the statement's figures hold it.
STATEMENT_KEYS = (
    "provisional",
    "period",
    "company",
    "facilities",
    "by_facility",
    "by_energy",
    "factors",
    "completeness",
)


@router.get(
    "/{company_id}/statement",
    response={200: dict, 404: Problem, 422: Problem},
    summary="The CO2 statement of a period: the emissions endpoint's keys plus the statement's",
)
def statement(request, company_id: int, fiscal_year: int | None = FiscalYear, period: str = "shk"):
    """``period``: ``shk`` (April-March, the default), ``business`` (the company's business
    year from its start month) or ``calendar``; ``fiscal_year`` is the year the period starts
    in. Tonnages are floats (as the emissions endpoint); ``figures`` keeps them as exact
    decimal text."""
    access = get_company_access(request, company_id)
    if period not in rules.PERIOD_KINDS:
        return Status(422, {"detail": "period must be shk, business or calendar"})
    year = fiscal_year or selectors.default_year(company=access.company)
    p = selectors.period_for(company=access.company, kind=period, year=year)
    figures, fingerprint = selectors.statement_figures(company=access.company, period=p)
    if not figures["has_data"]:
        raise Http404(f"no energy records in {period} {year}")
    if not figures["ok"]:
        return Status(
            422,
            {"detail": "the period cannot be computed",
             "errors": [{"reason": e} for e in figures["errors"]]},
        )  # fmt: skip
    out = {"fiscal_year": year, **{k: float(v) for k, v in figures["totals"].items()}}
    out.update({key: figures[key] for key in STATEMENT_KEYS})
    out.update({"fingerprint": fingerprint, "demo": bool(access.company.is_demo)})
    return Status(200, out)
