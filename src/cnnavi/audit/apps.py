from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cnnavi.audit"
    label = "audit"
    verbose_name = "Audit log"
