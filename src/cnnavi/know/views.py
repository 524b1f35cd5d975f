"""The self-check sheet and the stage diagnosis (anonymous, one step per screen), results saved
to a company, and the staff's counts and versions."""

import json

from django.conf import settings
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
from cnnavi.know.access import (
    get_company_diagnosis,
    get_staff_version,
    session_diagnosis,
    session_self_check,
)
from cnnavi.know.checksheet import ITEMS, SOURCE_URL, STEPS, items_by_step
from cnnavi.know.forms import (
    SaveForm,
    SelfCheckForm,
    StartForm,
    StatsFilterForm,
    StepForm,
    VersionForm,
)
from cnnavi.know.links import help_items
from cnnavi.know.reports import result_pdf, usage_csv
from cnnavi.know.session import RESULT_COMPANY, AnswerSession
from cnnavi.orgs.access import Need, get_company_access, get_staff_office


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
        status=422 if form.is_bound else 200,
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
        AnswerSession.start(
            request,
            version=version,
            prefecture=form.cleaned_data.get("prefecture", ""),
            industry=form.cleaned_data.get("industry", ""),
            company=company,
        )
        return redirect(reverse("know:diagnosis_questions") + "?step=1")
    context = {
        "form": form,
        "version": version,
        "definition_steps": selectors.definition_of(version).steps,
        "language": _language(),
        "last": session_diagnosis(request),
    }
    status = 422 if form.is_bound else 200
    return render(request, "know/diagnosis_start.html", context, status=status)


def diagnosis_questions(request):
    """One step per screen; the last step stores and scores the answer set."""
    flow = AnswerSession(request)
    version = flow.version()
    if version is None:
        return redirect("know:diagnosis")
    definition = selectors.definition_of(version)
    total = len(definition.steps)
    step = flow.step(request.POST.get("step") or request.GET.get("step"), total=total)
    company = get_company_access(request, flow.company_id).company if flow.company_id else None
    suggestions = selectors.suggested_answers(company=company, definition=definition)
    form = StepForm(
        request.POST if request.method == "POST" else None,
        initial={**suggestions, **flow.answers},
        definition=definition,
        step_index=step - 1,
        language=_language(),
    )
    if request.method == "POST" and form.is_valid():
        flow.record(step, form.cleaned_data)
        if step < total:
            return redirect(reverse("know:diagnosis_questions") + f"?step={step + 1}")
        return _finish(request, flow, version)
    context = _step_context(form, definition, step, company, suggestions)
    return render(
        request, "know/diagnosis_step.html", context, status=422 if form.is_bound else 200
    )


def _finish(request, flow: AnswerSession, version):
    """The last step answered: store and score the answer set, show the result."""
    try:
        result = services.diagnosis_create(
            version=version,
            answers=flow.answers,
            language=_language(),
            prefecture=flow.prefecture,
            industry=flow.industry,
            actor=request.user,
        )
    except ValidationError:
        flow.clear()
        messages.error(request, _("回答を読み取れませんでした。もう一度始めてください。"))
        return redirect("know:diagnosis")
    flow.finish(result)
    return redirect("know:diagnosis_result")


def _step_context(form, definition, step, company, suggestions) -> dict:
    return {
        "form": form,
        "step": step,
        "total": len(definition.steps),
        "steps": definition.steps,
        "current": definition.steps[step - 1],
        "language": _language(),
        "company": company,
        # Questions still showing what CN Navi suggested (not what the user chose).
        "suggested": [
            code
            for code, choice in suggestions.items()
            if code in form.fields and str(form[code].value()) == choice
        ],
    }


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
            "save_form": SaveForm(
                companies=companies, initial={"company": request.session.get(RESULT_COMPANY)}
            )
            if companies
            else None,
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
        base_url=settings.CNNAVI_BASE_URL,
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
        base_url=settings.CNNAVI_BASE_URL,
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
    chart = selectors.usage_chart(counts) if counts and counts["months"] else None
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
        status=200 if counts is not None else 422,
    )


@login_required
def staff_export(request):
    get_staff_office(request)
    form, filters = _stats_filters(request)
    if form.is_bound and not form.is_valid():
        return render(request, "know/staff_index.html", {"form": form, "counts": None}, status=422)
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


def _version_page(request, version, form=None, *, problems=(), status=200):
    if form is None and version.is_editable:
        form = VersionForm(
            initial={
                "definition": json.dumps(version.definition, ensure_ascii=False, indent=2),
                "note": version.note,
            }
        )
    return render(
        request,
        "know/staff_version.html",
        {
            "version": version,
            "form": form,
            "problems": problems,
            "previews": selectors.version_preview(version),
            "definition_json": json.dumps(version.definition, ensure_ascii=False, indent=2),
        },
        status=status,
    )


@login_required
def staff_version(request, version_id):
    """A version: its questions in Japanese and English; a draft's definition is edited here."""
    version = get_staff_version(request, version_id, edit=request.method == "POST")
    if request.method != "POST":
        return _version_page(request, version)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            services.diagnosis_version_update(
                actor=request.user,
                version=version,
                definition=form.cleaned_data["definition"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("v%(n)d を保存しました。") % {"n": version.number})
            return redirect("know_staff:version", version_id=version.pk)
    return _version_page(request, version, form, status=422)


@login_required
@require_POST
def staff_version_copy(request, version_id):
    version = get_staff_version(request, version_id)
    copy = services.diagnosis_version_copy(actor=request.user, version=version)
    messages.success(
        request,
        _("v%(from)d から下書き v%(n)d を作りました。")
        % {"from": version.number, "n": copy.number},
    )
    return redirect("know_staff:version", version_id=copy.pk)


@login_required
@require_POST
def staff_version_publish(request, version_id):
    version = get_staff_version(request, version_id, edit=True)
    try:
        services.diagnosis_version_publish(actor=request.user, version=version)
    except ValidationError as exc:
        problems = exc.message_dict.get("definition", []) if hasattr(exc, "error_dict") else []
        return _version_page(request, version, problems=problems or exc.messages, status=422)
    messages.success(
        request,
        _("v%(n)d を公開しました。新しい回答はこの版で診断します。") % {"n": version.number},
    )
    return redirect("know_staff:version", version_id=version.pk)
