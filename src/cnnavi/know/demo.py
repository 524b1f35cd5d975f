"""Demo data: saved diagnoses for the demo companies (one that moved from 測る to 減らす), and a
few anonymous answers spread over recent months for the staff's counts. All marked as demo."""

from datetime import timedelta

from django.utils import timezone

from cnnavi.core.diagnosis import QUIET_ANSWERS
from cnnavi.know import selectors, services
from cnnavi.know.models import Diagnosis, SelfCheck

# (company key, days ago, answers that differ from the quiet answer set, QUIET_ANSWERS)
SAVED = [
    ("toyama", 180, {"customer_asked": "yes", "fuel_use": "much", "energy_cost": "large"}),
    (
        "toyama",
        20,
        {
            "customer_asked": "yes",
            "fuel_use": "much",
            "energy_cost": "large",
            "energy_monthly": "yes",
            "co2_calculated": "yes",
            "measures_taken": ["led", "operation"],
        },
    ),
    ("fukui", 45, {"sbt_re100": "heard", "energy_cost": "some", "jigyokei": "none"}),
]
ANONYMOUS = [  # (days ago, prefecture, industry, answers)
    (100, "16", "E", {"customer_asked": "yes"}),
    (70, "17", "", {}),
    (65, "", "", {"co2_calculated": "yes", "reduction_plan": "yes", "target": "sbt"}),
    (35, "18", "I2", {"energy_cost": "large", "finance_tender": "yes"}),
    (10, "16", "E", {"co2_calculated": "yes", "use_breakdown": "yes"}),
]
SELF_CHECKS = [(90, "16", "E", ["1", "2"]), (40, "17", "", ["1", "4", "5", "7"]), (5, "", "", [])]


def load(ctx: dict) -> None:
    if Diagnosis.objects.filter(is_demo=True).exists():
        return  # loaded before: running the demo twice changes nothing
    version = selectors.current_version()
    if version is None:
        return
    now = timezone.now()
    companies = ctx["companies"]
    for key, days, answers in SAVED:
        company = companies[key]
        owner = company.memberships.order_by("id").first().user
        diagnosis = services.diagnosis_create(
            version=version, answers={**QUIET_ANSWERS, **answers}, language="ja", is_demo=True
        )
        services.diagnosis_save(actor=owner, diagnosis=diagnosis, company=company)
        when = now - timedelta(days=days)
        Diagnosis.objects.filter(pk=diagnosis.pk).update(created_at=when, saved_at=when)
    for days, prefecture, industry, answers in ANONYMOUS:
        diagnosis = services.diagnosis_create(
            version=version,
            answers={**QUIET_ANSWERS, **answers},
            language="ja",
            prefecture=prefecture,
            industry=industry,
            is_demo=True,
        )
        Diagnosis.objects.filter(pk=diagnosis.pk).update(created_at=now - timedelta(days=days))
    for days, prefecture, industry, checked in SELF_CHECKS:
        check = services.self_check_create(
            checked=checked, prefecture=prefecture, industry=industry, is_demo=True
        )
        SelfCheck.objects.filter(pk=check.pk).update(created_at=now - timedelta(days=days))
    ctx["notes"].append(
        "Know: 北陸精密工業 has two saved stage diagnoses (測る → 減らす); see "
        "/companies/<id>/diagnoses/ and the staff counts at /staff/know/."
    )
