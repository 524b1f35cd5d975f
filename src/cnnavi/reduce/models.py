"""The reduction plan of a company: its targets (one plan per company), the measures it picked
from the catalogue with any numbers it overrode, and the catalogue itself (reference data that
office staff edit). The arithmetic lives in ``cnnavi.core.reduce``."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cnnavi.orgs.models import Company


class Lever(models.TextChoices):
    YAMERU = "yameru", _("ヤメル（止める・やめる）")
    TOMERU = "tomeru", _("トメル（止める・待機を減らす）")
    SAGERU = "sageru", _("サゲル（設定を下げる・緩める）")
    NAOSU = "naosu", _("ナオス（直す・漏れを直す）")
    HIROU = "hirou", _("ヒロウ（廃熱を拾う）")
    KAERU = "kaeru", _("カエル（高効率機器に替える）")
    FACTOR = "factor", _("再エネ・証書で係数を下げる")
    ELECTRIFY = "electrify", _("電化する")
    OFFSET = "offset", _("オフセット（クレジット）")


class EffectKind(models.TextChoices):
    SAVING = "saving", _("使用量を減らす")
    FACTOR = "factor", _("排出係数を下げる")
    ELECTRIFY = "electrify", _("燃料を電気に替える")
    OFFSET = "offset", _("クレジットで相殺する")


class Basis(models.TextChoices):
    LOCATION = "location", _("ロケーション基準（全国平均係数）")
    MARKET = "market", _("マーケット基準（電気事業者の調整後係数）")
    BASIC = "basic", _("温対法 基礎排出係数")


class CatalogueMeasure(models.Model):
    """A reduction measure with its typical numbers. ``source`` says where the saving figure
    comes from; ``saving_is_assumption`` marks a rule of thumb the user must check. Cost and
    lifetime are always assumptions."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("名称（英語）"), max_length=100)
    description = models.TextField(_("説明"), blank=True)
    description_en = models.TextField(_("説明（英語）"), blank=True)
    lever = models.CharField(_("分類"), max_length=12, choices=Lever.choices)
    kind = models.CharField(_("効果の種類"), max_length=12, choices=EffectKind.choices)
    energies = models.JSONField(
        _("対象エネルギー"),
        default=list,
        help_text=_(
            "エネルギーのコード（electricity, city_gas, kerosene…）または種類（fuel, heat）"
        ),
    )
    use = models.CharField(_("対象の用途"), max_length=60, blank=True)
    use_share = models.DecimalField(
        _("用途の割合（用途別データが無いとき）"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    facility_kinds = models.JSONField(_("対象の事業所の種類"), default=list, blank=True)
    share = models.DecimalField(
        _("削減率・対象率"),
        max_digits=5,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    amount_kwh = models.DecimalField(
        _("年間削減量（kWh、定量の場合）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    kwh_per_gj = models.DecimalField(
        _("燃料1GJあたりの追加電力量（kWh）"), max_digits=8, decimal_places=2, default=0
    )
    unit_cost_yen = models.DecimalField(
        _("単価（円/kWh または 円/t）"), max_digits=10, decimal_places=2, default=0
    )
    offset_t = models.DecimalField(
        _("クレジット量（t-CO2/年）"), max_digits=10, decimal_places=2, default=0
    )
    investment_yen = models.PositiveBigIntegerField(_("標準的な投資額（円）"), default=0)
    annual_cost_yen = models.PositiveBigIntegerField(_("年間の維持費（円）"), default=0)
    lifetime_years = models.PositiveSmallIntegerField(
        _("耐用年数（年）"), default=10, validators=[MinValueValidator(1)]
    )
    source = models.TextField(_("削減効果の出典"))
    source_en = models.TextField(_("削減効果の出典（英語）"), blank=True)
    source_url = models.URLField(_("出典URL"), blank=True, max_length=400)
    saving_is_assumption = models.BooleanField(_("削減効果は目安（要確認）"), default=True)
    cost_note = models.TextField(_("費用・耐用年数の前提"), blank=True)
    cost_note_en = models.TextField(_("費用・耐用年数の前提（英語）"), blank=True)
    topics = models.JSONField(_("補助金の分野"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("有効"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("削減対策（カタログ）")
        verbose_name_plural = _("削減対策（カタログ）")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class ReductionPlan(models.Model):
    """A company's targets: a base year from its own data, a near-term and a long-term
    reduction, the basis for Scope 2, and the SBTi SME answers the data cannot give."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="reduction_plan")
    base_year = models.PositiveSmallIntegerField(_("基準年度"))
    basis = models.CharField(
        _("スコープ2の基準"), max_length=10, choices=Basis.choices, default=Basis.MARKET
    )
    near_year = models.PositiveSmallIntegerField(_("中期目標の年度"), default=2030)
    near_share = models.DecimalField(
        _("中期目標の削減率"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    long_year = models.PositiveSmallIntegerField(_("長期目標の年度"), default=2050)
    long_share = models.DecimalField(
        _("長期目標の削減率"),
        max_digits=5,
        decimal_places=4,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    follows_sbt_sme = models.BooleanField(
        _("中小企業版SBTの目標に合わせる"),
        default=False,
        help_text=_(
            "選ぶと、2030年度の削減率（年4.2%×年数、要確認）と2050年度ネットゼロを設定します。"
        ),
    )
    turnover_under_limit = models.BooleanField(_("売上高5,000万ユーロ未満"), null=True, blank=True)
    assets_under_limit = models.BooleanField(_("総資産2,500万ユーロ未満"), null=True, blank=True)
    fi_or_oil_gas = models.BooleanField(_("金融機関・石油ガス部門"), null=True, blank=True)
    sector_specific_required = models.BooleanField(
        _("部門別の手法が必要な業種"), null=True, blank=True
    )
    subsidiary_of_standard_parent = models.BooleanField(
        _("通常ルートの親会社の子会社"), null=True, blank=True
    )
    mandatory_flag_sector = models.BooleanField(_("FLAG必須部門"), null=True, blank=True)
    is_demo = models.BooleanField(_("デモデータ"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("削減計画")
        verbose_name_plural = _("削減計画")

    def __str__(self) -> str:
        return f"{self.company} FY{self.base_year}"


class Status(models.TextChoices):
    IDEA = "idea", _("アイデア")
    PLANNED = "planned", _("計画")
    IN_PROGRESS = "in_progress", _("実施中")
    DONE = "done", _("完了")


# The numbers of a catalogue measure that a company may override (None: the catalogue's).
OVERRIDABLE = (
    "share",
    "use_share",
    "amount_kwh",
    "kwh_per_gj",
    "unit_cost_yen",
    "offset_t",
    "investment_yen",
    "annual_cost_yen",
    "lifetime_years",
)


class PlanMeasure(models.Model):
    plan = models.ForeignKey(ReductionPlan, on_delete=models.CASCADE, related_name="measures")
    measure = models.ForeignKey(CatalogueMeasure, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状況"), max_length=12, choices=Status.choices, default=Status.IDEA)
    start_year = models.PositiveSmallIntegerField(_("開始年度"), null=True, blank=True)
    planned_on = models.DateField(_("実施予定日"), null=True, blank=True)
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    share = models.DecimalField(
        _("削減率・対象率"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    use_share = models.DecimalField(
        _("用途の割合"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    amount_kwh = models.DecimalField(
        _("年間削減量（kWh）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    kwh_per_gj = models.DecimalField(
        _("燃料1GJあたりの追加電力量（kWh）"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit_cost_yen = models.DecimalField(
        _("単価（円/kWh または 円/t）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    offset_t = models.DecimalField(
        _("クレジット量（t-CO2/年）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    investment_yen = models.PositiveBigIntegerField(_("投資額（円）"), null=True, blank=True)
    annual_cost_yen = models.PositiveBigIntegerField(_("年間の維持費（円）"), null=True, blank=True)
    lifetime_years = models.PositiveSmallIntegerField(
        _("耐用年数（年）"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    note = models.TextField(_("メモ"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("計画の対策")
        verbose_name_plural = _("計画の対策")
        ordering = ["start_year", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "measure"], name="uniq_plan_measure")
        ]

    def __str__(self) -> str:
        return f"{self.plan.company}: {self.measure}"

    def value(self, name: str):
        own = getattr(self, name)
        return getattr(self.measure, name) if own is None else own

    def is_assumption(self, name: str) -> bool:
        return getattr(self, name) is None
