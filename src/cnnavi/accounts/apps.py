from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cnnavi.accounts"
    label = "accounts"
    verbose_name = "Accounts"
