"""Energy records, imports and emissions of a company (mounted at /api/v1/companies/...)."""

import json
from copy import copy
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ValidationError as PydanticValidationError

from cnnavi.core import Record, calculate_record, error_column, get_energy
from cnnavi.core.errors import CoreError
from cnnavi.measure import calc, limits, rules, selectors, services, tasks
from cnnavi.measure.access import get_import, get_record
from cnnavi.measure.messages import flag_message
from cnnavi.measure.models import EnergyRecord
from cnnavi.measure.selectors import imports as import_selectors
from cnnavi.measure.selectors import plausibility
from cnnavi.orgs.access import Need, get_company_access, int_or_404
from cnnavi.orgs.models import Facility

prefix = "/companies"
router = Router(tags=["energy"])


class CheckOut(Schema):
    """A questioned amount (decision 0410): ``kind`` history_high | history_low |
    per_employee | per_area | per_company; ``cause`` unit_x1000 | unit_div1000 | digits |
    check; ``message`` in the request's language; ``confirmed`` with who and when."""

    kind: str
    cause: str
    ratio: float
    message: str
    confirmed: bool = False
    confirmed_by: str = ""
    confirmed_at: str | None = None


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
    check: CheckOut | None = None


class RecordCreate(Schema):
    """A new energy record. ``month`` is YYYY-MM; ``energy`` a code of the core's catalogue
    (e.g. electricity, city_gas, lpg); ``unit`` one the energy accepts, by default the unit
    its bills print (city_gas m3, electricity kWh, kerosene L, lpg kg…) or the unit last used
    for that facility and energy; ``supplier`` and ``menu`` as in the official table of the
    record's fiscal year (a supplier or menu the table does not know is refused)."""

    facility_id: int
    month: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}$")
    energy: str
    amount: Decimal
    unit: str | None = None
    cost_yen: int | None = None
    supplier: str = ""
    menu: str = ""
    use: str = ""


class RecordIn(Schema):
    """Fields of an energy record to change (PUT): only the fields given change. ``month`` is
    YYYY-MM; ``energy`` a code of the core's catalogue (e.g. electricity, city_gas, lpg);
    ``unit`` one the energy accepts."""

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


def _body(schema) -> dict:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


# Query parameters: a fiscal year the factor tables could hold, ids the database can store.
FiscalYear = Query(None, ge=1990, le=2100, description="Fiscal year (April-March), 1990-2100")
MAX_ID = 2**63 - 1


def _payload(request) -> RecordIn:
    try:
        data = json.loads(request.body or b"null", parse_float=Decimal)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ValidationError({"body": "send the record's fields as a JSON object"})
    try:
        return RecordIn.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError(
            {".".join(str(p) for p in e["loc"]) or "body": e["msg"] for e in exc.errors()}
        ) from None


def _check_out(check, unit, flag=None) -> CheckOut:
    return CheckOut(
        kind=check.kind,
        cause=check.cause,
        ratio=float(check.ratio),
        message=flag_message(check, unit),
        confirmed=bool(flag and flag.confirmed),
        confirmed_by=flag.confirmed_by if flag else "",
        confirmed_at=flag.confirmed_at.isoformat() if flag and flag.confirmed_at else None,
    )


def _flags_by_record(company, records) -> dict[int, CheckOut]:
    """record id -> its month's check (the months questioned, two queries per fiscal year)."""
    out = {}
    for fy in sorted({rules.fiscal_year_of(r.month) for r in records}):
        for f in plausibility.flags_of_company(company=company, fiscal_year=fy):
            c = _check_out(f.check, f.unit, f)
            for pk in f.record_ids:
                out[pk] = c
    return out


