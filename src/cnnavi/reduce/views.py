from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.forms import add_service_errors
from cnnavi.orgs import selectors as org_selectors
from cnnavi.orgs.access import Need, get_company_access, get_staff_office
from cnnavi.reduce import data, exports, selectors, services
from cnnavi.reduce.access import get_catalogue_measure, get_plan_measure
from cnnavi.reduce.forms import AddMeasuresForm, CatalogueForm, PlanForm, PlanMeasureForm
from cnnavi.reduce.models import Status


@login_required
def index(request):
    """The plan of the user's company (or a choice when the user has several)."""
    memberships = list(org_selectors.memberships_of_user(user=request.user))
    if len(memberships) == 1:
        return redirect("reduce:plan", company_id=memberships[0].company_id)
    return render(request, "reduce/index.html", {"memberships": memberships})


@login_required
def plan(request, company_id):
    access = get_company_access(request, company_id)
    plan = selectors.plan_of(company=access.company)
    ov = selectors.cached_plan_overview(
        company=access.company, plan=plan, basis=request.GET.get("basis")
    )
    return render(request, "reduce/plan.html", _plan_context(request, access, plan, ov))


def _plan_context(request, access, plan, ov) -> dict:
    add_form = None
    if plan and access.can_edit:
        add_form = AddMeasuresForm(
            queryset=selectors.catalogue().exclude(pk__in=[r.pm.measure_id for r in ov.rows]),
            language=get_language(),
        )
    return {
        "access": access,
        "company": access.company,
        "plan": plan,
        "ov": ov,
        "add_form": add_form,
        "statuses": Status.choices,
        "chart_data": (chart_data := selectors.chart_data(ov, language=get_language())),
        "figures": selectors.chart_figures(chart_data),
    }


