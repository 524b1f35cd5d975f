"""Energy data of a company: supply contracts per facility, monthly energy records, the rows of
the monthly entry grid, sales/production volumes for intensity, and file imports awaiting
confirmation. The arithmetic lives in ``cnnavi.core``; these models only hold the inputs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cnnavi.core import EnergyError, get_energy
from cnnavi.orgs.models import Company, Facility


def _energy_name(code: str) -> str:
    """The energy's Japanese name for object labels (audit entries, admin); the code if unknown."""
    try:
        return get_energy(code).name_ja
    except EnergyError:
        return code


class SupplyKind(models.TextChoices):
    ELECTRICITY = "electricity", _("電気")
    GAS = "gas", _("都市ガス")
    HEAT = "heat", _("熱（蒸気・温水・冷水）")


class SupplyContract(models.Model):
    """Which supplier (and menu) delivers electricity, city gas or heat to a facility, from a
    month on. The contract valid in a month is the latest one starting on or before it."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="contracts")
    kind = models.CharField(_("種類"), max_length=12, choices=SupplyKind.choices)
    supplier_reg = models.CharField(_("登録番号"), max_length=20)
    supplier_name = models.CharField(_("供給事業者"), max_length=150)
    menu = models.CharField(_("メニュー"), max_length=150, blank=True)
    valid_from = models.DateField(_("適用開始月"))
    # City gas: the standard heat value its bills print (MJ/m3 = GJ/千m3, e.g. 45), used for the
    # 省エネ法 energy (GJ, crude-oil kL); without it the SHK value 40.0 (decision 0100).
    heat_value = models.DecimalField(
        _("標準熱量（MJ/m3）"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("供給契約")
        verbose_name_plural = _("供給契約")
        ordering = ["facility_id", "kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "kind", "valid_from"], name="uniq_contract_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.get_kind_display()} {self.supplier_name} {self.menu}"


class EnergyRecord(models.Model):
    """One month of one energy at one facility (a bill line). ``supplier`` and ``menu`` are
    given explicitly (import, API) or left blank and taken from the contract of that month."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="energy_records")
    month = models.DateField(_("年月"))  # the first day of the month
    energy = models.CharField(_("エネルギー"), max_length=40)
    amount = models.DecimalField(
        _("使用量"), max_digits=20, decimal_places=6, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("単位"), max_length=10)
    cost_yen = models.BigIntegerField(_("金額（円）"), null=True, blank=True)
    supplier = models.CharField(_("供給事業者"), max_length=150, blank=True)
    menu = models.CharField(_("メニュー"), max_length=150, blank=True)
    use = models.CharField(_("用途"), max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A questioned amount (rules.check_plausibility) the user confirmed as right: the amount
    # and unit confirmed, by whom and when. A changed amount or unit is questioned again.
    confirmed_amount = models.DecimalField(
        _("確認済みの使用量"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    # db_default: the import's bulk INSERT (services._insert_records) names no such column
    confirmed_unit = models.CharField(
        _("確認済みの単位"), max_length=10, blank=True, default="", db_default=""
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("確認した人"),
    )
    confirmed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("エネルギー使用量")
        verbose_name_plural = _("エネルギー使用量")
        ordering = ["facility_id", "month", "energy", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "month", "energy", "supplier", "use"],
                name="uniq_energy_record",
            )
        ]
        indexes = [models.Index(fields=["facility", "month"], name="measure_rec_fac_month")]

    def __str__(self) -> str:
        return f"{self.facility} {self.month:%Y-%m} {_energy_name(self.energy)} {self.amount} {self.unit}"

    @property
    def is_confirmed(self) -> bool:
        return (
            self.confirmed_at is not None
            and self.confirmed_amount == self.amount
            and self.confirmed_unit == self.unit
        )


class GridRow(models.Model):
    """A row (energy and unit) of the monthly entry grid of a facility and fiscal year, kept
    even before any month is filled in."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="grid_rows")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    energy = models.CharField(_("エネルギー"), max_length=40)
    unit = models.CharField(_("単位"), max_length=10)

    class Meta:
        ordering = ["facility_id", "fiscal_year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "fiscal_year", "energy"], name="uniq_grid_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility} FY{self.fiscal_year} {_energy_name(self.energy)} ({self.unit})"


class UnitPreference(models.Model):
    """The unit a facility's bills of an energy are typed in (remembered from the grid), used
    for the energy's new grid rows and years."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="unit_prefs")
    energy = models.CharField(_("エネルギー"), max_length=40)
    unit = models.CharField(_("単位"), max_length=10)

    class Meta:
        verbose_name = _("請求書の単位")
        verbose_name_plural = _("請求書の単位")
        constraints = [
            models.UniqueConstraint(fields=["facility", "energy"], name="uniq_unit_pref")
        ]

    def __str__(self) -> str:
        return f"{self.facility} {_energy_name(self.energy)} ({self.unit})"


class SupplierNotice(models.Model):
    """A contract's emission factors for one fiscal year as its supplier published them (the
    supplier's notice or bill), entered by the user: labelled 事業者公表値（利用者入力）
    wherever it is shown, never as an official value. Units as the official table: t-CO2/kWh
    for electricity, t-CO2/千m3 for city gas, t-CO2/GJ for heat."""

    contract = models.ForeignKey(SupplyContract, on_delete=models.CASCADE, related_name="notices")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    basic_factor = models.DecimalField(_("基礎排出係数"), max_digits=12, decimal_places=8)
    adjusted_factor = models.DecimalField(
        _("調整後排出係数"), max_digits=12, decimal_places=8, null=True, blank=True
    )
    note = models.CharField(_("根拠（メモ）"), max_length=300, blank=True)
    evidence_name = models.CharField(_("根拠のファイル名"), max_length=200, blank=True)
    evidence = models.BinaryField(_("根拠のファイル"), blank=True, default=b"")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("事業者公表値（利用者入力）")
        verbose_name_plural = _("事業者公表値（利用者入力）")
        ordering = ["contract_id", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "fiscal_year"], name="uniq_notice_year")
        ]

    def __str__(self) -> str:
        return f"{self.contract} FY{self.fiscal_year}: {self.basic_factor}"


