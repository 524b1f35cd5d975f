"""Events (seminars and trainings) with applications, on-demand courses with progress, and
support headlines. Decisions live in services.py; the pure rules in rules.py."""

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cnnavi.common.choices import Prefecture
from cnnavi.orgs.models import Company, SupportOffice
from cnnavi.programmes import rules


class Topic(models.TextChoices):
    """Headline topics (a fixed list shared with other apps, see docs/notes)."""

    ENERGY_SAVING = "energy_saving", _("省エネルギー")
    RENEWABLES = "renewables", _("再生可能エネルギー")
    CO2_ACCOUNTING = "co2_accounting", _("CO2排出量の算定")
    SBT_RE100 = "sbt_re100", _("SBT・RE100")
    ELECTRIFICATION = "electrification", _("電化・燃料転換")
    EQUIPMENT = "equipment", _("設備投資")
    CERTIFICATES = "certificates", _("環境価値・証書")
    GENERAL = "general", _("カーボンニュートラル全般")


MAX_FEE_YEN = 10_000_000
MAX_CAPACITY = 10_000


# --- Events -------------------------------------------------------------------------------
EN_LABEL = _("英語（任意）")


def _english(field: str, *, text: bool = False, max_length: int = 200):
    """The optional English counterpart of a staff-entered Japanese text field."""
    if text:
        return models.TextField(EN_LABEL, blank=True, default="")
    return models.CharField(EN_LABEL, max_length=max_length, blank=True, default="")


# Kana, CJK ideographs and full-width forms: a text with any of them is read as Japanese.
JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")


class EnglishText:
    """Staff-entered texts carry an optional English version in `<field>_en`.

    On English pages `localized` gives the English text when there is one, else the Japanese;
    `japanese_only` says the Japanese was used (the template marks it lang="ja" and notes it)."""

    @staticmethod
    def _english_page() -> bool:
        return (translation.get_language() or "ja").startswith("en")

    def localized(self, field: str) -> str:
        if self._english_page():
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)

    def japanese_only(self, field: str) -> bool:
        """On an English page, the text shown is the Japanese one and it has Japanese in it (a
        venue or source written in Latin letters only, "J-Net21", is not marked; decision 1320)."""
        return (
            self._english_page()
            and not getattr(self, f"{field}_en", "")
            and bool(JAPANESE_SCRIPT.search(getattr(self, field)))
        )


class EventKind(models.TextChoices):
    SEMINAR = "seminar", _("セミナー")
    TRAINING = "training", _("研修")


class Audience(models.TextChoices):
    """Who may apply; checked on application (rules.eligibility_problem)."""

    ANYONE = "anyone", _("どなたでも")
    SME_MEMBERS = "sme_members", _("中小企業の方")
    SUPPORT_INSTITUTIONS = "support_institutions", _("中小企業支援機関の方")


class VenueMode(models.TextChoices):
    VENUE = "venue", _("会場")
    ONLINE = "online", _("オンライン")
    HYBRID = "hybrid", _("会場とオンライン")


