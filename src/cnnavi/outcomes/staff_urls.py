from django.urls import path

from cnnavi.outcomes import views

app_name = "outcomes_staff"
urlpatterns = [
    path("outcomes/", views.index, name="index"),
    path("outcomes/export.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("outcomes/export.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("outcomes/companies/", views.companies, name="companies"),
    path("outcomes/feeds/", views.feeds, name="feeds"),
    path("outcomes/feeds/items/<int:item_id>/publish/", views.item_publish, name="item_publish"),
    path("outcomes/feeds/items/<int:item_id>/dismiss/", views.item_dismiss, name="item_dismiss"),
]
