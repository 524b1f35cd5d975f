"""Access helpers for events, applications, courses and headlines.

Published events and courses are public; drafts are found only by their office's staff pages.
An application is found only by its applicant, or by the staff of the event's office. Another
office's object, or one that does not exist, is a 404 (see cnnavi.orgs.access)."""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

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
    return get_object_or_404(Event.objects.filter(is_published=True), pk=int_or_404(event_id))


def get_own_application(request: HttpRequest, application_id) -> Application:
    return get_object_or_404(
        Application.objects.filter(user=request.user).select_related("event"),
        pk=int_or_404(application_id),
    )


def get_public_course(course_id) -> Course:
    return get_object_or_404(Course.objects.filter(is_published=True), pk=int_or_404(course_id))


def get_course_lesson(course: Course, lesson_id) -> Lesson:
    return get_object_or_404(
        Lesson.objects.filter(chapter__course=course).select_related("chapter"),
        pk=int_or_404(lesson_id),
    )


def get_lesson_attachment(lesson: Lesson, attachment_id) -> LessonAttachment:
    return get_object_or_404(
        LessonAttachment.objects.filter(lesson=lesson), pk=int_or_404(attachment_id)
    )


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
    """The user's enrolment in ``course``, or None (not enrolled is a state the pages show,
    not a 404)."""
    return Enrolment.objects.filter(course=course, user=request.user).first()


# --- Staff pages: the object must belong to the user's office (403 if not staff) -------------
def get_office_event(request: HttpRequest, event_id):
    office = get_staff_office(request)
    return office, get_object_or_404(Event.objects.filter(office=office), pk=int_or_404(event_id))


def get_office_application(request: HttpRequest, event_id, application_id):
    office, event = get_office_event(request, event_id)
    application = get_object_or_404(
        Application.objects.filter(event=event).select_related("event", "company"),
        pk=int_or_404(application_id),
    )
    return office, event, application


def get_office_course(request: HttpRequest, course_id):
    office = get_staff_office(request)
    return office, get_object_or_404(Course.objects.filter(office=office), pk=int_or_404(course_id))


def get_office_chapter(request: HttpRequest, course_id, chapter_id):
    office, course = get_office_course(request, course_id)
    chapter = get_object_or_404(Chapter.objects.filter(course=course), pk=int_or_404(chapter_id))
    return office, course, chapter


def get_office_lesson(request: HttpRequest, course_id, lesson_id):
    office, course = get_office_course(request, course_id)
    return office, course, get_course_lesson(course, lesson_id)


def get_office_headline(request: HttpRequest, headline_id):
    office = get_staff_office(request)
    return office, get_object_or_404(
        Headline.objects.filter(office=office), pk=int_or_404(headline_id)
    )


def get_office_invoice(request: HttpRequest, invoice_id):
    """An invoice of the staff user's office (another office's is a 404)."""
    office = get_staff_office(request)
    invoice = get_object_or_404(
        Invoice.objects.filter(office=office).select_related("application", "original"),
        pk=int_or_404(invoice_id),
    )
    return office, invoice


def get_own_invoice(request: HttpRequest, invoice_id) -> Invoice:
    """An invoice of the user's own application (anyone else's is a 404)."""
    return get_object_or_404(
        Invoice.objects.filter(application__user=request.user).select_related(
            "application", "original"
        ),
        pk=int_or_404(invoice_id),
    )
