from django.urls import path

from cnnavi.know import views

app_name = "know"
urlpatterns = [
    path("self-check/", views.self_check, name="self_check"),
    path("self-check/result/", views.self_check_result, name="self_check_result"),
    path("diagnosis/", views.diagnosis, name="diagnosis"),
    path("diagnosis/questions/", views.diagnosis_questions, name="diagnosis_questions"),
    path("diagnosis/result/", views.diagnosis_result, name="diagnosis_result"),
    path("diagnosis/result/save/", views.diagnosis_save, name="diagnosis_save"),
    path("diagnosis/result/pdf/", views.diagnosis_result_pdf, name="diagnosis_result_pdf"),
    path(
        "companies/<int:company_id>/diagnoses/",
        views.company_diagnoses,
        name="company_diagnoses",
    ),
    path(
        "companies/<int:company_id>/diagnoses/<int:diagnosis_id>/",
        views.company_diagnosis,
        name="company_diagnosis",
    ),
    path(
        "companies/<int:company_id>/diagnoses/<int:diagnosis_id>/pdf/",
        views.company_diagnosis_pdf,
        name="company_diagnosis_pdf",
    ),
]
