from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.pdf import pdf_response
from cnnavi.consultations import rules, selectors, services
from cnnavi.consultations.access import (
    can_edit_company_data,
    get_bookable_slot,
    get_booking,
    get_booking_by_token,
    get_calc_case,
    get_calc_visit,
    get_handson_case,
    require_role,
)
from cnnavi.consultations.forms import (
    BookingForm,
    BookingRecordForm,
    CalcApplyForm,
    HandsOnApplyForm,
    HearingForm,
    PdcaForm,
    PlanForm,
    PlannedActionFormSet,
    RescheduleForm,
    TransitionForm,
    Visit1Form,
    Visit2Form,
    Visit3Form,
    VisitScheduleForm,
)
from cnnavi.consultations.models import BookingStatus
from cnnavi.consultations.reports import visit_report_pdf
from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import Consent, Expert, Role, consents_in_force


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --- Consultation window (⑤) ------------------------------------------------------------------
def index(request):
    slots = selectors.free_slots()
    mode = request.GET.get("mode")
    if mode in ("online", "office"):
        slots = slots.filter(mode=mode)
    context = {
        "days": selectors.slots_by_day(slots),
        "mode": mode,
        "bookings": (
            selectors.bookings_of_user(user=request.user)[:20]
            if request.user.is_authenticated
            else []
        ),
    }
    template = "consultations/index.html#slots" if request.htmx else "consultations/index.html"
    return render(request, template, context)


