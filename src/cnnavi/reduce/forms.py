from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cnnavi.core import energy_catalogue, get_energy
from cnnavi.core.reduce import sbt_sme_near_term_share
from cnnavi.reduce.models import CatalogueMeasure, PlanMeasure, ReductionPlan
from cnnavi.reduce.services import CATALOGUE_FIELDS, PLAN_FIELDS

HUNDRED = Decimal(100)
ENERGY_KINDS = ("electricity", "city_gas", "fuel", "heat")


def _plain(value) -> str:
    """A Decimal without trailing zeros or exponent: 50.0000 -> "50", 0.5 -> "0.5"."""
    return format(Decimal(value).normalize(), "f")


def _percent_field(label, required=True):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )


class YesNoUnknown(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", _("わからない")), ("true", _("はい")), ("false", _("いいえ")))


# Plain-Japanese explanations of the SBTi SME questions (the thresholds are in euros).
SBT_HELP = {
    "turnover_under_limit": _(
        "SBTiの基準はユーロ建てです（5,000万ユーロ）。円に換算するときは、その時点の為替レートで"
        "確認してください。"
    ),
    "assets_under_limit": _(
        "SBTiの基準はユーロ建てです（2,500万ユーロ）。円に換算するときは、その時点の為替レートで"
        "確認してください。"
    ),
    "fi_or_oil_gas": _(
        "銀行・保険などの金融機関、または石油・ガスの採掘・精製・販売が主な事業なら「はい」。"
    ),
    "sector_specific_required": _(
        "SBTiが業種専用の手法で目標を立てるよう求めている業種（発電など。対象はSBTiの資料で確認）"
        "なら「はい」。多くの製造業・サービス業は「いいえ」です。"
    ),
    "subsidiary_of_standard_parent": _(
        "親会社が中小企業版ではない通常の手続き（大企業向け）でSBTの目標を立てる会社で、"
        "その子会社なら「はい」。"
    ),
    "mandatory_flag_sector": _(
        "FLAG＝森林・土地・農業。林業・紙、農業・畜産、食品・飲料の製造、食品小売、たばこなど、"
        "農林業・土地利用の排出が大きい業種なら「はい」。"
    ),
}


class PlanForm(forms.ModelForm):
    near_pct = _percent_field(_("中期目標の削減率（%）"))
    long_pct = _percent_field(_("長期目標の削減率（%）"))

    class Meta:
        model = ReductionPlan
        # the service's fields; the two shares are entered as percentages (near_pct, long_pct)
        fields = [f for f in PLAN_FIELDS if f not in ("near_share", "long_share")]
        widgets = {name: YesNoUnknown() for name in SBT_HELP}  # the SBTi SME questions

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_year"].widget = forms.Select(
            choices=[(y, _("%(y)d年度") % {"y": y}) for y in years]
        )
        self.fields["base_year"].help_text = _("自社のデータがある年度から選びます。")
        for name, text in SBT_HELP.items():
            self.fields[name].help_text = text
        self.fields["follows_sbt_sme"].help_text = _(
            "チェックすると、中期目標は2030年度・中小企業版SBTの提案の削減率に、長期目標は2050年度の"
            "ネットゼロになります（上の目標欄に入力した値より優先します）。"
        )
        if self.instance.pk:
            self.fields["near_pct"].initial = _plain(self.instance.near_share * HUNDRED)
            self.fields["long_pct"].initial = _plain(self.instance.long_share * HUNDRED)
        self.years = years
        order = ["base_year", "basis", "near_year", "near_pct", "long_year", "long_pct"]
        self.order_fields(order)

    def clean_base_year(self):
        year = self.cleaned_data["base_year"]
        if year not in self.years:
            raise ValidationError(_("この年度のエネルギーデータがありません。"))
        return year

    def clean(self):
        data = super().clean()
        if data.get("follows_sbt_sme") and data.get("base_year"):
            share = sbt_sme_near_term_share(data["base_year"])
            if share is None:
                self.add_error(
                    "follows_sbt_sme",
                    _("中小企業版SBTの短期目標には2029年度以前の基準年度が必要です。"),
                )
            else:
                # The SME route's target: 2030, and net zero by 2050 (rate to be confirmed).
                data.update(near_year=2030, near_pct=share * HUNDRED, long_year=2050)
                data["long_pct"] = HUNDRED
        return data

    def plan_fields(self) -> dict:
        d = dict(self.cleaned_data)
        d["near_share"] = d.pop("near_pct") / HUNDRED
        d["long_share"] = d.pop("long_pct") / HUNDRED
        return d