@login_required
@require_POST
def measure_status(request, company_id, plan_measure_id):
    """Change a measure's status from the plan table (HTMX: the table is re-rendered)."""
    access = get_company_access(request, company_id, need=Need.EDIT)
    pm = get_plan_measure(access, plan_measure_id)
    status = request.POST.get("status", "")
    if status not in Status.values:
        return HttpResponseBadRequest(_("状況を選んでください。"))
    fields = {"status": status}
    if status == Status.DONE and pm.done_on is None:
        fields["done_on"] = timezone.localdate()
    try:
        services.measure_update(actor=request.user, plan_measure=pm, **fields)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponseBadRequest(" ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
        return redirect("reduce:plan", company_id=access.company.pk)
    if request.htmx:
        return _measures_table(request, access, pm)
    messages.success(request, _("対策を保存しました。"))
    return redirect("reduce:plan", company_id=access.company.pk)


def _measures_table(request, access, pm) -> HttpResponse:
    """The plan's table again, with 「保存しました」 by the select, and the same words in the
    page's live region (outside the swapped table, so screen readers announce them)."""
    plan = pm.plan
    basis = request.POST.get("basis") or plan.basis
    ov = selectors.cached_plan_overview(company=access.company, plan=plan, basis=basis)
    context = _plan_context(request, access, plan, ov)
    context["saved_pm"] = pm.pk
    html = render_to_string("reduce/plan.html#measures", context, request=request)
    live = format_html('<p id="measures-live" hx-swap-oob="innerHTML">{}</p>', _("保存しました"))
    return HttpResponse(html + live)


@login_required
@require_POST
def target_use_sbt(request, company_id):
    """Set the near-term target to the SBT SME proposal (2030, the proposed share)."""
    access = get_company_access(request, company_id, need=Need.EDIT)
    plan = selectors.plan_of(company=access.company)
    if plan is None:
        return redirect("reduce:target", company_id=access.company.pk)
    share = selectors.sbt_sme_near_term_share(plan.base_year)
    if share is None:
        messages.error(request, _("中小企業版SBTの短期目標には2029年度以前の基準年度が必要です。"))
        return redirect("reduce:plan", company_id=access.company.pk)
    try:
        services.plan_save(
            actor=request.user, company=access.company, near_year=2030, near_share=share
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("中期目標を中小企業版SBTの提案の値にしました。"))
    return redirect("reduce:plan", company_id=access.company.pk)


@login_required
def target(request, company_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    company = access.company
    plan = selectors.plan_of(company=company)
    years = data.fiscal_years_with_data(company=company)
    initial = selectors.proposed_targets(company=company, years=years) if plan is None else {}
    form = PlanForm(request.POST or None, instance=plan, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(actor=request.user, company=company, **form.plan_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _say_target_saved(request, form)
            return redirect("reduce:plan", company_id=company.pk)
    context = {
        "company": company,
        "form": form,
        "years": years,
        "completeness": _chosen_base_year_completeness(company, form),
        "criteria": selectors.SBT_SME_CRITERIA,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "reduce/target_form.html", context, status=status)


def _say_target_saved(request, form) -> None:
    messages.success(request, _("目標を保存しました。"))
    if form.cleaned_data.get("follows_sbt_sme"):
        messages.info(
            request,
            _(
                "中小企業版SBTに合わせて、中期目標を%(year)d年度・%(pct)s%%、"
                "長期目標を2050年度・100%%（ネットゼロ）にしました。"
            )
            % {
                "year": form.cleaned_data["near_year"],
                "pct": f"{form.cleaned_data['near_pct']:.1f}",
            },
        )


def _chosen_base_year_completeness(company, form):
    """The completeness of the base year chosen on the form (None before one is chosen)."""
    value = form["base_year"].value()
    try:
        base_year = int(value) if value else None
    except (TypeError, ValueError):
        return None
    if base_year is None:
        return None
    return data.base_year_completeness(company=company, fiscal_year=base_year)


@login_required
@require_POST
def measures_add(request, company_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    plan = selectors.plan_of(company=access.company)
    if plan is None:
        messages.error(request, _("先に目標（基準年度）を設定してください。"))
        return redirect("reduce:target", company_id=access.company.pk)
    form = AddMeasuresForm(request.POST, queryset=selectors.catalogue(), language=get_language())
    if not form.is_valid():
        ov = selectors.cached_plan_overview(company=access.company, plan=plan)
        context = _plan_context(request, access, plan, ov)
        context["add_form"] = form
        context["add_open"] = True
        return render(request, "reduce/plan.html", context, status=422)
    added = services.measures_add(
        actor=request.user,
        plan=plan,
        measures=list(form.cleaned_data["measures"]),
        start_year=form.cleaned_data["start_year"],
    )
    messages.success(request, _("%(n)d件の対策を追加しました。") % {"n": len(added)})
    return redirect("reduce:plan", company_id=access.company.pk)


@login_required
def measure_edit(request, company_id, plan_measure_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    pm = get_plan_measure(access, plan_measure_id)
    form = PlanMeasureForm(request.POST or None, instance=pm)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(actor=request.user, plan_measure=pm, **form.update_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("対策を保存しました。"))
            return redirect("reduce:plan", company_id=access.company.pk)
    return render(
        request,
        "reduce/measure_form.html",
        {"company": access.company, "pm": pm, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def measure_delete(request, company_id, plan_measure_id):
    access = get_company_access(request, company_id, need=Need.EDIT)
    pm = get_plan_measure(access, plan_measure_id)
    services.measure_remove(actor=request.user, plan_measure=pm)
    messages.success(request, _("対策を計画から外しました。"))
    return redirect("reduce:plan", company_id=access.company.pk)


@login_required
def export_xlsx(request, company_id):
    access = get_company_access(request, company_id)
    plan = selectors.plan_of(company=access.company)
    ov = selectors.plan_overview(company=access.company, plan=plan, basis=request.GET.get("basis"))
    return exports.xlsx_response(ov, language=get_language())


@login_required
def export_pdf(request, company_id):
    access = get_company_access(request, company_id)
    plan = selectors.plan_of(company=access.company)
    ov = selectors.plan_overview(company=access.company, plan=plan, basis=request.GET.get("basis"))
    return exports.pdf_response_for(ov, language=get_language())


# --------------------------------------------------------------------------- staff: catalogue


@login_required
def catalogue_list(request):
    get_staff_office(request)
    return render(
        request,
        "reduce/staff/catalogue_list.html",
        {"measures": selectors.catalogue(active_only=False)},
    )


@login_required
def catalogue_edit(request, code=None):
    get_staff_office(request)
    measure = get_catalogue_measure(code) if code else None
    form = CatalogueForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        new_code = fields.pop("code", "")
        try:
            services.catalogue_save(actor=request.user, measure=measure, code=new_code, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("対策を保存しました。"))
            return redirect("reduce_staff:catalogue_list")
    return render(
        request,
        "reduce/staff/catalogue_form.html",
        {"form": form, "measure": measure},
        status=422 if request.method == "POST" else 200,
    )
