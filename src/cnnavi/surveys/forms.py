from django import forms
from django.utils.translation import gettext_lazy as _

from cnnavi.surveys.models import SCORE_MAX, SCORE_MIN, ProgrammeKind, Question, QuestionType

SCORE_CHOICES = [(str(n), str(n)) for n in range(SCORE_MAX, SCORE_MIN - 1, -1)]


class AnswerForm(forms.Form):
    """The score, the comment and the office's further questions of one programme kind."""

    def __init__(self, *args, score_question: str, comment_question: str, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.fields["score"] = forms.TypedChoiceField(
            label=score_question,
            choices=SCORE_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
            help_text=_("5: とても満足 ／ 1: 不満"),
            error_messages={"required": _("点数を選んでください。")},
        )
        self.fields["comment"] = forms.CharField(
            label=comment_question,
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        for q in self.questions:
            if q.qtype == QuestionType.SCORE:
                field = forms.TypedChoiceField(
                    label=q.text,
                    choices=SCORE_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=q.required,
                    error_messages={"required": _("点数を選んでください。")},
                )
            else:
                field = forms.CharField(
                    label=q.text,
                    required=q.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    error_messages={"required": _("この質問にお答えください。")},
                )
            self.fields[f"q{q.pk}"] = field

    def extra_answers(self) -> list[dict]:
        out = []
        for q in self.questions:
            value = self.cleaned_data.get(f"q{q.pk}")
            if value in (None, ""):
                continue
            out.append({"question": q.text, "type": q.qtype, "answer": value})
        return out


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["kind", "text", "qtype", "required"]


class WordingForm(forms.Form):
    kind = forms.ChoiceField(label=_("プログラム"), choices=ProgrammeKind.choices)
    score_question = forms.CharField(label=_("点数の質問"), max_length=300)
    comment_question = forms.CharField(label=_("コメントの質問"), max_length=300)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("実施日（から）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("実施日（まで）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("期間の始まりが終わりより後になっています。"))
        return data
