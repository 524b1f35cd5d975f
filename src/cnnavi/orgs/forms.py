import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cnnavi.orgs.models import (
    Company,
    ConsentScope,
    Facility,
    Role,
    SupportOffice,
    validate_corporate_number,
)


class CompanyForm(forms.ModelForm):
    # Longer than 13 on input: full-width digits, hyphens and spaces are normalised away.
    corporate_number = forms.CharField(
        label=Company._meta.get_field("corporate_number").verbose_name,
        help_text=Company._meta.get_field("corporate_number").help_text,
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "corporate_number",
            "prefecture",
            "municipality",
            "industry",
            "employees",
            "capital_yen",
            "fiscal_year_start_month",
        ]
        widgets = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year_start_month"].widget = forms.Select(
            choices=[(m, _("%(m)d月") % {"m": m}) for m in range(1, 13)]
        )

    def clean_corporate_number(self):
        # People copy the number with full-width digits, hyphens or spaces.
        value = unicodedata.normalize("NFKC", self.cleaned_data["corporate_number"])
        value = "".join(ch for ch in value if ch not in "- ")
        validate_corporate_number(value)
        return value


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = ["name", "prefecture", "municipality", "kind", "floor_area_m2"]

    def __init__(self, *args, company: Company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        if not self.instance.pk:
            self.initial.setdefault("prefecture", company.prefecture)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Facility.objects.filter(company=self.company, name=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("同じ名前の事業所がすでにあります。"))
        return name


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("招待する人のメールアドレス"))
    role = forms.ChoiceField(label=_("権限"), choices=Role.choices, initial=Role.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("権限"), choices=Role.choices)


class ConsentForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("支援機関"), queryset=SupportOffice.objects.all(), empty_label=None
    )
    scope = forms.ChoiceField(
        label=_("範囲"),
        choices=ConsentScope.choices,
        initial=ConsentScope.READ,
        widget=forms.RadioSelect,
    )
    valid_until = forms.DateField(
        label=_("有効期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("空欄なら取り消すまで有効です。いつでも取り消せます。"),
    )
    agree = forms.BooleanField(
        label=_(
            "支援機関の職員と、支援機関が担当にした専門家が、自社のデータを見ることに同意します。"
        ),
        required=True,
    )

    def clean_valid_until(self):
        value = self.cleaned_data.get("valid_until")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("有効期限には今日以降の日付を指定してください。"))
        return value
