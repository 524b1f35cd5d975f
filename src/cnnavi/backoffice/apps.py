from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "cnnavi.backoffice"
    label = "backoffice"
    verbose_name = "Back office (staff and experts)"
