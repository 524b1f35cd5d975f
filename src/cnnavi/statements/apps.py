from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "cnnavi.statements"
    label = "statements"
    verbose_name = "CO2 statements"
