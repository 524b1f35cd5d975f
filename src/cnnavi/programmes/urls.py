from django.urls import path

from cnnavi.programmes import views

app_name = "programmes"
urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/mine/", views.my_applications, name="my_applications"),
    path("events/<int:event_id>/", views.event_detail, name="event_detail"),
    path("events/<int:event_id>/calendar.ics", views.event_calendar_file, name="event_calendar"),
    path(
        "events/applications/<int:application_id>/cancel/",
        views.application_cancel,
        name="application_cancel",
    ),
    path("events/invoices/<int:invoice_id>.pdf", views.my_invoice_pdf, name="my_invoice_pdf"),
    path(
        "events/invoices/<int:invoice_id>/receipt.pdf",
        views.my_receipt_pdf,
        name="my_receipt_pdf",
    ),
    path("courses/", views.course_list, name="course_list"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
    path("courses/<int:course_id>/", views.course_detail, name="course_detail"),
    path("courses/<int:course_id>/enrol/", views.course_enrol, name="course_enrol"),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/",
        views.lesson_detail,
        name="lesson_detail",
    ),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/progress/",
        views.lesson_progress,
        name="lesson_progress",
    ),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/quiz/",
        views.lesson_quiz,
        name="lesson_quiz",
    ),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/video/",
        views.lesson_video,
        name="lesson_video",
    ),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/files/<int:attachment_id>/",
        views.lesson_attachment,
        name="lesson_attachment",
    ),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/done/",
        views.lesson_done,
        name="lesson_done",
    ),
    path(
        "courses/<int:course_id>/certificate.pdf",
        views.course_certificate,
        name="course_certificate",
    ),
    path("headlines/", views.headline_list, name="headline_list"),
    path("headlines/feed/", views.headline_feed, name="headline_feed"),
]
