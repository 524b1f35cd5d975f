from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "cnnavi.outcomes"
    label = "outcomes"