class CalcSettings(models.Model):
    """A company's choice to estimate years without published tables from the nearest
    published one (each such figure says 推計)."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="calc_settings")
    allow_estimate = models.BooleanField(_("公表一覧がない年度を推計する"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("算定の設定")
        verbose_name_plural = _("算定の設定")

    def __str__(self) -> str:
        return f"{self.company}: estimate={self.allow_estimate}"


# Uses as stored (the Japanese words bills and imports carry) and as shown.
USE_CHOICES = [
    ("照明", _("照明")),
    ("空調", _("空調")),
    ("給湯", _("給湯")),
    ("生産設備", _("生産設備")),
    ("車両", _("車両")),
    ("厨房", _("厨房")),
    ("その他", _("その他")),
]
USES = tuple(value for value, _label in USE_CHOICES)


class UseShare(models.Model):
    """How a facility's energy divides among uses (照明・空調…), in percent, where its records
    carry no use of their own. Only the energy-flow diagram uses it: it allocates the core's
    tCO2 of the facility and energy; it changes no total."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="use_shares")
    energy = models.CharField(_("エネルギー"), max_length=40)
    use = models.CharField(_("用途"), max_length=60)
    percent = models.DecimalField(
        _("割合（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("用途の割合")
        verbose_name_plural = _("用途の割合")
        ordering = ["facility_id", "energy", "use"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "energy", "use"], name="uniq_use_share")
        ]

    def __str__(self) -> str:
        return f"{self.facility} {_energy_name(self.energy)} {self.use} {self.percent}%"


class VolumeKind(models.TextChoices):
    SALES = "sales", _("売上高")
    PRODUCTION = "production", _("生産量")


class ActivityVolume(models.Model):
    """Sales or production of a fiscal year (month blank) or of one month, for intensity."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="volumes")
    kind = models.CharField(_("種類"), max_length=12, choices=VolumeKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    month = models.DateField(_("年月"), null=True, blank=True)
    value = models.DecimalField(
        _("値"), max_digits=20, decimal_places=4, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("単位"), max_length=20)

    class Meta:
        verbose_name = _("売上高・生産量")
        verbose_name_plural = _("売上高・生産量")
        ordering = ["fiscal_year", "kind", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "kind", "fiscal_year"],
                condition=Q(month__isnull=True),
                name="uniq_volume_year",
            ),
            models.UniqueConstraint(
                fields=["company", "kind", "month"],
                condition=Q(month__isnull=False),
                name="uniq_volume_month",
            ),
        ]

    def __str__(self) -> str:
        when = f"{self.month:%Y-%m}" if self.month else f"FY{self.fiscal_year}"
        return f"{self.get_kind_display()} {when}: {self.value} {self.unit}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("確認待ち")
    COMMITTED = "committed", _("取り込み済み")
    DISCARDED = "discarded", _("取り消し")


class ImportWork(models.TextChoices):
    """Where the task worker is with a file: parsing it into the preview, or writing it."""

    QUEUED = "queued", _("順番待ち")
    RUNNING = "running", _("確認中")
    READY = "ready", _("確認済み")
    FAILED = "failed", _("失敗")
    COMMITTING = "committing", _("取り込み中")
    DONE = "done", _("完了")


class EnergyImport(models.Model):
    """An uploaded file awaiting the user's confirmation (nothing is written before)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="energy_imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(_("ファイル名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    status = models.CharField(
        _("状態"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    summary = models.JSONField(default=dict, blank=True)
    # Parsing and writing run in the task worker (docs/decisions/1005): `work` says where it is,
    # `preview` holds the parsed plan once (counts, errors, the first rows) for the preview page.
    work = models.CharField(max_length=12, choices=ImportWork.choices, default=ImportWork.QUEUED)
    preview = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ファイル取り込み")
        verbose_name_plural = _("ファイル取り込み")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class FactorTableUpload(models.Model):
    """A year's official supplier table uploaded by office staff (the ministries' list as
    ``pdftotext -layout`` text), previewed, then confirmed (installed for the core) or
    discarded. Kept with who did what, for the audit trail."""

    office = models.ForeignKey(
        "orgs.SupportOffice", on_delete=models.CASCADE, related_name="factor_uploads"
    )
    kind = models.CharField(_("種類"), max_length=12, choices=SupplyKind.choices)
    results_year = models.PositiveSmallIntegerField(_("実績年度"))
    emission_year = models.PositiveSmallIntegerField(_("適用する排出年度"))
    filename = models.CharField(_("ファイル名"), max_length=200)
    data = models.BinaryField()
    status = models.CharField(
        _("状態"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    summary = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公表一覧の取り込み")
        verbose_name_plural = _("公表一覧の取り込み")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} FY{self.emission_year} ({self.filename})"
