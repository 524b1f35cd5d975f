from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "cnnavi.common"
    label = "common"
    verbose_name = "CN Navi common"