class AddMeasuresForm(forms.Form):
    measures = forms.ModelMultipleChoiceField(
        label=_("追加する対策"),
        queryset=CatalogueMeasure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("対策を1つ以上選んでください。")},
    )
    start_year = forms.IntegerField(
        label=_("開始年度（空欄ならアイデアとして追加）"),
        required=False,
        min_value=2000,
        max_value=2100,
    )

    def __init__(self, *args, queryset, language="ja", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = queryset
        if language == "en":
            self.fields["measures"].label_from_instance = lambda m: m.name_en


class PlanMeasureForm(forms.ModelForm):
    """Status, dates and the numbers the user may override; blank keeps the catalogue's."""

    share_pct = _percent_field(_("削減率・対象率（%）"), required=False)
    use_share_pct = _percent_field(_("用途の割合（%）"), required=False)

    class Meta:
        model = PlanMeasure
        fields = [
            "status",
            "start_year",
            "planned_on",
            "done_on",
            "amount_kwh",
            "kwh_per_gj",
            "unit_cost_yen",
            "offset_t",
            "investment_yen",
            "annual_cost_yen",
            "lifetime_years",
            "note",
        ]
        widgets = {
            "planned_on": forms.DateInput(attrs={"type": "date"}),
            "done_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pm = self.instance
        m = pm.measure
        if pm.share is not None:
            self.fields["share_pct"].initial = _plain(pm.share * HUNDRED)
        if pm.use_share is not None:
            self.fields["use_share_pct"].initial = _plain(pm.use_share * HUNDRED)
        # Show the catalogue's value as the placeholder of each blank field.
        catalogue = {
            "share_pct": m.share * HUNDRED if m.share is not None else None,
            "use_share_pct": m.use_share * HUNDRED if m.use_share is not None else None,
        }
        for name in (
            "amount_kwh",
            "kwh_per_gj",
            "unit_cost_yen",
            "offset_t",
            "investment_yen",
            "annual_cost_yen",
            "lifetime_years",
        ):
            catalogue[name] = getattr(m, name)
        for name, value in catalogue.items():
            if value is not None:
                self.fields[name].widget.attrs["placeholder"] = _plain(value)
        # Fields that do not apply to this kind of measure are not shown.
        hide = {
            "saving": {"kwh_per_gj", "offset_t"},
            "factor": {"amount_kwh", "kwh_per_gj", "offset_t", "use_share_pct"},
            "electrify": {"amount_kwh", "unit_cost_yen", "offset_t"},
            "offset": {"share_pct", "use_share_pct", "amount_kwh", "kwh_per_gj"},
        }[m.kind]
        if m.kind == "saving" and m.amount_kwh is None:
            hide |= {"amount_kwh", "unit_cost_yen"}
        elif m.kind == "saving":  # a fixed amount (solar, PPA): no rate
            hide |= {"share_pct", "use_share_pct"}
        if not m.use:
            hide.add("use_share_pct")
        for name in hide:
            self.fields.pop(name, None)
        self.order_fields(
            ["status", "start_year", "planned_on", "done_on", "share_pct", "use_share_pct"]
        )

    def clean(self):
        data = super().clean()
        if data.get("status") == "done" and not data.get("done_on"):
            self.add_error("done_on", _("完了にするときは完了日を入力してください。"))
        return data

    def update_fields(self) -> dict:
        d = dict(self.cleaned_data)
        if "share_pct" in d:
            v = d.pop("share_pct")
            d["share"] = None if v is None else v / HUNDRED
        if "use_share_pct" in d:
            v = d.pop("use_share_pct")
            d["use_share"] = None if v is None else v / HUNDRED
        return d


class CatalogueForm(forms.ModelForm):
    energies = forms.MultipleChoiceField(
        label=_("対象エネルギー"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("「燃料すべて」「熱すべて」は、その種類のエネルギー全部に効きます。"),
    )
    facility_kinds = forms.MultipleChoiceField(
        label=_("事業所の種類"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("選ばなければ、どの事業所にも当てはめます。"),
    )
    topics = forms.MultipleChoiceField(
        label=_("補助金の分野"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("この分野の補助金の見出しを、対策の横に表示します。"),
    )
    source_url = forms.URLField(
        label=_("出典URL"), required=False, max_length=400, assume_scheme="https"
    )

    class Meta:
        model = CatalogueMeasure
        fields = ["code", *CATALOGUE_FIELDS]  # the service's own list: one place to change
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "description",
                "description_en",
                "source",
                "source_en",
                "cost_note",
                "cost_note_en",
            )
        }

    def __init__(self, *args, **kwargs):
        from cnnavi.orgs.models import FacilityKind
        from cnnavi.programmes.models import Topic

        super().__init__(*args, **kwargs)
        en = translation.get_language() == "en"
        fuels = [e for e in energy_catalogue() if e.kind == "fuel"]
        self.fields["energies"].choices = [
            ("electricity", _("電気")),
            ("city_gas", _("都市ガス")),
            ("heat", _("熱（蒸気・温水・冷水）すべて")),
            ("fuel", _("燃料すべて")),
        ] + [(e.code, e.name_en if en else e.name_ja) for e in fuels]
        self.fields["facility_kinds"].choices = FacilityKind.choices
        self.fields["topics"].choices = Topic.choices
        for name in ("energies", "facility_kinds", "topics"):
            if self.instance.pk:
                self.initial[name] = list(getattr(self.instance, name) or [])
        if self.instance.pk:
            self.fields["code"].disabled = True

    def clean_energies(self):
        codes = list(self.cleaned_data["energies"])
        for code in codes:  # the choices are the catalogue's; this guards a changed catalogue
            if code not in ENERGY_KINDS:
                get_energy(code)
        return codes
