from django.urls import path

from cnnavi.programmes import staff_views

app_name = "programmes_staff"
urlpatterns = [
    path("events/", staff_views.event_list, name="event_list"),
    path("events/new/", staff_views.event_create, name="event_create"),
    path("events/<int:event_id>/", staff_views.event_detail, name="event_detail"),
    path("events/<int:event_id>/edit/", staff_views.event_edit, name="event_edit"),
    path("events/<int:event_id>/message/", staff_views.event_message, name="event_message"),
    path(
        "events/<int:event_id>/participants.csv",
        staff_views.participants_csv,
        name="participants_csv",
    ),
    path(
        "events/<int:event_id>/applications/<int:application_id>/attendance/",
        staff_views.attendance,
        name="attendance",
    ),
    path(
        "events/<int:event_id>/applications/<int:application_id>/invoice/",
        staff_views.invoice_issue,
        name="invoice_issue",
    ),
    path("invoices/", staff_views.invoice_list, name="invoice_list"),
    path("invoices/invoices.csv", staff_views.invoices_csv, name="invoices_csv"),
    path("invoices/<int:invoice_id>.pdf", staff_views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/receipt.pdf", staff_views.receipt_pdf, name="receipt_pdf"),
    path("invoices/<int:invoice_id>/payment/", staff_views.invoice_payment, name="invoice_payment"),
    path(
        "events/<int:event_id>/applications/<int:application_id>/cancel/",
        staff_views.application_cancel,
        name="application_cancel",
    ),
    path("courses/", staff_views.course_list, name="course_list"),
    path("courses/new/", staff_views.course_create, name="course_create"),
    path("courses/<int:course_id>/", staff_views.course_detail, name="course_detail"),
    path("courses/<int:course_id>/edit/", staff_views.course_edit, name="course_edit"),
    path(
        "courses/<int:course_id>/progress.csv",
        staff_views.course_progress_csv,
        name="course_progress_csv",
    ),
    path(
        "courses/<int:course_id>/chapters/new/",
        staff_views.chapter_create,
        name="chapter_create",
    ),
    path(
        "courses/<int:course_id>/chapters/<int:chapter_id>/edit/",
        staff_views.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "courses/<int:course_id>/chapters/<int:chapter_id>/delete/",
        staff_views.chapter_delete,
        name="chapter_delete",
    ),
    path(
        "courses/<int:course_id>/chapters/<int:chapter_id>/lessons/new/",
        staff_views.lesson_create,
        name="lesson_create",
    ),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/edit/",
        staff_views.lesson_edit,
        name="lesson_edit",
    ),
    path(
        "courses/<int:course_id>/lessons/<int:lesson_id>/delete/",
        staff_views.lesson_delete,
        name="lesson_delete",
    ),
    path("headlines/", staff_views.headline_list, name="headline_list"),
    path("headlines/new/", staff_views.headline_create, name="headline_create"),
    path("headlines/<int:headline_id>/edit/", staff_views.headline_edit, name="headline_edit"),
    path(
        "headlines/<int:headline_id>/delete/", staff_views.headline_delete, name="headline_delete"
    ),
]
