"""Texts the operator writes for every page: privacy policy, terms of use, operator contact."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalKind(models.TextChoices):
    PRIVACY = "privacy", _("プライバシーポリシー")
    TERMS = "terms", _("利用規約")
    OPERATOR = "operator", _("運営者情報・お問い合わせ")


class LegalDocument(models.Model):
    """One per kind. Without a row the page shows the default text (templates/pages/legal/);
    each change of the terms raises their version, which sign-up records as accepted."""

    kind = models.CharField(_("種類"), max_length=10, choices=LegalKind.choices, unique=True)
    body = models.TextField(_("本文"))
    body_en = models.TextField(_("本文（英語）"), blank=True)
    version = models.PositiveIntegerField(_("版"), default=1)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("規約・ポリシー")
        verbose_name_plural = _("規約・ポリシー")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()
