from django.urls import path

from cnnavi.surveys import views

app_name = "surveys"
urlpatterns = [
    path("<str:survey_token>/", views.answer, name="answer"),
]
