from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cnnavi.api"
    label = "api"
    verbose_name = "JSON API"