def _out(r, checks: dict[int, CheckOut] | None = None) -> RecordOut:
    if checks is None:
        checks = _flags_by_record(r.facility.company, [r])
    return RecordOut(
        check=checks.get(r.pk),
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
    facility = _facility(access, data)
    required = ("facility_id", "month", "energy", "amount", "unit")
    if not partial:
        missing = [k for k in required[:-1] if data.get(k) in (None, "")]
        if missing:
            raise ValidationError({k: "required" for k in missing})
    fields = {k: v for k, v in data.items() if k != "facility_id"}
    if not partial and fields.get("unit") is None:
        fields.pop("unit", None)  # the default unit, below
    for k in required[1:]:
        if k in fields and fields[k] is None:
            raise ValidationError({k: "required"})
    _parse_codes(fields)
    if not partial and not fields.get("unit"):
        # the unit the facility's bills of this energy are typed in (decision 0410)
        fields["unit"] = services.default_unit(facility=facility, energy=fields["energy"])
    return facility, fields


def _facility(access, data: dict) -> Facility | None:
    """The payload's facility among the company's (None where it names none)."""
    if data.get("facility_id") is None:
        return None
    facility = selectors.facility_of_company(
        company=access.company, facility_id=int_or_404(data["facility_id"])
    )
    if facility is None:
        raise ValidationError({"facility_id": "unknown facility of this company"})
    return facility


def _parse_codes(fields: dict) -> None:
    """The month (YYYY-MM) and the energy code as the records store them, in place."""
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


def _check_tables(record: EnergyRecord) -> None:
    """A supplier or menu that the record's fiscal-year table does not know is refused, as
    the file import refuses it (stored, it would stop the whole year's emissions). A year
    whose table is not published yet is accepted: the dashboard says the record waits."""
    if not (record.supplier or record.menu):
        return
    core_record = Record(
        month=rules.month_text(record.month),
        energy=record.energy,
        amount=Decimal(record.amount),
        unit=record.unit,
        supplier=record.supplier,
        menu=record.menu,
    )
    try:
        calculate_record(core_record)
    except (CoreError, ValueError) as exc:
        code = getattr(exc, "code", "")
        column = error_column(exc)
        if code in ("factor.year_unavailable", "factor.no_tables") or column == "energy":
            return  # waits for the table, or the service names the energy/unit problem
        raise ValidationError({column: str(exc)}) from None


def _draft(record: EnergyRecord | None, fields: dict) -> EnergyRecord:
    """The record as it would be stored (unsaved), for the table check."""
    draft = copy(record) if record is not None else EnergyRecord()
    for k, v in fields.items():
        setattr(draft, k, v)
    return draft


@router.get(
    "/{company_id}/energy-records",
    response=list[RecordOut],
    summary="Energy records of a company (optionally one fiscal year or facility)",
)
def list_records(
    request,
    company_id: int,
    fiscal_year: int | None = FiscalYear,
    facility_id: int | None = Query(None, ge=1, le=MAX_ID),  # noqa: B008
):
    access = get_company_access(request, company_id)
    records = selectors.records_of_company(
        company=access.company, fiscal_year=fiscal_year, facility_id=facility_id
    )
    checks = _flags_by_record(access.company, records)
    return [_out(r, checks) for r in records]


@router.post(
    "/{company_id}/energy-records",
    response={201: RecordOut, 422: Problem},
    summary="Create an energy record",
    openapi_extra=_body(RecordCreate),
)
def create_record(request, company_id: int):
    # The body is read after the access check, so that another tenant's id is 404 whatever
    # the body holds (the schema is documented through openapi_extra).
    access = get_company_access(request, company_id, need=Need.EDIT)
    try:
        facility, fields = _fields(access, _payload(request), partial=False)
        _check_tables(_draft(None, fields))
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
    openapi_extra=_body(RecordIn),
)
def update_record(request, company_id: int, record_id: int):
    access = get_company_access(request, company_id, need=Need.EDIT)
    record = get_record(access, record_id)
    try:
        facility, fields = _fields(access, _payload(request), partial=True)
        _check_tables(_draft(record, fields))
        record = services.record_update(
            actor=request.user, record=record, facility=facility, **fields
        )
    except ValidationError as exc:
        return _problem(exc)
    return Status(200, _out(record))


@router.post(
    "/{company_id}/energy-records/{record_id}/confirm",
    response=RecordOut,
    summary="Confirm a questioned amount as right (the record's month; stored with who/when)",
)
def confirm_record(request, company_id: int, record_id: int):
    access = get_company_access(request, company_id, need=Need.EDIT)
    record = get_record(access, record_id)
    services.records_confirm(
        actor=request.user, facility=record.facility, energy=record.energy, month=record.month
    )
    record.refresh_from_db()
    return _out(record)


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
    check: CheckOut | None = None


class ImportProgressOut(Schema):
    read: int
    total: int


class ImportOut(Schema):
    """An import and where the task worker is with it (docs/decisions/1005, 1006).

    ``state``: ``queued`` (waits for the worker), ``parsing`` (``progress``: rows read of the
    file's rows), ``ready`` (the preview: ``rows`` (the first 500), the counts; confirm it at
    ``confirm_url``), ``failed`` (``errors``: the file's row errors, or why the file could not
    be read; nothing is saved), ``committing`` (the worker writes it), ``committed``
    (``committed`` true, the counts of what was written), ``discarded``. Poll ``status_url``
    until the state is ready, failed or committed."""

    id: int
    filename: str
    state: str
    status_url: str
    confirm_url: str
    progress: ImportProgressOut | None = None
    detail: str = ""
    committed: bool
    ok: bool
    errors: list[dict]
    error_count: int
    rows: list[ImportRowOut]
    row_count: int
    new: int
    changed: int
    unchanged: int


def _error_out(e) -> dict:
    return {
        "line": e.line,
        "column": e.column,
        "reason": e.reason,
        "code": e.code,
        "params": e.params_dict,
    }


def _row_out(r, checks: dict) -> ImportRowOut:
    return ImportRowOut(
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
        check=_check_out(*checks[r.line]) if r.line in checks else None,
    )


