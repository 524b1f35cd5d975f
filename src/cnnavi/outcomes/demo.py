"""Demo data for the outcomes page: 36 demo companies across 富山・石川・福井 and six
industries (invented, every one marked as demo and named 「（デモ）」), with consent to the demo
office (one revoked), FY2025 and the ended months of FY2026 monthly records, sales, saved diagnoses, self-checks,
seminar applications, reduction plans (calculation support and hands-on cases come from the
consultations demo), and a demo feed
with items waiting for review. Written in bulk (one shared demo owner, so ``make run`` stays
fast). Running it twice changes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cnnavi.accounts.models import User
from cnnavi.accounts.services import user_create_verified
from cnnavi.know.models import Diagnosis, DiagnosisVersion, SelfCheck
from cnnavi.measure.models import ActivityVolume, EnergyRecord, SupplyContract
from cnnavi.orgs.models import Company, Consent, Facility, FacilityKind, Membership, Role
from cnnavi.outcomes.models import Feed, FeedItem
from cnnavi.outcomes.rules import add_months
from cnnavi.programmes.models import ApplicantKind, Application, ApplicationStatus, Event
from cnnavi.reduce.models import CatalogueMeasure, PlanMeasure, ReductionPlan, Status

N = 36
OWNER = ("demo-outcomes@example.com", "成果 デモ")
PREFS = ("16", "17", "18")
INDUSTRIES = ("E", "E", "D", "I2", "M", "H", "R")
CITIES = {"16": "富山市", "17": "金沢市", "18": "福井市"}
EMPLOYEES = (8, 15, 24, 32, 45, 60, 85, 120)
STAGES = ("know", "measure", "reduce", "prepare")
ANONYMOUS_DIAGNOSES = 14
SELF_CHECKS = 22
# what this module adds to the demo's diagnoses (every company one, two thirds a second)
DIAGNOSES = N + sum(1 for i in range(N) if i % 3) + ANONYMOUS_DIAGNOSES


def _aware(y: int, m: int, d: int = 10) -> datetime:
    """A moment in month ``m`` of year ``y`` (months past 12 roll into the next year)."""
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return timezone.make_aware(datetime(y, m, d, 10, 0))


def load(ctx: dict) -> None:
    office = ctx.get("office")
    if office is None or Company.objects.filter(name="北陸デモ01（デモ）").exists():
        return
    owner = User.objects.filter(email=OWNER[0]).first() or user_create_verified(
        email=OWNER[0], password=ctx["password"], name=OWNER[1]
    )
    with transaction.atomic():
        _load(ctx, office, owner)
    ctx["notes"].append(
        f"Outcomes: {N} demo companies in Toyama, Ishikawa and Fukui with FY2025-FY2026 data "
        "for /staff/outcomes/ (invented figures, marked as demo); a demo feed with items."
    )


def _load(ctx: dict, office, owner) -> None:
    companies = Company.objects.bulk_create(
        Company(
            name=f"北陸デモ{i + 1:02d}（デモ）",
            prefecture=PREFS[i % 3],
            municipality=CITIES[PREFS[i % 3]],
            industry=INDUSTRIES[i % len(INDUSTRIES)],
            # manufacturers all in one size band: a benchmark group of ten
            employees=25 + i
            if INDUSTRIES[i % len(INDUSTRIES)] == "E"
            else EMPLOYEES[i % len(EMPLOYEES)],
            capital_yen=10_000_000,
            is_demo=True,
        )
        for i in range(N)
    )
    Membership.objects.bulk_create(
        Membership(company=c, user=owner, role=Role.OWNER) for c in companies
    )
    facilities = Facility.objects.bulk_create(
        Facility(
            company=c,
            name="本社工場",
            prefecture=c.prefecture,
            municipality=c.municipality,
            kind=FacilityKind.FACTORY,
            floor_area_m2=Decimal(300 + 90 * i),
        )  # fmt: skip
        for i, c in enumerate(companies)
    )
    SupplyContract.objects.bulk_create(
        SupplyContract(
            facility=f,
            kind="electricity",
            supplier_reg="A0271",
            supplier_name="北陸電力(株)",
            valid_from=date(2020, 4, 1),
        )  # fmt: skip
        for f in facilities
    )
    now = timezone.now()
    Consent.objects.bulk_create(
        Consent(
            company=c,
            office=office,
            scope="read",
            granted_by=owner,
            revoked_at=now if i == N - 1 else None,
        )  # fmt: skip
        for i, c in enumerate(companies)
    )
    records = []
    today = timezone.localdate()
    this_month = date(today.year, today.month, 1)
    for i, (c, f) in enumerate(zip(companies, facilities, strict=True)):
        size = c.employees * (0.7 + (i * 37 % 60) / 100)  # some use more per head
        cut = 0.04 + (i % 5) * 0.02 if i % 4 else -0.03  # most reduce, some grow
        # a few companies recorded only part of the year (not complete)
        months_later = 12 if i % 9 else 5
        for fy, factor, months in ((2025, 1.0, 12), (2026, 1 - cut, months_later)):
            for k in range(months):
                month = add_months(date(fy, 4, 1), k)
                if month >= this_month:
                    break
                season = 1.0 + (0.25 if k in (3, 4, 8, 9, 10) else 0.0)
                records.append(EnergyRecord(
                    facility=f, month=month, energy="electricity", unit="kWh",
                    amount=Decimal(round(size * 900 * season * factor)),
                    cost_yen=round(size * 900 * season * factor * 28)))  # fmt: skip
                if c.industry in ("E", "H", "D"):
                    records.append(EnergyRecord(
                        facility=f, month=month, energy="heavy_oil_a" if c.industry == "E"
                        else "diesel_oil", unit="L",
                        amount=Decimal(round(size * 40 * factor)),
                        cost_yen=round(size * 40 * factor * 110)))  # fmt: skip
    EnergyRecord.objects.bulk_create(records)
    ActivityVolume.objects.bulk_create(
        ActivityVolume(
            company=c, kind="sales", fiscal_year=fy, value=Decimal(c.employees * 18), unit="百万円"
        )  # fmt: skip
        for c in companies[::2]
        for fy in (2025, 2026)
    )
    version = DiagnosisVersion.objects.filter(status="published").order_by("-number").first()
    if version is not None:
        diagnoses = []
        for i, c in enumerate(companies):
            first = STAGES[i % 2]
            diagnoses.append((c, first, _aware(2025, 1 + i % 3)))
            if i % 3:
                diagnoses.append(
                    (c, STAGES[min(i % 2 + 1 + i % 2, 3)], _aware(2025, 4 + (i * 5) % 20))
                )
        for c, stage, when in diagnoses:
            d = Diagnosis.objects.create(version=version, stage=stage, company=c, saved_by=owner,
                                         saved_at=when, prefecture=c.prefecture,
                                         industry=c.industry, is_demo=True)  # fmt: skip
            Diagnosis.objects.filter(pk=d.pk).update(created_at=when)
        for k in range(ANONYMOUS_DIAGNOSES):
            d = Diagnosis.objects.create(version=version, stage=STAGES[k % 3],
                                         prefecture=PREFS[k % 3], is_demo=True)  # fmt: skip
            Diagnosis.objects.filter(pk=d.pk).update(created_at=_aware(2025, 4 + (k * 3) % 20))
    for k in range(SELF_CHECKS):
        s = SelfCheck.objects.create(checked=[1, 2, 3][: 1 + k % 3], checked_count=1 + k % 3,
                                     prefecture=PREFS[k % 3], is_demo=True,
                                     company=companies[k] if k % 2 else None)  # fmt: skip
        SelfCheck.objects.filter(pk=s.pk).update(created_at=_aware(2025, 4 + (k * 7) % 20, 3))
    event = Event.objects.filter(office=office, is_demo=True).order_by("id").first()
    if event is not None:
        for i, c in enumerate(companies[16:30]):
            a = Application.objects.create(
                event=event, user=owner if i == 0 else _extra_user(ctx, i), company=c,
                applicant_kind=ApplicantKind.COMPANY, organisation=c.name, name=f"受講者{i}",
                email=f"demo-outcomes-{i}@example.com", status=ApplicationStatus.CONFIRMED,
                consent_given_at=now, attended=(i % 3 != 0),
            )  # fmt: skip
            Application.objects.filter(pk=a.pk).update(created_at=_aware(2025, 5 + i))
    catalogue = list(CatalogueMeasure.objects.filter(code__in=["led-lighting", "ac-setpoint"]))
    for i, c in enumerate(companies[:14]):
        if not catalogue:
            break
        plan = ReductionPlan.objects.create(company=c, base_year=2025, near_share=Decimal("0.3"),
                                            is_demo=True)  # fmt: skip
        for j, m in enumerate(catalogue):
            done = (i + j) % 2 == 0
            PlanMeasure.objects.create(plan=plan, measure=m, position=j,
                                       status=Status.DONE if done else Status.PLANNED,
                                       start_year=2026, done_on=date(2026, 4, 1) if done else None)  # fmt: skip
    feed = Feed.objects.create(office=office, name="支援情報（デモ）",
                               url="https://example.org/cnnavi-demo/feed.xml", prefecture="16",
                               last_fetched_at=now, last_ok_at=now)  # fmt: skip
    for k, (title, kind, prefs, topics) in enumerate([
        ("【富山県】省エネ設備更新の補助金（デモ）", "subsidy", ["16"], ["energy_saving", "equipment"]),
        ("CO2排出量の算定セミナー（デモ）", "seminar", [], ["co2_accounting"]),
        ("石川県 太陽光発電の導入相談会（デモ）", "event", ["17"], ["renewables"]),
    ]):  # fmt: skip
        FeedItem.objects.create(office=office, feed=feed, link=f"https://example.org/cnnavi-demo/{k}",
                                title=title, summary="デモ用の記事です。", suggested_kind=kind,
                                suggested_prefectures=prefs, suggested_topics=topics,
                                published_on=timezone.localdate() - timedelta(days=k))  # fmt: skip


def _extra_user(ctx, i: int) -> User:
    """Applicants are people: one per application (an unusable password, no log-in)."""
    user, _created = User.objects.get_or_create(email=f"demo-outcomes-{i}@example.com")
    return user
