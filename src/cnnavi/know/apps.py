from django.apps import AppConfig


class KnowConfig(AppConfig):
    name = "cnnavi.know"
    label = "know"
