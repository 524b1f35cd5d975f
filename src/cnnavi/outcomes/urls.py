from django.urls import path

from cnnavi.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("companies/<int:company_id>/benchmark/", views.benchmark, name="benchmark"),
]
