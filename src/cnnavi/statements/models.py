"""What a company sends its customers: issued CO2 statements (figures frozen at issue, with a
fingerprint of their inputs and a verification code), read-only share links to them (token
stored hashed) with their opening log, and bill evidence attached to a facility's month and
energy."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cnnavi.measure.models import EnergyRecord
from cnnavi.orgs.models import Company, Facility


class PeriodKind(models.TextChoices):
    SHK = "shk", _("省エネ法・温対法の年度（4月〜3月）")
    BUSINESS = "business", _("自社の事業年度")
    CALENDAR = "calendar", _("暦年（1月〜12月）")


class AllocationMethod(models.TextChoices):
    NONE = "", _("按分しない")
    ECONOMIC = "economic", _("経済的按分（売上高）")
    PHYSICAL = "physical", _("物理的按分（数量）")


class Statement(models.Model):
    """One issued statement: the figures as they were at issue (``figures``, plain JSON from
    ``selectors.statement_figures``), the fingerprint of the inputs they came from, and a
    short code the recipient can check on /verify/."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="statements")
    period_kind = models.CharField(_("期間"), max_length=10, choices=PeriodKind.choices)
    period_year = models.PositiveSmallIntegerField(_("開始年"))
    period_start_month = models.PositiveSmallIntegerField(_("開始月"))
    by_facility = models.BooleanField(_("事業所別の内訳を載せる"), default=False)
    recipient_name = models.CharField(_("提出先"), max_length=150, blank=True)
    allocation_method = models.CharField(
        _("按分方法"), max_length=10, choices=AllocationMethod.choices, blank=True
    )
    allocation_part = models.DecimalField(
        _("提出先への売上高・数量"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    allocation_total = models.DecimalField(
        _("全体の売上高・生産量"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    allocation_unit = models.CharField(_("単位"), max_length=20, blank=True)
    figures = models.JSONField(default=dict)
    fingerprint = models.CharField(max_length=64)
    code = models.CharField(max_length=16, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by_name = models.CharField(max_length=150)
    issued_by_role = models.CharField(max_length=20)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("排出量証明書")
        verbose_name_plural = _("排出量証明書")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.company} {self.period_kind} {self.period_year} {self.code}"


class ShareLink(models.Model):
    """A read-only link to one statement for one recipient. Only the token's SHA-256 is kept;
    the token itself is shown once, when the link is created."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="links")
    recipient_name = models.CharField(_("提出先の名前"), max_length=150)
    recipient_email = models.EmailField(_("提出先のメールアドレス"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("有効期限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("共有リンク")
        verbose_name_plural = _("共有リンク")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.statement.code} → {self.recipient_name}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ShareLinkOpen(models.Model):
    """One opening of a share link (the page or the PDF)."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="opens")
    what = models.CharField(max_length=10)  # page | pdf
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.link_id} {self.what} {self.at:%Y-%m-%d %H:%M}"


class Evidence(models.Model):
    """A photo or PDF of a bill, attached to a facility's month and energy (a cell of the
    grid): to the cell's record, and deleted with it. The bytes live in the database (never in
    a public folder) and are served only through the access helpers."""

    record = models.ForeignKey(EnergyRecord, on_delete=models.CASCADE, related_name="evidence")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="evidence")
    month = models.DateField(_("年月"))  # the first day of the month
    energy = models.CharField(_("エネルギー"), max_length=40)
    filename = models.CharField(_("ファイル名"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("請求書の証跡")
        verbose_name_plural = _("請求書の証跡")
        ordering = ["facility_id", "month", "energy", "id"]
        indexes = [models.Index(fields=["facility", "month"], name="statements_ev_fac_month")]

    def __str__(self) -> str:
        return f"{self.facility} {self.month:%Y-%m} {self.energy} {self.filename}"
