"""The office's back-office pages for availability, CO2-support applications and hands-on
cases (mounted under /staff/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.forms import form_status
from cnnavi.consultations import selectors, services
from cnnavi.consultations.access import (
    get_office_calc_case,
    get_office_criterion,
    get_office_rule,
)
from cnnavi.consultations.forms import (
    AcceptForm,
    AvailabilityRuleForm,
    ClosedDayForm,
    CriterionForm,
    DeclineForm,
    HandsOnSettingsForm,
)
from cnnavi.consultations.models import CalcCaseStatus
from cnnavi.core.spreadsheet import csv_writer
from cnnavi.orgs import selectors as org_selectors
from cnnavi.orgs import services as org_services
from cnnavi.orgs.access import get_staff_office


def _availability_page(request, office, rule_form=None, closed_form=None, to_cancel=None):
    experts = org_selectors.experts_of_office(office=office)
    return render(
        request,
        "consultations/staff_availability.html",
        {
            "office": office,
            "rules": selectors.rules_of_office(office=office),
            "closed_days": selectors.closed_days_of_office(office=office),
            "bookings": selectors.bookings_of_office(office=office),
            "free_count": selectors.free_slots(office=office).count(),
            "rule_form": rule_form or AvailabilityRuleForm(experts=experts),
            "closed_form": closed_form or ClosedDayForm(experts=experts),
            "to_cancel": to_cancel,
        },
        status=form_status(rule_form, closed_form),
    )


@login_required
def availability(request):
    office = get_staff_office(request)
    experts = org_selectors.experts_of_office(office=office)
    form = None
    if request.method == "POST":
        form = AvailabilityRuleForm(request.POST, experts=experts)
        if form.is_valid():
            services.availability_add(actor=request.user, office=office, **form.cleaned_data)
            messages.success(request, _("相談可能な時間を追加しました。予約枠を作成してください。"))
            return redirect("consultations_staff:availability")
    return _availability_page(request, office, rule_form=form)


@login_required
@require_POST
def rule_delete(request, rule_id):
    office = get_staff_office(request)
    services.availability_delete(
        actor=request.user, office=office, rule=get_office_rule(office, rule_id)
    )
    messages.success(request, _("相談可能な時間を削除しました（作成済みの枠は残ります）。"))
    return redirect("consultations_staff:availability")


@login_required
@require_POST
def closed_day(request):
    """Close a day. When it has bookings, they are listed first; saving again with them
    acknowledged cancels them and tells each client."""
    office = get_staff_office(request)
    form = ClosedDayForm(request.POST, experts=org_selectors.experts_of_office(office=office))
    if not form.is_valid():
        return _availability_page(request, office, closed_form=form)
    try:
        services.closed_day_add(actor=request.user, office=office, **form.cleaned_data)
    except services.BookingsOnDay as exc:
        return _availability_page(request, office, closed_form=form, to_cancel=exc.bookings)
    if form.cleaned_data["acknowledged"]:
        messages.success(
            request,
            _(
                "休業日を登録しました。%(n)d 件の予約をキャンセルし、相談者に予約し直しの案内を"
                "メールで送りました。"
            )
            % {"n": len(form.cleaned_data["acknowledged"])},
        )
    else:
        messages.success(request, _("休業日を登録し、その日の空き枠を取り下げました。"))
    return redirect("consultations_staff:availability")


@login_required
@require_POST
def generate(request):
    office = get_staff_office(request)
    created = services.slots_generate(actor=request.user, office=office)
    messages.success(
        request,
        _("今後6週間の予約枠を %(n)d 件作成しました（祝日と休業日を除く）。") % {"n": created},
    )
    return redirect("consultations_staff:availability")


@login_required
def export_csv(request):
    office = get_staff_office(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
    response.write("\ufeff")  # so that Excel opens the UTF-8 file as UTF-8
    writer = csv_writer(response)
    writer.writerows(selectors.office_csv_rows(office=office))
    return response


@login_required
def calc_list(request):
    office = get_staff_office(request)
    return render(
        request,
        "consultations/staff_calc_list.html",
        {"office": office, "cases": selectors.calc_cases_of_office(office=office)},
    )


@login_required
def calc_case(request, calc_case_id):
    office = get_staff_office(request)
    case = get_office_calc_case(office, calc_case_id)
    experts = org_selectors.experts_of_office(office=office)
    forms = {"accept_form": AcceptForm(experts=experts), "decline_form": DeclineForm()}
    if request.method == "POST" and case.status == CalcCaseStatus.APPLIED:
        decline = request.POST.get("action") == "decline"
        form = DeclineForm(request.POST) if decline else AcceptForm(request.POST, experts=experts)
        forms["decline_form" if decline else "accept_form"] = form
        if form.is_valid() and _calc_case_decided(request, office, case, form, decline=decline):
            return redirect("consultations_staff:calc_list")
    context = {
        "office": office,
        "case": case,
        "used": selectors.visits_used(company=case.company),
        "visits": selectors.visits_of_case(case=case),
        **forms,
    }
    return render(request, "consultations/staff_calc_case.html", context)


def _calc_case_decided(request, office, case, form, *, decline: bool) -> bool:
    """Decline the application, or accept it with the chosen expert assigned to the company;
    a refusal is shown as a message."""
    data = form.cleaned_data
    try:
        if decline:
            services.calc_case_decline(actor=request.user, office=office, case=case, **data)
            messages.success(request, _("お断りしました。企業にメールで知らせました。"))
        else:
            expert = data["expert"]
            org_services.expert_assign(
                actor=request.user, office=office, company=case.company, expert=expert
            )
            services.calc_case_accept(actor=request.user, office=office, case=case, expert=expert)
            messages.success(
                request, _("受け付けて、専門家を担当にしました。企業にメールで知らせました。")
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    return True


@login_required
def handson_list(request):
    office = get_staff_office(request)
    return render(
        request,
        "consultations/staff_handson_list.html",
        {"office": office, "cases": selectors.handson_cases_of_office(office=office)},
    )


def _settings_page(request, office, settings_form=None, criterion_form=None):
    return render(
        request,
        "consultations/staff_handson_settings.html",
        {
            "office": office,
            "required": selectors.required_hearings(office),
            "criteria": selectors.criteria_of(office=office, active_only=False),
            "settings_form": settings_form
            or HandsOnSettingsForm(
                initial={"required_hearings": selectors.required_hearings(office)}
            ),
            "criterion_form": criterion_form or CriterionForm(),
        },
        status=form_status(settings_form, criterion_form),
    )


@login_required
def handson_settings(request):
    """The office's screening rules: hearings required before a decision, and the criteria."""
    office = get_staff_office(request)
    if request.method == "POST":
        if request.POST.get("form") == "criterion":
            form = CriterionForm(request.POST)
            if form.is_valid():
                services.criterion_save(actor=request.user, office=office, **form.cleaned_data)
                messages.success(request, _("審査基準を追加しました。"))
                return redirect("consultations_staff:handson_settings")
            return _settings_page(request, office, criterion_form=form)
        form = HandsOnSettingsForm(request.POST)
        if form.is_valid():
            services.handson_settings_save(actor=request.user, office=office, **form.cleaned_data)
            messages.success(request, _("設定を保存しました。"))
            return redirect("consultations_staff:handson_settings")
        return _settings_page(request, office, settings_form=form)
    return _settings_page(request, office)


@login_required
@require_POST
def criterion_toggle(request, criterion_id):
    office = get_staff_office(request)
    criterion = get_office_criterion(office, criterion_id)
    services.criterion_save(
        actor=request.user, office=office, criterion=criterion, active=not criterion.active
    )
    messages.success(request, _("審査基準を更新しました。"))
    return redirect("consultations_staff:handson_settings")
