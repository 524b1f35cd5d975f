from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cnnavi.consultations import rules
from cnnavi.consultations.models import (
    WEEKDAYS,
    AvailabilityRule,
    Channel,
    HandsOnCase,
    PlanState,
    Topic,
)
from cnnavi.orgs.models import Role, SupportOffice


class BookingForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("相談方法"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("相談方法を選んでください。")},
    )
    topics = forms.MultipleChoiceField(
        label=_("相談したいこと"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("相談したいことを1つ以上選んでください。")},
    )
    description = forms.CharField(
        label=_("相談内容（簡単に）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    company = forms.ModelChoiceField(
        label=_("どの企業の相談ですか"), queryset=None, required=False, empty_label=None
    )
    contact_name = forms.CharField(label=_("お名前"), max_length=100)
    contact_company = forms.CharField(label=_("企業名"), max_length=150)
    contact_email = forms.EmailField(label=_("メールアドレス"))
    contact_phone = forms.CharField(
        label=_("電話番号"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def __init__(self, *args, companies=None, slot=None, **kwargs):
        super().__init__(*args, **kwargs)
        if companies is not None and companies.exists():
            self.fields["company"].queryset = companies
            self.fields["company"].required = True
        else:
            del self.fields["company"]
        if slot is not None:
            offered = rules.offered_channels(slot.mode)
            channel = self.fields["channel"]
            channel.choices = [c for c in Channel.choices if c[0] in offered]
            if len(offered) == 1:  # preselected and locked: the slot decides
                channel.initial = offered[0]
                channel.disabled = True
                channel.help_text = gettext("この枠は%(mode)sです。") % {
                    "mode": slot.get_mode_display()
                }

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        digits = value.translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
        if not digits.replace("-", "").replace("+", "").isdigit() or len(digits) < 10:
            raise forms.ValidationError(_("電話番号は数字とハイフンで入力してください。"))
        return digits


class RescheduleForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("新しい日時"), queryset=None, empty_label=None)

    def __init__(self, *args, slots=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = lambda s: (
            f"{timezone.localtime(s.starts_at):%Y-%m-%d %H:%M} · {s.expert.display_name}"
            f" · {s.get_mode_display()}"
        )


class MeetingUrlForm(forms.Form):
    meeting_url = forms.URLField(
        label=_("Web会議のURL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("保存すると、相談者にメールとカレンダー用ファイル（.ics）で送ります。"),
    )


class BookingRecordForm(forms.Form):
    record = forms.CharField(
        label=_("相談の記録（話し合ったこと）"), widget=forms.Textarea(attrs={"rows": 5})
    )
    follow_up = forms.CharField(
        label=_("フォローアップ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_done = forms.BooleanField(label=_("フォローアップ済み"), required=False)


class AvailabilityRuleForm(forms.ModelForm):
    class Meta:
        model = AvailabilityRule
        fields = ["expert", "weekday", "start_time", "minutes", "mode", "valid_from", "valid_until"]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"expert": _("専門家")}

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["weekday"].choices = WEEKDAYS

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("終了日は開始日以降にしてください。"))
        return data


class ClosedDayForm(forms.Form):
    day = forms.DateField(label=_("日付"), widget=forms.DateInput(attrs={"type": "date"}))
    expert = forms.ModelChoiceField(
        label=_("専門家（空欄なら全員）"), queryset=None, required=False
    )
    reason = forms.CharField(label=_("理由"), max_length=100, required=False)
    # The ids of the bookings the staff were shown and agreed to cancel.
    acknowledged = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts

    def clean_acknowledged(self):
        raw = self.cleaned_data["acknowledged"]
        try:
            return frozenset(int(part) for part in raw.split(",") if part.strip())
        except ValueError:
            raise forms.ValidationError(_("もう一度、休業日を登録し直してください。")) from None

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("今日以降の日付を指定してください。"))
        return day


class CalcApplyForm(forms.Form):
    company = forms.ModelChoiceField(label=_("企業"), queryset=None, empty_label=None)
    office = forms.ModelChoiceField(
        label=_("支援機関"), queryset=SupportOffice.objects.all(), empty_label=None
    )
    message = forms.CharField(
        label=_("困っていること・ご希望"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    preferred_dates = forms.CharField(
        label=_("訪問の希望日時"),
        max_length=200,
        required=False,
        help_text=_("例: 平日の午後、12月中旬"),
    )

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class AcceptForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("担当の専門家"), queryset=None, empty_label=None)

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class VisitScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("訪問日時"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class Visit1Form(forms.Form):
    record = forms.CharField(label=_("訪問の記録"), widget=forms.Textarea(attrs={"rows": 5}))
    energy_data_checked = forms.BooleanField(
        label=_("CN Navi のエネルギーデータ（CO2チェックシート）を一緒に入力・確認した"),
        required=False,
    )
    method_explained = forms.BooleanField(
        label=_("CO2排出量の算定のポイントと算定方法を説明した"), required=False
    )


class Visit2Form(forms.Form):
    record = forms.CharField(label=_("訪問の記録"), widget=forms.Textarea(attrs={"rows": 4}))
    fiscal_year = forms.IntegerField(
        label=_("対象年度"), min_value=2000, max_value=2100, help_text=_("4月始まりの年度")
    )
    issues = forms.CharField(label=_("見つかった課題"), widget=forms.Textarea(attrs={"rows": 5}))


class Visit3Form(forms.Form):
    """Visit 3 proposes changes to the company's own target and plan (reduce app): the fields
    start from the existing target; what is left as it is stays unchanged."""

    record = forms.CharField(label=_("訪問の記録"), widget=forms.Textarea(attrs={"rows": 4}))
    base_year = forms.IntegerField(label=_("基準年度"), min_value=2000, max_value=2100)
    near_year = forms.IntegerField(label=_("目標年度"), min_value=2000, max_value=2100)
    near_pct = forms.DecimalField(
        label=_("削減目標（%）"), min_value=Decimal("0.1"), max_value=100, decimal_places=1
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("計画に加える削減対策"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("削減対策の一覧から選びます。すでに計画にある対策は表示されません。"),
    )
    start_year = forms.IntegerField(
        label=_("加える対策の開始年度"), min_value=2000, max_value=2100, required=False
    )

    def __init__(self, *args, catalogue=None, language="ja", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = catalogue
        if language == "en":
            self.fields["measures"].label_from_instance = lambda m: m.name_en

    def clean(self):
        data = super().clean()
        base, target = data.get("base_year"), data.get("near_year")
        if base and target and target <= base:
            self.add_error("near_year", _("目標年度は基準年度より後にしてください。"))
        if data.get("near_pct") is not None:
            data["near_share"] = data.pop("near_pct") / 100
        return data


class VisitChangeForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("新しい訪問日時"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=_("理由（企業にお知らせします）"), max_length=300, required=False
    )


class PlannedActionForm(forms.Form):
    title = forms.CharField(label=_("削減行動"), max_length=150)
    expected_reduction_t = forms.DecimalField(
        label=_("見込み削減量（t-CO2/年）"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    cost_yen = forms.IntegerField(label=_("概算費用（円）"), min_value=0, required=False)
    due_fiscal_year = forms.IntegerField(
        label=_("実施年度"), min_value=2000, max_value=2100, required=False
    )
    owner = forms.CharField(label=_("社内の担当"), max_length=100, required=False)


PlannedActionFormSet = forms.formset_factory(PlannedActionForm, extra=3, max_num=20)


class HandsOnApplyForm(forms.ModelForm):
    company = forms.ModelChoiceField(label=_("企業"), queryset=None, empty_label=None)
    office = forms.ModelChoiceField(
        label=_("支援機関"), queryset=SupportOffice.objects.all(), empty_label=None
    )

    class Meta:
        model = HandsOnCase
        fields = ["themes_wanted", "current_issues", "project_members"]
        widgets = {
            "themes_wanted": forms.Textarea(attrs={"rows": 3}),
            "current_issues": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.order_fields(["company", "office"])


class TransitionForm(forms.Form):
    name = forms.ChoiceField(
        choices=[(n, n) for n in ("review", "accept", "decline", "start", "complete")],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("採否の理由"), required=False, widget=forms.Textarea)
    report = forms.CharField(label=_("完了報告"), required=False, widget=forms.Textarea)


class HearingForm(forms.Form):
    visited_at = forms.DateTimeField(
        label=_("日時"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    notes = forms.CharField(
        label=_("ヒアリングの記録"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ScreeningForm(forms.Form):
    """One score and one note per active criterion of the office."""

    def __init__(self, *args, criteria=(), scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        scores = scores or {}
        self.criteria = list(criteria)
        for c in self.criteria:
            have = scores.get(c.pk)
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=gettext("%(title)s（0〜%(max)d点）") % {"title": c.title, "max": c.max_score},
                min_value=0,
                max_value=c.max_score,
                help_text=c.description,
                initial=have.score if have else None,
            )
            self.fields[f"note_{c.pk}"] = forms.CharField(
                label=gettext("%(title)s の所見") % {"title": c.title},
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=have.note if have else "",
            )

    def scores(self) -> dict:
        d = self.cleaned_data
        return {c.pk: (d.get(f"score_{c.pk}"), d.get(f"note_{c.pk}", "")) for c in self.criteria}


class PlanForm(forms.ModelForm):
    class Meta:
        model = HandsOnCase
        fields = [
            "plan_themes",
            "plan_goals",
            "plan_measures",
            "plan_schedule",
            "plan_team",
            "fee_net_yen",
            "tax_rate_percent",
        ]
        widgets = {
            "plan_themes": forms.Textarea(attrs={"rows": 3}),
            "plan_goals": forms.Textarea(attrs={"rows": 3}),
            "plan_schedule": forms.Textarea(attrs={"rows": 3}),
            "plan_team": forms.CheckboxSelectMultiple,
            "plan_measures": forms.CheckboxSelectMultiple,
            "fee_net_yen": forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
        }
        labels = {"plan_goals": _("目標（企業の削減目標に沿って）")}
        help_texts = {
            "plan_measures": _("企業の削減計画にある対策から、この支援で取り組むものを選びます。"),
            "fee_net_yen": _("税抜の金額を円で入力します。消費税と税込の合計は自動で計算します。"),
        }

    def __init__(self, *args, experts=None, plan_measures=None, language="ja", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_team"].queryset = experts
        field = self.fields["plan_measures"]
        field.queryset = plan_measures
        if language == "en":
            field.label_from_instance = lambda pm: pm.measure.name_en
        else:
            field.label_from_instance = lambda pm: pm.measure.name
        for name in ("plan_themes", "plan_goals", "fee_net_yen"):
            self.fields[name].required = True


class PlanDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "accept"), ("decline", "decline")], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("コメント（辞退する場合は理由・ご希望）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CycleForm(forms.Form):
    number = forms.IntegerField(required=False, widget=forms.HiddenInput)
    period_start = forms.DateField(
        label=_("期間（開始）"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("期間（終了）"), widget=forms.DateInput(attrs={"type": "date"})
    )
    plan_text = forms.CharField(
        label=_("Plan（計画）"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )
    do_text = forms.CharField(
        label=_("Do（実行）"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    check_text = forms.CharField(
        label=_("Check（評価）"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "保存すると、対象の削減対策の計測された変化（自社のデータから）が一緒に残ります。"
        ),
    )
    act_text = forms.CharField(
        label=_("Act（改善）"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HandsOnSettingsForm(forms.Form):
    required_hearings = forms.IntegerField(
        label=_("審査の前に必要なヒアリング・現場調査の回数"), min_value=1, max_value=10
    )


class CriterionForm(forms.Form):
    title = forms.CharField(label=_("審査の観点"), max_length=150)
    description = forms.CharField(
        label=_("説明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    max_score = forms.IntegerField(label=_("満点"), min_value=1, max_value=10, initial=5)
    position = forms.IntegerField(label=_("表示順"), min_value=0, initial=0)


def handson_case_forms(
    *, case, member_role, office_role, may_cycle, detail, plan_measures, experts, bound
) -> dict:
    """The hands-on case page's forms: the refused one as sent (``bound``), the others empty;
    None where the user's role may not use it in the case's state."""
    state = case.state

    def form(name, allowed, make):
        return (bound.get(name) or make()) if allowed else None

    return {
        "transition_form": form("transition_form", True, TransitionForm),
        "hearing_form": form(
            "hearing_form", rules.may_edit_hearing(state=state, role=office_role), HearingForm
        ),
        "screening_form": form(
            "screening_form",
            rules.may_score(state=state, role=office_role),
            lambda: ScreeningForm(criteria=detail["criteria"], scores=detail["scores"]),
        ),
        "plan_form": form(
            "plan_form",
            rules.may_edit_plan(state=state, role=office_role),
            lambda: PlanForm(
                instance=case,
                experts=experts,
                plan_measures=plan_measures,
                language=get_language(),
            ),
        ),
        "decision_form": form(
            "decision_form",
            state == rules.ACCEPTED
            and case.plan_state == PlanState.PROPOSED
            and member_role == Role.OWNER,
            PlanDecisionForm,
        ),
        "cycle_form": form("cycle_form", may_cycle, lambda: CycleForm(initial=_next_cycle(case))),
    }


def _next_cycle(case) -> dict:
    """A new PDCA cycle starts in the month the last one ended (or this month)."""
    last = case.cycles.order_by("-number").first()
    start = (last.period_end if last else timezone.localdate()).replace(day=1)
    return {"period_start": start}
