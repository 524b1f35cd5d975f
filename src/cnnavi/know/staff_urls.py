from django.urls import path

from cnnavi.know import views

app_name = "know_staff"
urlpatterns = [
    path("know/", views.staff_index, name="index"),
    path("know/export.csv", views.staff_export, name="export"),
    path("know/versions/", views.staff_versions, name="versions"),
]
