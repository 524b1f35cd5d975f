from django.urls import path

from cnnavi.reduce import views

app_name = "reduce"
urlpatterns = [
    path("", views.index, name="index"),
    path("companies/<int:company_id>/", views.plan, name="plan"),
    path("companies/<int:company_id>/target/", views.target, name="target"),
    path("companies/<int:company_id>/target/use-sbt/", views.target_use_sbt, name="target_use_sbt"),
    path("companies/<int:company_id>/measures/add/", views.measures_add, name="measures_add"),
    path(
        "companies/<int:company_id>/measures/<int:plan_measure_id>/",
        views.measure_edit,
        name="measure_edit",
    ),
    path(
        "companies/<int:company_id>/measures/<int:plan_measure_id>/status/",
        views.measure_status,
        name="measure_status",
    ),
    path(
        "companies/<int:company_id>/measures/<int:plan_measure_id>/delete/",
        views.measure_delete,
        name="measure_delete",
    ),
    path("companies/<int:company_id>/plan.xlsx", views.export_xlsx, name="export_xlsx"),
    path("companies/<int:company_id>/plan.pdf", views.export_pdf, name="export_pdf"),
]
