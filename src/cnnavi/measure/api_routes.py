"""Energy records, imports and emissions of a company (mounted at /api/v1/companies/...)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticValidationError

from cnnavi.core import get_energy
from cnnavi.measure import calc, rules, services
from cnnavi.measure.access import get_record
from cnnavi.measure.models import EnergyRecord
from cnnavi.measure.selectors.imports import plan_import
from cnnavi.orgs.access import Need, _to_int, get_company_access
from cnnavi.orgs.models import Facility

prefix = "/companies"
router = Router(tags=["energy"])


class RecordOut(Schema):
    id: int
    facility_id: int
    facility: str
    month: str
    energy: str
    amount: Decimal
    unit: str
    cost_yen: int | None
    supplier: str
    menu: str
    use: str


class RecordIn(Schema):
    """Fields of an energy record. ``month`` is YYYY-MM; ``energy`` a code of the core's
    catalogue (e.g. electricity, city_gas, lpg); ``unit`` one the energy accepts."""

    facility_id: int | None = None
    month: str | None = None
    energy: str | None = None
    amount: Decimal | None = None
    unit: str | None = None
    cost_yen: int | None = None
    supplier: str = ""
    menu: str = ""
    use: str = ""


class Problem(Schema):
    detail: str
    errors: list[dict] = []


_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": RecordIn.model_json_schema()}},
    }
}


def _payload(request) -> RecordIn:
    try:
        return RecordIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError as exc:
        raise ValidationError(
            {".".join(str(p) for p in e["loc"]) or "body": e["msg"] for e in exc.errors()}
        ) from None


def _out(r) -> RecordOut:
    return RecordOut(
        id=r.pk,
        facility_id=r.facility_id,
        facility=r.facility.name,
        month=rules.month_text(r.month),
        energy=r.energy,
        amount=r.amount,
        unit=r.unit,
        cost_yen=r.cost_yen,
        supplier=r.supplier,
        menu=r.menu,
        use=r.use,
    )


def _problem(exc: ValidationError) -> Status:
    if hasattr(exc, "error_dict"):
        errors = [{"field": k, "reason": " ".join(v)} for k, v in exc.message_dict.items()]
    else:
        errors = [{"field": "", "reason": m} for m in exc.messages]
    return Status(422, {"detail": "invalid record", "errors": errors})


def _fields(access, payload: RecordIn, *, partial: bool) -> tuple[Facility | None, dict]:
    data = payload.dict(exclude_unset=partial)
    facility = None
    if "facility_id" in data and data["facility_id"] is not None:
        facility = Facility.objects.filter(
            company=access.company, pk=_to_int(data["facility_id"])
        ).first()
        if facility is None:
            raise ValidationError({"facility_id": "unknown facility of this company"})
    required = ("facility_id", "month", "energy", "amount", "unit")
    if not partial:
        missing = [k for k in required if data.get(k) in (None, "")]
        if missing:
            raise ValidationError({k: "required" for k in missing})
    fields = {k: v for k, v in data.items() if k != "facility_id"}
    for k in required[1:]:
        if k in fields and fields[k] is None:
            raise ValidationError({k: "required"})
    if "month" in fields:
        try:
            fields["month"] = rules.parse_month_text(fields["month"])
        except ValueError:
            raise ValidationError({"month": "write the month as YYYY-MM"}) from None
    if "energy" in fields:
        try:
            fields["energy"] = get_energy(fields["energy"]).code
        except ValueError:
            raise ValidationError({"energy": "unknown energy code"}) from None
    return facility, fields


@router.get(
    "/{company_id}/energy-records",
    response=list[RecordOut],
    summary="Energy records of a company (optionally one fiscal year or facility)",
)
def list_records(
    request, company_id: int, fiscal_year: int | None = None, facility_id: int | None = None
):
    access = get_company_access(request, company_id)
    qs = EnergyRecord.objects.filter(facility__company=access.company).select_related("facility")
    if fiscal_year is not None:
        start, end = calc.fy_range(fiscal_year)
        qs = qs.filter(month__gte=start, month__lte=end)
    if facility_id is not None:
        qs = qs.filter(facility_id=facility_id)
    return [_out(r) for r in qs.order_by("month", "facility__name", "energy", "id")]


@router.post(
    "/{company_id}/energy-records",
    response={201: RecordOut, 422: Problem},
    summary="Create an energy record",
    openapi_extra=_BODY,
)
def create_record(request, company_id: int):
    # The body is read after the access check, so that another tenant's id is 404 whatever
    # the body holds (the schema is documented through openapi_extra).
    access = get_company_access(request, company_id, need=Need.EDIT)
    try:
        facility, fields = _fields(access, _payload(request), partial=False)
        record = services.record_create(actor=request.user, facility=facility, **fields)
    except ValidationError as exc:
        return _problem(exc)
    return Status(201, _out(record))


@router.get("/{company_id}/energy-records/{record_id}", response=RecordOut, summary="One record")
def get_one(request, company_id: int, record_id: int):
    access = get_company_access(request, company_id)
    return _out(get_record(access, record_id))


@router.put(
    "/{company_id}/energy-records/{record_id}",
    response={200: RecordOut, 422: Problem},
    summary="Update an energy record (only the fields given)",
    openapi_extra=_BODY,
)
def update_record(request, company_id: int, record_id: int):
    access = get_company_access(request, company_id, need=Need.EDIT)
    record = get_record(access, record_id)
    try:
        facility, fields = _fields(access, _payload(request), partial=True)
        record = services.record_update(
            actor=request.user, record=record, facility=facility, **fields
        )
    except ValidationError as exc:
        return _problem(exc)
    return Status(200, _out(record))


@router.delete(
    "/{company_id}/energy-records/{record_id}", response={204: None}, summary="Delete a record"
)
def delete_record(request, company_id: int, record_id: int):
    access = get_company_access(request, company_id, need=Need.EDIT)
    services.record_delete(actor=request.user, record=get_record(access, record_id))
    return Status(204, None)


class ImportRowOut(Schema):
    line: int
    facility: str
    month: str
    energy: str
    amount: Decimal
    unit: str
    status: str
    tco2: float | None
    problem: str
    problem_code: str = ""
    problem_params: dict = {}


class ImportOut(Schema):
    committed: bool
    ok: bool
    errors: list[dict]
    rows: list[ImportRowOut]
    new: int
    changed: int
    unchanged: int


@router.post(
    "/{company_id}/energy-imports",
    response={200: ImportOut, 422: ImportOut},
    summary="Import a CSV/XLSX file (same format as `cnnavi co2`); dry_run previews only",
)
def import_file(request, company_id: int, dry_run: bool = True, file: UploadedFile = File(None)):  # noqa: B008
    access = get_company_access(request, company_id, need=Need.EDIT)
    if file is None:
        return Status(
            422,
            ImportOut(
                committed=False,
                ok=False,
                errors=[
                    {
                        "line": 0,
                        "column": "file",
                        "reason": "no file was sent",
                        "code": "",
                        "params": {},
                    }
                ],
                rows=[],
                new=0,
                changed=0,
                unchanged=0,
            ),
        )
    data = file.read()
    plan = plan_import(company=access.company, data=data, filename=file.name or "")
    body = ImportOut(
        committed=False,
        ok=plan.ok,
        errors=[
            {
                "line": e.line,
                "column": e.column,
                "reason": e.reason,
                "code": e.code,
                "params": e.params_dict,
            }
            for e in plan.errors
        ],
        rows=[
            ImportRowOut(
                line=r.line,
                facility=r.facility,
                month=r.month,
                energy=r.energy,
                amount=r.amount,
                unit=r.unit,
                status=r.status,
                tco2=float(r.tco2) if r.tco2 is not None else None,
                problem=r.problem,
                problem_code=r.problem_error.code if r.problem_error else "",
                problem_params=r.problem_error.params_dict if r.problem_error else {},
            )
            for r in plan.rows
        ],
        new=plan.count("new"),
        changed=plan.count("changed"),
        unchanged=plan.count("unchanged"),
    )
    if not plan.ok:
        return Status(422, body)
    if not dry_run:
        imp = services.import_upload(
            actor=request.user, company=access.company, filename=file.name or "api", data=data
        )
        try:
            services.import_commit(actor=request.user, energy_import=imp)
        except ValidationError:
            return Status(422, body)
        body.committed = True
    return Status(200, body)


@router.get(
    "/{company_id}/emissions",
    response={200: dict, 404: Problem, 422: Problem},
    summary="One fiscal year computed by the core: the object `cnnavi co2 --format json` prints",
)
def emissions(request, company_id: int, fiscal_year: int | None = None):
    access = get_company_access(request, company_id)
    fy = fiscal_year or calc.default_fiscal_year(company=access.company)
    year = calc.year_calc(company=access.company, fiscal_year=fy)
    if not year.has_data:
        raise Http404(f"no energy records in FY{fy}")
    if not year.ok:
        return Status(
            422,
            {
                "detail": f"FY{fy} cannot be computed",
                "errors": [
                    {
                        "record_id": e.line,
                        "column": e.column,
                        "reason": e.reason,
                        "code": e.code,
                        "params": e.params_dict,
                    }
                    for e, _ in year.errors
                ],
            },
        )
    return Status(200, year.result.to_dict())
