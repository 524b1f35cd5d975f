from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.forms import add_service_errors, form_status
from cnnavi.common.http import client_ip, throttle
from cnnavi.common.pdf import pdf_response
from cnnavi.consultations import rules, selectors, services
from cnnavi.consultations.access import (
    CaseRole,
    can_edit_company_data,
    can_view_company_data,
    get_bookable_slot,
    get_booking,
    get_booking_by_token,
    get_calc_case,
    get_calc_visit,
    get_handson_case,
    get_slot_for_submission,
    require_role,
)
from cnnavi.consultations.forms import (
    BookingForm,
    BookingRecordForm,
    CalcApplyForm,
    CycleForm,
    HandsOnApplyForm,
    HearingForm,
    MeetingUrlForm,
    PlanDecisionForm,
    PlanForm,
    RescheduleForm,
    ScreeningForm,
    TransitionForm,
    Visit1Form,
    Visit2Form,
    Visit3Form,
    VisitChangeForm,
    VisitScheduleForm,
    handson_case_forms,
)
from cnnavi.consultations.models import BookingStatus, Channel
from cnnavi.consultations.reports import handson_report_pdf, visit_report_pdf
from cnnavi.core.periods import fiscal_year_of
from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import Role
from cnnavi.reduce import selectors as reduce_selectors
from cnnavi.statements.access import evidence_listing


# --- Consultation window (⑤) ------------------------------------------------------------------
def index(request):
    mode = request.GET.get("mode")
    slots = selectors.free_slots(mode=mode if mode in ("online", "office") else None)
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
    """Book a slot. A slot taken meanwhile answers 409 with the form as it was filled in and
    the nearest free slots of the same channel, each a button that books it with that input."""
    if request.method == "POST":
        slot = get_slot_for_submission(slot_id)
    else:
        slot = get_bookable_slot(slot_id)
    form = _booking_form(request, slot)
    alternatives = None
    if request.method == "POST" and form.is_valid():
        if not _anonymous_booking_allowed(request, form):
            return _anonymous_limit_reached(request, slot, form)
        data = dict(form.cleaned_data)
        try:
            booking = services.booking_create(
                actor=request.user, slot=slot, language=get_language(), **data
            )
        except services.SlotTaken:
            # Said once, above the kept form, with the alternatives (book.html).
            alternatives = selectors.nearest_free_slots(slot=slot, channel=data["channel"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _booked(request, booking)
    return render(
        request,
        "consultations/book.html",
        {**_book_context(slot, form), "alternatives": alternatives},
        status=409 if alternatives is not None else form_status(form),
    )


def _booking_form(request, slot) -> BookingForm:
    """The booking form; a logged-in user's name, e-mail, first company and last phone number
    filled in, and the companies the booking may be for."""
    user = request.user
    if not user.is_authenticated:
        return BookingForm(request.POST or None, slot=slot)
    companies = selectors.company_choices_for(user=user)
    first = companies.first()
    initial = {
        "contact_name": user.name,
        "contact_email": user.email,
        "contact_company": first.name if first else "",
        "contact_phone": selectors.last_contact_phone(user=user),
    }
    return BookingForm(request.POST or None, companies=companies, slot=slot, initial=initial)


def _booked(request, booking):
    messages.success(
        request, _("予約しました。確認のメール（カレンダー用の.icsファイル付き）を送りました。")
    )
    if request.user.is_authenticated:
        return redirect("consultations:booking_detail", booking_id=booking.pk)
    return redirect("consultations:manage", manage_token=services.manage_token(booking))


def _anonymous_limit_reached(request, slot, form):
    form.add_error(
        None,
        _(
            "ログインせずに予約できる回数の上限に達しました。しばらくしてからお試しいただくか、"
            "ログインしてから予約してください。"
        ),
    )
    return render(request, "consultations/book.html", _book_context(slot, form), status=429)


# Anonymous bookings (docs/decisions/1001): per client address and per e-mail address, so one
# client cannot take many slots nor send many confirmation mails to an address of its choosing.
ANONYMOUS_BOOKINGS_PER_ADDRESS_PER_HOUR = 3
ANONYMOUS_BOOKINGS_PER_EMAIL_PER_DAY = 3


def _anonymous_booking_allowed(request, form) -> bool:
    if request.user.is_authenticated:
        return True
    ip = client_ip(request) or "unknown"
    email = form.cleaned_data["contact_email"].strip().lower()
    by_ip = throttle("booking-ip", ip, limit=ANONYMOUS_BOOKINGS_PER_ADDRESS_PER_HOUR, seconds=3600)
    by_email = throttle(
        "booking-email", email, limit=ANONYMOUS_BOOKINGS_PER_EMAIL_PER_DAY, seconds=86400
    )
    return by_ip and by_email


def _book_context(slot, form) -> dict:
    deadline = rules.change_deadline(slot.starts_at)
    return {
        "slot": slot,
        "form": form,
        "deadline": deadline,
        "past_deadline": timezone.now() > deadline,
        "office_phone": slot.expert.office.phone,
    }


def _booking_page(
    request, booking, *, role, record_form=None, url_form=None, token=None, may_change=True
):
    changeable = (
        may_change
        and booking.status == BookingStatus.BOOKED
        and rules.can_change(starts_at=booking.starts_at, now=timezone.now())
    )
    other = request.GET.get("other") == "1"
    slots = selectors.reschedule_slots(booking=booking, other=other)
    office_side = role in (CaseRole.STAFF, CaseRole.EXPERT) and booking.is_active
    if url_form is None and office_side and booking.channel == Channel.ONLINE:
        url_form = MeetingUrlForm(initial={"meeting_url": booking.meeting_url})
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
            "url_form": url_form,
            "reschedule_form": RescheduleForm(slots=slots) if changeable else None,
            "other_slots": other,
            "token": token,
        },
        status=form_status(record_form, url_form),
    )


