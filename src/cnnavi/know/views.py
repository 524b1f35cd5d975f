"""The self-check sheet and the stage diagnosis (anonymous, one step per screen), results saved
to a company, and the staff's counts and versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.pdf import pdf_response
from cnnavi.know import selectors, services
from cnnavi.know.access import get_company_diagnosis, session_diagnosis, session_self_check
from cnnavi.know.checksheet import ITEMS, SOURCE_URL, STEPS, items_by_step
from cnnavi.know.forms import SaveForm, SelfCheckForm, StartForm, StatsFilterForm, StepForm
from cnnavi.know.links import help_items
from cnnavi.know.reports import result_pdf, usage_csv
from cnnavi.orgs.access import Need, get_company_access, get_staff_office

STATE = "know.diagnosis"


def _language() -> str:
    return (get_language() or "ja")[:2]


# --- Self-check sheet --------------------------------------------------------------------------
def self_check(request):
    companies = selectors.member_companies(user=request.user, editable=True)
    form = SelfCheckForm(request.POST if request.method == "POST" else None, companies=companies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        company = data.get("company")
        if company is not None:
            company = get_company_access(request, company.pk, need=Need.EDIT).company
        result = services.self_check_create(
            checked=data["checked"],
            prefecture=data.get("prefecture", ""),
            industry=data.get("industry", ""),
            actor=request.user,
            company=company,
        )
        request.session["know.self_check"] = result.pk
        return redirect("know:self_check_result")
    return render(
        request,
        "know/self_check.html",
        {"form": form, "steps": items_by_step(), "source_url": SOURCE_URL},
    )


def self_check_result(request):
    result = session_self_check(request)
    if result is None:
        return redirect("know:self_check")
    checked = set(result.checked)
    steps = [
        {
            "step": step,
            "checked": sum(1 for i in items if i.number in checked),
            "total": len(items),
            "items": [
                {"item": i, "done": i.number in checked, "help": help_items(i.help)} for i in items
            ],
        }
        for step, items in items_by_step()
    ]
    return render(
        request,
        "know/self_check_result.html",
        {"result": result, "steps": steps, "total": len(ITEMS), "step_count": len(STEPS)},
    )


# --- Stage diagnosis ---------------------------------------------------------------------------
def diagnosis(request):
    """The start page: what the diagnosis is, and optional details for the counts."""
    version = selectors.current_version()
    if version is None:
        raise Http404
    companies = selectors.member_companies(user=request.user)
    form = StartForm(request.POST if request.method == "POST" else None, companies=companies)
    if request.method == "POST" and form.is_valid():
        company = form.cleaned_data.get("company")
        if company is not None:
            company = get_company_access(request, company.pk).company
        request.session[STATE] = {
            "version": version.pk,
            "answers": {},
            "prefecture": form.cleaned_data.get("prefecture", ""),
            "industry": form.cleaned_data.get("industry", ""),
            "company": company.pk if company else None,
            "reached": 1,
        }
        return redirect(reverse("know:diagnosis_questions") + "?step=1")
    definition = selectors.definition_of(version)
    return render(
        request,
        "know/diagnosis_start.html",
        {
            "form": form,
            "version": version,
            "definition_steps": definition.steps,
            "language": _language(),
            "last": session_diagnosis(request),
        },
    )


def diagnosis_questions(request):
    state = request.session.get(STATE)
    version = None
    if state:
        version = selectors.version_by_pk(state.get("version"))
    if version is None:
        return redirect("know:diagnosis")
    definition = selectors.definition_of(version)
    total = len(definition.steps)
    try:
        step = int(request.POST.get("step") or request.GET.get("step") or 1)
    except ValueError:
        step = 1
    step = max(1, min(step, state.get("reached", 1), total))
    company = None
    if state.get("company"):
        company = get_company_access(request, state["company"]).company
    suggestions = selectors.suggested_answers(company=company, definition=definition)
    initial = {**suggestions, **state["answers"]}
    form = StepForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        definition=definition,
        step_index=step - 1,
        language=_language(),
    )
    if request.method == "POST" and form.is_valid():
        state["answers"].update(form.cleaned_data)
        state["reached"] = max(state.get("reached", 1), step + 1)
        request.session[STATE] = state
        if step < total:
            return redirect(reverse("know:diagnosis_questions") + f"?step={step + 1}")
        result = services.diagnosis_create(
            version=version,
            answers=state["answers"],
            language=_language(),
            prefecture=state.get("prefecture", ""),
            industry=state.get("industry", ""),
            actor=request.user,
        )
        del request.session[STATE]
        request.session["know.result"] = result.pk
        return redirect("know:diagnosis_result")
    status = 400 if request.method == "POST" else 200
    suggested = [
        code
        for code in suggestions
        if code in form.fields and str(form[code].value()) == suggestions[code]
    ]
    return render(
        request,
        "know/diagnosis_step.html",
        {
            "form": form,
            "step": step,
            "total": total,
            "steps": definition.steps,
            "current": definition.steps[step - 1],
            "language": _language(),
            "suggested": suggested,
            "company": company,
            "percent": int(100 * (step - 1) / total),
        },
        status=status,
    )


def diagnosis_result(request):
    diagnosis = session_diagnosis(request)
    if diagnosis is None:
        return redirect("know:diagnosis")
    companies = selectors.member_companies(user=request.user, editable=True)
    definition, result = selectors.scored(diagnosis)
    return render(
        request,
        "know/diagnosis_result.html",
        {
            "diagnosis": diagnosis,
            "view": selectors.result_view(definition, result, _language()),
            "save_form": SaveForm(companies=companies) if companies else None,
            "login_url": reverse("account_login") + "?next=" + reverse("know:diagnosis_result"),
        },
    )


@login_required
@require_POST
def diagnosis_save(request):
    diagnosis = session_diagnosis(request)
    if diagnosis is None:
        return redirect("know:diagnosis")
    companies = selectors.member_companies(user=request.user, editable=True)
    form = SaveForm(request.POST, companies=companies)
    if not form.is_valid():
        messages.error(
            request, _("保存する企業を選んでください（編集権限のある企業だけ選べます）。")
        )
        return redirect("know:diagnosis_result")
    access = get_company_access(request, form.cleaned_data["company"].pk, need=Need.EDIT)
    try:
        services.diagnosis_save(actor=request.user, diagnosis=diagnosis, company=access.company)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("know:diagnosis_result")
    messages.success(
        request, _("診断結果を %(company)s に保存しました。") % {"company": access.company.name}
    )
    return redirect(
        "know:company_diagnosis", company_id=access.company.pk, diagnosis_id=diagnosis.pk
    )


def diagnosis_result_pdf(request):
    diagnosis = session_diagnosis(request)
    if diagnosis is None:
        raise Http404
    definition, result = selectors.scored(diagnosis)
    view = selectors.result_view(definition, result, _language())
    pdf = result_pdf(
        view=view,
        diagnosis=diagnosis,
        company=None,
        language=_language(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return pdf_response(pdf, f"cnnavi-diagnosis-{diagnosis.created_at:%Y%m%d}.pdf")


# --- A company's history ---------------------------------------------------------------------
@login_required
def company_diagnoses(request, company_id):
    access = get_company_access(request, company_id)
    diagnoses = list(selectors.company_diagnoses(company=access.company))
    rows = []
    for i, d in enumerate(diagnoses):
        before = diagnoses[i + 1] if i + 1 < len(diagnoses) else None
        rows.append({"diagnosis": d, "before": before})
    return render(
        request,
        "know/company_diagnoses.html",
        {
            "access": access,
            "company": access.company,
            "rows": rows,
            "self_checks": selectors.company_self_checks(company=access.company)[:10],
            "total_items": len(ITEMS),
        },
    )


@login_required
def company_diagnosis(request, company_id, diagnosis_id):
    access, diagnosis = get_company_diagnosis(request, company_id, diagnosis_id)
    definition, result = selectors.scored(diagnosis)
    before = selectors.previous_diagnosis(diagnosis=diagnosis)
    return render(
        request,
        "know/company_diagnosis.html",
        {
            "company": access.company,
            "diagnosis": diagnosis,
            "view": selectors.result_view(definition, result, _language()),
            "comparison": selectors.comparison_view(before, diagnosis, _language())
            if before
            else None,
        },
    )


@login_required
def company_diagnosis_pdf(request, company_id, diagnosis_id):
    access, diagnosis = get_company_diagnosis(request, company_id, diagnosis_id)
    definition, result = selectors.scored(diagnosis)
    view = selectors.result_view(definition, result, _language())
    pdf = result_pdf(
        view=view,
        diagnosis=diagnosis,
        company=access.company,
        language=_language(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return pdf_response(pdf, f"cnnavi-diagnosis-{diagnosis.pk}.pdf")


# --- Support staff -----------------------------------------------------------------------------
def _stats_filters(request):
    form = StatsFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filters


@login_required
def staff_index(request):
    office = get_staff_office(request)
    form, filters = _stats_filters(request)
    counts = selectors.usage_counts(**filters) if form.is_valid() or not form.is_bound else None
    chart = None
    if counts:
        chart = {
            "months": [m["month"] for m in counts["months"]],
            "stages": [s["label"] for s in counts["stages"]],
            "by_stage": [[m["by_stage"][i] for m in counts["months"]] for i in range(4)],
            "self_checks": [m["self_checks"] for m in counts["months"]],
            "labels": {"self_checks": _("セルフチェック"), "count": _("件数")},
        }
    return render(
        request,
        "know/staff_index.html",
        {
            "office": office,
            "form": form,
            "counts": counts,
            "chart": chart,
            "query": request.GET.urlencode(),
        },
        status=200 if counts is not None else 400,
    )


@login_required
def staff_export(request):
    get_staff_office(request)
    form, filters = _stats_filters(request)
    if form.is_bound and not form.is_valid():
        return render(request, "know/staff_index.html", {"form": form, "counts": None}, status=400)
    return usage_csv(selectors.usage_counts(**filters))


@login_required
def staff_versions(request):
    office = get_staff_office(request)
    return render(
        request,
        "know/staff_versions.html",
        {
            "office": office,
            "versions": selectors.versions_with_counts(),
            "current": selectors.current_version(),
        },
    )
