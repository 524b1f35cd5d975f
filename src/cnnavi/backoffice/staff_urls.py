from django.urls import path

from cnnavi.backoffice import views

app_name = "staff"
urlpatterns = [
    path("", views.staff_index, name="index"),
    path("companies/<int:company_id>/", views.staff_company, name="company"),
    path(
        "companies/<int:company_id>/experts/<int:expert_id>/unassign/",
        views.staff_unassign,
        name="unassign",
    ),
    path("audit/", views.staff_audit, name="audit"),
]