@login_required
def booking_detail(request, booking_id):
    access = get_booking(request, booking_id)
    booking = access.obj
    record_form = None
    if access.role in (CaseRole.STAFF, CaseRole.EXPERT):
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
        require_role(access, CaseRole.STAFF, CaseRole.EXPERT)
    may_change = access.role != CaseRole.COMPANY or access.company_can_write
    return _booking_page(
        request, booking, role=access.role, record_form=record_form, may_change=may_change
    )


@login_required
@require_POST
def booking_meeting_url(request, booking_id):
    access = get_booking(request, booking_id)
    require_role(access, CaseRole.STAFF, CaseRole.EXPERT)
    form = MeetingUrlForm(request.POST)
    if form.is_valid():
        try:
            services.booking_set_meeting_url(
                actor=request.user, booking=access.obj, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Web会議のURLを保存し、相談者にメールで送りました。"))
            return redirect("consultations:booking_detail", booking_id=access.obj.pk)
    return _booking_page(request, access.obj, role=access.role, url_form=form)


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
    form = RescheduleForm(
        request.POST, slots=selectors.reschedule_slots(booking=booking, other=True)
    )
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
    if access.role == CaseRole.COMPANY and not access.company_can_write:
        require_role(access, CaseRole.STAFF, CaseRole.EXPERT)
    _cancel(request, access.obj, by_office=access.role != CaseRole.COMPANY)
    return redirect("consultations:booking_detail", booking_id=access.obj.pk)


@login_required
@require_POST
def booking_reschedule(request, booking_id):
    access = get_booking(request, booking_id)
    if access.role == CaseRole.COMPANY and not access.company_can_write:
        require_role(access, CaseRole.STAFF, CaseRole.EXPERT)
    _reschedule(request, access.obj, by_office=access.role != CaseRole.COMPANY)
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
def calc_support(request):
    context = {"max_visits": rules.MAX_FREE_VISITS}
    if request.user.is_authenticated:
        companies = selectors.writable_companies(user=request.user)
        form = CalcApplyForm(request.POST or None, companies=companies)
        if request.method == "POST" and form.is_valid():
            try:
                case = services.calc_case_apply(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("申し込みました。支援機関からの連絡をお待ちください。"))
                return redirect("consultations:calc_case", calc_case_id=case.pk)
        consented = selectors.consented_company_ids(companies=companies)
        context.update(
            form=form if companies.exists() else None,
            cases=selectors.calc_cases_of_user(user=request.user),
            needs_consent=[c for c in companies if c.pk not in consented],
        )
    return render(
        request, "consultations/calc_support.html", context, status=form_status(context.get("form"))
    )


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
            "role": CaseRole.EXPERT if CaseRole.EXPERT in access.roles else access.role,
            "visits": visits,
            "used": selectors.visits_used(company=case.company),
            "planned": selectors.visits_planned(company=case.company),
            "max_visits": rules.MAX_FREE_VISITS,
            "schedule_form": VisitScheduleForm() if CaseRole.EXPERT in access.roles else None,
            "may_change_visits": bool(
                {CaseRole.EXPERT, CaseRole.STAFF} & set(access.roles or {access.role})
            ),
            "measure_edit": CaseRole.EXPERT in access.roles
            and can_edit_company_data(request.user, case.company),
            "evidence": evidence_listing(request, case.company),
        },
    )


