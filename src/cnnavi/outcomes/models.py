"""Feeds the office subscribes to (RSS/Atom) and the items they brought, waiting for review.

The outcomes figures themselves are computed from the other apps' data and store nothing here
(docs/decisions/1401)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cnnavi.common.choices import Prefecture
from cnnavi.orgs.models import SupportOffice


class Feed(models.Model):
    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="feeds")
    name = models.CharField(_("名称"), max_length=150)
    url = models.URLField(_("フィードのURL"), max_length=500)
    prefecture = models.CharField(
        _("主な都道府県"),
        max_length=2,
        choices=Prefecture.choices,
        blank=True,
        help_text=_("記事に都道府県名が無いときの候補です。"),
    )
    active = models.BooleanField(_("取得する"), default=True)
    last_fetched_at = models.DateTimeField(_("最終取得日時"), null=True, blank=True)
    last_ok_at = models.DateTimeField(_("最終成功日時"), null=True, blank=True)
    last_error = models.TextField(_("直近のエラー"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("購読フィード")
        verbose_name_plural = _("購読フィード")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["office", "url"], name="uniq_office_feed")]

    def __str__(self) -> str:
        return self.name


class ItemStatus(models.TextChoices):
    NEW = "new", _("確認待ち")
    PUBLISHED = "published", _("掲載済み")
    DISMISSED = "dismissed", _("見送り")


class FeedItem(models.Model):
    """One entry of a feed. The same link is one item per office (duplicates are skipped)."""

    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="+")
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    link = models.URLField(_("リンク"), max_length=500)
    title = models.CharField(_("見出し"), max_length=200)
    summary = models.TextField(_("概要"), blank=True)
    published_on = models.DateField(_("公開日"), null=True, blank=True)
    suggested_kind = models.CharField(_("種類の候補"), max_length=10, blank=True)
    suggested_prefectures = models.JSONField(_("都道府県の候補"), default=list, blank=True)
    suggested_topics = models.JSONField(_("テーマの候補"), default=list, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.NEW
    )
    headline = models.ForeignKey(
        "programmes.Headline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("フィードの記事")
        verbose_name_plural = _("フィードの記事")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "link"], name="uniq_office_feed_link")
        ]

    def __str__(self) -> str:
        return self.title
