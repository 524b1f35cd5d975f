from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("トークンの名前"),
        max_length=80,
        help_text=_("用途がわかる名前（例: 集計用スクリプト）。"),
    )
