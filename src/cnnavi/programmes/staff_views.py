"""Back-office pages of the programmes (under /staff/): events, courses and headlines of the
user's support office."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cnnavi.common.forms import add_service_errors
from cnnavi.common.pdf import pdf_response
from cnnavi.core.spreadsheet import csv_writer
from cnnavi.orgs.access import get_staff_office
from cnnavi.programmes import exports, rules, selectors, services
from cnnavi.programmes.access import (
    get_office_application,
    get_office_chapter,
    get_office_course,
    get_office_event,
    get_office_headline,
    get_office_invoice,
    get_office_lesson,
)
from cnnavi.programmes.forms import (
    AttendanceForm,
    ChapterForm,
    CourseForm,
    EventForm,
    EventMessageForm,
    HeadlineForm,
    InvoiceSettingsForm,
    LessonForm,
    PaymentRecordForm,
    session_formset,
)
from cnnavi.programmes.invoice_pdf import invoice_pdf as invoice_document
from cnnavi.programmes.invoice_pdf import receipt_pdf as receipt_document
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
    sessions = session_formset(request.POST or None, event)
    status = 200
    if request.method == "POST":
        if form.is_valid() and sessions.is_valid():
            saved = _event_saved(request, office, event, form, sessions)
            if saved is not None:
                messages.success(request, _("イベントを保存しました。"))
                return redirect("programmes_staff:event_detail", event_id=saved.pk)
        status = 422
    return render(
        request,
        "programmes/staff/event_form.html",
        {"office": office, "form": form, "sessions": sessions, "event": event},
        status=status,
    )


def _event_saved(request, office, event, form, sessions):
    """The new or updated event from the valid forms, or None (the service's refusal on the
    form)."""
    fields = {k: v for k, v in form.cleaned_data.items()}
    try:
        if event is None:
            return services.event_create(
                actor=request.user, office=office, sessions=sessions.sessions(), **fields
            )
        return services.event_update(
            actor=request.user, event=event, sessions=sessions.sessions(), **fields
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


@login_required
def event_create(request):
    return _event_form_page(request, get_staff_office(request))


@login_required
def event_edit(request, event_id):
    office, event = get_office_event(request, event_id)
    return _event_form_page(request, office, event)


def _detail_context(office, event):
    applications = selectors.attach_invoices(list(selectors.applications_of_event(event=event)))
    event = selectors.event_with_numbers(event=event)
    return {
        "office": office,
        "event": event,
        "places_left": rules.places_left(capacity=event.capacity, confirmed=event.confirmed_count),
        "confirmed": [a for a in applications if a.status == ApplicationStatus.CONFIRMED],
        "waiting": [a for a in applications if a.status == ApplicationStatus.WAITLISTED],
        "cancelled": [a for a in applications if a.status == ApplicationStatus.CANCELLED],
        "payment_form": PaymentRecordForm(),
        "has_invoice_settings": selectors.invoice_settings_of(office=office) is not None,
        "today": timezone.localdate(),
        "message_form": EventMessageForm(initial={"audience": "all"}),
        "sent_messages": list(event.messages.select_related("sent_by")),
    }


@login_required
def event_detail(request, event_id):
    office, event = get_office_event(request, event_id)
    return render(request, "programmes/staff/event_detail.html", _detail_context(office, event))


@login_required
@require_POST
def event_message(request, event_id):
    """Write to the event's applicants (all, confirmed or waiting)."""
    office, event = get_office_event(request, event_id)
    form = EventMessageForm(request.POST)
    if form.is_valid():
        try:
            message = services.event_message_send(
                actor=request.user, event=event, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(n)d 人にメールを送りました。") % {"n": message.recipients},
            )
            return redirect("programmes_staff:event_detail", event_id=event.pk)
    context = _detail_context(office, event)
    context["message_form"] = form
    return render(request, "programmes/staff/event_detail.html", context, status=422)


@login_required
@require_POST
def attendance(request, event_id, application_id):
    office, event, application = get_office_application(request, event_id, application_id)
    form = AttendanceForm(request.POST)
    status = 200
    if not form.is_valid():
        # A value the page's buttons never send: a malformed request, 400 (decision 0904).
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
def invoice_issue(request, event_id, application_id):
    """Issue and e-mail the invoice of an application that has none yet, or e-mail it again."""
    office, event, application = get_office_application(request, event_id, application_id)
    try:
        invoice, issued = services.invoice_send(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, f"{application.name}: " + " ".join(exc.messages))
    else:
        text = (
            _("%(name)s さんの請求書 %(number)s を発行し、メールで送りました。")
            if issued
            else _("%(name)s さんに請求書 %(number)s をもう一度メールで送りました。")
        )
        messages.success(request, text % {"name": application.name, "number": invoice.number})
    if request.POST.get("back") == "list":
        return redirect("programmes_staff:invoice_list")
    return redirect("programmes_staff:event_detail", event_id=event.pk)


