from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cnnavi.common.choices import Industry, Prefecture
from cnnavi.outcomes import rules
from cnnavi.outcomes.models import Feed
from cnnavi.outcomes.selectors import Filters

PERIOD_CHOICES = [
    ("fy", _("年度")),
    ("h1", _("上期（4〜9月）")),
    ("h2", _("下期（10〜3月）")),
    ("q1", _("第1四半期（4〜6月）")),
    ("q2", _("第2四半期（7〜9月）")),
    ("q3", _("第3四半期（10〜12月）")),
    ("q4", _("第4四半期（1〜3月）")),
    ("custom", _("期間を指定")),
]


def default_fiscal_year() -> int:
    """The last fiscal year that has ended."""
    return rules.fiscal_year_of(timezone.localdate()) - 1


def _fy_choices():
    this = rules.fiscal_year_of(timezone.localdate())
    return [(fy, _("%(fy)s年度") % {"fy": fy}) for fy in range(this, this - 6, -1)]


class OutcomesFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("期間"), choices=PERIOD_CHOICES, required=False)
    fiscal_year = forms.TypedChoiceField(
        label=_("年度"), coerce=int, choices=_fy_choices, required=False
    )
    start = forms.DateField(
        label=_("開始日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("終了日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    prefecture = forms.ChoiceField(
        label=_("都道府県"), choices=[("", _("すべて"))] + list(Prefecture.choices), required=False
    )
    industry = forms.ChoiceField(
        label=_("業種"), choices=[("", _("すべて"))] + list(Industry.choices), required=False
    )
    size = forms.ChoiceField(
        label=_("規模（従業員数）"),
        choices=lambda: (
            [("", _("すべて"))]
            + [(code, _("%(band)s人") % {"band": code}) for code, _lo, _hi in rules.SIZE_BANDS]
        ),
        required=False,
    )

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "fy"
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("開始日を入力してください。"))
            if not end:
                self.add_error("end", _("終了日を入力してください。"))
            if start and end:
                if end < start:
                    self.add_error("end", _("終了日は開始日以降にしてください。"))
                elif rules.add_months(start.replace(day=1), 12) <= end:
                    self.add_error("end", _("指定できる期間は12か月までです。"))
        return data

    def period_value(self) -> rules.Period:
        data = self.cleaned_data
        kind = data.get("period") or "fy"
        fy = data.get("fiscal_year") or default_fiscal_year()
        return rules.period_of(kind, fy, data.get("start"), data.get("end"))

    def filters_value(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            prefecture=data.get("prefecture") or "",
            industry=data.get("industry") or "",
            size=data.get("size") or "",
        )


class FeedForm(forms.ModelForm):
    url = forms.URLField(label=_("フィードのURL"), max_length=500, assume_scheme="https")

    class Meta:
        model = Feed
        fields = ["name", "url", "prefecture", "active"]