def _import_out(company_id: int, imp) -> ImportOut:
    """The import as the status URL answers it: only what the worker stored, never parsed."""
    view = import_selectors.import_state(imp)
    plan = view.plan
    checks = import_selectors.stored_flags(imp.preview) if plan else {}
    counts = imp.summary if view.state == "committed" else imp.preview
    progress = view.progress
    return ImportOut(
        id=imp.pk,
        filename=imp.filename,
        state=view.state,
        status_url=f"/api/v1/companies/{company_id}/energy-imports/{imp.pk}",
        confirm_url=f"/api/v1/companies/{company_id}/energy-imports/{imp.pk}/confirm",
        progress=ImportProgressOut(read=progress[0], total=progress[1]) if progress else None,
        detail=view.detail,
        committed=view.state == "committed",
        ok=bool(plan and plan.ok),
        errors=[_error_out(e) for e in view.errors],
        error_count=plan.error_count if plan else len(view.errors),
        rows=[_row_out(r, checks) for r in plan.rows] if plan else [],
        row_count=plan.row_count if plan else 0,
        new=counts.get("new", 0),
        changed=counts.get("changed", 0),
        unchanged=counts.get("unchanged", 0),
    )


def _too_large(exc: limits.LimitExceeded) -> Status:
    return Status(413, {"detail": str(exc), "errors": [{"field": "file", "limit": exc.limit}]})


@router.post(
    "/{company_id}/energy-imports",
    response={202: ImportOut, 413: Problem, 422: Problem, 429: Problem},
    summary="Import a CSV/XLSX file (same format as `cnnavi co2`): 202, then poll status_url",
    description=(
        "The file's limits are checked on its bytes (413 naming the limit); the file is "
        "stored and the task worker parses it. Poll `status_url` until `state` is `ready` (the "
        "preview), `failed` (row errors) or, with `dry_run=false`, `committed`; confirm a "
        "ready preview with POST `confirm_url`. `dry_run=false` writes the file as soon as its "
        "preview has no errors (no confirmation). 429: two imports of the company are being "
        "parsed or written."
    ),
)
def import_file(request, company_id: int, dry_run: bool = True, file: UploadedFile = File(None)):  # noqa: B008
    access = get_company_access(request, company_id, need=Need.EDIT)
    if file is None:
        return Status(422, {"detail": "no file was sent", "errors": [{"field": "file"}]})
    try:
        # The size is known before the file is read; the other limits on the bytes.
        limits.check_size(file.size or 0)
        imp = services.import_upload(
            actor=request.user, company=access.company, filename=file.name or "api",
            data=file.read(),
        )  # fmt: skip
    except limits.LimitExceeded as exc:
        return _too_large(exc)
    except ValidationError as exc:
        if isinstance(exc.__cause__, limits.LimitExceeded):  # checked on the bytes, not parsed
            return _too_large(exc.__cause__)
        if getattr(exc, "code", "") == "busy":
            return Status(429, {"detail": " ".join(exc.messages), "errors": []})
        return _problem(exc)
    commit = {"commit": True, "actor_id": request.user.pk} if not dry_run else {}
    tasks.import_plan.enqueue(import_id=imp.pk, **commit)
    return Status(202, _import_out(access.company.pk, get_import(access, imp.pk)))


@router.get(
    "/{company_id}/energy-imports/{import_id}",
    response=ImportOut,
    summary="An import's state: queued, parsing (progress), ready (preview), failed, committed",
)
def import_status(request, company_id: int, import_id: int):
    access = get_company_access(request, company_id, need=Need.EDIT)
    return _import_out(access.company.pk, get_import(access, import_id))


@router.post(
    "/{company_id}/energy-imports/{import_id}/confirm",
    response={202: ImportOut, 409: Problem},
    summary="Write a ready preview (the task worker, in one transaction): 202, poll status_url",
    description=(
        "409 if the import is not a ready preview without errors (still parsing, failed, "
        "already confirmed, written or discarded). The worker checks the file again against "
        "the data stored when it writes; poll `status_url` until `committed` (or `failed`)."
    ),
)
def import_confirm(request, company_id: int, import_id: int):
    access = get_company_access(request, company_id, need=Need.EDIT)
    imp = get_import(access, import_id)
    try:
        services.import_queue_commit(energy_import=imp)
    except ValidationError:
        state = import_selectors.import_state(imp).state
        return Status(409, {"detail": f"the import is {state}, not a ready preview", "errors": []})
    tasks.import_commit.enqueue(import_id=imp.pk, actor_id=request.user.pk)
    return Status(202, _import_out(access.company.pk, get_import(access, imp.pk)))


@router.get(
    "/{company_id}/emissions",
    response={200: dict, 404: Problem, 422: Problem},
    summary="One fiscal year computed by the core: the object `cnnavi co2 --format json` prints",
)
def emissions(request, company_id: int, fiscal_year: int | None = FiscalYear):
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
