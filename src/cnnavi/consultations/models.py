"""The consultation window (⑤), the CO2 calculation support (⑥) and the hands-on support (⑦)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cnnavi.consultations import rules
from cnnavi.orgs.models import Company, Expert, SupportOffice


class SlotMode(models.TextChoices):
    ONLINE = "online", _("オンライン枠")
    OFFICE = "office", _("対面枠（支援機関の事務所）")


class Channel(models.TextChoices):
    ONLINE = "online", _("オンライン")
    IN_PERSON = "in_person", _("対面")
    PHONE = "phone", _("電話")


class Topic(models.TextChoices):
    HOW_TO_START = "how_to_start", _("何から取り組めばよいか")
    RENEWABLES = "renewables", _("再生可能エネルギーの導入")
    SBT_RE100 = "sbt_re100", _("SBT・RE100（中小企業版）")
    SUBSIDIES = "subsidies", _("補助金")
    CO2_ACCOUNTING = "co2_accounting", _("CO2排出量の算定")
    OTHER = "other", _("その他")


WEEKDAYS = [
    (0, _("月曜日")),
    (1, _("火曜日")),
    (2, _("水曜日")),
    (3, _("木曜日")),
    (4, _("金曜日")),
    (5, _("土曜日")),
    (6, _("日曜日")),
]


class AvailabilityRule(models.Model):
    """An expert's recurring availability, e.g. online on Tuesdays 14:00 for one hour."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("曜日"), choices=WEEKDAYS)
    start_time = models.TimeField(_("開始時刻"))
    minutes = models.PositiveSmallIntegerField(
        _("時間（分）"), default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    mode = models.CharField(_("枠の種類"), max_length=10, choices=SlotMode.choices)
    valid_from = models.DateField(_("開始日"), null=True, blank=True)
    valid_until = models.DateField(_("終了日"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("相談可能な時間")
        verbose_name_plural = _("相談可能な時間")
        ordering = ["expert__display_name", "weekday", "start_time"]

    def __str__(self) -> str:
        return f"{self.expert} {self.get_weekday_display()} {self.start_time:%H:%M}"

    def as_rule(self) -> rules.Rule:
        return rules.Rule(
            self.weekday,
            self.start_time,
            self.minutes,
            self.mode,
            self.valid_from,
            self.valid_until,
        )


class ClosedDay(models.Model):
    """A manual exception: the office (expert empty) or one expert takes no consultations."""

    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("日付"))
    reason = models.CharField(_("理由"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("休業日")
        verbose_name_plural = _("休業日")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}"


class Slot(models.Model):
    """A concrete bookable hour of one expert, generated from the availability rules."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    mode = models.CharField(_("枠の種類"), max_length=10, choices=SlotMode.choices)
    withdrawn = models.BooleanField(_("取り下げ"), default=False)

    class Meta:
        verbose_name = _("予約枠")
        verbose_name_plural = _("予約枠")
        ordering = ["starts_at", "expert_id"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "starts_at"], name="uniq_slot_expert_start")
        ]

    def __str__(self) -> str:
        return f"{self.expert} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


def meeting_note(channel: str, office, phone: str, url: str = "") -> str:
    if channel == Channel.IN_PERSON:
        return gettext("場所: %(office)s（%(address)s）。受付で予約の旨をお伝えください。") % {
            "office": office.name,
            "address": office.address or "—",
        }
    if channel == Channel.PHONE:
        return gettext("開始時刻に、専門家からご登録の電話番号（%(phone)s）にお電話します。") % {
            "phone": phone
        }
    if url:
        return gettext("Web会議のURL: %(url)s") % {"url": url}
    return gettext("Web会議のURLは、前日までに専門家からメールでお送りします。")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("予約済み")
    CANCELLED = "cancelled", _("キャンセル済み")


class Booking(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    # Copied from the slot so that the database itself refuses a second booking of the expert.
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField(_("開始"))
    status = models.CharField(
        _("状態"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, null=True, blank=True, related_name="bookings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_bookings",
    )
    channel = models.CharField(_("相談方法"), max_length=10, choices=Channel.choices)
    topics = models.JSONField(_("相談したいこと"), default=list)
    description = models.TextField(_("相談内容（簡単に）"), max_length=2000, blank=True)
    contact_name = models.CharField(_("お名前"), max_length=100)
    contact_company = models.CharField(_("企業名"), max_length=150)
    contact_email = models.EmailField(_("メールアドレス"))
    contact_phone = models.CharField(_("電話番号"), max_length=30)
    language = models.CharField(max_length=5, default="ja")
    meeting_details = models.TextField(_("当日の案内"), blank=True)
    meeting_url = models.URLField(_("Web会議のURL"), max_length=500, blank=True)
    record = models.TextField(_("相談の記録"), blank=True)
    follow_up = models.TextField(_("フォローアップ"), blank=True)
    follow_up_done = models.BooleanField(_("フォローアップ済み"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("相談の予約")
        verbose_name_plural = _("相談の予約")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status="booked"), name="uniq_booking_per_slot"
            ),
            models.UniqueConstraint(
                fields=["expert", "starts_at"],
                condition=Q(status="booked"),
                name="uniq_booking_per_expert_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_company} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def topic_labels(self) -> list[str]:
        return [str(Topic(t).label) for t in self.topics if t in Topic.values]

    @property
    def meeting_note(self) -> str:
        """How the meeting takes place, in the active language (built from the channel, not
        the text stored at booking time, which is in the booker's language)."""
        return meeting_note(self.channel, self.expert.office, self.contact_phone, self.meeting_url)

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED


# --- CO2 calculation support (⑥) -------------------------------------------------------------
class CalcCaseStatus(models.TextChoices):
    APPLIED = "applied", _("申込受付")
    ACTIVE = "active", _("支援中")
    DECLINED = "declined", _("お断り")
    CLOSED = "closed", _("終了")


class CalcSupportCase(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="calc_cases")
    office = models.ForeignKey(SupportOffice, on_delete=models.CASCADE, related_name="calc_cases")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=CalcCaseStatus.choices, default=CalcCaseStatus.APPLIED
    )
    expert = models.ForeignKey(
        Expert, on_delete=models.SET_NULL, null=True, blank=True, related_name="calc_cases"
    )
    message = models.TextField(_("困っていること・ご希望"), max_length=2000, blank=True)
    preferred_dates = models.CharField(_("訪問の希望日時"), max_length=200, blank=True)
    decline_reason = models.TextField(_("お断りの理由"), blank=True)
    created_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("CO2排出量算定支援")
        verbose_name_plural = _("CO2排出量算定支援")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_status_display()})"


class VisitKind(models.IntegerChoices):
    CURRENT_STATE = 1, _("現状把握")
    ISSUES = 2, _("課題発見")
    REDUCTION = 3, _("削減対応の検討")


class CalcVisit(models.Model):
    case = models.ForeignKey(CalcSupportCase, on_delete=models.CASCADE, related_name="visits")
    # Copied from the case: the three free visits are counted per company.
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="calc_visits")
    number = models.PositiveSmallIntegerField(_("回"), choices=VisitKind.choices)
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="calc_visits")
    scheduled_at = models.DateTimeField(_("訪問日時"))
    recorded_at = models.DateTimeField(_("記録日時"), null=True, blank=True)
    # A cancelled visit keeps its row (history) but frees its number and uses no quota.
    cancelled_at = models.DateTimeField(_("中止日時"), null=True, blank=True)
    change_reason = models.CharField(_("変更・中止の理由"), max_length=300, blank=True)
    record = models.TextField(_("訪問の記録"), blank=True)
    energy_data_checked = models.BooleanField(_("エネルギーデータを確認した"), default=False)
    method_explained = models.BooleanField(_("算定方法を説明した"), default=False)
    issues = models.TextField(_("見つかった課題"), blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("対象年度"), null=True, blank=True)
    snapshot = models.JSONField(_("その日の排出量の状況"), null=True, blank=True)
    base_fiscal_year = models.PositiveSmallIntegerField(_("基準年度"), null=True, blank=True)
    target_fiscal_year = models.PositiveSmallIntegerField(_("目標年度"), null=True, blank=True)
    target_reduction_percent = models.PositiveSmallIntegerField(
        _("削減目標（%）"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    # Visit 3: what it changed in the company's own target and reduction plan (reduce app):
    # {"target": {field: [before, after]}, "measures_added": [names]}.
    plan_changes = models.JSONField(_("削減計画への反映"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("算定支援の訪問")
        verbose_name_plural = _("算定支援の訪問")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"],
                condition=Q(cancelled_at__isnull=True),
                name="uniq_calc_visit_number",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=rules.MAX_FREE_VISITS),
                name="calc_visit_number_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} #{self.number}"

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_open(self) -> bool:
        """Scheduled, not yet held: it may be moved or cancelled."""
        return self.recorded_at is None and self.cancelled_at is None


class PlannedAction(models.Model):
    """A reduction action planned on the third visit (taken up later by the reduction planner)."""

    visit = models.ForeignKey(CalcVisit, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("削減行動"), max_length=150)
    expected_reduction_t = models.DecimalField(
        _("見込み削減量（t-CO2/年）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_yen = models.PositiveBigIntegerField(_("概算費用（円）"), null=True, blank=True)
    due_fiscal_year = models.PositiveSmallIntegerField(_("実施年度"), null=True, blank=True)
    owner = models.CharField(_("社内の担当"), max_length=100, blank=True)
    done = models.BooleanField(_("完了"), default=False)

    class Meta:
        verbose_name = _("予定の削減行動")
        verbose_name_plural = _("予定の削減行動")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


# --- Hands-on support (⑦) -------------------------------------------------------------------
class HandsOnState(models.TextChoices):
    RECEIVED = rules.RECEIVED, _("受付")
    UNDER_REVIEW = rules.UNDER_REVIEW, _("審査中")
    ACCEPTED = rules.ACCEPTED, _("採択")
    DECLINED = rules.DECLINED, _("不採択")
    IN_SUPPORT = rules.IN_SUPPORT, _("支援中")
    COMPLETED = rules.COMPLETED, _("完了")


class HandsOnSettings(models.Model):
    """The office's rules for hands-on screening (defaults apply while none is saved)."""

    office = models.OneToOneField(
        SupportOffice, on_delete=models.CASCADE, related_name="handson_settings"
    )
    required_hearings = models.PositiveSmallIntegerField(
        _("審査の前に必要なヒアリング・現場調査の回数"),
        default=rules.DEFAULT_REQUIRED_HEARINGS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )

    class Meta:
        verbose_name = _("ハンズオン支援の設定")
        verbose_name_plural = _("ハンズオン支援の設定")

    def __str__(self) -> str:
        return f"{self.office}"


class ScreeningCriterion(models.Model):
    """A criterion the office screens hands-on applications by, scored 0..max_score."""

    office = models.ForeignKey(
        SupportOffice, on_delete=models.CASCADE, related_name="screening_criteria"
    )
    title = models.CharField(_("審査の観点"), max_length=150)
    description = models.TextField(_("説明"), blank=True)
    max_score = models.PositiveSmallIntegerField(
        _("満点"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("使う"), default=True)

    class Meta:
        verbose_name = _("審査基準")
        verbose_name_plural = _("審査基準")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PlanState(models.TextChoices):
    DRAFT = "draft", _("作成中")
    PROPOSED = "proposed", _("企業の回答待ち")
    ACCEPTED = "accepted", _("企業が同意")
    DECLINED = "declined", _("企業が辞退")


class HandsOnCase(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="handson_cases")
    office = models.ForeignKey(
        SupportOffice, on_delete=models.CASCADE, related_name="handson_cases"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(
        _("状態"), max_length=15, choices=HandsOnState.choices, default=HandsOnState.RECEIVED
    )
    themes_wanted = models.TextField(_("支援を受けたいテーマ"), max_length=2000)
    current_issues = models.TextField(_("現在の課題"), max_length=2000)
    project_members = models.CharField(_("社内のプロジェクトメンバー（予定）"), max_length=300)
    decline_reason = models.TextField(_("不採択の理由"), blank=True)
    # The support plan (支援計画書)
    plan_themes = models.TextField(_("支援テーマ"), blank=True)
    plan_goals = models.TextField(_("目標"), blank=True)
    plan_schedule = models.TextField(_("スケジュール"), blank=True)
    plan_team = models.ManyToManyField(
        Expert, blank=True, related_name="handson_cases", verbose_name=_("専門家チーム")
    )
    fee_yen = models.PositiveBigIntegerField(_("費用（円・税込）"), null=True, blank=True)
    fee_net_yen = models.PositiveBigIntegerField(_("費用（円・税抜）"), null=True, blank=True)
    tax_rate_percent = models.PositiveSmallIntegerField(
        _("消費税率（%）"), default=10, choices=[(10, "10%"), (8, "8%")]
    )
    # Goals tied to the company's own reduction plan (reduce app).
    plan_measures = models.ManyToManyField(
        "reduce.PlanMeasure", blank=True, related_name="+", verbose_name=_("対象の削減対策")
    )
    plan_state = models.CharField(
        _("支援計画の状態"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT
    )
    plan_decided_at = models.DateTimeField(null=True, blank=True)
    plan_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    plan_response = models.TextField(_("企業からのコメント"), blank=True)
    decision_reason = models.TextField(_("採否の理由"), blank=True)
    completion_report = models.TextField(_("完了報告"), blank=True)
    created_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ハンズオン支援")
        verbose_name_plural = _("ハンズオン支援")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_state_display()})"

    @property
    def has_plan(self) -> bool:
        return bool(self.plan_themes and self.plan_goals and self.fee_yen is not None)

    @property
    def plan_accepted(self) -> bool:
        return self.has_plan and self.plan_state == PlanState.ACCEPTED

    @property
    def tax_yen(self) -> int | None:
        if self.fee_net_yen is None:
            return None
        return rules.tax_yen(self.fee_net_yen, self.tax_rate_percent)


class ScreeningScore(models.Model):
    case = models.ForeignKey("HandsOnCase", on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScreeningCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("点数"))
    note = models.TextField(_("所見"), max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("審査の点数")
        verbose_name_plural = _("審査の点数")
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "criterion"], name="uniq_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class PdcaCycle(models.Model):
    """One Plan-Do-Check-Act cycle of a hands-on case. The Check step keeps the measured change
    of the plan's measures (from the company's own data, via reduce) as it was when saved."""

    case = models.ForeignKey("HandsOnCase", on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("回"))
    period_start = models.DateField(_("期間（開始）"))
    period_end = models.DateField(_("期間（終了）"))
    plan_text = models.TextField(_("Plan（計画）"), max_length=3000)
    do_text = models.TextField(_("Do（実行）"), max_length=3000, blank=True)
    check_text = models.TextField(_("Check（評価）"), max_length=3000, blank=True)
    act_text = models.TextField(_("Act（改善）"), max_length=3000, blank=True)
    measured = models.JSONField(_("計測された変化"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("PDCAサイクル")
        verbose_name_plural = _("PDCAサイクル")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="uniq_pdca_cycle_number")
        ]

    def __str__(self) -> str:
        return f"{self.case} PDCA #{self.number}"


class HearingVisit(models.Model):
    """A preliminary site visit or hearing before the support starts."""

    case = models.ForeignKey(HandsOnCase, on_delete=models.CASCADE, related_name="hearings")
    visited_at = models.DateTimeField(_("日時"))
    notes = models.TextField(_("ヒアリングの記録"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("事前の現場調査・ヒアリング")
        verbose_name_plural = _("事前の現場調査・ヒアリング")
        ordering = ["visited_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {timezone.localtime(self.visited_at):%Y-%m-%d}"


class PdcaPhase(models.TextChoices):
    PLAN = "plan", _("Plan（計画）")
    DO = "do", _("Do（実行）")
    CHECK = "check", _("Check（評価）")
    ACT = "act", _("Act（改善）")


class PdcaEntry(models.Model):
    case = models.ForeignKey(HandsOnCase, on_delete=models.CASCADE, related_name="pdca")
    phase = models.CharField(_("段階"), max_length=5, choices=PdcaPhase.choices)
    day = models.DateField(_("日付"))
    text = models.TextField(_("内容"), max_length=3000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("PDCAの記録")
        verbose_name_plural = _("PDCAの記録")
        ordering = ["day", "id"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {self.day}"
