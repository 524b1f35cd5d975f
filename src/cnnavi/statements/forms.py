from django import forms
from django.utils.translation import gettext_lazy as _

from cnnavi.statements.models import AllocationMethod, PeriodKind


class StatementIssueForm(forms.Form):
    period = forms.ChoiceField(
        label=_("期間"), choices=PeriodKind.choices, widget=forms.HiddenInput
    )
    year = forms.IntegerField(
        label=_("開始年"), min_value=1990, max_value=2100, widget=forms.HiddenInput
    )
    by_facility = forms.BooleanField(label=_("事業所別の内訳を載せる"), required=False)
    recipient_name = forms.CharField(label=_("提出先（任意）"), max_length=150, required=False)
    allocation_method = forms.ChoiceField(
        label=_("提出先への按分"),
        choices=AllocationMethod.choices,
        required=False,
        help_text=_(
            "取引先のScope 3のために、自社の排出量のうち取引先の分を示します。経済的按分は"
            "売上高の比、物理的按分は数量（生産量）の比によります。"
        ),
    )
    allocation_part = forms.DecimalField(
        label=_("提出先への売上高・数量"),
        max_digits=20,
        decimal_places=4,
        min_value=0,
        required=False,
    )
    allocation_total = forms.DecimalField(
        label=_("全体の売上高・生産量"),
        max_digits=20,
        decimal_places=4,
        min_value=0,
        required=False,
    )
    allocation_unit = forms.CharField(
        label=_("単位（例: 百万円、個）"), max_length=20, required=False
    )


class LinkCreateForm(forms.Form):
    recipient_name = forms.CharField(label=_("提出先の名前"), max_length=150)
    recipient_email = forms.EmailField(label=_("メールアドレス（任意）"), required=False)
    expires_on = forms.DateField(
        label=_("有効期限"), widget=forms.DateInput(attrs={"type": "date"})
    )


class EvidenceUploadForm(forms.Form):
    month = forms.CharField(label=_("年月"), max_length=7)
    energy = forms.CharField(label=_("エネルギー"), max_length=40)
    file = forms.FileField(label=_("請求書の写真またはPDF"))


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("検証コード"), max_length=30)
