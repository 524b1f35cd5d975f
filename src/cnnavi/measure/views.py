from collections.abc import Callable
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.forms import add_service_errors
from cnnavi.core import get_energy, search_suppliers
from cnnavi.measure import calc, charts, exports, limits, rules, selectors, services, tasks
from cnnavi.measure.access import get_contract, get_import, get_notice, get_volume
from cnnavi.measure.forms import (
    CalcSettingsForm,
    ContractForm,
    GridCellForm,
    GridRowForm,
    GridTargetForm,
    NoticeForm,
    UploadForm,
    VolumeForm,
)
from cnnavi.measure.labels import energy_label
from cnnavi.measure.messages import flag_message
from cnnavi.measure.models import USE_CHOICES, USES, ImportStatus
from cnnavi.measure.selectors import dashboard as dashboard_selectors
from cnnavi.measure.selectors import grid as grid_selectors
from cnnavi.measure.selectors import imports as import_selectors
from cnnavi.measure.selectors import plausibility, suppliers
from cnnavi.orgs.access import Need, get_company_access, get_facility_access
from cnnavi.orgs.selectors import memberships_of_user


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
    for c in contracts:  # a contract without a menu at a supplier that has menus: ask which
        menus = None if c.menu else suppliers.supplier_menus(kind=c.kind, reg=c.supplier_reg)
        c.ask_menu = bool(menus and menus.has_menus)
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
            "settings_form": CalcSettingsForm(
                initial={"allow_estimate": selectors.estimate_allowed(company=access.company)}
            ),
            "notice_years": selectors.notice_years_by_contract(company=access.company),
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
            contract = services.contract_save(
                actor=request.user, facility=facility, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("供給契約を登録しました。"))
            _contract_factor_messages(request, contract)
            return redirect("measure:company", company_id=access.company.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "measure/contract_form.html",
        {"form": form, "company": access.company, "facility": facility},
        status=status,
    )


def _contract_factor_messages(request, contract) -> None:
    """Say which factor the contract uses, in plain words; warn where no menu is named but the
    supplier has menus (a low-carbon menu left unnamed overstates the company's CO2)."""
    used, menus = suppliers.menu_info(
        kind=contract.kind, reg=contract.supplier_reg, menu=contract.menu
    )
    if used is None:
        return
    messages.info(request, _factor_used_text(contract, used))
    if not contract.menu and menus is not None and menus.has_menus:
        messages.warning(
            request,
            _(
                "この事業者には料金メニューごとの係数があります（%(menus)s）。契約がどのメニューか、契約書や請求書で確かめて選んでください。再エネなどの低炭素メニューを選ばないと、CO2 が実際より多く計算されます。"
            )
            % {"menus": "、".join(m.menu for m in menus.menus)},
        )


def _factor_used_text(contract, used) -> str:
    """The factor the contract uses: its menu's, or (no menu named) the residual menu's or
    the supplier's whole value, as the official list's note says."""
    figures = {"basic": used.basic, "adjusted": used.adjusted, "unit": used.unit}
    if contract.menu:
        return (
            _(
                "メニュー「%(menu)s」の係数（基礎 %(basic)s・調整後 %(adjusted)s %(unit)s）を使います。"
            )
            % {"menu": contract.menu, **figures}
            + " "
            + used.explanation
        )
    return _(
        "メニューの指定がないため、公表一覧の注記のとおり%(what)sの係数（基礎 %(basic)s・調整後 %(adjusted)s %(unit)s）を使います。"
    ) % {
        "what": _("残差メニュー") if used.kind == "residual" else _("事業者全体の値"),
        **figures,
    }


@login_required
def supplier_search(request):
    """Suppliers of the official tables by name or registration number (HTMX partial)."""
    kind = request.GET.get("kind") or "electricity"
    if kind not in ("electricity", "gas", "heat"):
        kind = "electricity"
    query = (request.GET.get("q") or "").strip()[:50]
    found = search_suppliers(query, kind=kind, limit=30) if query else []
    results = [
        {"s": s, "menus": suppliers.supplier_menus(kind=kind, reg=s.reg, fiscal_year=s.fiscal_year)}
        for s in found
    ]
    return render(
        request, "measure/supplier_results.html", {"results": results, "query": query, "kind": kind}
    )


