from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cnnavi.common.choices import Industry, Prefecture
from cnnavi.orgs import rules


def validate_corporate_number(value: str) -> None:
    if value and not rules.corporate_number_is_valid(value):
        raise ValidationError(
            _("法人番号は13桁の数字で、先頭の検査用数字が正しい必要があります。"),
            code="invalid_corporate_number",
        )


class SupportOffice(models.Model):
    """A support organisation's office, e.g. 中小機構 北陸本部 (石川・富山・福井)."""

    name = models.CharField(_("名称"), max_length=120, unique=True)
    prefectures = models.JSONField(_("担当都道府県"), default=list, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)

    class Meta:
        verbose_name = _("支援機関")
        verbose_name_plural = _("支援機関")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def prefecture_labels(self) -> list[str]:
        return [Prefecture(code).label for code in self.prefectures if code in Prefecture.values]


class OfficeStaff(models.Model):
    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_roles"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支援機関の職員")
        verbose_name_plural = _("支援機関の職員")
        constraints = [models.UniqueConstraint(fields=["office", "user"], name="uniq_office_staff")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.office}"


class ExpertiseField(models.TextChoices):
    ENERGY_SAVING = "energy_saving", _("省エネルギー")
    RENEWABLES = "renewables", _("再生可能エネルギー")
    CO2_ACCOUNTING = "co2_accounting", _("CO2排出量算定")
    SBT_RE100 = "sbt_re100", _("SBT・RE100")
    SUBSIDIES = "subsidies", _("補助金・資金調達")
    PRODUCTION = "production", _("生産管理・品質")
    MANAGEMENT = "management", _("経営戦略")


class Expert(models.Model):
    """An advisor registered with an office (中小企業アドバイザー)."""

    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="experts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profiles"
    )
    display_name = models.CharField(_("表示名"), max_length=100)
    title = models.CharField(_("肩書"), max_length=120, blank=True)
    fields = models.JSONField(_("専門分野"), default=list, blank=True)
    bio = models.TextField(_("経歴"), blank=True)
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("専門家")
        verbose_name_plural = _("専門家")
        ordering = ["display_name"]
        constraints = [models.UniqueConstraint(fields=["office", "user"], name="uniq_expert")]

    def __str__(self) -> str:
        return self.display_name

    def field_labels(self) -> list[str]:
        return [ExpertiseField(f).label for f in self.fields if f in ExpertiseField.values]


class Company(models.Model):
    """An SME using CN Navi."""

    name = models.CharField(_("企業名"), max_length=150)
    corporate_number = models.CharField(
        _("法人番号"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
        help_text=_("13桁。個人事業主など法人番号が無い場合は空欄のままにしてください。"),
    )
    prefecture = models.CharField(_("都道府県"), max_length=2, choices=Prefecture.choices)
    municipality = models.CharField(_("市区町村"), max_length=60, blank=True)
    industry = models.CharField(
        _("業種（日本標準産業分類）"), max_length=2, choices=Industry.choices
    )
    employees = models.PositiveIntegerField(_("常時使用する従業員数"), null=True, blank=True)
    capital_yen = models.PositiveBigIntegerField(_("資本金（円）"), null=True, blank=True)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("決算期の開始月"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    is_demo = models.BooleanField(_("デモデータ"), default=False)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("企業")
        verbose_name_plural = _("企業")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~Q(corporate_number=""),
                name="uniq_corporate_number",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sme(self) -> bool | None:
        return rules.is_sme(
            industry=self.industry, capital_yen=self.capital_yen, employees=self.employees
        )

    @property
    def sme_sector_label(self) -> str:
        return {
            "manufacturing_and_others": _("製造業その他（資本金3億円以下または従業員300人以下）"),
            "wholesale": _("卸売業（資本金1億円以下または従業員100人以下）"),
            "services": _("サービス業（資本金5千万円以下または従業員100人以下）"),
            "retail": _("小売業（資本金5千万円以下または従業員50人以下）"),
        }[rules.sme_threshold(self.industry).sector]


class Role(models.TextChoices):
    OWNER = "owner", _("管理者")
    EDITOR = "editor", _("編集者")
    VIEWER = "viewer", _("閲覧者")


class Membership(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("権限"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("メンバー")
        verbose_name_plural = _("メンバー")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="uniq_membership")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) @ {self.company}"


class InvitationQuerySet(models.QuerySet):
    def open(self) -> "InvitationQuerySet":
        """Invitations still to be accepted: not accepted, not revoked, not expired
        (``Invitation.is_open`` of one row)."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("メールアドレス"))
    role = models.CharField(_("権限"), max_length=10, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class FacilityKind(models.TextChoices):
    FACTORY = "factory", _("工場")
    OFFICE = "office", _("事務所")
    SHOP = "shop", _("店舗")
    WAREHOUSE = "warehouse", _("倉庫")
    OTHER = "other", _("その他")


class Facility(models.Model):
    """事業所: a site whose energy use is measured."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="facilities")
    name = models.CharField(_("事業所名"), max_length=100)
    prefecture = models.CharField(_("都道府県"), max_length=2, choices=Prefecture.choices)
    municipality = models.CharField(_("市区町村"), max_length=60, blank=True)
    kind = models.CharField(_("種類"), max_length=12, choices=FacilityKind.choices)
    floor_area_m2 = models.DecimalField(
        _("延床面積（m²）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("事業所")
        verbose_name_plural = _("事業所")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="uniq_facility_name")
        ]

    def __str__(self) -> str:
        return self.name


class ConsentScope(models.TextChoices):
    READ = "read", _("閲覧のみ")
    EDIT = "edit", _("閲覧と編集")


class ConsentQuerySet(models.QuerySet):
    def in_force(self, today: date | None = None) -> "ConsentQuerySet":
        """The consents in force today (not revoked, not past their end date)."""
        today = today or timezone.localdate()
        return self.filter(
            Q(revoked_at__isnull=True) & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        )


class Consent(models.Model):
    """A company lets a support office (and the experts it assigns) see its data."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="consents")
    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("範囲"), max_length=8, choices=ConsentScope.choices)
    valid_until = models.DateField(
        _("有効期限"), null=True, blank=True, help_text=_("空欄なら取り消すまで有効です。")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(_("同意日時"), auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("データ閲覧の同意")
        verbose_name_plural = _("データ閲覧の同意")
        ordering = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.company} → {self.office} ({self.get_scope_display()})"

    def in_force(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.revoked_at is None and (self.valid_until is None or today <= self.valid_until)


class ExpertAssignment(models.Model):
    """An office assigns one of its experts to a company it has consent from."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("専門家の担当")
        verbose_name_plural = _("専門家の担当")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "expert"],
                condition=Q(ended_at__isnull=True),
                name="uniq_active_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.company}"
