from django.urls import path

from cnnavi.know import views

app_name = "know_staff"
urlpatterns = [
    path("know/", views.staff_index, name="index"),
    path("know/export.csv", views.staff_export, name="export"),
    path("know/versions/", views.staff_versions, name="versions"),
    path("know/versions/<int:version_id>/", views.staff_version, name="version"),
    path("know/versions/<int:version_id>/copy/", views.staff_version_copy, name="version_copy"),
    path(
        "know/versions/<int:version_id>/publish/",
        views.staff_version_publish,
        name="version_publish",
    ),
]
