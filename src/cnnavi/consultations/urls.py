from django.urls import path

from cnnavi.consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.index, name="index"),
    path("book/<int:slot_id>/", views.book, name="book"),
    path("bookings/<int:booking_id>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:booking_id>/calendar.ics", views.booking_ics, name="booking_ics"),
    path("bookings/<int:booking_id>/cancel/", views.booking_cancel, name="booking_cancel"),
    path(
        "bookings/<int:booking_id>/reschedule/",
        views.booking_reschedule,
        name="booking_reschedule",
    ),
    path(
        "bookings/<int:booking_id>/meeting-url/",
        views.booking_meeting_url,
        name="booking_meeting_url",
    ),
    path("manage/<str:manage_token>/", views.manage, name="manage"),
    path("manage/<str:manage_token>/calendar.ics", views.manage_ics, name="manage_ics"),
    path("calc-support/", views.calc_support, name="calc_support"),
    path("calc-support/<int:calc_case_id>/", views.calc_case, name="calc_case"),
    path(
        "calc-support/<int:calc_case_id>/visits/new/",
        views.calc_visit_new,
        name="calc_visit_new",
    ),
    path(
        "calc-support/<int:calc_case_id>/visits/<int:visit_id>/record/",
        views.calc_visit_record,
        name="calc_visit_record",
    ),
    path(
        "calc-support/<int:calc_case_id>/visits/<int:visit_id>/change/",
        views.calc_visit_change,
        name="calc_visit_change",
    ),
    path(
        "calc-support/<int:calc_case_id>/visits/<int:visit_id>/report.pdf",
        views.calc_visit_pdf,
        name="calc_visit_pdf",
    ),
    path("handson/", views.handson, name="handson"),
    path("handson/<int:handson_case_id>/", views.handson_case, name="handson_case"),
    path(
        "handson/<int:handson_case_id>/transition/",
        views.handson_transition,
        name="handson_transition",
    ),
    path("handson/<int:handson_case_id>/hearings/", views.handson_hearing, name="handson_hearing"),
    path("handson/<int:handson_case_id>/plan/", views.handson_plan, name="handson_plan"),
    path("handson/<int:handson_case_id>/pdca/", views.handson_pdca, name="handson_pdca"),
    path(
        "handson/<int:handson_case_id>/screening/",
        views.handson_screening,
        name="handson_screening",
    ),
    path(
        "handson/<int:handson_case_id>/plan/decision/",
        views.handson_plan_decide,
        name="handson_plan_decide",
    ),
    path("handson/<int:handson_case_id>/report.pdf", views.handson_report, name="handson_report"),
]
