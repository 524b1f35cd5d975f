from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cnnavi.common.navigation import user_roles


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address. ``is_staff`` means Django admin access only;
    support-office staff and experts are defined by the orgs app."""

    email = models.EmailField(_("メールアドレス"), unique=True)
    # ``name`` is the full name shown everywhere ("山田 太郎"), composed from the parts below
    # by ``accounts.services.user_set_name``.
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    family_name = models.CharField(_("姓"), max_length=50, blank=True)
    given_name = models.CharField(_("名"), max_length=50, blank=True)
    family_name_kana = models.CharField(_("姓（フリガナ）"), max_length=50, blank=True)
    given_name_kana = models.CharField(_("名（フリガナ）"), max_length=50, blank=True)
    # The version of the terms of use (pages.LegalDocument) accepted at sign-up, and when.
    terms_version = models.PositiveIntegerField(_("同意した利用規約の版"), null=True, blank=True)
    terms_accepted_at = models.DateTimeField(_("利用規約に同意した日時"), null=True, blank=True)
    is_staff = models.BooleanField(_("管理サイトへのアクセス"), default=False)
    is_active = models.BooleanField(_("有効"), default=True)
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)
    preferred_language = models.CharField(
        _("使用言語"), max_length=5, choices=[("ja", "日本語"), ("en", "English")], default="ja"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    def __str__(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email.split("@")[0]

    @property
    def is_office_staff(self) -> bool:
        return self.office_roles.exists()

    @property
    def is_expert(self) -> bool:
        return self.expert_profiles.filter(active=True).exists()

    @property
    def needs_two_factor(self) -> bool:
        """Support staff, experts and admin users see other companies' data: they must use
        TOTP. The roles come from ``user_roles`` (one query, kept on the user for the request,
        shared with the page header)."""
        if self.is_staff or self.is_superuser:
            return True
        roles = user_roles(self)
        return bool(roles.get("is_office_staff") or roles.get("is_expert"))
