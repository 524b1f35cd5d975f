"""Satisfaction surveys after a seminar, a consultation, a CO2 support visit and a hands-on
close-out: the office's questions per programme kind, one invitation (a personal link) per
person and occasion, one answer per invitation."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cnnavi.orgs.models import SupportOffice

SCORE_MIN, SCORE_MAX = 1, 5


class ProgrammeKind(models.TextChoices):
    SEMINAR = "seminar", _("セミナー・研修")
    CONSULTATION = "consultation", _("相談窓口")
    CALC_VISIT = "calc_visit", _("CO2排出量算定支援の訪問")
    HANDSON = "handson", _("ハンズオン支援")


class QuestionType(models.TextChoices):
    SCORE = "score", _("5段階の点数")
    TEXT = "text", _("自由記述")


class Question(models.Model):
    """A question the office adds to a programme kind's survey, after the score and the
    comment every survey asks (their wording may be changed: ``SurveySettings``)."""

    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("プログラム"), max_length=15, choices=ProgrammeKind.choices)
    text = models.CharField(_("質問"), max_length=300)
    qtype = models.CharField(_("回答の形式"), max_length=8, choices=QuestionType.choices)
    required = models.BooleanField(_("回答必須"), default=False)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("使う"), default=True)

    class Meta:
        verbose_name = _("アンケートの質問")
        verbose_name_plural = _("アンケートの質問")
        ordering = ["kind", "position", "id"]

    def __str__(self) -> str:
        return self.text


class SurveySettings(models.Model):
    """The office's wording of the score and comment questions of one programme kind
    (defaults apply while none is saved)."""

    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("プログラム"), max_length=15, choices=ProgrammeKind.choices)
    score_question = models.CharField(_("点数の質問"), max_length=300)
    comment_question = models.CharField(_("コメントの質問"), max_length=300)

    class Meta:
        verbose_name = _("アンケートの設定")
        verbose_name_plural = _("アンケートの設定")
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="surveys_one_setting_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.kind}"


class Invitation(models.Model):
    """One person's invitation to answer about one occasion; the link's token is stored
    as its SHA-256 only."""

    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("プログラム"), max_length=15, choices=ProgrammeKind.choices)
    # The occasion: an event, a booking, a calc visit or a hands-on case (by kind).
    occasion_id = models.PositiveBigIntegerField()
    occasion_label = models.CharField(_("対象"), max_length=300)
    occasion_date = models.DateField(_("実施日"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("メールアドレス"))
    language = models.CharField(max_length=5, default="ja")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(_("送信日時"))
    expires_at = models.DateTimeField(_("回答期限"))
    revoked_at = models.DateTimeField(_("取り消し日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("アンケートの依頼")
        verbose_name_plural = _("アンケートの依頼")
        ordering = ["-sent_at", "-id"]
        constraints = [
            # Sent once per person and occasion (the command may run any number of times).
            models.UniqueConstraint(
                fields=["kind", "occasion_id", "email"], name="surveys_one_invitation_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occasion_label} → {self.email}"


class Response(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+")
    # Copied from the invitation for the results' aggregates.
    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("プログラム"), max_length=15, choices=ProgrammeKind.choices)
    score = models.PositiveSmallIntegerField(
        _("点数"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )
    comment = models.TextField(_("コメント"), max_length=2000, blank=True)
    # Answers to the office's further questions: [{"question": text, "type": ..., "answer": ...}]
    answers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("回答日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("アンケートの回答")
        verbose_name_plural = _("アンケートの回答")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One answer per person and occasion (the invitation is per person and occasion).
            models.UniqueConstraint(fields=["invitation"], name="surveys_one_answer_per_person"),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX),
                name="surveys_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation} ({self.score})"
