from django.urls import path

from cnnavi.consultations import staff_views

app_name = "consultations_staff"
urlpatterns = [
    path("consultations/", staff_views.availability, name="availability"),
    path("consultations/rules/<int:rule_id>/delete/", staff_views.rule_delete, name="rule_delete"),
    path("consultations/closed-days/", staff_views.closed_day, name="closed_day"),
    path("consultations/generate/", staff_views.generate, name="generate"),
    path("consultations/export.csv", staff_views.export_csv, name="export_csv"),
    path("calc-support/", staff_views.calc_list, name="calc_list"),
    path("calc-support/<int:calc_case_id>/", staff_views.calc_case, name="calc_case"),
    path("handson/", staff_views.handson_list, name="handson_list"),
    path("handson/settings/", staff_views.handson_settings, name="handson_settings"),
    path(
        "handson/criteria/<int:criterion_id>/toggle/",
        staff_views.criterion_toggle,
        name="criterion_toggle",
    ),
]
