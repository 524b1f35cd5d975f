from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "cnnavi.pages"
    label = "pages"
    verbose_name = "Pages"