@login_required
def contract_notices(request, company_id, contract_id):
    """The factors the contract's supplier published per fiscal year, as the user enters them
    (事業者公表値（利用者入力）), with a note or file as evidence."""
    access = get_company_access(request, company_id)
    contract = get_contract(access, contract_id)
    form = NoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        access = get_company_access(request, company_id, need=Need.EDIT)
        if form.is_valid() and _notice_saved(request, form, contract):
            messages.success(request, _("事業者公表値（利用者入力）を保存しました。"))
            return redirect(
                "measure:contract_notices", company_id=access.company.pk, contract_id=contract.pk
            )
    used, _menus = suppliers.menu_info(
        kind=contract.kind, reg=contract.supplier_reg, menu=contract.menu
    )
    return render(
        request,
        "measure/contract_notices.html",
        {
            "access": access,
            "company": access.company,
            "contract": contract,
            "form": form,
            "notices": selectors.notices_of_contract(contract=contract),
            "official": used,
        },
        status=422 if form.errors else 200,
    )


def _notice_saved(request, form, contract) -> bool:
    """Save the valid form's notice with its evidence file; False (the service's refusal on
    the form) if it is refused."""
    data = dict(form.cleaned_data)
    f = data.pop("evidence")
    try:
        services.notice_save(
            actor=request.user,
            contract=contract,
            evidence_name=f.name if f else "",
            evidence=f.read() if f else None,
            **data,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@login_required
@require_POST
def notice_delete(request, company_id, notice_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    notice = get_notice(access, notice_id)
    contract_id = notice.contract_id
    services.notice_delete(actor=request.user, notice=notice)
    messages.success(request, _("削除しました。"))
    return redirect(
        "measure:contract_notices", company_id=access.company.pk, contract_id=contract_id
    )


@login_required
def notice_evidence(request, company_id, notice_id):
    access = get_company_access(request, company_id)
    notice = get_notice(access, notice_id)
    if not notice.evidence_name:
        raise Http404
    response = HttpResponse(bytes(notice.evidence), content_type="application/octet-stream")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(notice.evidence_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def calc_settings(request, company_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    form = CalcSettingsForm(request.POST)
    form.is_valid()
    services.calc_settings_save(
        actor=request.user,
        company=access.company,
        allow_estimate=bool(form.cleaned_data.get("allow_estimate")),
    )
    messages.success(request, _("算定の設定を保存しました。"))
    return redirect("measure:company", company_id=access.company.pk)


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
    _put_flags(lines, access.company, year, facility)
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


def _put_flags(lines, company, year, facility) -> None:
    """Give each cell of the grid its questioned month (unconfirmed or confirmed), or None."""
    flags = {
        (f.energy, f.month): _flag_view(f.check, f.unit, f)
        for f in plausibility.flags_of_company(company=company, fiscal_year=year, facility=facility)
    }
    for line in lines:
        for c in line.cells:
            c.flag = flags.get((line.energy, c.month))


def _flag_view(check, unit, flag=None) -> dict:
    """A questioned amount as the grid shows it: the message, and who confirmed it when."""
    return {
        "message": flag_message(check, unit),
        "confirmed": bool(flag and flag.confirmed),
        "confirmed_by": flag.confirmed_by if flag else "",
        "confirmed_at": flag.confirmed_at if flag else None,
    }


@login_required
@require_POST
def grid_cell(request, company_id, facility_id):
    """Save one cell (amount and cost of one energy in one month) as the user types."""
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    form = GridCellForm(request.POST)
    form.is_valid()
    if form.bad_target:
        return HttpResponse(_("月またはエネルギーが正しくありません。"), status=400)
    cell, errors, saved = form.cell(), form.cell_errors(), False
    month, energy, amount = cell["month"], cell["energy"], cell["amount"]
    if not errors:
        try:
            services.grid_cell_save(actor=request.user, facility=facility, **cell)
            saved = True
        except ValidationError as exc:
            errors = [_error_text(exc)]
    return _cell_result(
        request,
        access,
        facility,
        energy,
        month,
        errors=errors,
        saved=saved,
        line=grid_selectors.grid_line(facility=facility, month=month, energy=energy),
        flag=_cell_flag(access, facility, energy, month) if saved and amount is not None else None,
    )


def _grid_redirect(access, facility, year: int, anchor: str = ""):
    """Back to the facility's grid of the year (at ``anchor``)."""
    url = reverse(
        "measure:grid", kwargs={"company_id": access.company.pk, "facility_id": facility.pk}
    )
    return redirect(f"{url}?year={year}{anchor}")


def _cell_result(request, access, facility, energy, month, *, errors, saved, line, flag):
    """The cell as saved (or its errors, 422) with its row's totals and its plausibility flag."""
    context = {"errors": errors, "saved": saved, "energy": energy, "month": month, "line": line}
    context |= {"flag": flag, "company": access.company, "facility": facility}
    return render(request, "measure/grid_cell_result.html", context, status=422 if errors else 200)


def _cell_flag(access, facility, energy, month) -> dict | None:
    flags = plausibility.flags_of_company(
        company=access.company, fiscal_year=rules.fiscal_year_of(month), facility=facility
    )
    f = next((f for f in flags if f.energy == energy and f.month == month), None)
    return _flag_view(f.check, f.unit, f) if f else None


@login_required
@require_POST
def grid_confirm(request, company_id, facility_id):
    """Confirm a questioned month as right (stored with its records: who, when)."""
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    form = GridTargetForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("月またはエネルギーが正しくありません。"), status=400)
    month, energy = form.cleaned_data["month"], form.cleaned_data["energy"]
    services.records_confirm(actor=request.user, facility=facility, energy=energy, month=month)
    if request.htmx:
        flag = _cell_flag(access, facility, energy, month)
        return _cell_result(
            request, access, facility, energy, month, errors=[], saved=False, line=None, flag=flag
        )
    messages.success(request, _("値を確認済みにしました。"))
    nxt = request.POST.get("next", "")
    if nxt == "dashboard":
        url = reverse("measure:dashboard", kwargs={"company_id": access.company.pk})
        return redirect(f"{url}?year={rules.fiscal_year_of(month)}#flags")
    return _grid_redirect(access, facility, rules.fiscal_year_of(month))


@login_required
@require_POST
def grid_row_add(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    year = _year(request, calc.current_fiscal_year())
    form = GridRowForm(request.POST)
    if form.is_valid():
        energy = form.cleaned_data["energy"]
        unit = form.cleaned_data["unit"].strip() or services.default_unit(
            facility=facility, energy=energy
        )
        try:
            services.grid_row_add(
                actor=request.user, facility=facility, fiscal_year=year, energy=energy, unit=unit
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    else:
        messages.error(request, _("エネルギーを選んでください。"))
    return _grid_redirect(access, facility, year)


@login_required
@require_POST
def grid_copy(request, company_id, facility_id):
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    year = _year(request, calc.current_fiscal_year())
    n = services.grid_rows_copy(actor=request.user, facility=facility, fiscal_year=year)
    messages.success(request, _("前年度の行を %(n)d 行コピーしました。") % {"n": n})
    return _grid_redirect(access, facility, year)


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
    return _grid_redirect(access, facility, year)


@login_required
@require_POST
def use_shares(request, company_id, facility_id):
    """Save how one energy of the facility divides among uses (percent)."""
    access, facility = get_facility_access(request, company_id, facility_id, need=Need.EDIT)
    year = _year(request, calc.current_fiscal_year())
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
    return _grid_redirect(access, facility, year, anchor="#uses")


# --------------------------------------------------------------------------- imports


@login_required
def import_upload(request, company_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 422 if form.errors else 200
    if request.method == "POST" and form.is_valid():
        imp, status = _import_stored(request, access, form)
        if imp is not None:
            tasks.import_plan.enqueue(import_id=imp.pk)
            return redirect(
                "measure:import_preview", company_id=access.company.pk, import_id=imp.pk
            )
    return render(
        request,
        "measure/import_upload.html",
        {"form": form, "company": access.company, "access": access},
        status=status,
    )


def _import_stored(request, access, form) -> tuple:
    """Store the valid form's file as a new import: (the import, None), or (None, the status)
    with the refusal on the form: 413 for a file too large, 429 while the company's other
    imports are being read, else 422."""
    f = form.cleaned_data["file"]
    try:
        # The size is known before the file is read; the other limits before parsing.
        limits.check_size(f.size)
        imp = services.import_upload(
            actor=request.user, company=access.company, filename=f.name, data=f.read()
        )
    except limits.LimitExceeded as exc:
        form.add_error("file", services.limit_message(exc))
        return None, 413
    except ValidationError as exc:
        form.add_error("file", _error_text(exc))
        codes = {e.code for e in exc.error_list} if hasattr(exc, "error_list") else set()
        codes |= {e.code for errs in getattr(exc, "error_dict", {}).values() for e in errs}
        return None, 413 if "too_large" in codes else 429 if "busy" in codes else 422
    return imp, None


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
    """Reads the plan the task worker stored; while it works, the page polls (HTMX)."""
    access = get_company_access(request, company_id, need=Need.EDIT)
    imp = get_import(access, import_id)
    page = import_selectors.preview_page(imp)
    if request.htmx and not page["working"]:
        # The worker finished while the page polled: load the full page (the preview, or the
        # dashboard once the file is written).
        response = HttpResponse(status=204)
        response["HX-Redirect"] = (
            reverse("measure:company", args=[access.company.pk])
            if imp.status == ImportStatus.COMMITTED
            else request.path
        )
        return response
    template = "measure/import_preview.html" + ("#working" if request.htmx else "")
    return render(request, template, {"company": access.company, **page})


@login_required
@require_POST
def import_confirm(request, company_id, import_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    imp = get_import(access, import_id)
    try:
        services.import_queue_commit(energy_import=imp)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("measure:import_preview", company_id=access.company.pk, import_id=imp.pk)
    tasks.import_commit.enqueue(import_id=imp.pk, actor_id=request.user.pk)
    imp.refresh_from_db()
    if imp.status == ImportStatus.COMMITTED:  # the worker was quick (or runs in-process)
        messages.success(
            request,
            _("取り込みました: 新規 %(new)d 行、変更 %(changed)d 行、変更なし %(unchanged)d 行。")
            % imp.summary,
        )
        return redirect("measure:company", company_id=access.company.pk)
    if imp.preview.get("commit_error"):
        messages.error(request, imp.preview["commit_error"])
    return redirect("measure:import_preview", company_id=access.company.pk, import_id=imp.pk)


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
    company = access.company
    year = _year(request, lambda: calc.default_fiscal_year(company=company))
    use_unset = _("用途の指定なし")
    facilities = selectors.facilities_of(company=company)
    # the figures are computed only where their rendered section is not in the cache
    d = SimpleLazyObject(
        lambda: dashboard_selectors.dashboard(
            company=company, fiscal_year=year, use_unset=use_unset, facilities=facilities
        )
    )
    section = charts.dashboard_section(
        company=company, fiscal_year=year, use_unset=use_unset, facilities=facilities, dashboard=d
    )
    flags = _flag_list(company, year, facilities)
    context = {"access": access, "company": company, "d": d, "year": year, "section": section}
    context |= {
        "years": dashboard_selectors.years_of(company=company, fiscal_year=year),
        "shown": {"fiscal_year": year},  # what statements' period include reads
        "flags": flags,
        "unconfirmed_flags": sum(1 for f in flags if not f["confirmed"]),
    }
    return render(request, "measure/dashboard.html", context)


def _flag_list(company, year, facilities=None) -> list[dict]:
    """The year's questioned values as the dashboard lists them (unconfirmed first)."""
    return [
        {
            "facility": f.facility,
            "energy": f.energy,
            "energy_label": energy_label(f.energy),
            "month": f.month,
            "amount": f.amount,
            "unit": f.unit,
            "message": flag_message(f.check, f.unit),
            "confirmed": f.confirmed,
            "confirmed_by": f.confirmed_by,
            "confirmed_at": f.confirmed_at,
        }
        for f in plausibility.dashboard_flags(
            company=company, fiscal_year=year, facilities=facilities
        )
    ]


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
                add_service_errors(form, exc)
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
