from django.urls import path

from cnnavi.reduce import views

app_name = "reduce_staff"
urlpatterns = [
    path("reduce/measures/", views.catalogue_list, name="catalogue_list"),
    path("reduce/measures/new/", views.catalogue_edit, name="catalogue_new"),
    path("reduce/measures/<slug:code>/", views.catalogue_edit, name="catalogue_edit"),
]
