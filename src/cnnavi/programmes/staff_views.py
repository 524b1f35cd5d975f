"""Back-office pages of the programmes (under /staff/): events, courses and headlines of the
user's support office."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.orgs.access import get_staff_office
from cnnavi.programmes import rules, selectors, services
from cnnavi.programmes.access import (
    get_office_application,
    get_office_course,
    get_office_event,
    get_office_headline,
)
from cnnavi.programmes.forms import (
    AttendanceForm,
    EventForm,
    HeadlineForm,
    PaymentForm,
    SessionFormSet,
)
from cnnavi.programmes.models import ApplicationStatus


# --- Events --------------------------------------------------------------------------------
@login_required
def event_list(request):
    office = get_staff_office(request)
    return render(
        request,
        "programmes/staff/event_list.html",
        {"office": office, "events": selectors.events_of_office(office=office)},
    )


def _event_form_page(request, office, event=None):
    form = EventForm(request.POST or None, instance=event)
    initial = (
        [
            {"starts_at": s.starts_at, "ends_at": s.ends_at, "topic": s.topic}
            for s in event.sessions.all()
        ]
        if event
        else []
    )
    sessions = SessionFormSet(request.POST or None, initial=initial, prefix="sessions")
    status = 200
    if request.method == "POST":
        if form.is_valid() and sessions.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items()}
            try:
                if event is None:
                    event = services.event_create(
                        actor=request.user, office=office, sessions=sessions.sessions(), **fields
                    )
                else:
                    event = services.event_update(
                        actor=request.user, event=event, sessions=sessions.sessions(), **fields
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("イベントを保存しました。"))
                return redirect("programmes_staff:event_detail", event_id=event.pk)
        status = 400
    return render(
        request,
        "programmes/staff/event_form.html",
        {"office": office, "form": form, "sessions": sessions, "event": event},
        status=status,
    )


@login_required
def event_create(request):
    return _event_form_page(request, get_staff_office(request))


@login_required
def event_edit(request, event_id):
    office, event = get_office_event(request, event_id)
    return _event_form_page(request, office, event)


def _detail_context(office, event):
    applications = list(selectors.applications_of_event(event=event))
    event = selectors.event_with_numbers(event=event)
    return {
        "office": office,
        "event": event,
        "places_left": rules.places_left(capacity=event.capacity, confirmed=event.confirmed_count),
        "confirmed": [a for a in applications if a.status == ApplicationStatus.CONFIRMED],
        "waiting": [a for a in applications if a.status == ApplicationStatus.WAITLISTED],
        "cancelled": [a for a in applications if a.status == ApplicationStatus.CANCELLED],
        "payment_form": PaymentForm(),
    }


@login_required
def event_detail(request, event_id):
    office, event = get_office_event(request, event_id)
    return render(request, "programmes/staff/event_detail.html", _detail_context(office, event))


@login_required
@require_POST
def attendance(request, event_id, application_id):
    office, event, application = get_office_application(request, event_id, application_id)
    form = AttendanceForm(request.POST)
    status = 200
    if not form.is_valid():
        messages.error(request, _("出欠は「出席」「欠席」「未記録」から選んでください。"))
        status = 400
    else:
        try:
            application = services.attendance_mark(
                actor=request.user, application=application, attended=form.cleaned_data["attended"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
    if request.htmx:
        return render(
            request,
            "programmes/staff/event_detail.html#attendance",
            {"a": application, "event": event, "error": status != 200},
            status=status,
        )
    return redirect("programmes_staff:event_detail", event_id=event.pk)


@login_required
@require_POST
def payment(request, event_id, application_id):
    office, event, application = get_office_application(request, event_id, application_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            services.payment_update(
                actor=request.user, application=application, **form.cleaned_data
            )
            messages.success(
                request, _("%(name)s さんの請求・入金を保存しました。") % {"name": application.name}
            )
        except ValidationError as exc:
            messages.error(request, f"{application.name}: " + " ".join(exc.messages))
    else:
        messages.error(
            request,
            f"{application.name}: "
            + " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect("programmes_staff:event_detail", event_id=event.pk)


@login_required
@require_POST
def application_cancel(request, event_id, application_id):
    office, event, application = get_office_application(request, event_id, application_id)
    try:
        services.application_cancel(actor=request.user, application=application, by_staff=True)
        messages.success(
            request, _("%(name)s さんの申込をキャンセルしました。") % {"name": application.name}
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("programmes_staff:event_detail", event_id=event.pk)


CSV_HEADER = (
    "申込番号",
    "状態",
    "キャンセル待ち順",
    "氏名",
    "所属",
    "申込区分",
    "メールアドレス",
    "電話番号",
    "申込日時",
    "出席",
    "請求書",
    "請求書番号",
    "入金",
)


@login_required
def participants_csv(request, event_id):
    office, event = get_office_event(request, event_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-participants.csv"'
    response.write("\ufeff")  # a BOM so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    position = 0
    attended = {True: "出席", False: "欠席", None: ""}
    for a in selectors.applications_of_event(event=event):
        if a.status == ApplicationStatus.WAITLISTED:
            position += 1
        writer.writerow(
            rules.safe_row(
                [
                    a.pk,
                    a.get_status_display(),
                    position if a.status == ApplicationStatus.WAITLISTED else "",
                    a.name,
                    a.organisation,
                    a.get_applicant_kind_display(),
                    a.email,
                    a.phone,
                    timezone.localtime(a.created_at).strftime("%Y-%m-%d %H:%M"),
                    attended[a.attended],
                    a.get_invoice_status_display(),
                    a.invoice_number,
                    a.get_payment_status_display(),
                ]
            )
        )
    return response


# --- Courses -------------------------------------------------------------------------------
@login_required
def course_list(request):
    office = get_staff_office(request)
    return render(
        request,
        "programmes/staff/course_list.html",
        {"office": office, "stats": selectors.course_stats_of_office(office=office)},
    )


@login_required
def course_detail(request, course_id):
    office, course = get_office_course(request, course_id)
    total = sum(len(ch.lessons.all()) for ch in selectors.course_outline(course=course))
    enrolments = list(selectors.enrolments_of_course(course=course))
    for e in enrolments:
        e.percent = rules.Progress(done=e.done, total=total).percent
    return render(
        request,
        "programmes/staff/course_detail.html",
        {"office": office, "course": course, "enrolments": enrolments, "total": total},
    )


# --- Headlines -----------------------------------------------------------------------------
@login_required
def headline_list(request):
    office = get_staff_office(request)
    return render(
        request,
        "programmes/staff/headline_list.html",
        {
            "office": office,
            "headlines": selectors.headlines_of_office(office=office),
            "today": timezone.localdate(),
        },
    )


def _headline_form_page(request, office, headline=None):
    form = HeadlineForm(request.POST or None, instance=headline)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            prefectures, topics = data.pop("prefectures"), data.pop("topics")
            try:
                if headline is None:
                    services.headline_create(
                        actor=request.user,
                        office=office,
                        prefectures=prefectures,
                        topics=topics,
                        **data,
                    )
                else:
                    services.headline_update(
                        actor=request.user,
                        headline=headline,
                        prefectures=prefectures,
                        topics=topics,
                        **data,
                    )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("ヘッドラインを保存しました。"))
                return redirect("programmes_staff:headline_list")
        status = 400
    return render(
        request,
        "programmes/staff/headline_form.html",
        {"office": office, "form": form, "headline": headline},
        status=status,
    )


@login_required
def headline_create(request):
    return _headline_form_page(request, get_staff_office(request))


@login_required
def headline_edit(request, headline_id):
    office, headline = get_office_headline(request, headline_id)
    return _headline_form_page(request, office, headline)


@login_required
@require_POST
def headline_delete(request, headline_id):
    office, headline = get_office_headline(request, headline_id)
    services.headline_delete(actor=request.user, headline=headline)
    messages.success(request, _("ヘッドラインを削除しました。"))
    return redirect("programmes_staff:headline_list")
