from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "cnnavi.consultations"
    label = "consultations"
