from collections.abc import Callable
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.core import get_energy, search_suppliers
from cnnavi.measure import calc, charts, exports, rules, selectors, services
from cnnavi.measure.access import get_contract, get_import, get_volume
from cnnavi.measure.forms import ContractForm, GridRowForm, UploadForm, VolumeForm
from cnnavi.measure.models import USE_CHOICES, USES, ImportStatus
from cnnavi.measure.selectors import dashboard as dashboard_selectors
from cnnavi.measure.selectors import grid as grid_selectors
from cnnavi.measure.selectors import imports as import_selectors
from cnnavi.orgs.access import Need, get_company_access, get_facility_access
from cnnavi.orgs.selectors import memberships_of_user

PREVIEW_ROWS = 500


def _year(request, default: int | Callable[[], int]) -> int:
    """The fiscal year asked for, else ``default`` (a callable is called only then: the
    default may cost a query)."""

    def fallback() -> int:
        return default() if callable(default) else default

    raw = request.GET.get("year") or request.POST.get("year")
    if not raw:
        return fallback()
    try:
        year = int(raw)
    except ValueError:
        return fallback()
    return year if 1990 <= year <= 2100 else fallback()


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def index(request):
    memberships = list(memberships_of_user(user=request.user))
    supported = selectors.companies_supported_by(user=request.user)
    if len(memberships) == 1 and not supported:
        return redirect("measure:company", company_id=memberships[0].company_id)
    return render(
        request, "measure/index.html", {"memberships": memberships, "supported": supported}
    )


@login_required
def company(request, company_id):
    access = get_company_access(request, company_id)
    facilities = selectors.facilities_of(company=access.company)
    contracts = list(selectors.contracts_of_company(company=access.company))
    by_facility = {f.pk: [c for c in contracts if c.facility_id == f.pk] for f in facilities}
    year = calc.default_fiscal_year(company=access.company)
    return render(
        request,
        "measure/company.html",
        {
            "access": access,
            "company": access.company,
            "facilities": [(f, by_facility[f.pk]) for f in facilities],
            "year": year,
            "years": calc.fiscal_years_with_data(company=access.company),
            "current_year": calc.current_fiscal_year(),
            "imports": import_selectors.imports_of_company(company=access.company),
        },
    )


# --------------------------------------------------------------------------- contracts