def _back_to(request, invoice):
    """The page the form was posted from: the event's page or the office's invoices."""
    if request.POST.get("back") == "event":
        return redirect("programmes_staff:event_detail", event_id=invoice.application.event_id)
    return redirect("programmes_staff:invoice_list")


@login_required
@require_POST
def invoice_payment(request, invoice_id):
    office, invoice = get_office_invoice(request, invoice_id)
    form = PaymentRecordForm(request.POST)
    if form.is_valid():
        try:
            services.invoice_payment_record(
                actor=request.user, invoice=invoice, **form.cleaned_data
            )
            messages.success(
                request, _("%(number)s の入金を記録しました。") % {"number": invoice.number}
            )
        except ValidationError as exc:
            messages.error(request, f"{invoice.number}: " + " ".join(exc.messages))
    else:
        messages.error(
            request,
            f"{invoice.number}: "
            + " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    return _back_to(request, invoice)


@login_required
def invoice_list(request):
    office = get_staff_office(request)
    current = selectors.invoice_settings_of(office=office)
    form = InvoiceSettingsForm(
        request.POST or None, initial=InvoiceSettingsForm.initial_of(current, office)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.invoice_settings_save(
                    actor=request.user, office=office, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("請求書の設定を保存しました。"))
                return redirect("programmes_staff:invoice_list")
        status = 422
    context = {"office": office, "form": form, "settings_row": current}
    context |= {
        "invoices": selectors.invoices_of_office(office=office),
        "payment_form": PaymentRecordForm(),
        "today": timezone.localdate(),
    }
    return render(request, "programmes/staff/invoice_list.html", context, status=status)


@login_required
def invoices_csv(request):
    """The office's invoices for its accounts (every cell made inert, see core.spreadsheet)."""
    office = get_staff_office(request)
    invoices = selectors.invoices_of_office(office=office).order_by("sequence")
    return _csv_response(exports.invoices_csv(invoices), "invoices.csv")


def _csv_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def invoice_pdf(request, invoice_id):
    office, invoice = get_office_invoice(request, invoice_id)
    return pdf_response(invoice_document(invoice), f"{invoice.number}.pdf")


@login_required
def receipt_pdf(request, invoice_id):
    office, invoice = get_office_invoice(request, invoice_id)
    if invoice.paid_on is None:
        raise Http404
    return pdf_response(receipt_document(invoice), f"{invoice.number}-receipt.pdf")


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


@login_required
def participants_csv(request, event_id):
    office, event = get_office_event(request, event_id)
    data = exports.participants_csv(selectors.applications_of_event(event=event))
    return _csv_response(data, f"event-{event.pk}-participants.csv")


# --- Courses -------------------------------------------------------------------------------
@login_required
def course_list(request):
    office = get_staff_office(request)
    return render(
        request,
        "programmes/staff/course_list.html",
        {"office": office, "stats": selectors.course_stats_of_office(office=office)},
    )


def _course_page_context(office, course):
    outline = list(selectors.course_outline(course=course))
    total = sum(len(ch.lessons.all()) for ch in outline)
    enrolments = list(selectors.enrolments_of_course(course=course))
    for e in enrolments:
        e.percent = rules.Progress(done=e.done, total=total).percent
    return {
        "office": office,
        "course": course,
        "outline": outline,
        "enrolments": enrolments,
        "total": total,
    }


@login_required
def course_detail(request, course_id):
    office, course = get_office_course(request, course_id)
    return render(
        request, "programmes/staff/course_detail.html", _course_page_context(office, course)
    )


@login_required
def course_progress_csv(request, course_id):
    """Per-learner progress of a course as CSV (formula-safe cells, UTF-8 with BOM)."""
    office, course = get_office_course(request, course_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{course.pk}-progress.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(
        [
            _("氏名"),
            _("メールアドレス"),
            _("受講登録日時"),
            _("視聴済みのレッスン"),
            _("レッスン数"),
            _("進み具合（%）"),
            _("修了日時"),
            _("修了証の確認コード"),
        ]
    )
    for row in selectors.learner_progress_rows(course=course):
        writer.writerow(row)
    return response


def _edit_page(request, *, form, save, title, back_url, success):
    """A staff edit form: 422 with field messages on bad input (also for HTMX), a redirect to
    the course page after the service saved."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                obj = save(dict(form.cleaned_data))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, success)
                return obj
        status = 422
    return render(
        request,
        "programmes/staff/course_edit_form.html",
        {"form": form, "title": title, "back_url": back_url},
        status=status,
    )


def _done(request, result, course_id):
    if isinstance(result, HttpResponse):
        return result
    url = reverse("programmes_staff:course_detail", args=[course_id])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _course_part_page(request, course, *, form, save, title, success):
    """An edit page of the course or one of its parts, back to the course page."""
    back_url = reverse("programmes_staff:course_detail", args=[course.pk])
    result = _edit_page(
        request, form=form, save=save, title=title, back_url=back_url, success=success
    )
    return _done(request, result, course.pk)


@login_required
def course_create(request):
    office = get_staff_office(request)
    result = _edit_page(
        request,
        form=CourseForm(request.POST or None),
        save=lambda data: services.course_create(actor=request.user, office=office, **data),
        title=_("講座の作成"),
        back_url=reverse("programmes_staff:course_list"),
        success=_("講座を保存しました。"),
    )
    return _done(request, result, getattr(result, "pk", None))


@login_required
def course_edit(request, course_id):
    office, course = get_office_course(request, course_id)
    return _course_part_page(
        request,
        course,
        form=CourseForm(request.POST or None, instance=copy(course)),
        save=lambda data: services.course_update(actor=request.user, course=course, **data),
        title=_("講座の編集"),
        success=_("講座を保存しました。"),
    )


@login_required
def chapter_create(request, course_id):
    office, course = get_office_course(request, course_id)
    return _course_part_page(
        request,
        course,
        form=ChapterForm(request.POST or None),
        save=lambda data: services.chapter_save(actor=request.user, course=course, **data),
        title=_("章の追加"),
        success=_("章を保存しました。"),
    )


@login_required
def chapter_edit(request, course_id, chapter_id):
    office, course, chapter = get_office_chapter(request, course_id, chapter_id)
    return _course_part_page(
        request,
        course,
        form=ChapterForm(request.POST or None, instance=copy(chapter)),
        save=lambda data: services.chapter_save(
            actor=request.user, course=course, chapter=chapter, **data
        ),
        title=_("章の編集"),
        success=_("章を保存しました。"),
    )


@login_required
def lesson_create(request, course_id, chapter_id):
    office, course, chapter = get_office_chapter(request, course_id, chapter_id)
    return _course_part_page(
        request,
        course,
        form=LessonForm(request.POST or None, request.FILES or None),
        save=lambda data: services.lesson_save(actor=request.user, chapter=chapter, **data),
        title=_("レッスンの追加"),
        success=_("レッスンを保存しました。"),
    )


@login_required
def lesson_edit(request, course_id, lesson_id):
    office, course, lesson = get_office_lesson(request, course_id, lesson_id)
    return _course_part_page(
        request,
        course,
        form=LessonForm(request.POST or None, request.FILES or None, instance=copy(lesson)),
        save=lambda data: services.lesson_save(
            actor=request.user, chapter=lesson.chapter, lesson=lesson, **data
        ),
        title=_("レッスンの編集"),
        success=_("レッスンを保存しました。"),
    )


def _deleted(request, office, course, message: str, completed: int):
    if completed:
        message += " " + _("残りのレッスンをすべて視聴済みの%(n)d名が修了になりました。") % {
            "n": completed
        }
    messages.success(request, message)
    if request.htmx:
        return render(
            request,
            "programmes/staff/course_detail.html#outline",
            _course_page_context(office, course),
        )
    return redirect("programmes_staff:course_detail", course_id=course.pk)


@login_required
@require_POST
def chapter_delete(request, course_id, chapter_id):
    office, course, chapter = get_office_chapter(request, course_id, chapter_id)
    title = chapter.title
    completed = services.chapter_delete(actor=request.user, chapter=chapter)
    return _deleted(
        request, office, course, _("章「%(title)s」を削除しました。") % {"title": title}, completed
    )


@login_required
@require_POST
def lesson_delete(request, course_id, lesson_id):
    office, course, lesson = get_office_lesson(request, course_id, lesson_id)
    title = lesson.title
    completed = services.lesson_delete(actor=request.user, lesson=lesson)
    return _deleted(
        request,
        office,
        course,
        _("レッスン「%(title)s」を削除しました。") % {"title": title},
        completed,
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
        if form.is_valid() and _headline_saved(request, office, headline, form):
            messages.success(request, _("ヘッドラインを保存しました。"))
            return redirect("programmes_staff:headline_list")
        status = 422
    return render(
        request,
        "programmes/staff/headline_form.html",
        {"office": office, "form": form, "headline": headline},
        status=status,
    )


def _headline_saved(request, office, headline, form) -> bool:
    """Create or update the headline from the valid form; False (the service's refusal on
    the form) if it is refused."""
    data = dict(form.cleaned_data)
    prefectures, topics = data.pop("prefectures"), data.pop("topics")
    try:
        if headline is None:
            services.headline_create(
                actor=request.user, office=office, prefectures=prefectures, topics=topics, **data
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
        return False
    return True


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
