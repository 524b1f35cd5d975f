"""Demo statements: one issued FY2025 statement per demo company, the first with an economic
allocation to a fictitious customer. The companies are demo companies, so every statement
says the figures are invented. Running it twice changes nothing."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from cnnavi.orgs.models import Membership, Role
from cnnavi.statements import services
from cnnavi.statements.models import Statement

YEAR = 2025


def load(ctx: dict) -> None:
    for i, company in enumerate(ctx["companies"].values()):
        if Statement.objects.filter(company=company).exists():
            continue
        owner = (
            Membership.objects.filter(company=company, role=Role.OWNER)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if owner is None:
            continue
        extra = {}
        if i == 0:
            extra = dict(
                recipient_name="デモ自動車部品株式会社（架空）",
                allocation_method="economic",
                allocation_part=Decimal(180),
                allocation_total=Decimal(1200),
                allocation_unit="百万円",
            )
        try:
            services.statement_issue(
                actor=owner.user, role=Role.OWNER, company=company, period_kind="shk",
                year=YEAR, by_facility=True, **extra,
            )  # fmt: skip
        except ValidationError:
            continue  # no computable data in that year: nothing to show
    ctx["notes"].append(
        "Statements: each demo company has an issued FY2025 CO2 statement "
        "(/measure/companies/<id>/statement/); check its code on /verify/."
    )
