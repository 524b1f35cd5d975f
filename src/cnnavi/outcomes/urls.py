from django.urls import path

from cnnavi.common.http import lazy_view

# The views load numpy and openpyxl: imported on first use (see common.http.lazy_view).

app_name = "outcomes"
urlpatterns = [
    path(
        "companies/<int:company_id>/benchmark/",
        lazy_view("cnnavi.outcomes.views.benchmark"),
        name="benchmark",
    ),
]
