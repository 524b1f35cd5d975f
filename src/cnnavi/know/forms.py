import json

from django import forms
from django.utils.translation import gettext_lazy as _

from cnnavi.common.choices import Industry, Prefecture
from cnnavi.core.diagnosis import Definition, check_step, text
from cnnavi.know.checksheet import ITEMS
from cnnavi.know.services import definition_problems
from cnnavi.orgs.models import Company

OPTIONAL_HELP = _("任意です。集計（件数）にだけ使います。")


def _optional_choice(label, choices):
    return forms.ChoiceField(
        label=label,
        choices=[("", _("回答しない"))] + list(choices),
        required=False,
        help_text=OPTIONAL_HELP,
    )


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class StartForm(forms.Form):
    """Before the questions: optional prefecture and industry, or the company answered for."""

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies:
            self.fields["company"] = CompanyChoiceField(
                label=_("回答する企業"),
                queryset=companies,
                required=False,
                empty_label=_("企業を選ばずに回答する"),
                help_text=_("選ぶと、CN Navi にあるデータから回答を提案します。"),
            )
        else:
            self.fields["prefecture"] = _optional_choice(_("都道府県"), Prefecture.choices)
            self.fields["industry"] = _optional_choice(_("業種"), Industry.choices)


class StepForm(forms.Form):
    """The questions of one step, built from the definition; labels are the questions."""

    def __init__(self, *args, definition: Definition, step_index: int, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.step_index = step_index
        for q in definition.steps[step_index].questions:
            choices = [(c.code, text(c.label, language)) for c in q.choices]
            common = dict(
                label=text(q.text, language), help_text=text(q.help, language), required=True
            )
            if q.kind == "multi":
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
            field.error_messages["required"] = _("選んでください。")
            self.fields[q.code] = field

    def clean(self):
        data = super().clean()
        for code, problem in check_step(self.definition, self.step_index, data).items():
            if problem == "exclusive_combined" and code not in self.errors:
                self.add_error(
                    code, _("「まだ何もしていない」などは、ほかの選択肢と一緒に選べません。")
                )
        return data


class SaveForm(forms.Form):
    company = CompanyChoiceField(label=_("保存する企業"), queryset=Company.objects.none())

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.fields["company"].empty_label = None


class SelfCheckForm(forms.Form):
    checked = forms.MultipleChoiceField(
        label=_("できていること"),
        choices=[(i.number, i.text) for i in ITEMS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies:
            self.fields["company"] = CompanyChoiceField(
                label=_("結果を保存する企業"),
                queryset=companies,
                required=False,
                empty_label=_("保存しない"),
            )
        else:
            self.fields["prefecture"] = _optional_choice(_("都道府県"), Prefecture.choices)
            self.fields["industry"] = _optional_choice(_("業種"), Industry.choices)


class StatsFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("開始日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("終了日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    prefecture = forms.ChoiceField(
        label=_("都道府県"), choices=[("", _("すべて"))] + list(Prefecture.choices), required=False
    )
    industry = forms.ChoiceField(
        label=_("業種"), choices=[("", _("すべて"))] + list(Industry.choices), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("終了日は開始日以降にしてください。"))
        return data


class VersionForm(forms.Form):
    """A draft's whole definition as JSON text, checked by the pure validation (every problem with
    its path) before anything is saved."""

    definition = forms.CharField(
        label=_("定義（JSON）"),
        widget=forms.Textarea(
            attrs={"rows": 30, "spellcheck": "false", "lang": "ja", "class": "know-json"}
        ),
        help_text=_(
            "質問・選択肢・配点・文章をまとめて編集します。文章はすべて日本語（ja）と英語（en）の"
            "両方が必要です。保存する前に全体を検査し、問題があれば場所とともに一覧にします。"
        ),
    )
    note = forms.CharField(label=_("変更の説明"), max_length=200, required=False)

    def clean_definition(self):
        raw = self.cleaned_data["definition"]
        try:
            definition = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("JSON の形式が正しくありません（%(line)d 行目、%(column)d 文字目）：%(msg)s")
                % {"line": exc.lineno, "column": exc.colno, "msg": exc.msg}
            ) from None
        problems = definition_problems(definition)
        if problems:
            raise forms.ValidationError(problems)
        return definition
