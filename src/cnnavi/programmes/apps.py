from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "cnnavi.programmes"
    label = "programmes"
