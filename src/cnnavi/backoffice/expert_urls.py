from django.urls import path

from cnnavi.backoffice import views

app_name = "experts"
urlpatterns = [
    path("", views.expert_index, name="index"),
]
