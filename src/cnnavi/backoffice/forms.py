from django import forms
from django.utils.translation import gettext_lazy as _

from cnnavi.audit.labels import action_choices


def _action_filter_choices():
    return [("", _("すべて"))] + action_choices()


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("実行者"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=_action_filter_choices)
    company = forms.IntegerField(label=_("企業ID"), required=False, min_value=1)
    date_from = forms.DateField(
        label=_("開始日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("終了日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AssignExpertForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("専門家"), queryset=None, empty_label=None)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