@login_required
@require_POST
def calc_visit_new(request, calc_case_id):
    access = get_calc_case(request, calc_case_id)
    require_role(access, CaseRole.EXPERT)
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


VISIT_FORMS = {1: Visit1Form, 2: Visit2Form}


def _pct(share) -> str:
    return f"{(share * 100).quantize(Decimal('0.1')).normalize():f}"


def _visit3_form(request, visit, plan):
    """Visit 3's form, starting from the company's existing target (reduce app)."""
    language = get_language()
    have = [pm.measure_id for pm in plan.measures.all()] if plan else []
    catalogue = reduce_selectors.catalogue().exclude(pk__in=have)
    if plan is not None:
        initial = {
            "base_year": plan.base_year,
            "near_year": plan.near_year,
            "near_pct": _pct(plan.near_share),
        }
    else:
        initial = {
            "base_year": reduce_selectors.default_base_year(company=visit.company),
            "near_year": 2030,
        }
    initial["record"] = visit.record
    return Visit3Form(request.POST or None, initial=initial, catalogue=catalogue, language=language)


def _visit_record_form(request, visit, company):
    """The form of the visit's record and, for visit 3, the company's plan it starts from."""
    if visit.number == 3:
        plan = reduce_selectors.plan_of(company=company)
        return _visit3_form(request, visit, plan), plan
    form_class = VISIT_FORMS[visit.number]
    initial = {f: getattr(visit, f) for f in form_class.base_fields if hasattr(visit, f)}
    if visit.number == 2 and not initial.get("fiscal_year"):
        initial["fiscal_year"] = fiscal_year_of(timezone.localdate()) - 1  # the last ended
    return form_class(request.POST or None, initial=initial), None


