"""Demo data: the two demo experts' availability (online on Tuesdays and Thursdays as the
brochure says, in person at the office on Wednesdays), a few bookings, a CO2-support case for
the Toyama company with visits 1 and 2 done, and a hands-on case under review. Idempotent."""

from datetime import time, timedelta

from django.utils import timezone

from cnnavi.consultations import services
from cnnavi.consultations.models import (
    AvailabilityRule,
    Booking,
    CalcSupportCase,
    HandsOnCase,
)
from cnnavi.consultations.selectors import free_slots
from cnnavi.core.periods import fiscal_year_of

RULES = [
    # (expert index, weekday, start, mode)
    (0, 1, time(10, 0), "online"),
    (0, 1, time(14, 0), "online"),
    (0, 3, time(10, 0), "online"),
    (0, 3, time(14, 0), "online"),
    (1, 2, time(10, 0), "office"),
    (1, 2, time(14, 0), "office"),
    (1, 3, time(15, 30), "online"),
]


def load(ctx: dict) -> None:
    office, staff, experts = ctx["office"], ctx["staff"], ctx["experts"]
    toyama, fukui = ctx["companies"]["toyama"], ctx["companies"]["fukui"]
    if not AvailabilityRule.objects.filter(expert__in=experts).exists():
        for index, weekday, start, mode in RULES:
            services.availability_add(
                actor=staff,
                office=office,
                expert=experts[index],
                weekday=weekday,
                start_time=start,
                minutes=60,
                mode=mode,
            )
    services.slots_generate(actor=staff, office=office)

    if not Booking.objects.filter(contact_email__startswith="demo-").exists():
        owner = toyama.memberships.first().user
        slots = list(free_slots(office=office)[:6])
        if len(slots) >= 2:
            services.booking_create(
                actor=owner,
                slot=slots[0],
                channel="online",
                topics=["renewables", "subsidies"],
                description="（デモ）工場の屋根に太陽光発電を載せたい。使える補助金は？",
                contact_name="富山 太郎",
                contact_company=toyama.name,
                contact_email="demo-sme@example.com",
                contact_phone="0766-00-0000",
                company=toyama,
            )
            services.booking_create(
                actor=None,
                slot=slots[-1],
                channel="phone",
                topics=["how_to_start"],
                description="（デモ）何から始めればよいか知りたい。",
                contact_name="能登 三郎",
                contact_company="能登水産加工（デモ・アカウントなし）",
                contact_email="demo-guest@example.com",
                contact_phone="0768-00-0000",
            )

    if not CalcSupportCase.objects.filter(company=toyama).exists():
        owner = toyama.memberships.first().user
        case = services.calc_case_apply(
            actor=owner,
            company=toyama,
            office=office,
            message="（デモ）Scope2の算定方法がわからない。工場ごとの排出量を知りたい。",
            preferred_dates="平日の午後",
        )
        services.calc_case_accept(actor=staff, office=office, case=case, expert=experts[0])
        now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        expert = experts[0]
        visit1 = services.calc_visit_schedule(
            actor=expert.user, case=case, expert=expert, scheduled_at=now - timedelta(days=28)
        )
        services.calc_visit_record(
            actor=expert.user,
            visit=visit1,
            record="（デモ）高岡工場を訪問。電力・都市ガス・軽油の請求書12か月分を一緒に入力し、"
            "Scope1とScope2の違い、排出係数の選び方を説明した。",
            energy_data_checked=True,
            method_explained=True,
        )
        visit2 = services.calc_visit_schedule(
            actor=expert.user, case=case, expert=expert, scheduled_at=now - timedelta(days=7)
        )
        today = timezone.localdate()
        fiscal_year = fiscal_year_of(today) - 1  # the last ended fiscal year
        services.calc_visit_record(
            actor=expert.user,
            visit=visit2,
            record="（デモ）前回のデータから、排出量の大きい設備を整理した。",
            issues="（デモ）高岡工場の電力が排出量の大半を占める。コンプレッサーのエア漏れと"
            "空調の設定温度が課題。",
            fiscal_year=fiscal_year,
        )

    if not HandsOnCase.objects.filter(company=fukui).exists():
        owner = fukui.memberships.first().user
        case = services.handson_apply(
            actor=owner,
            company=fukui,
            office=office,
            themes_wanted="（デモ）冷凍設備の更新と、CO2削減計画の策定",
            current_issues="（デモ）電気代の上昇。取引先からCO2排出量の報告を求められている。",
            project_members="（デモ）製造部長、総務課長、設備担当",
        )
        services.handson_transition(actor=staff, case=case, role="staff", name="review")
    ctx["notes"].append(
        "Consultations: slots for the coming 6 weeks (online Tue/Thu, in person Wed), "
        "bookings, a CO2-support case for the Toyama company (visits 1 and 2 done) and a "
        "hands-on case under review for the Fukui company."
    )
