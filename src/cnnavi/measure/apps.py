from django.apps import AppConfig


class MeasureConfig(AppConfig):
    name = "cnnavi.measure"
    label = "measure"
