from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "cnnavi.orgs"
    label = "orgs"
    verbose_name = "Offices, experts and companies"
