"""Access helpers for events, applications, courses and headlines.

Published events and courses are public; drafts are found only by their office's staff pages.
An application is found only by its applicant, or by the staff of the event's office. Another
office's object, or one that does not exist, is a 404 (see cnnavi.orgs.access)."""

from django.http import Http404, HttpRequest

from cnnavi.orgs.access import get_staff_office, int_or_404
from cnnavi.programmes.models import (
    Application,
    Chapter,
    Course,
    Enrolment,
    Event,
    Headline,
    Invoice,
    Lesson,
    LessonAttachment,
)


def get_public_event(event_id) -> Event:
    event = Event.objects.filter(pk=int_or_404(event_id), is_published=True).first()
    if event is None:
        raise Http404
    return event


def get_own_application(request: HttpRequest, application_id) -> Application:
    application = (
        Application.objects.filter(pk=int_or_404(application_id), user=request.user)
        .select_related("event")
        .first()
    )
    if application is None:
        raise Http404
    return application


def get_public_course(course_id) -> Course:
    course = Course.objects.filter(pk=int_or_404(course_id), is_published=True).first()
    if course is None:
        raise Http404
    return course


def get_course_lesson(course: Course, lesson_id) -> Lesson:
    lesson = (
        Lesson.objects.filter(pk=int_or_404(lesson_id), chapter__course=course)
        .select_related("chapter")
        .first()
    )
    if lesson is None:
        raise Http404
    return lesson


def get_lesson_attachment(lesson: Lesson, attachment_id) -> LessonAttachment:
    attachment = LessonAttachment.objects.filter(
        pk=int_or_404(attachment_id), lesson=lesson
    ).first()
    if attachment is None:
        raise Http404
    return attachment


def get_enrolled_lesson(request: HttpRequest, course_id, lesson_id):
    """A lesson's content (video, attachments) is for the learners enrolled in the published
    course; anyone else, and another office's draft, gets a 404."""
    course = get_public_course(course_id)
    lesson = get_course_lesson(course, lesson_id)
    enrolment = get_own_enrolment(request, course) if request.user.is_authenticated else None
    if enrolment is None:
        raise Http404
    return course, lesson, enrolment


def get_own_enrolment(request: HttpRequest, course: Course) -> Enrolment | None:
    return Enrolment.objects.filter(course=course, user=request.user).first()


# --- Staff pages: the object must belong to the user's office (403 if not staff) -------------
def get_office_event(request: HttpRequest, event_id):
    office = get_staff_office(request)
    event = Event.objects.filter(pk=int_or_404(event_id), office=office).first()
    if event is None:
        raise Http404
    return office, event


def get_office_application(request: HttpRequest, event_id, application_id):
    office, event = get_office_event(request, event_id)
    application = (
        Application.objects.filter(pk=int_or_404(application_id), event=event)
        .select_related("event", "company")
        .first()
    )
    if application is None:
        raise Http404
    return office, event, application


def get_office_course(request: HttpRequest, course_id):
    office = get_staff_office(request)
    course = Course.objects.filter(pk=int_or_404(course_id), office=office).first()
    if course is None:
        raise Http404
    return office, course


def get_office_chapter(request: HttpRequest, course_id, chapter_id):
    office, course = get_office_course(request, course_id)
    chapter = Chapter.objects.filter(pk=int_or_404(chapter_id), course=course).first()
    if chapter is None:
        raise Http404
    return office, course, chapter


def get_office_lesson(request: HttpRequest, course_id, lesson_id):
    office, course = get_office_course(request, course_id)
    return office, course, get_course_lesson(course, lesson_id)


def get_office_headline(request: HttpRequest, headline_id):
    office = get_staff_office(request)
    headline = Headline.objects.filter(pk=int_or_404(headline_id), office=office).first()
    if headline is None:
        raise Http404
    return office, headline


def get_office_invoice(request: HttpRequest, invoice_id):
    """An invoice of the staff user's office (another office's is a 404)."""
    office = get_staff_office(request)
    invoice = (
        Invoice.objects.filter(pk=int_or_404(invoice_id), office=office)
        .select_related("application", "original")
        .first()
    )
    if invoice is None:
        raise Http404
    return office, invoice


def get_own_invoice(request: HttpRequest, invoice_id) -> Invoice:
    """An invoice of the user's own application (anyone else's is a 404)."""
    invoice = (
        Invoice.objects.filter(pk=int_or_404(invoice_id), application__user=request.user)
        .select_related("application", "original")
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice
