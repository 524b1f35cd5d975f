"""The stage diagnosis (versioned definitions and answer sets) and the self-check sheet.

A definition is data (see ``cnnavi.core.diagnosis``); a published version is never changed, and
an answer set always scores with the version it was given under. Anonymous results keep no
personal data: only the prefecture and industry, and only when the user gave them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cnnavi.common.choices import Industry, Prefecture


class Stage(models.TextChoices):
    KNOW = "know", _("知る")
    MEASURE = "measure", _("測る")
    REDUCE = "reduce", _("減らす")
    PREPARE = "prepare", _("備える")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    PUBLISHED = "published", _("公開中")
    RETIRED = "retired", _("公開終了")


class DiagnosisVersion(models.Model):
    number = models.PositiveIntegerField(_("版"), unique=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    definition = models.JSONField(
        _("定義（質問・選択肢・配点・文章）"),
        help_text=_(
            "JSON。公開した版は変更できません。変更するには「この版から新しい版を作る」を使ってください。"
        ),
    )
    note = models.CharField(_("変更の説明"), max_length=200, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("元にした版"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("診断の版")
        verbose_name_plural = _("診断の版")
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Diagnosis(models.Model):
    """One answer set of the stage diagnosis, anonymous until saved to a company."""

    version = models.ForeignKey(
        DiagnosisVersion, verbose_name=_("版"), on_delete=models.PROTECT, related_name="diagnoses"
    )
    answers = models.JSONField(_("回答"), default=dict)
    stage = models.CharField(_("ステージ"), max_length=10, choices=Stage.choices)
    language = models.CharField(_("回答時の言語"), max_length=5, default="ja")
    prefecture = models.CharField(
        _("都道府県"), max_length=2, choices=Prefecture.choices, blank=True
    )
    industry = models.CharField(_("業種"), max_length=2, choices=Industry.choices, blank=True)
    company = models.ForeignKey(
        "orgs.Company",
        verbose_name=_("企業"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="diagnoses",
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("保存日時"), null=True, blank=True)
    is_demo = models.BooleanField(_("デモデータ"), default=False)
    created_at = models.DateTimeField(_("回答日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("ステージ診断の結果")
        verbose_name_plural = _("ステージ診断の結果")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-saved_at"], name="know_diag_company_saved")]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=True) | Q(saved_at__isnull=False),
                name="know_diag_saved_when_company",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.created_at:%Y-%m-%d})"


class SelfCheck(models.Model):
    """One filled-in self-check sheet: the item numbers ticked."""

    checked = models.JSONField(_("チェックした項目"), default=list)
    checked_count = models.PositiveSmallIntegerField(_("チェック数"))
    prefecture = models.CharField(
        _("都道府県"), max_length=2, choices=Prefecture.choices, blank=True
    )
    industry = models.CharField(_("業種"), max_length=2, choices=Industry.choices, blank=True)
    company = models.ForeignKey(
        "orgs.Company",
        verbose_name=_("企業"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="self_checks",
    )
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("デモデータ"), default=False)
    created_at = models.DateTimeField(_("回答日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("セルフチェック")
        verbose_name_plural = _("セルフチェック")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.checked_count}/11 ({self.created_at:%Y-%m-%d})"
