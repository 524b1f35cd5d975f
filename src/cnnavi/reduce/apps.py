from django.apps import AppConfig


class ReduceConfig(AppConfig):
    name = "cnnavi.reduce"
    label = "reduce"
