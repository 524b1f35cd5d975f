from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cnnavi.core import energy_catalogue, get_energy
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
    heat_value = forms.DecimalField(
        label=_("標準熱量（MJ/m3）"),
        required=False,
        min_value=Decimal("10"),
        max_value=Decimal("100"),
        decimal_places=3,
        help_text=_(
            "都市ガスのみ。請求書に書かれた標準熱量（例: 45 MJ/m3）。省エネ法のエネルギー使用量"
            "（GJ・原油換算）に使います。空欄なら国の値 40.0 を使います。CO2の計算には影響しません。"
        ),
    )


def energy_choices():
    lead = ["electricity", "city_gas", "lpg", "kerosene", "heavy_oil_a", "diesel_oil", "gasoline"]
    codes = lead + [e.code for e in energy_catalogue() if e.code not in lead]
    return [(c, energy_label(c)) for c in codes]


class GridRowForm(forms.Form):
    energy = forms.ChoiceField(label=_("エネルギー"), choices=energy_choices)
    unit = forms.CharField(
        label=_("単位"),
        max_length=10,
        required=False,
        help_text=_(
            "空欄なら請求書の単位（都市ガスは m3、電気は kWh、灯油・軽油・A重油は L、LPG は kg）"
        ),
    )


_NUMBER_REASONS = {
    "not_a_number": _("数値で入力してください。"),
    "negative": _("0以上で入力してください。"),
    "too_large": _("大きすぎます。"),
    "too_many_decimals": _("小数点以下は6桁までです。"),
    "not_whole": _("円単位の整数で入力してください。"),
}


class GridTargetForm(forms.Form):
    """The month and energy of a grid cell (a bad one is a malformed request: ``bad_target``)."""

    month = forms.CharField(strip=False)
    energy = forms.CharField(strip=False)

    def clean_month(self):
        try:
            return rules.parse_month_text(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError("bad month", code="bad_target") from None

    def clean_energy(self):
        try:
            return get_energy(self.cleaned_data["energy"]).code
        except ValueError:
            raise forms.ValidationError("bad energy", code="bad_target") from None

    @property
    def bad_target(self) -> bool:
        """The month or the energy is missing or unknown (not a cell of the grid)."""
        return any(self.has_error(name) for name in ("month", "energy"))


class GridCellForm(GridTargetForm):
    """One cell of the grid as typed: its month and energy, the row's unit, the amount and the
    cost."""

    unit = forms.CharField(strip=False, required=False)
    amount = forms.CharField(strip=False, required=False)
    cost = forms.CharField(strip=False, required=False)

    def clean_amount(self):
        return self._number("amount", rules.parse_amount, _("使用量: %(reason)s"))

    def clean_cost(self):
        return self._number("cost", rules.parse_yen, _("金額: %(reason)s"))

    def _number(self, name, parse, message):
        raw = self.cleaned_data[name]
        if not raw.strip():
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            reason = _NUMBER_REASONS.get(str(exc), str(exc))
            raise forms.ValidationError(message % {"reason": reason}) from None

    def cell(self) -> dict:
        """The cell for ``services.grid_cell_save`` (amount and cost None when bad or empty)."""
        data = self.cleaned_data
        return {
            "month": data["month"],
            "energy": data["energy"],
            "unit": data.get("unit", ""),
            "amount": data.get("amount"),
            "cost_yen": data.get("cost"),
        }

    def cell_errors(self) -> list[str]:
        """The amount's and the cost's messages, in that order."""
        return [*self.errors.get("amount", []), *self.errors.get("cost", [])]


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


class NoticeForm(forms.Form):
    """A contract's factors for one fiscal year from the supplier's own notice or bill."""

    fiscal_year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    basic_factor = forms.DecimalField(
        label=_("基礎排出係数"),
        max_digits=12,
        decimal_places=8,
        min_value=0,
        help_text=_(
            "事業者の公表資料や請求書に書かれた値。単位は電気 t-CO2/kWh、都市ガス t-CO2/千m3、熱 t-CO2/GJ。"
        ),
    )
    adjusted_factor = forms.DecimalField(
        label=_("調整後排出係数"),
        max_digits=12,
        decimal_places=8,
        min_value=0,
        required=False,
        help_text=_("空欄なら基礎排出係数と同じ値を使います。"),
    )
    note = forms.CharField(
        label=_("根拠（メモ）"),
        max_length=300,
        required=False,
        help_text=_("例: 2024年度の請求書に記載、事業者のウェブサイト（2025年7月公表）"),
    )
    evidence = forms.FileField(label=_("根拠のファイル（任意）"), required=False)


class CalcSettingsForm(forms.Form):
    allow_estimate = forms.BooleanField(
        label=_("公表一覧がない年度は、いちばん近い年度の公表一覧で推計する"),
        required=False,
        help_text=_("推計した数値には、結果・出力・API のすべてで「推計」と表示します。"),
    )


class FactorTableForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("種類"),
        choices=[
            ("electricity", _("電気事業者別排出係数")),
            ("gas", _("ガス事業者別排出係数")),
            ("heat", _("熱供給事業者別排出係数")),
        ],
    )
    results_year = forms.IntegerField(
        label=_("実績年度"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_(
            "空欄なら一覧の題名（「R6年度実績」なら 2024）から読み取ります。電気と熱は実績年度の"
            "翌年度、ガスは同じ年度の排出に使います。"
        ),
    )
    file = forms.FileField(
        label=_("ファイル（公表PDF またはテキスト）"),
        help_text=_(
            "環境省・経済産業省の公表PDFそのもの、またはそのテキスト（pdftotext -layout の出力"
            "や、ガス・熱の一覧の TSV、UTF-8）。"
        ),
    )
