"""Public pages: events and applications, on-demand courses, support headlines."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from cnnavi.common.forms import form_status
from cnnavi.common.http import ranged_file_response
from cnnavi.common.pdf import pdf_response
from cnnavi.programmes import rules, selectors, services
from cnnavi.programmes.access import (
    get_course_lesson,
    get_enrolled_lesson,
    get_lesson_attachment,
    get_own_application,
    get_own_enrolment,
    get_own_invoice,
    get_public_course,
    get_public_event,
)
from cnnavi.programmes.certificate import certificate_pdf
from cnnavi.programmes.forms import ApplicationForm, HeadlineFilterForm
from cnnavi.programmes.ics import event_calendar
from cnnavi.programmes.invoice_pdf import invoice_pdf as invoice_document
from cnnavi.programmes.invoice_pdf import receipt_pdf as receipt_document
from cnnavi.programmes.models import ApplicationStatus, Audience, HeadlineKind


# --- Events --------------------------------------------------------------------------------
def event_list(request):
    include_past = request.GET.get("past") == "1"
    events = selectors.published_events(include_past=include_past)
    return render(
        request,
        "programmes/event_list.html",
        {"events": events, "include_past": include_past, "now": timezone.now()},
    )


def _application_form(request, event):
    """The application form for a signed-in user without a live application (bound on POST),
    or None: anonymous, already applied, or a company member without a support-institution
    role when the event is for support institutions only (the page says so instead)."""
    if not request.user.is_authenticated:
        return None
    applicant = selectors.applicant_of(
        user=request.user, for_institutions_only=event.audience == Audience.SUPPORT_INSTITUTIONS
    )
    if not applicant.may_apply_as_institution:
        return None
    return ApplicationForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        companies=applicant.companies,
        office_name=applicant.office_name,
        audience=event.audience,
    )


def _apply(request, event, form):
    """Apply with the valid form's data and say how it went; a refusal becomes the form's
    error (None)."""
    try:
        application = services.application_create(
            user=request.user, event=event, **form.cleaned_data
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    if application.status == ApplicationStatus.CONFIRMED:
        messages.success(request, _("申込を受け付けました。確認メールを送りました。"))
    else:
        messages.warning(request, _("定員に達しているため、キャンセル待ちで受け付けました。"))
    return application


def event_detail(request, event_id):
    event = get_public_event(event_id)
    application = selectors.live_application_of(user=request.user, event=event)
    form = _application_form(request, event) if application is None else None
    if form is not None and form.is_bound and form.is_valid() and _apply(request, event, form):
        return redirect("programmes:event_detail", event_id=event.pk)
    return render(
        request,
        "programmes/event_detail.html",
        {
            "event": selectors.event_with_numbers(event=event),
            "form": form,
            "application": application,
            "state": selectors.event_page_state(event=event, application=application),
        },
        status=form_status(form),
    )


def event_calendar_file(request, event_id):
    """The event's sessions as an .ics file, for anyone who sees the event."""
    event = get_public_event(event_id)
    response = HttpResponse(event_calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@login_required
def my_applications(request):
    applications = selectors.applications_with_invoices_of_user(user=request.user)
    return render(
        request,
        "programmes/my_applications.html",
        {
            "applications": applications,
            "now": timezone.now(),
        },
    )


@login_required
def my_invoice_pdf(request, invoice_id):
    invoice = get_own_invoice(request, invoice_id)
    return pdf_response(invoice_document(invoice), f"{invoice.number}.pdf")


@login_required
def my_receipt_pdf(request, invoice_id):
    invoice = get_own_invoice(request, invoice_id)
    if invoice.paid_on is None:
        raise Http404
    return pdf_response(receipt_document(invoice), f"{invoice.number}-receipt.pdf")


@login_required
@require_POST
def application_cancel(request, application_id):
    application = get_own_application(request, application_id)
    try:
        services.application_cancel(actor=request.user, application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("programmes:my_applications")
    messages.success(request, _("申込をキャンセルしました。"))
    return redirect("programmes:event_detail", event_id=application.event_id)


# --- Courses -------------------------------------------------------------------------------
def course_list(request):
    courses = selectors.published_courses_for(user=request.user)
    return render(request, "programmes/course_list.html", {"courses": courses})


def course_detail(request, course_id):
    course = get_public_course(course_id)
    enrolment = selectors.enrolment_of(user=request.user, course=course)
    return render(
        request,
        "programmes/course_detail.html",
        selectors.course_page(course=course, enrolment=enrolment),
    )


@login_required
@require_POST
def course_enrol(request, course_id):
    course = get_public_course(course_id)
    services.enrolment_create(user=request.user, course=course)
    messages.success(request, _("受講登録しました。各レッスンを開いて受講してください。"))
    return redirect("programmes:course_detail", course_id=course.pk)


@login_required
@require_POST
def lesson_done(request, course_id, lesson_id):
    course = get_public_course(course_id)
    lesson = get_course_lesson(course, lesson_id)
    enrolment = get_own_enrolment(request, course)
    if enrolment is None:
        messages.error(request, _("先に受講登録をしてください。"))
        return redirect("programmes:course_detail", course_id=course.pk)
    done = request.POST.get("done") == "1"
    try:
        enrolment = services.lesson_progress_set(
            user=request.user, enrolment=enrolment, lesson=lesson, done=done
        )
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(exc.messages[0], status=400)
        messages.error(request, exc.messages[0])
        return redirect("programmes:lesson_detail", course_id=course.pk, lesson_id=lesson.pk)
    if request.htmx:
        return render(
            request,
            "programmes/course_detail.html#progress",
            selectors.course_page(course=course, enrolment=enrolment),
        )
    return redirect(reverse("programmes:course_detail", args=[course.pk]) + f"#lesson-{lesson.pk}")


def lesson_detail(request, course_id, lesson_id):
    """A lesson's own page: its video (from our origin), text, attachments and quiz. Opening
    it as an enrolled learner starts the clock for watched or reading time."""
    course = get_public_course(course_id)
    lesson = get_course_lesson(course, lesson_id)
    enrolment = selectors.enrolment_of(user=request.user, course=course)
    progress = None
    if enrolment is not None:
        progress = services.lesson_open(user=request.user, enrolment=enrolment, lesson=lesson)
    return render(
        request,
        "programmes/lesson_detail.html",
        selectors.lesson_page(course=course, lesson=lesson, enrolment=enrolment, progress=progress),
    )


@login_required
@require_POST
def lesson_progress(request, course_id, lesson_id):
    """The player's (or reading timer's) report, posted by programmes/lesson.js."""
    course, lesson, enrolment = get_enrolled_lesson(request, course_id, lesson_id)
    try:
        position = float(request.POST.get("position", ""))
    except ValueError:
        return JsonResponse({"error": _("position は秒数で送ってください。")}, status=400)
    if not (0 <= position <= 24 * 3600):
        return JsonResponse({"error": _("position が範囲外です。")}, status=400)
    progress, needed = services.lesson_report(
        user=request.user, enrolment=enrolment, lesson=lesson, position=position
    )
    return JsonResponse(
        {
            "credited": round(progress.credited_seconds, 1),
            "needed": needed,
            "watched": needed is not None and progress.credited_seconds >= needed,
            "done": progress.done_at is not None,
            "course_complete": progress.enrolment.completed_at is not None,
        }
    )


@login_required
@require_POST
def lesson_quiz(request, course_id, lesson_id):
    course, lesson, enrolment = get_enrolled_lesson(request, course_id, lesson_id)
    answers = rules.quiz_answers(lesson.quiz, request.POST)
    try:
        percent, passed, done = services.lesson_quiz_submit(
            user=request.user, enrolment=enrolment, lesson=lesson, answers=answers
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if passed and done:
            messages.success(
                request, _("合格です（%(p)d%%）。このレッスンは完了です。") % {"p": percent}
            )
        elif passed:
            messages.success(
                request,
                _("合格です（%(p)d%%）。動画を視聴すると、このレッスンは完了です。")
                % {"p": percent},
            )
        else:
            messages.error(
                request,
                _("%(p)d%%でした。合格は%(need)d%%以上です。もう一度どうぞ。")
                % {"p": percent, "need": lesson.quiz_pass_percent},
            )
    return redirect("programmes:lesson_detail", course_id=course.pk, lesson_id=lesson.pk)


@login_required
def lesson_video(request, course_id, lesson_id):
    """The uploaded video, only for enrolled learners (404 for anyone else); a player's
    ``Range`` request gets the part it asked for (206)."""
    course, lesson, enrolment = get_enrolled_lesson(request, course_id, lesson_id)
    if not lesson.video_file:
        raise Http404
    kind = rules.sniff_video(lesson.video_file.open("rb").read(16)) or "mp4"
    lesson.video_file.seek(0)
    response = ranged_file_response(
        request, lesson.video_file, content_type=rules.VIDEO_TYPES[kind]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def lesson_attachment(request, course_id, lesson_id, attachment_id):
    course, lesson, enrolment = get_enrolled_lesson(request, course_id, lesson_id)
    attachment = get_lesson_attachment(lesson, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def course_certificate(request, course_id):
    course = get_public_course(course_id)
    enrolment = get_own_enrolment(request, course)
    if enrolment is None or enrolment.completed_at is None:
        messages.error(request, _("修了証は、すべてのレッスンを視聴済みにすると発行できます。"))
        return redirect("programmes:course_detail", course_id=course.pk)
    if not request.user.name:  # a certificate is addressed to a person, not an e-mail address
        messages.info(request, _("修了証に載せるお名前を登録してください。"))
        return redirect(reverse("accounts:name") + "?" + urlencode({"next": request.path}))
    enrolment = services.certificate_issue(user=request.user, enrolment=enrolment)
    pdf = certificate_pdf(enrolment=enrolment, course=course, user=request.user)
    return pdf_response(pdf, f"certificate-course-{course.pk}.pdf")


# --- Headlines -----------------------------------------------------------------------------
@vary_on_headers("HX-Request")
def headline_list(request):
    form = HeadlineFilterForm(request.GET or None)
    filters = form.filters()
    items = selectors.headlines(**filters)
    query = QueryDict(mutable=True)
    query.update({k: ("1" if v is True else v) for k, v in filters.items()})
    template = "programmes/headline_list.html"
    if request.htmx and form.is_valid():
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "headlines": items,
            "feed_url": reverse("programmes:headline_feed")
            + (f"?{query.urlencode()}" if query else ""),
        },
        status=form_status(form),
    )


class HeadlineFeed(Feed):
    """An Atom feed per filter: /headlines/feed/?prefecture=16&kind=subsidy&topic=..."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        form = HeadlineFilterForm(request.GET or None)
        filters = form.filters()
        filters.pop("include_expired", None)
        self.request = request
        return filters

    def title(self, obj):
        parts = [_("支援情報ヘッドライン")]
        form = HeadlineFilterForm(obj)
        form.is_valid()
        for name in ("prefecture", "kind", "topic"):
            if obj.get(name):
                parts.append(dict(form.fields[name].choices)[obj[name]])
        return " / ".join(str(p) for p in parts) + " | CN Navi"

    def link(self, obj):
        query = QueryDict(mutable=True)
        query.update(obj)
        return reverse("programmes:headline_list") + (f"?{query.urlencode()}" if obj else "")

    def subtitle(self, obj):
        return _("中小企業のカーボンニュートラルに関するイベント・補助金・セミナー・お知らせ")

    def items(self, obj):
        return selectors.headlines(**obj)[:50]

    def item_title(self, item):
        prefix = _("【デモ】") if item.is_demo else ""
        note = f" ({_('日本語のみ')})" if item.japanese_only("title") else ""
        return f"{prefix}[{HeadlineKind(item.kind).label}] {item.localized('title')}{note}"

    def item_description(self, item):
        return item.localized("summary")

    def item_link(self, item):
        return item.url or reverse("programmes:headline_list") + f"#headline-{item.pk}"

    def item_guid(self, item):
        return f"cnnavi-headline-{item.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at

    def item_categories(self, item):
        return [str(label) for label in item.prefecture_labels() + item.topic_labels()]


headline_feed = HeadlineFeed()


def certificate_verify(request):
    """Anyone holding a certificate can check its verification code (name, course, date)."""
    code = request.GET.get("code", "").strip()
    enrolment = selectors.certificate_by_code(code=code) if code else None
    return render(
        request,
        "programmes/certificate_verify.html",
        {"code": code, "enrolment": enrolment, "checked": bool(code)},
    )