@login_required
def contract_new(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    form = ContractForm(
        request.POST or None, initial={"kind": request.GET.get("kind", "electricity")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_save(actor=request.user, facility=facility, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("供給契約を登録しました。"))
            return redirect("measure:company", company_id=access.company.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "measure/contract_form.html",
        {"form": form, "company": access.company, "facility": facility},
        status=status,
    )


@login_required
def supplier_search(request):
    """Suppliers of the official tables by name or registration number (HTMX partial)."""
    kind = request.GET.get("kind") or "electricity"
    if kind not in ("electricity", "gas", "heat"):
        kind = "electricity"
    query = (request.GET.get("q") or "").strip()[:50]
    results = search_suppliers(query, kind=kind, limit=30) if query else []
    return render(
        request, "measure/supplier_results.html", {"results": results, "query": query, "kind": kind}
    )


@login_required
@require_POST
def contract_delete(request, company_id, contract_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    services.contract_delete(actor=request.user, contract=get_contract(access, contract_id))
    messages.success(request, _("供給契約を削除しました。"))
    return redirect("measure:company", company_id=access.company.pk)


# --------------------------------------------------------------------------- grid


@login_required
def grid(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id)
    year = _year(request, lambda: calc.default_fiscal_year(company=access.company))
    lines = grid_selectors.grid(facility=facility, fiscal_year=year)
    has_last_year = bool(grid_selectors.grid_rows_of_year(facility=facility, fiscal_year=year - 1))
    return render(
        request,
        "measure/grid.html",
        {
            "access": access,
            "company": access.company,
            "facility": facility,
            "year": year,
            "current_year": calc.current_fiscal_year(),
            "months": rules.fiscal_months(year),
            "lines": lines,
            "row_form": GridRowForm(),
            "has_last_year": has_last_year,
            "uses": USE_CHOICES,
            "shares": selectors.use_shares_of_facility(facility=facility),
        },
    )


def _cell_errors(request) -> tuple[dict, Decimal | None, int | None]:
    errors = {}
    amount = cost = None
    raw_amount = request.POST.get("amount", "")
    raw_cost = request.POST.get("cost", "")
    reasons = {
        "not_a_number": _("数値で入力してください。"),
        "negative": _("0以上で入力してください。"),
        "too_large": _("大きすぎます。"),
        "too_many_decimals": _("小数点以下は6桁までです。"),
        "not_whole": _("円単位の整数で入力してください。"),
    }
    if raw_amount.strip():
        try:
            amount = rules.parse_amount(raw_amount)
        except ValueError as exc:
            errors["amount"] = _("使用量: %(reason)s") % {"reason": reasons.get(str(exc), str(exc))}
    if raw_cost.strip():
        try:
            cost = rules.parse_yen(raw_cost)
        except ValueError as exc:
            errors["cost"] = _("金額: %(reason)s") % {"reason": reasons.get(str(exc), str(exc))}
    return errors, amount, cost


@login_required
@require_POST
def grid_cell(request, company_id, facility_id):
    """Save one cell (amount and cost of one energy in one month) as the user types."""
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    try:
        month = rules.parse_month_text(request.POST.get("month", ""))
        energy = get_energy(request.POST.get("energy", "")).code
    except ValueError:
        return HttpResponse(_("月またはエネルギーが正しくありません。"), status=400)
    unit = request.POST.get("unit", "")
    errors, amount, cost = _cell_errors(request)
    saved = False
    if not errors:
        save = dict(
            actor=request.user,
            facility=facility,
            energy=energy,
            unit=unit,
            month=month,
            amount=amount,
            cost_yen=cost,
        )
        try:
            try:
                services.grid_cell_save(**save)
            except IntegrityError:
                # another request created the same cell a moment ago: save over it
                services.grid_cell_save(**save)
            saved = True
        except ValidationError as exc:
            errors["amount"] = _error_text(exc)
    year = rules.fiscal_year_of(month)
    line = next(
        (
            ln
            for ln in grid_selectors.grid(facility=facility, fiscal_year=year)
            if ln.energy == energy
        ),
        None,
    )
    return render(
        request,
        "measure/grid_cell_result.html",
        {
            "errors": list(errors.values()),
            "saved": saved,
            "energy": energy,
            "month": month,
            "line": line,
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def grid_row_add(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    year = _year(request, calc.current_fiscal_year())
    form = GridRowForm(request.POST)
    if form.is_valid():
        energy = form.cleaned_data["energy"]
        unit = form.cleaned_data["unit"].strip() or get_energy(energy).default_unit
        try:
            services.grid_row_add(
                actor=request.user, facility=facility, fiscal_year=year, energy=energy, unit=unit
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, _("エネルギーを選んでください。"))
    url = reverse(
        "measure:grid", kwargs={"company_id": access.company.pk, "facility_id": facility.pk}
    )
    return redirect(f"{url}?year={year}")


@login_required
@require_POST
def grid_copy(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    year = _year(request, calc.current_fiscal_year())
    n = services.grid_rows_copy(actor=request.user, facility=facility, fiscal_year=year)
    messages.success(request, _("前年度の行を %(n)d 行コピーしました。") % {"n": n})
    url = reverse(
        "measure:grid", kwargs={"company_id": access.company.pk, "facility_id": facility.pk}
    )
    return redirect(f"{url}?year={year}")


@login_required
@require_POST
def grid_unit(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    year = _year(request, calc.current_fiscal_year())
    try:
        energy = get_energy(request.POST.get("energy", "")).code
        services.grid_row_unit(
            actor=request.user,
            facility=facility,
            fiscal_year=year,
            energy=energy,
            unit=request.POST.get("unit", ""),
        )
    except (ValueError, ValidationError) as exc:
        msg = _error_text(exc) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, msg)
    url = reverse(
        "measure:grid", kwargs={"company_id": access.company.pk, "facility_id": facility.pk}
    )
    return redirect(f"{url}?year={year}")


@login_required
@require_POST
def use_shares(request, company_id, facility_id):
    """Save how one energy of the facility divides among uses (percent)."""
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    year = _year(request, calc.current_fiscal_year())
    url = reverse(
        "measure:grid", kwargs={"company_id": access.company.pk, "facility_id": facility.pk}
    )
    shares = {}
    try:
        energy = get_energy(request.POST.get("energy", "")).code
        for i, use in enumerate(USES):
            raw = request.POST.get(f"share_{i}", "").strip()
            if raw:
                shares[use] = rules.parse_amount(raw)
        services.use_shares_save(
            actor=request.user, facility=facility, energy=energy, shares=shares
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    except ValueError:
        messages.error(request, _("割合は0〜100%の数値で入力してください。"))
    else:
        messages.success(request, _("用途の割合を保存しました。"))
    return redirect(f"{url}?year={year}#uses")


# --------------------------------------------------------------------------- imports


@login_required
def import_upload(request, company_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            imp = services.import_upload(
                actor=request.user, company=access.company, filename=f.name, data=f.read()
            )
        except ValidationError as exc:
            form.add_error("file", _error_text(exc))
        else:
            return redirect(
                "measure:import_preview", company_id=access.company.pk, import_id=imp.pk
            )
    return render(
        request,
        "measure/import_upload.html",
        {"form": form, "company": access.company, "access": access},
        status=422 if form.errors else 200,
    )


@login_required
def import_template(request):
    names = []
    company_id = request.GET.get("company")
    if company_id:
        access = get_company_access(request, company_id)
        names = [f.name for f in selectors.facilities_of(company=access.company)]
    response = HttpResponse(
        exports.template_xlsx(facilities=names),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="cnnavi-energy-template.xlsx"'
    return response


@login_required
def import_preview(request, company_id, import_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    imp = get_import(access, import_id)
    plan = None
    if imp.status == ImportStatus.PENDING:
        plan = import_selectors.plan_import(
            company=access.company,
            data=bytes(imp.data),
            filename=imp.filename,
            co2_rows=PREVIEW_ROWS,
        )
    # The rows in file order, the bad lines among them (with their errors) where they are.
    table: list[dict] = []
    if plan:
        bad: dict[int, list] = {}
        for e in plan.errors:
            if e.line:
                bad.setdefault(e.line, []).append(e)
        table = [{"line": r.line, "row": r, "errors": ()} for r in plan.rows]
        table += [{"line": line, "row": None, "errors": errs} for line, errs in bad.items()]
        table.sort(key=lambda t: t["line"])
    return render(
        request,
        "measure/import_preview.html",
        {
            "company": access.company,
            "imp": imp,
            "plan": plan,
            "rows": table[:PREVIEW_ROWS],
            "more_rows": max(0, len(table) - PREVIEW_ROWS),
        },
    )


@login_required
@require_POST
def import_confirm(request, company_id, import_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    imp = get_import(access, import_id)
    try:
        summary = services.import_commit(actor=request.user, energy_import=imp)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("measure:import_preview", company_id=access.company.pk, import_id=imp.pk)
    messages.success(
        request,
        _("取り込みました: 新規 %(new)d 行、変更 %(changed)d 行、変更なし %(unchanged)d 行。")
        % summary,
    )
    return redirect("measure:company", company_id=access.company.pk)


@login_required
@require_POST
def import_discard(request, company_id, import_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    imp = get_import(access, import_id)
    if imp.status == ImportStatus.PENDING:
        services.import_discard(actor=request.user, energy_import=imp)
    messages.success(request, _("取り込みを取り消しました。何も保存していません。"))
    return redirect("measure:import_upload", company_id=access.company.pk)


# --------------------------------------------------------------------------- dashboard


@login_required
def dashboard(request, company_id):
    access = get_company_access(request, company_id)
    year = _year(request, lambda: calc.default_fiscal_year(company=access.company))
    d = dashboard_selectors.dashboard(
        company=access.company, fiscal_year=year, use_unset=_("用途の指定なし")
    )
    return render(
        request,
        "measure/dashboard.html",
        {
            "access": access,
            "company": access.company,
            "d": d,
            "year": year,
            "charts": charts.dashboard_charts(d) if d.ok else {},
        },
    )


@login_required
def export_xlsx(request, company_id):
    access = get_company_access(request, company_id)
    year = _year(request, lambda: calc.default_fiscal_year(company=access.company))
    d = dashboard_selectors.dashboard(company=access.company, fiscal_year=year, with_records=True)
    response = HttpResponse(
        exports.dashboard_xlsx(d),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    demo = "-demo" if access.company.is_demo else ""
    response["Content-Disposition"] = f'attachment; filename="co2-fy{year}{demo}.xlsx"'
    return response


@login_required
def export_csv(request, company_id):
    access = get_company_access(request, company_id)
    year = _year(request, lambda: calc.default_fiscal_year(company=access.company))
    d = dashboard_selectors.dashboard(company=access.company, fiscal_year=year, with_records=True)
    response = HttpResponse(exports.dashboard_csv(d), content_type="text/csv; charset=utf-8")
    demo = "-demo" if access.company.is_demo else ""
    response["Content-Disposition"] = f'attachment; filename="co2-fy{year}{demo}.csv"'
    return response


# --------------------------------------------------------------------------- volumes


@login_required
def volumes(request, company_id):
    access = get_company_access(request, company_id)
    form = VolumeForm(
        request.POST or None,
        initial={"fiscal_year": calc.default_fiscal_year(company=access.company)},
    )
    if request.method == "POST":
        access = get_company_access(request, company_id, need=Need.EDIT)
        if form.is_valid():
            try:
                services.volume_save(
                    actor=request.user, company=access.company, **form.cleaned_data
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("売上高・生産量を保存しました。"))
                return redirect("measure:volumes", company_id=access.company.pk)
    return render(
        request,
        "measure/volumes.html",
        {
            "access": access,
            "company": access.company,
            "form": form,
            "volumes": selectors.volumes_list(company=access.company),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def volume_delete(request, company_id, volume_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    services.volume_delete(actor=request.user, volume=get_volume(access, volume_id))
    messages.success(request, _("削除しました。"))
    return redirect("measure:volumes", company_id=access.company.pk)