def book(request, slot_id):
    slot = get_bookable_slot(slot_id)
    user = request.user
    companies = selectors.company_choices_for(user=user) if user.is_authenticated else None
    initial = {}
    if user.is_authenticated:
        first = companies.first()
        initial = {
            "contact_name": user.name,
            "contact_email": user.email,
            "contact_company": first.name if first else "",
            "contact_phone": selectors.last_contact_phone(user=user),
        }
    form = BookingForm(request.POST or None, companies=companies, slot=slot, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            booking = services.booking_create(
                actor=user, slot=slot, language=get_language(), **data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("予約しました。確認のメール（カレンダー用の.icsファイル付き）を送りました。"),
            )
            if user.is_authenticated:
                return redirect("consultations:booking_detail", booking_id=booking.pk)
            return redirect("consultations:manage", manage_token=services.manage_token(booking))
    deadline = rules.change_deadline(slot.starts_at)
    return render(
        request,
        "consultations/book.html",
        {
            "slot": slot,
            "form": form,
            "deadline": deadline,
            "past_deadline": timezone.now() > deadline,
            "office_phone": slot.expert.office.phone,
        },
    )


def _booking_page(request, booking, *, role, record_form=None, token=None, may_change=True):
    changeable = (
        may_change
        and booking.status == BookingStatus.BOOKED
        and rules.can_change(starts_at=booking.starts_at, now=timezone.now())
    )
    slots = selectors.free_slots().exclude(pk=booking.slot_id)
    return render(
        request,
        "consultations/booking_detail.html",
        {
            "booking": booking,
            "role": role,
            "changeable": changeable,
            "deadline": rules.change_deadline(booking.starts_at),
            "office_phone": booking.expert.office.phone,
            "record_form": record_form,
            "reschedule_form": RescheduleForm(slots=slots) if changeable else None,
            "token": token,
        },
    )


@login_required
def booking_detail(request, booking_id):
    access = get_booking(request, booking_id)
    booking = access.obj
    record_form = None
    if access.role in ("staff", "expert"):
        record_form = BookingRecordForm(
            request.POST or None,
            initial={
                "record": booking.record,
                "follow_up": booking.follow_up,
                "follow_up_done": booking.follow_up_done,
            },
        )
        if request.method == "POST" and record_form.is_valid():
            services.booking_record(actor=request.user, booking=booking, **record_form.cleaned_data)
            messages.success(request, _("相談の記録を保存しました。"))
            return redirect("consultations:booking_detail", booking_id=booking.pk)
    elif request.method == "POST":
        require_role(access, "staff", "expert")
    may_change = access.role != "company" or access.member_role in (Role.OWNER, Role.EDITOR)
    return _booking_page(
        request, booking, role=access.role, record_form=record_form, may_change=may_change
    )


@login_required
def booking_ics(request, booking_id):
    booking = get_booking(request, booking_id).obj
    response = HttpResponse(services.booking_ics(booking), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="consultation-{booking.pk}.ics"'
    return response


def _cancel(request, booking, *, by_office):
    try:
        services.booking_cancel(actor=request.user, booking=booking, by_office=by_office)
        messages.success(request, _("予約をキャンセルしました。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


def _reschedule(request, booking, *, by_office):
    form = RescheduleForm(request.POST, slots=selectors.free_slots())
    if not form.is_valid():
        messages.error(request, _("新しい日時を選んでください。"))
        return
    try:
        services.booking_reschedule(
            actor=request.user, booking=booking, slot=form.cleaned_data["slot"], by_office=by_office
        )
        messages.success(request, _("予約の日時を変更しました。"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def booking_cancel(request, booking_id):
    access = get_booking(request, booking_id)
    if access.role == "company" and access.member_role not in (Role.OWNER, Role.EDITOR):
        require_role(access, "staff", "expert")
    _cancel(request, access.obj, by_office=access.role != "company")
    return redirect("consultations:booking_detail", booking_id=access.obj.pk)


@login_required
@require_POST
def booking_reschedule(request, booking_id):
    access = get_booking(request, booking_id)
    if access.role == "company" and access.member_role not in (Role.OWNER, Role.EDITOR):
        require_role(access, "staff", "expert")
    _reschedule(request, access.obj, by_office=access.role != "company")
    return redirect("consultations:booking_detail", booking_id=access.obj.pk)


def manage(request, manage_token):
    """The page behind the signed link in the confirmation e-mail (no account needed)."""
    booking = get_booking_by_token(manage_token)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            _cancel(request, booking, by_office=False)
        else:
            _reschedule(request, booking, by_office=False)
        return redirect("consultations:manage", manage_token=manage_token)
    return _booking_page(request, booking, role="guest", token=manage_token)


def manage_ics(request, manage_token):
    booking = get_booking_by_token(manage_token)
    response = HttpResponse(services.booking_ics(booking), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="consultation-{booking.pk}.ics"'
    return response


# --- CO2 calculation support (⑥) -----------------------------------------------------------
def _writable_companies(user):
    return selectors.company_choices_for(user=user).filter(
        memberships__user=user, memberships__role__in=[Role.OWNER, Role.EDITOR]
    )


def calc_support(request):
    context = {"max_visits": rules.MAX_FREE_VISITS}
    if request.user.is_authenticated:
        companies = _writable_companies(request.user)
        form = CalcApplyForm(request.POST or None, companies=companies)
        if request.method == "POST" and form.is_valid():
            try:
                case = services.calc_case_apply(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("申し込みました。支援機関からの連絡をお待ちください。"))
                return redirect("consultations:calc_case", calc_case_id=case.pk)
        consented = set(
            Consent.objects.filter(consents_in_force(), company__in=companies).values_list(
                "company_id", flat=True
            )
        )
        context.update(
            form=form if companies.exists() else None,
            cases=selectors.calc_cases_of_user(user=request.user),
            needs_consent=[c for c in companies if c.pk not in consented],
        )
    return render(request, "consultations/calc_support.html", context)


@login_required
def calc_case(request, calc_case_id):
    access = get_calc_case(request, calc_case_id)
    case = access.obj
    visits = list(selectors.visits_of_case(case=case))
    for visit in visits:
        visit.shown_snapshot = selectors.snapshot_for_display(visit.snapshot)
        visit.figures = selectors.snapshot_figures(visit.shown_snapshot, key=str(visit.pk))
    return render(
        request,
        "consultations/calc_case.html",
        {
            "case": case,
            "role": "expert" if "expert" in access.roles else access.role,
            "visits": visits,
            "used": selectors.visits_used(company=case.company),
            "max_visits": rules.MAX_FREE_VISITS,
            "schedule_form": VisitScheduleForm() if "expert" in access.roles else None,
            "measure_edit": "expert" in access.roles
            and can_edit_company_data(request.user, case.company),
        },
    )


@login_required
@require_POST
def calc_visit_new(request, calc_case_id):
    access = get_calc_case(request, calc_case_id)
    require_role(access, "expert")
    case = access.obj
    form = VisitScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("訪問日時を入力してください。"))
    else:
        try:
            services.calc_visit_schedule(
                actor=request.user,
                case=case,
                expert=case.expert,
                scheduled_at=form.cleaned_data["scheduled_at"],
            )
            messages.success(request, _("訪問日時を登録しました。企業にメールで知らせました。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("consultations:calc_case", calc_case_id=case.pk)


VISIT_FORMS = {1: Visit1Form, 2: Visit2Form, 3: Visit3Form}


@login_required
def calc_visit_record(request, calc_case_id, visit_id):
    access = get_calc_case(request, calc_case_id)
    visit = get_calc_visit(access, visit_id)
    require_role(access, "expert")
    form_class = VISIT_FORMS[visit.number]
    initial = {f: getattr(visit, f) for f in form_class.base_fields if hasattr(visit, f)}
    if visit.number == 2 and not initial.get("fiscal_year"):
        today = timezone.localdate()
        initial["fiscal_year"] = (today.year if today.month >= 4 else today.year - 1) - 1
    form = form_class(request.POST or None, initial=initial)
    formset = None
    if visit.number == 3:
        formset = PlannedActionFormSet(
            request.POST or None,
            prefix="actions",
            initial=[
                {
                    "title": a.title,
                    "expected_reduction_t": a.expected_reduction_t,
                    "cost_yen": a.cost_yen,
                    "due_fiscal_year": a.due_fiscal_year,
                    "owner": a.owner,
                }
                for a in visit.actions.all()
            ],
        )
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        data = dict(form.cleaned_data)
        if formset is not None:
            data["actions"] = [row for row in formset.cleaned_data if row and row.get("title")]
        try:
            services.calc_visit_record(actor=request.user, visit=visit, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, _("訪問の記録を保存しました。企業はPDFの報告書を見られます。")
            )
            return redirect("consultations:calc_case", calc_case_id=access.obj.pk)
    return render(
        request,
        "consultations/calc_visit_record.html",
        {
            "case": access.obj,
            "visit": visit,
            "form": form,
            "formset": formset,
            "measure_edit": visit.number == 1
            and can_edit_company_data(request.user, access.obj.company),
        },
    )


@login_required
def calc_visit_pdf(request, calc_case_id, visit_id):
    access = get_calc_case(request, calc_case_id)
    visit = get_calc_visit(access, visit_id)
    if not visit.is_recorded:
        messages.error(request, _("この訪問はまだ記録されていません。"))
        return redirect("consultations:calc_case", calc_case_id=access.obj.pk)
    pdf = visit_report_pdf(case=access.obj, visit=visit)
    return pdf_response(pdf, f"co2-support-visit-{visit.number}.pdf")


# --- Hands-on support (⑦) ------------------------------------------------------------------
def handson(request):
    context = {}
    if request.user.is_authenticated:
        companies = _writable_companies(request.user)
        form = HandsOnApplyForm(request.POST or None, companies=companies)
        if request.method == "POST" and form.is_valid():
            case = services.handson_apply(actor=request.user, **form.cleaned_data)
            messages.success(request, _("申し込みました。審査の結果をメールでお知らせします。"))
            return redirect("consultations:handson_case", handson_case_id=case.pk)
        context.update(
            form=form if companies.exists() else None,
            cases=selectors.handson_cases_of_user(user=request.user),
        )
    return render(request, "consultations/handson.html", context)


def _handson_page(request, access, **forms):
    case = access.obj
    office_role = access.acting_as("staff", "expert")
    pdca_role = access.acting_as("expert", "company")
    if pdca_role == "company" and not access.company_can_write:
        pdca_role = "viewer"
    experts = Expert.objects.filter(office=case.office, active=True)
    context = {
        "case": case,
        "role": access.role,
        "transitions": rules.transitions_for(state=case.state, role=office_role),
        "transition_form": forms.get("transition_form") or TransitionForm(),
        "hearing_form": (forms.get("hearing_form") or HearingForm())
        if rules.may_edit_hearing(state=case.state, role=office_role)
        else None,
        "plan_form": (forms.get("plan_form") or PlanForm(instance=case, experts=experts))
        if rules.may_edit_plan(state=case.state, role=office_role)
        else None,
        "pdca_form": (forms.get("pdca_form") or PdcaForm(initial={"day": timezone.localdate()}))
        if rules.may_log_pdca(state=case.state, role=pdca_role)
        else None,
        **selectors.handson_detail(case=case),
    }
    return render(request, "consultations/handson_case.html", context)


@login_required
def handson_case(request, handson_case_id):
    return _handson_page(request, get_handson_case(request, handson_case_id))


def _handson_write(request, handson_case_id, form_name, form, call, *, roles):
    access = get_handson_case(request, handson_case_id)
    require_role(access, *roles)
    role = access.acting_as(*roles)
    if role == "company" and not access.company_can_write:
        raise PermissionDenied
    if form.is_valid():
        try:
            call(access, role, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("保存しました。"))
            return redirect("consultations:handson_case", handson_case_id=access.obj.pk)
    return _handson_page(request, access, **{form_name: form})


@login_required
@require_POST
def handson_transition(request, handson_case_id):
    def call(access, role, data):
        services.handson_transition(
            actor=request.user,
            case=access.obj,
            role=role,
            name=data["name"],
            reason=data["reason"],
            report=data["report"],
        )

    form = TransitionForm(request.POST)
    return _handson_write(
        request, handson_case_id, "transition_form", form, call, roles=("staff", "expert")
    )


@login_required
@require_POST
def handson_hearing(request, handson_case_id):
    def call(access, role, data):
        services.handson_hearing_add(actor=request.user, case=access.obj, role=role, **data)

    form = HearingForm(request.POST)
    return _handson_write(
        request, handson_case_id, "hearing_form", form, call, roles=("staff", "expert")
    )


@login_required
@require_POST
def handson_plan(request, handson_case_id):
    access = get_handson_case(request, handson_case_id)
    experts = Expert.objects.filter(office=access.obj.office, active=True)

    def call(access, role, data):
        case = services.handson_plan_save(actor=request.user, case=access.obj, role=role, **data)
        # The team works with the company's data through an assignment (needs its consent).
        for expert in data["plan_team"]:
            try:
                org_services.expert_assign(
                    actor=request.user, office=case.office, company=case.company, expert=expert
                )
            except ValidationError as exc:
                messages.warning(request, " ".join(exc.messages))
                break

    form = PlanForm(request.POST, instance=access.obj, experts=experts)
    return _handson_write(
        request, handson_case_id, "plan_form", form, call, roles=("staff", "expert")
    )


@login_required
@require_POST
def handson_pdca(request, handson_case_id):
    def call(access, role, data):
        services.handson_pdca_add(actor=request.user, case=access.obj, role=role, **data)

    form = PdcaForm(request.POST)
    return _handson_write(
        request, handson_case_id, "pdca_form", form, call, roles=("expert", "company")
    )
