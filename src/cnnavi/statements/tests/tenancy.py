"""Ids of tenant A and tenant B for the URL kwargs of the statements app."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from cnnavi.measure.models import EnergyRecord
from cnnavi.statements import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _tenant(t):
    EnergyRecord.objects.get_or_create(
        facility=t.facility,
        month=date(2025, 5, 1),
        energy="city_gas",
        supplier="",
        use="",
        defaults={"amount": Decimal(100), "unit": "m3"},
    )
    statement = services.statement_issue(
        actor=t.owner, role="owner", company=t.company, period_kind="shk", year=2025
    )
    link, token = services.link_create(
        actor=t.owner,
        statement=statement,
        recipient_name="Customer",
        recipient_email="",
        expires_on=timezone.localdate() + timedelta(days=7),
    )
    evidence = services.evidence_upload(
        actor=t.owner,
        facility=t.facility,
        month=date(2025, 5, 1),
        energy="city_gas",
        filename="bill.png",
        data=PNG,
    )
    return statement, link, token, evidence


def provide(world) -> dict[str, tuple]:
    a = _tenant(world.a)
    b = _tenant(world.b)
    return {
        "statement_id": (a[0].pk, b[0].pk),
        "link_id": (a[1].pk, b[1].pk),
        # a share token is not a tenant's id: anyone with it sees the statement; an unknown
        # (here: tampered) token is 404
        "share_token": (a[2], b[2][:-4] + "AAAA"),
        "evidence_id": (a[3].pk, b[3].pk),
    }
