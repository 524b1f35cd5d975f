from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from cnnavi.common.choices import Prefecture
from cnnavi.orgs.models import Company
from cnnavi.programmes import rules
from cnnavi.programmes.models import (
    EN_LABEL,
    ApplicantKind,
    Audience,
    Chapter,
    Course,
    Event,
    Headline,
    HeadlineKind,
    Lesson,
    MessageAudience,
    Topic,
)
from cnnavi.programmes.services import (
    CHAPTER_FIELDS,
    COURSE_FIELDS,
    EVENT_FIELDS,
    HEADLINE_FIELDS,
    LESSON_FIELDS,
)

WEB_URL = URLValidator(
    schemes=["http", "https"], message=_("http:// か https:// で始まるURLを入力してください。")
)


class WebURLField(forms.URLField):
    """An http(s) URL, with one clear message for anything else (javascript:, ftp:...)."""

    default_validators = [WEB_URL]
    default_error_messages = {"invalid": WEB_URL.message}


DATETIME_WIDGET = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs=DATETIME_WIDGET, format=DATETIME_FORMAT),
        **kwargs,
    )


class ApplicationForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("申込区分"), choices=ApplicantKind.choices, widget=forms.RadioSelect
    )
    company = forms.ModelChoiceField(
        label=_("所属する企業"),
        queryset=Company.objects.none(),
        required=False,
        empty_label=_("選択してください"),
    )
    organisation = forms.CharField(
        label=_("所属する支援機関"),
        max_length=150,
        required=False,
        help_text=_("支援機関の方は、機関名と部署名を入力してください。"),
    )
    name = forms.CharField(label=_("氏名"), max_length=100)
    phone = forms.CharField(label=_("電話番号"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_("上記の利用目的に同意して申し込みます"),
        required=True,
        error_messages={"required": _("申し込むには利用目的への同意が必要です。")},
    )

    def __init__(self, *args, user, companies, office_name: str = "", audience: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        # An event for one kind of applicant offers only that kind, preselected and locked.
        only = {
            Audience.SUPPORT_INSTITUTIONS: ApplicantKind.SUPPORT_INSTITUTION,
            Audience.SME_MEMBERS: ApplicantKind.COMPANY,
        }.get(audience)
        if only is not None:
            kind = self.fields["applicant_kind"]
            kind.choices = [c for c in ApplicantKind.choices if c[0] == only]
            kind.initial = only
            kind.disabled = True
            self.initial["applicant_kind"] = only
            del self.fields[
                "company" if only == ApplicantKind.SUPPORT_INSTITUTION else "organisation"
            ]
        self.initial.setdefault("name", user.name)
        if office_name:
            self.initial.setdefault("applicant_kind", ApplicantKind.SUPPORT_INSTITUTION)
            self.initial.setdefault("organisation", office_name)
        else:
            self.initial.setdefault("applicant_kind", ApplicantKind.COMPANY)
            first = companies.first()
            if first is not None:
                self.initial.setdefault("company", first.pk)

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_kind")
        if kind == ApplicantKind.COMPANY and not data.get("company"):
            self.add_error(
                "company",
                _(
                    "所属する企業を選んでください。企業をまだ登録していなければ、先に登録してください。"
                ),
            )
        if (
            kind == ApplicantKind.SUPPORT_INSTITUTION
            and not (data.get("organisation") or "").strip()
        ):
            self.add_error("organisation", _("所属する支援機関の名称を入力してください。"))
        return data


class _EnglishInputs:
    """The optional English fields' inputs are marked lang="en" (spelling, input method)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.endswith("_en"):
                field.widget.attrs["lang"] = "en"


class EventForm(_EnglishInputs, forms.ModelForm):
    external_url = forms.URLField(
        label=_("詳細ページ"), required=False, assume_scheme="https", validators=[WEB_URL]
    )
    application_opens_at = _datetime_field(_("申込開始"))
    application_closes_at = _datetime_field(_("申込締切"))
    cancellation_deadline = _datetime_field(_("キャンセル期限"))

    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "programme": forms.Textarea(attrs={"rows": 4}),
            "programme_en": forms.Textarea(attrs={"rows": 4}),
            "lecturer": forms.Textarea(attrs={"rows": 2}),
            "co_hosts": forms.Textarea(attrs={"rows": 3}),
            "consent_text": forms.Textarea(attrs={"rows": 3}),
            "contact": forms.Textarea(attrs={"rows": 3}),
            "fee_yen": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "capacity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }

    def clean(self):
        data = super().clean()
        mode = data.get("venue_mode")
        if mode in ("venue", "hybrid") and not (data.get("venue") or "").strip():
            self.add_error("venue", _("会場で開催するときは会場を入力してください。"))
        opens, closes = data.get("application_opens_at"), data.get("application_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("application_closes_at", _("申込締切は申込開始より後にしてください。"))
        return data


class SessionForm(_EnglishInputs, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    starts_at = _datetime_field(_("開始"))
    ends_at = _datetime_field(_("終了"))
    topic = forms.CharField(label=_("この回の内容"), max_length=300, required=False)
    topic_en = forms.CharField(label=EN_LABEL, max_length=300, required=False)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("終了は開始より後にしてください。"))
        return data


class _BaseSessionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("日程を1つ以上入力してください。"))

    def sessions(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in ("id", "starts_at", "ends_at", "topic", "topic_en")}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


SessionFormSet = forms.formset_factory(
    SessionForm,
    formset=_BaseSessionFormSet,
    extra=2,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


def session_formset(data, event=None):
    """The event's sessions as the formset's rows (none for a new event)."""
    fields = ("starts_at", "ends_at", "topic", "topic_en")
    initial = (
        [{"id": s.pk, **{k: getattr(s, k) for k in fields}} for s in event.sessions.all()]
        if event
        else []
    )
    return SessionFormSet(data, initial=initial, prefix="sessions")


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no"), ("", "")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )


class PaymentRecordForm(forms.Form):
    paid_on = forms.DateField(label=_("入金日"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_yen = forms.IntegerField(label=_("入金額（円）"), min_value=0, max_value=10**9)


class InvoiceSettingsForm(forms.Form):
    issuer_name = forms.CharField(label=_("発行事業者の名称"), max_length=200)
    registration_number = forms.CharField(
        label=_("登録番号"), max_length=20, help_text=_("T と13桁の数字（例: T1234567890123）")
    )
    payment_note = forms.CharField(
        label=_("お支払い方法（振込先など）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @staticmethod
    def initial_of(current, office) -> dict:
        """The office's saved settings (``current``, None before the first save: the
        office's name as the issuer)."""
        if current is None:
            return {"issuer_name": office.name}
        fields = ("issuer_name", "registration_number", "payment_note")
        return {k: getattr(current, k) for k in fields}


class HeadlineForm(_EnglishInputs, forms.ModelForm):
    url = forms.URLField(
        label=_("リンク先"), required=False, assume_scheme="https", validators=[WEB_URL]
    )
    prefectures = forms.MultipleChoiceField(
        label=_("対象の都道府県"),
        choices=Prefecture.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
    )
    topics = forms.MultipleChoiceField(
        label=_("テーマ"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Headline
        fields = list(HEADLINE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("prefectures", self.instance.prefecture_codes())
            self.initial.setdefault("topics", self.instance.topic_codes())
        self.order_fields(
            [
                "kind",
                "title",
                "title_en",
                "summary",
                "summary_en",
                "prefectures",
                "nationwide",
                "topics",
                "starts_on",
                "ends_on",
            ]
        )

    def clean(self):
        data = super().clean()
        if not data.get("nationwide") and not data.get("prefectures"):
            self.add_error("prefectures", _("都道府県を選ぶか、「全国が対象」にしてください。"))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("終了日は開始日以降にしてください。"))
        return data


class HeadlineFilterForm(forms.Form):
    prefecture = forms.ChoiceField(
        label=_("都道府県"), choices=[("", _("すべて"))] + Prefecture.choices, required=False
    )
    kind = forms.ChoiceField(
        label=_("種類"), choices=[("", _("すべて"))] + HeadlineKind.choices, required=False
    )
    topic = forms.ChoiceField(
        label=_("テーマ"), choices=[("", _("すべて"))] + Topic.choices, required=False
    )
    include_expired = forms.BooleanField(label=_("終了したものも表示"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class _DefaultsMixin:
    """Fields with a model default may be left empty (the default applies), so that forms and
    API clients that predate them keep working."""

    defaulted = ()

    def _relax(self):
        for name in self.defaulted:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        for name in self.defaulted:
            if data.get(name) in (None, ""):
                data[name] = self._meta.model._meta.get_field(name).default
        return data


class CourseForm(_EnglishInputs, _DefaultsMixin, forms.ModelForm):
    defaulted = ("watch_threshold_percent",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._relax()

    page_url = WebURLField(label=_("講座ページ（公式）"), required=False, assume_scheme="https")

    class Meta:
        model = Course
        fields = list(COURSE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "audience_note": forms.Textarea(attrs={"rows": 2}),
            "audience_note_en": forms.Textarea(attrs={"rows": 2}),
        }


POSITION_HELP = _(
    "1が先頭。ほかと重なるときは、その位置に入って後ろがずれます。追加のときに空欄なら最後。"
)


def _position_field():
    return forms.IntegerField(
        label=_("順番"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=POSITION_HELP,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )


class ChapterForm(_EnglishInputs, forms.ModelForm):
    position = _position_field()

    class Meta:
        model = Chapter
        fields = [*CHAPTER_FIELDS, "position"]


class LessonForm(_EnglishInputs, _DefaultsMixin, forms.ModelForm):
    defaulted = ("text_completion", "min_reading_seconds", "quiz_pass_percent")
    field_order = [
        "title",
        "title_en",
        "kind",
        "duration_minutes",
        "summary",
        "summary_en",
        "body",
        "body_en",
        "video_upload",
        "remove_video",
        "video_path",
        "video_seconds",
        "quiz_text",
        "quiz_text_en",
        "quiz_pass_percent",
        "text_completion",
        "min_reading_seconds",
        "attachment_upload",
        "remove_attachments",
        "video_url",
        "position",
    ]

    video_url = WebURLField(
        label=_("参考リンク（外部の講座ページ）"),
        required=False,
        assume_scheme="https",
        help_text=_("リンクとして表示するだけで、視聴の記録にはなりません。"),
    )
    video_upload = forms.FileField(
        label=_("動画ファイル（MP4・WebM、500MBまで）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
    )
    remove_video = forms.BooleanField(label=_("登録済みの動画ファイルを外す"), required=False)
    quiz_text = forms.CharField(
        label=_("確認テスト"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "「Q」で始まる行が問題、「-」で始まる行が選択肢、「*」で始まる行が正解の選択肢。"
            "問題の間は空行。確認テストがあり動画がないレッスンは、合格で完了になります。"
        ),
    )
    quiz_text_en = forms.CharField(
        label=_("確認テストの英語（任意）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "上と同じ順に、問題ごとに「Q」の行と、日本語と同じ数・同じ順の選択肢の行。"
            "正解は日本語の「*」の位置です（英語の「*」は省いてもかまいません）。"
            "英語にしない問題は「Q」だけの行にします。空欄なら英語のページでも日本語で出します。"
        ),
    )
    attachment_upload = forms.FileField(
        label=_("添付ファイルを追加（PDF・画像・Word・Excel・PowerPoint、20MBまで）"),
        required=False,
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label=_("外す添付ファイル"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    position = _position_field()

    class Meta:
        model = Lesson
        fields = [*LESSON_FIELDS, "position"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
            "duration_minutes": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "video_seconds": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "min_reading_seconds": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "text_completion": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._relax()
        if self.instance.pk:
            self.fields["quiz_text"].initial = rules.quiz_text(self.instance.quiz or [])
            self.fields["quiz_text_en"].initial = rules.quiz_text_en(self.instance.quiz or [])
            self.fields["remove_attachments"].choices = [
                (a.pk, a.name) for a in self.instance.attachments.all()
            ]
        else:
            del self.fields["remove_attachments"]
        if not self.instance.video_file:
            del self.fields["remove_video"]

    def clean_video_upload(self):
        upload = self.cleaned_data.get("video_upload")
        return upload or None

    def clean_attachment_upload(self):
        return self.cleaned_data.get("attachment_upload") or None


class EventMessageForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("宛先"), choices=MessageAudience.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(label=_("件名"), max_length=150)
    body = forms.CharField(
        label=_("本文"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