class Event(EnglishText, models.Model):
    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("種類"), max_length=10, choices=EventKind.choices)
    title = models.CharField(_("タイトル"), max_length=200)
    title_en = _english("title")
    description = models.TextField(_("概要"), blank=True)
    description_en = _english("description", text=True)
    programme = models.TextField(_("内容・プログラム"), blank=True)
    programme_en = _english("programme", text=True)
    lecturer = models.TextField(_("講師"), blank=True)
    venue_mode = models.CharField(_("開催形式"), max_length=10, choices=VenueMode.choices)
    venue = models.CharField(_("会場"), max_length=200, blank=True)
    venue_en = _english("venue")
    online_note = models.CharField(_("オンライン参加の案内"), max_length=200, blank=True)
    online_note_en = _english("online_note")
    co_hosts = models.TextField(_("共催"), blank=True, help_text=_("1行に1団体"))
    audience = models.CharField(
        _("申込できる方"), max_length=24, choices=Audience.choices, default=Audience.ANYONE
    )
    audience_note = models.CharField(_("対象"), max_length=300, blank=True)
    audience_note_en = _english("audience_note", max_length=300)
    fee_yen = models.PositiveIntegerField(
        _("受講料（円・税込）"),
        default=0,
        validators=[MaxValueValidator(MAX_FEE_YEN)],
        help_text=_("無料なら0"),
    )
    capacity = models.PositiveIntegerField(
        _("定員"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    application_opens_at = models.DateTimeField(_("申込開始"))
    application_closes_at = models.DateTimeField(_("申込締切"))
    cancellation_deadline = models.DateTimeField(_("キャンセル期限"))
    consent_text = models.TextField(
        _("申込フォームの同意文"),
        help_text=_("申込情報や当日の写真などの利用目的。申込者はこれに同意して申し込みます。"),
    )
    contact = models.TextField(_("お問い合わせ先"))
    external_url = models.URLField(_("詳細ページ"), blank=True)
    is_published = models.BooleanField(_("公開"), default=False)
    is_demo = models.BooleanField(_("デモデータ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("イベント")
        verbose_name_plural = _("イベント")
        ordering = ["application_closes_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="programmes_event_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(application_closes_at__gt=F("application_opens_at")),
                name="programmes_event_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.fee_yen == 0

    @property
    def places_left(self) -> int:
        """Free places; needs ``confirmed_count`` (annotated by the selectors)."""
        return rules.places_left(capacity=self.capacity, confirmed=self.confirmed_count)

    def co_host_list(self) -> list[str]:
        return [line.strip() for line in self.co_hosts.splitlines() if line.strip()]


class EventSession(EnglishText, models.Model):
    """One day (or part) of an event: the brochure's training has two three-hour days."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    topic = models.CharField(_("この回の内容"), max_length=300, blank=True)
    topic_en = _english("topic", max_length=300)
    # iCalendar SEQUENCE: raised each time the times change, so that imported calendar
    # entries (UID per session, see ics.py) are updated rather than duplicated.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("日程")
        verbose_name_plural = _("日程")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="programmes_session_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class ApplicantKind(models.TextChoices):
    COMPANY = "company", _("企業の方")
    SUPPORT_INSTITUTION = "support_institution", _("支援機関の方")


class ApplicationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("申込確定")
    WAITLISTED = "waitlisted", _("キャンセル待ち")
    CANCELLED = "cancelled", _("キャンセル済み")


class InvoiceStatus(models.TextChoices):
    NOT_APPLICABLE = "na", _("対象外（無料）")
    TO_ISSUE = "to_issue", _("未発行")
    ISSUED = "issued", _("発行済み")


class PaymentStatus(models.TextChoices):
    NOT_APPLICABLE = "na", _("対象外（無料）")
    UNPAID = "unpaid", _("未入金")
    PAID = "paid", _("入金済み")


class Application(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_applications"
    )
    applicant_kind = models.CharField(_("申込区分"), max_length=24, choices=ApplicantKind.choices)
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.CharField(_("所属"), max_length=150)
    name = models.CharField(_("氏名"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    status = models.CharField(_("状態"), max_length=12, choices=ApplicationStatus.choices)
    consent_given_at = models.DateTimeField(_("同意日時"))
    created_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("繰り上げ日時"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("キャンセル日時"), null=True, blank=True)
    attended = models.BooleanField(_("出席"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    invoice_status = models.CharField(
        _("請求書"),
        max_length=10,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.NOT_APPLICABLE,
    )
    invoice_number = models.CharField(_("請求書番号"), max_length=40, blank=True)
    payment_status = models.CharField(
        _("入金"),
        max_length=10,
        choices=PaymentStatus.choices,
        default=PaymentStatus.NOT_APPLICABLE,
    )

    class Meta:
        verbose_name = _("申込")
        verbose_name_plural = _("申込")
        ordering = ["created_at", "id"]
        constraints = [
            # One live application per person and event (a cancelled one may be followed by a
            # new one). The service checks under the event lock; this is the backstop.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~Q(status="cancelled"),
                name="programmes_one_live_application_per_person",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} → {self.event}"


# --- On-demand courses --------------------------------------------------------------------
class MessageAudience(models.TextChoices):
    ALL = "all", _("申込者全員（確定とキャンセル待ち）")
    CONFIRMED = "confirmed", _("申込確定の方")
    WAITLISTED = "waitlisted", _("キャンセル待ちの方")


class EventMessage(models.Model):
    """An e-mail the office sent to an event's applicants (kept as sent)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    audience = models.CharField(_("宛先"), max_length=12, choices=MessageAudience.choices)
    subject = models.CharField(_("件名"), max_length=150)
    body = models.TextField(_("本文"), max_length=5000)
    recipients = models.PositiveIntegerField(_("送信数"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("参加者へのメール")
        verbose_name_plural = _("参加者へのメール")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class Course(EnglishText, models.Model):
    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(_("講座名"), max_length=200)
    title_en = _english("title")
    provider = models.CharField(_("提供"), max_length=200, blank=True)
    description = models.TextField(_("概要"), blank=True)
    description_en = _english("description", text=True)
    audience_note = models.TextField(_("受講対象者"), blank=True)
    audience_note_en = _english("audience_note", text=True)
    page_url = models.URLField(_("講座ページ"), blank=True)
    is_published = models.BooleanField(_("公開"), default=False)
    is_demo = models.BooleanField(_("デモデータ"), default=False)
    position = models.PositiveSmallIntegerField(default=0)
    # A video lesson is done when the learner has watched this share of it (decision 1313).
    watch_threshold_percent = models.PositiveSmallIntegerField(
        _("動画の視聴で完了とする割合（%）"),
        default=90,
        validators=[MinValueValidator(10), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("オンデマンド講座")
        verbose_name_plural = _("オンデマンド講座")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Chapter(EnglishText, models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("章"), max_length=200)
    title_en = _english("title")

    class Meta:
        verbose_name = _("章")
        verbose_name_plural = _("章")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="uniq_chapter_position")
        ]

    def __str__(self) -> str:
        return self.title


class QuizQuestion(EnglishText):
    """One question of a lesson's quiz as a page shows it (decision 1327): the English text and
    choices on English pages when staff gave them, else the Japanese. The choices keep their
    positions in both languages, so an answer is the same index whichever the learner saw."""

    def __init__(self, item: dict):
        self.question = item["question"]
        self.question_en = item.get("question_en", "")
        self.choices = list(item["choices"])
        self.choices_en = list(item.get("choices_en") or [])

    def localized(self, field: str):
        if field in ("question", "choices"):  # all or nothing: the text with its choices
            english = self._english_page() and self.question_en and self.choices_en
            return getattr(self, f"{field}_en") if english else getattr(self, field)
        return super().localized(field)

    def japanese_only(self, field: str = "question") -> bool:
        """On an English page the question is shown in Japanese and has Japanese in it (the
        text or a choice); one answer for the text and its choices."""
        return (
            self._english_page()
            and not (self.question_en and self.choices_en)
            and any(JAPANESE_SCRIPT.search(t) for t in [self.question, *self.choices])
        )


class LessonKind(models.TextChoices):
    VIDEO = "video", _("動画")
    MANGA = "manga", _("まんが")


class TextCompletion(models.TextChoices):
    READING = "reading", _("最低の閲覧時間がたったら完了")
    BUTTON = "button", _("受講者が「読みました」を押して完了")


class Lesson(EnglishText, models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("タイトル"), max_length=300)
    title_en = _english("title", max_length=300)
    kind = models.CharField(_("種類"), max_length=8, choices=LessonKind.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("長さ（分）"), null=True, blank=True)
    video_url = models.URLField(_("動画のページ"), blank=True)
    summary = models.TextField(_("要約"), blank=True)
    summary_en = _english("summary", text=True)
    # The lesson's own content (decision 1313): a video served from our origin (an uploaded
    # file, streamed by an access-checked view, or a path on our own site), a text body,
    # attachments and an optional quiz.
    video_file = models.FileField(_("動画ファイル"), upload_to="lessons/video/", blank=True)
    video_path = models.CharField(
        _("動画のURL（このサイト内）"),
        max_length=300,
        blank=True,
        help_text=_("/ で始まる、このサイト内のパス。外部サイトの動画は埋め込めません。"),
    )
    video_seconds = models.PositiveIntegerField(_("動画の長さ（秒）"), null=True, blank=True)
    body = models.TextField(_("本文"), blank=True)
    body_en = _english("body", text=True)
    text_completion = models.CharField(
        _("文章だけのレッスンの完了"),
        max_length=8,
        choices=TextCompletion.choices,
        default=TextCompletion.READING,
    )
    min_reading_seconds = models.PositiveIntegerField(
        _("最低の閲覧時間（秒）"), default=60, validators=[MaxValueValidator(3600)]
    )
    # [{"question": str, "choices": [str, ...], "answer": int (0-based),
    #   "question_en": str, "choices_en": [str, ...]}] (the English keys only on questions
    #   with English; choices_en as long as choices, in the same order: decision 1327)
    quiz = models.JSONField(_("確認テスト"), default=list, blank=True)
    quiz_pass_percent = models.PositiveSmallIntegerField(
        _("確認テストの合格点（%）"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("レッスン")
        verbose_name_plural = _("レッスン")
        ordering = ["chapter__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "position"], name="uniq_lesson_position")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_video(self) -> bool:
        return bool(self.video_file or self.video_path)

    @property
    def quiz_questions(self) -> list[QuizQuestion]:
        return [QuizQuestion(item) for item in self.quiz or []]

    @property
    def mode(self) -> str:
        """How the lesson is completed: "video", "quiz", "reading" or "button"."""
        if self.has_video:
            return "video"
        if self.quiz:
            return "quiz"
        return self.text_completion


class LessonAttachment(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="lessons/files/")
    name = models.CharField(_("ファイル名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_enrolments"
    )
    enrolled_at = models.DateTimeField(_("受講登録日時"), auto_now_add=True)
    completed_at = models.DateTimeField(_("修了日時"), null=True, blank=True)
    # Printed on the certificate; anyone holding it can check it at /certificates/verify/.
    certificate_code = models.CharField(
        _("修了証の確認コード"), max_length=16, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("受講登録")
        verbose_name_plural = _("受講登録")
        ordering = ["enrolled_at", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="uniq_enrolment")]

    def __str__(self) -> str:
        return f"{self.user} → {self.course}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(_("視聴済みにした日時"), null=True, blank=True)
    # What the learner did (decision 1313): when the lesson was first opened, the last accepted
    # report, the seconds credited (watched video or reading time, never more than the wall
    # clock allows) and the best quiz result.
    started_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    credited_seconds = models.FloatField(default=0)
    quiz_percent = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("視聴記録")
        verbose_name_plural = _("視聴記録")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="uniq_lesson_progress")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.lesson_id}"


# --- Support headlines --------------------------------------------------------------------
class HeadlineKind(models.TextChoices):
    EVENT = "event", _("イベント")
    SUBSIDY = "subsidy", _("補助金・助成金")
    SEMINAR = "seminar", _("セミナー")
    NEWS = "news", _("お知らせ")


class Headline(EnglishText, models.Model):
    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="headlines")
    kind = models.CharField(_("種類"), max_length=10, choices=HeadlineKind.choices)
    title = models.CharField(_("見出し"), max_length=200)
    title_en = _english("title")
    summary = models.TextField(_("概要"), blank=True)
    summary_en = _english("summary", text=True)
    source = models.CharField(_("情報元"), max_length=150, blank=True)
    source_en = _english("source", max_length=150)
    url = models.URLField(_("リンク先"), blank=True)
    nationwide = models.BooleanField(_("全国が対象"), default=False)
    starts_on = models.DateField(_("掲載・受付開始日"))
    ends_on = models.DateField(_("終了日"), null=True, blank=True, help_text=_("空欄なら期限なし"))
    is_demo = models.BooleanField(_("デモデータ"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("支援情報ヘッドライン")
        verbose_name_plural = _("支援情報ヘッドライン")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="programmes_headline_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def prefecture_labels(self) -> list[str]:
        return [Prefecture(t.prefecture).label for t in self.prefecture_tags.all()]

    def topic_labels(self) -> list[str]:
        return [Topic(t.topic).label for t in self.topic_tags.all()]

    def prefecture_codes(self) -> list[str]:
        return [t.prefecture for t in self.prefecture_tags.all()]

    def topic_codes(self) -> list[str]:
        return [t.topic for t in self.topic_tags.all()]


class HeadlinePrefecture(models.Model):
    headline = models.ForeignKey(Headline, on_delete=models.CASCADE, related_name="prefecture_tags")
    prefecture = models.CharField(max_length=2, choices=Prefecture.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["headline", "prefecture"], name="uniq_headline_pref")
        ]

    def __str__(self) -> str:
        return self.prefecture


class HeadlineTopic(models.Model):
    headline = models.ForeignKey(Headline, on_delete=models.CASCADE, related_name="topic_tags")
    topic = models.CharField(max_length=20, choices=Topic.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["headline", "topic"], name="uniq_headline_topic")
        ]

    def __str__(self) -> str:
        return self.topic


# --- Qualified invoices (適格請求書) -----------------------------------------------------------
INVOICE_TAX_RATE_PERCENT = 10


class InvoiceSettings(models.Model):
    """The issuing office's name and registration number (登録番号) printed on its invoices,
    and its invoice counter (the row locked while a number is allocated)."""

    office = models.OneToOneField(
        SupportOffice, on_delete=models.CASCADE, related_name="invoice_settings"
    )
    issuer_name = models.CharField(_("発行事業者の名称"), max_length=200)
    registration_number = models.CharField(
        _("登録番号"), max_length=14, help_text=_("T と13桁の数字（例: T1234567890123）")
    )
    payment_note = models.TextField(_("お支払い方法（振込先など）"), blank=True)
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("請求書の設定")
        verbose_name_plural = _("請求書の設定")

    def __str__(self) -> str:
        return self.issuer_name


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", pgettext_lazy("invoice", "請求書")
    CANCELLATION = "cancellation", _("取消（返還インボイス）")


class Invoice(models.Model):
    """A qualified invoice for one paid application, or the cancellation of one. Everything
    printed is copied here when it is issued, so a later edit changes no issued document."""

    office = models.ForeignKey(SupportOffice, on_delete=models.PROTECT, related_name="invoices")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(_("種類"), max_length=12, choices=InvoiceKind.choices)
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("番号"), max_length=20)
    original = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="cancellation"
    )
    issued_on = models.DateField(_("発行日"))
    issuer_name = models.CharField(_("発行事業者の名称"), max_length=200)
    registration_number = models.CharField(_("登録番号"), max_length=14)
    recipient = models.CharField(_("宛先"), max_length=260)
    item_title = models.CharField(_("品目"), max_length=200)
    item_date = models.DateField(_("開催日"), null=True, blank=True)
    quantity = models.IntegerField(_("数量"))
    unit_price_yen = models.IntegerField(_("単価（税込）"))
    total_yen = models.IntegerField(_("合計（税込）"))
    tax_rate_percent = models.PositiveSmallIntegerField(_("税率"))
    tax_yen = models.IntegerField(_("消費税額"))
    payment_note = models.TextField(blank=True)
    paid_on = models.DateField(_("入金日"), null=True, blank=True)
    paid_amount_yen = models.IntegerField(_("入金額"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("invoice", "請求書")
        verbose_name_plural = pgettext_lazy("invoice", "請求書")
        ordering = ["office", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["office", "sequence"], name="uniq_invoice_sequence"),
            models.UniqueConstraint(fields=["office", "number"], name="uniq_invoice_number"),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(kind="invoice"),
                name="one_invoice_per_application",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def total_display(self) -> str:
        return rules.format_yen(self.total_yen)

    @property
    def tax_display(self) -> str:
        return rules.format_yen(self.tax_yen)

    @property
    def is_cancelled(self) -> bool:
        return self.kind == InvoiceKind.INVOICE and hasattr(self, "cancellation")
