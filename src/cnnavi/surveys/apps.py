from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cnnavi.surveys"
    label = "surveys"
