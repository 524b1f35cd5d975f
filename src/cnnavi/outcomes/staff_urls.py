from django.urls import path

from cnnavi.common.http import lazy_view

# The views load numpy and openpyxl: imported on first use (see common.http.lazy_view).

app_name = "outcomes_staff"
urlpatterns = [
    path("outcomes/", lazy_view("cnnavi.outcomes.views.index"), name="index"),
    path(
        "outcomes/export.csv",
        lazy_view("cnnavi.outcomes.views.export"),
        {"fmt": "csv"},
        name="export_csv",
    ),
    path(
        "outcomes/export.xlsx",
        lazy_view("cnnavi.outcomes.views.export"),
        {"fmt": "xlsx"},
        name="export_xlsx",
    ),
    path("outcomes/companies/", lazy_view("cnnavi.outcomes.views.companies"), name="companies"),
    path("outcomes/feeds/", lazy_view("cnnavi.outcomes.views.feeds"), name="feeds"),
    path(
        "outcomes/feeds/items/<int:item_id>/publish/",
        lazy_view("cnnavi.outcomes.views.item_publish"),
        name="item_publish",
    ),
    path(
        "outcomes/feeds/items/<int:item_id>/dismiss/",
        lazy_view("cnnavi.outcomes.views.item_dismiss"),
        name="item_dismiss",
    ),
]