def _visit_recorded(request, visit, form) -> bool:
    """Record the visit (visit 3 also writes the company's target and plan); a refusal goes
    on the form."""
    record = services.calc_visit3_record if visit.number == 3 else services.calc_visit_record
    try:
        record(actor=request.user, visit=visit, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@login_required
def calc_visit_record(request, calc_case_id, visit_id):
    access = get_calc_case(request, calc_case_id)
    visit = get_calc_visit(access, visit_id)
    require_role(access, CaseRole.EXPERT)
    may_write_plan = can_edit_company_data(request.user, access.obj.company)
    form, plan = _visit_record_form(request, visit, access.obj.company)
    if request.method == "POST":
        if visit.number == 3 and not may_write_plan:
            raise PermissionDenied  # visit 3 writes the company's target and plan
        if form.is_valid() and _visit_recorded(request, visit, form):
            messages.success(
                request, _("訪問の記録を保存しました。企業はPDFの報告書を見られます。")
            )
            return redirect("consultations:calc_case", calc_case_id=access.obj.pk)
    context = {
        "case": access.obj,
        "visit": visit,
        "form": form,
        "plan": plan,
        "plan_pct": _pct(plan.near_share) if plan else None,
        "plan_measures": reduce_selectors.plan_measures(plan=plan) if plan else [],
        "may_write_plan": may_write_plan,
        "measure_edit": visit.number == 1 and may_write_plan,
    }
    return render(
        request, "consultations/calc_visit_record.html", context, status=form_status(form)
    )


@login_required
@require_POST
def calc_visit_change(request, calc_case_id, visit_id):
    """Move (with a new date) or cancel (action=cancel) a scheduled visit."""
    access = get_calc_case(request, calc_case_id)
    visit = get_calc_visit(access, visit_id)
    require_role(access, CaseRole.EXPERT, CaseRole.STAFF)
    form = VisitChangeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "cancel":
                services.calc_visit_cancel(actor=request.user, visit=visit, reason=data["reason"])
                messages.success(
                    request,
                    _("訪問を中止しました。企業にメールで知らせました（無料回数は減りません）。"),
                )
            elif data["scheduled_at"] is None:
                messages.error(request, _("新しい訪問日時を入力してください。"))
            else:
                services.calc_visit_reschedule(actor=request.user, visit=visit, **data)
                messages.success(request, _("訪問日時を変更しました。企業にメールで知らせました。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("入力内容を確認してください。"))
    return redirect("consultations:calc_case", calc_case_id=access.obj.pk)


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
        companies = selectors.writable_companies(user=request.user)
        form = HandsOnApplyForm(request.POST or None, companies=companies)
        if request.method == "POST" and form.is_valid():
            case = services.handson_apply(actor=request.user, **form.cleaned_data)
            messages.success(request, _("申し込みました。審査の結果をメールでお知らせします。"))
            return redirect("consultations:handson_case", handson_case_id=case.pk)
        context.update(
            form=form if companies.exists() else None,
            cases=selectors.handson_cases_of_user(user=request.user),
        )
    return render(
        request, "consultations/handson.html", context, status=form_status(context.get("form"))
    )


def _handson_page(request, access, **bound):
    """The hands-on case page; ``bound`` holds the form of a refused submission, as sent."""
    case = access.obj
    language = get_language()
    office_role, pdca_role = _handson_roles(access)
    detail = selectors.handson_detail(case=case, language=language)
    plan_measures, plan_context = _handson_plan(request, access)
    may_cycle = rules.may_log_pdca(state=case.state, role=pdca_role)
    forms = handson_case_forms(
        case=case,
        member_role=access.member_role,
        office_role=office_role,
        may_cycle=may_cycle,
        detail=detail,
        plan_measures=plan_measures,
        experts=selectors.active_experts(office=case.office),
        bound=bound,
    )
    context = {
        "case": case,
        "role": access.role,
        "transitions": rules.transitions_for(state=case.state, role=office_role),
        "measured_now": _measured_now(case, may_cycle, language),
        **forms,
        **plan_context,
        **detail,
    }
    status = form_status(*bound.values())
    return render(request, "consultations/handson_case.html", context, status=status)


def _handson_roles(access) -> tuple:
    """The role the user acts in on the office's side, and in the PDCA log (a company member
    who may not write the company's data is a viewer there)."""
    office_role = access.acting_as(CaseRole.STAFF, CaseRole.EXPERT)
    pdca_role = access.acting_as(CaseRole.EXPERT, CaseRole.COMPANY)
    if pdca_role == CaseRole.COMPANY and not access.company_can_write:
        pdca_role = "viewer"
    return office_role, pdca_role


def _handson_plan(request, access) -> tuple:
    """The plan measures a hands-on plan may pick from, and the page's view of the company's
    own target and plan: shown to the company, and to the office's side while the company's
    consent is in force (the plan holds the company's data)."""
    case = access.obj
    visible = access.role == CaseRole.COMPANY or can_view_company_data(request.user, case.company)
    if visible:
        plan_measures, plan = selectors.company_plan_measures(company=case.company)
    else:
        plan_measures, plan = selectors.no_plan_measures(), None
    return plan_measures, {
        "plan_visible": visible,
        "reduction_plan": plan,
        "reduction_pct": _pct(plan.near_share) if plan else None,
    }


def _measured_now(case, may_cycle: bool, language: str) -> list:
    """The measured change of the plan's measures, while cycles are logged and after."""
    if not (may_cycle or case.state in (rules.IN_SUPPORT, rules.COMPLETED)):
        return []
    return selectors.measured_for_display(selectors.handson_measured(case=case), language=language)


@login_required
def handson_case(request, handson_case_id):
    return _handson_page(request, get_handson_case(request, handson_case_id))


def _handson_write(request, handson_case_id, form_name, form, call, *, roles):
    access = get_handson_case(request, handson_case_id)
    require_role(access, *roles)
    role = access.acting_as(*roles)
    if role == CaseRole.COMPANY and not access.company_can_write:
        raise PermissionDenied
    if form.is_valid():
        try:
            call(access, role, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
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
        request,
        handson_case_id,
        "transition_form",
        form,
        call,
        roles=(CaseRole.STAFF, CaseRole.EXPERT),
    )


@login_required
@require_POST
def handson_hearing(request, handson_case_id):
    def call(access, role, data):
        services.handson_hearing_add(actor=request.user, case=access.obj, role=role, **data)

    form = HearingForm(request.POST)
    return _handson_write(
        request,
        handson_case_id,
        "hearing_form",
        form,
        call,
        roles=(CaseRole.STAFF, CaseRole.EXPERT),
    )


@login_required
@require_POST
def handson_screening(request, handson_case_id):
    access = get_handson_case(request, handson_case_id)
    form = ScreeningForm(request.POST, criteria=selectors.criteria_of(office=access.obj.office))

    def call(access, role, data):
        services.handson_screening_save(
            actor=request.user, case=access.obj, role=role, scores=form.scores()
        )

    return _handson_write(
        request, handson_case_id, "screening_form", form, call, roles=(CaseRole.STAFF,)
    )


@login_required
@require_POST
def handson_plan(request, handson_case_id):
    access = get_handson_case(request, handson_case_id)
    experts = selectors.active_experts(office=access.obj.office)
    plan_measures, _plan = selectors.company_plan_measures(company=access.obj.company)

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

    form = PlanForm(
        request.POST,
        instance=access.obj,
        experts=experts,
        plan_measures=plan_measures,
        language=get_language(),
    )
    return _handson_write(
        request, handson_case_id, "plan_form", form, call, roles=(CaseRole.STAFF, CaseRole.EXPERT)
    )


@login_required
@require_POST
def handson_plan_decide(request, handson_case_id):
    """The company's owner accepts or declines the proposed support plan."""
    access = get_handson_case(request, handson_case_id)
    require_role(access, CaseRole.COMPANY)
    if access.member_role != Role.OWNER:
        raise PermissionDenied
    form = PlanDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.handson_plan_decide(
                actor=request.user,
                case=access.obj,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("支援計画へのお返事を支援機関に送りました。"))
            return redirect("consultations:handson_case", handson_case_id=access.obj.pk)
    return _handson_page(request, access, decision_form=form)


@login_required
@require_POST
def handson_pdca(request, handson_case_id):
    def call(access, role, data):
        measured = selectors.handson_measured(case=access.obj) if data["check_text"] else None
        services.handson_cycle_save(
            actor=request.user, case=access.obj, role=role, measured=measured, **data
        )

    form = CycleForm(request.POST)
    return _handson_write(
        request,
        handson_case_id,
        "cycle_form",
        form,
        call,
        roles=(CaseRole.EXPERT, CaseRole.COMPANY),
    )


@login_required
def handson_report(request, handson_case_id):
    access = get_handson_case(request, handson_case_id)
    case = access.obj
    if case.state != rules.COMPLETED:
        messages.error(request, _("完了報告書は支援の完了後に作成できます。"))
        return redirect("consultations:handson_case", handson_case_id=case.pk)
    detail = selectors.handson_detail(case=case, language=get_language())
    return pdf_response(handson_report_pdf(case=case, detail=detail), "handson-report.pdf")
