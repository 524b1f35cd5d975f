"""Ids of tenant A and tenant B for the URL kwargs of the programmes app.

Published events and courses are public, so tenant B's values are *drafts* of office B: the
public pages do not find them (404) and office A's staff pages do not either (another office).
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from cnnavi.programmes import services
from cnnavi.programmes.models import Enrolment, Headline, HeadlineKind, LessonAttachment
from cnnavi.programmes.tests.factories import make_application, make_course, make_event


def provide(world) -> dict[str, tuple]:
    a, b = world.a, world.b
    event_a = make_event(a.office, title="A seminar")
    event_b = make_event(b.office, title="B draft", published=False)
    application_a = make_application(event_a, a.owner)
    application_b = make_application(event_b, b.owner)
    course_a = make_course(a.office, title="A course")
    course_b = make_course(b.office, title="B draft course", published=False)
    Enrolment.objects.create(course=course_a, user=a.owner)
    today = timezone.localdate()
    headlines = [
        Headline.objects.create(
            office=tenant.office,
            kind=HeadlineKind.NEWS,
            title=f"{tenant.office.name} news",
            nationwide=True,
            starts_on=today - timedelta(days=1),
        )
        for tenant in (a, b)
    ]

    invoices = []
    for tenant, published in ((a, True), (b, False)):
        services.invoice_settings_save(
            actor=tenant.owner,
            office=tenant.office,
            issuer_name=f"{tenant.office.name} 事務局",
            registration_number="T9234567890123",
        )
        paid = make_event(
            tenant.office, title=f"{tenant.office.name} paid", published=published, fee_yen=5500
        )
        invoice, _issued = services.invoice_send(
            actor=tenant.owner, application=make_application(paid, tenant.owner)
        )
        services.invoice_payment_record(
            actor=tenant.owner, invoice=invoice, paid_on=today, amount_yen=5500
        )
        invoices.append(invoice)

    def first_lesson(course):
        return course.chapters.first().lessons.first().pk

    for course in (course_a, course_b):  # each first lesson has an uploaded video
        lesson = course.chapters.first().lessons.first()
        lesson.video_file = ContentFile(b"\x00\x00\x00\x18ftypmp42", name="t.mp4")
        lesson.video_seconds = 60
        lesson.save()

    attachments = [
        LessonAttachment.objects.create(
            lesson_id=first_lesson(course),
            file=ContentFile(b"%PDF-1.4 tenancy", name="t.pdf"),
            name="t.pdf",
            content_type="application/pdf",
            size=16,
        )
        for course in (course_a, course_b)
    ]

    return {
        "event_id": (event_a.pk, event_b.pk),
        "application_id": (application_a.pk, application_b.pk),
        "course_id": (course_a.pk, course_b.pk),
        "lesson_id": (first_lesson(course_a), first_lesson(course_b)),
        "chapter_id": (course_a.chapters.first().pk, course_b.chapters.first().pk),
        "headline_id": (headlines[0].pk, headlines[1].pk),
        "attachment_id": (attachments[0].pk, attachments[1].pk),
        "invoice_id": (invoices[0].pk, invoices[1].pk),
    }
