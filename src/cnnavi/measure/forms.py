from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cnnavi.core import energy_catalogue
from cnnavi.measure import rules
from cnnavi.measure.labels import energy_label
from cnnavi.measure.models import SupplyKind, VolumeKind


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker) -> the first day of it."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2025-04"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return rules.parse_month_text(value.replace("/", "-"))
        except ValueError:
            raise forms.ValidationError(
                _("年月は 2025-04 のように入力してください。"), code="invalid"
            ) from None


class ContractForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=SupplyKind.choices)
    valid_from = MonthField(
        label=_("適用開始月"), help_text=_("この月から、次の契約が始まるまで適用します。")
    )
    supplier_reg = forms.CharField(
        label=_("供給事業者の登録番号"),
        max_length=20,
        help_text=_("上の検索で選ぶか、公表一覧の登録番号（例: A0271）を入力してください。"),
    )
    menu = forms.CharField(
        label=_("メニュー"),
        max_length=150,
        required=False,
        help_text=_("空欄なら残差メニュー（なければ事業者全体の値）を使います。"),
    )


def energy_choices():
    lead = ["electricity", "city_gas", "lpg", "kerosene", "heavy_oil_a", "diesel_oil", "gasoline"]
    codes = lead + [e.code for e in energy_catalogue() if e.code not in lead]
    return [(c, energy_label(c)) for c in codes]


class GridRowForm(forms.Form):
    energy = forms.ChoiceField(label=_("エネルギー"), choices=energy_choices)
    unit = forms.CharField(
        label=_("単位"), max_length=10, required=False, help_text=_("空欄ならその燃料の標準の単位")
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル（CSV または XLSX）"),
        help_text=_("テンプレートと同じ列（事業所・年月・エネルギー・使用量・単位…）。"),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("CSV か XLSX のファイルを選んでください。"))
        return f


class VolumeForm(forms.Form):
    kind = forms.ChoiceField(label=_("種類"), choices=VolumeKind.choices)
    fiscal_year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    month = MonthField(
        label=_("年月"), required=False, help_text=_("空欄なら年度の合計として登録します。")
    )
    value = forms.DecimalField(label=_("値"), min_value=0, max_digits=20, decimal_places=4)
    unit = forms.CharField(label=_("単位"), max_length=20, help_text=_("例: 百万円、t、個"))

    def clean(self):
        data = super().clean()
        month: date | None = data.get("month")
        fy = data.get("fiscal_year")
        if month and fy and rules.fiscal_year_of(month) != fy:
            self.add_error("month", _("年月が年度（4月〜3月）の中にありません。"))
        return data
