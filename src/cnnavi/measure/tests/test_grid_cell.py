"""The grid cell's service repeats a save that lost a race to create the same cell."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from cnnavi.measure import services
from cnnavi.measure.models import EnergyRecord

pytestmark = pytest.mark.django_db


def test_a_cell_created_meanwhile_is_saved_over(monkeypatch, alice, factory):
    """The first attempt meets the row another request inserted a moment ago (IntegrityError,
    its transaction rolled back); the second attempt finds that row and saves over it."""
    save_once = services._grid_cell_save_once
    attempts = []

    def racing(**cell):
        attempts.append(cell["amount"])
        if len(attempts) == 1:
            save_once(**{**cell, "amount": Decimal(5)})  # the other request's cell
            raise IntegrityError("UNIQUE constraint failed")
        return save_once(**cell)

    monkeypatch.setattr(services, "_grid_cell_save_once", racing)
    month = date(2031, 4, 1)
    record = services.grid_cell_save(
        actor=alice,
        facility=factory,
        energy="electricity",
        unit="kWh",
        month=month,
        amount=Decimal(1200),
        cost_yen=30000,
    )
    assert attempts == [Decimal(1200), Decimal(1200)]
    stored = EnergyRecord.objects.get(facility=factory, energy="electricity", month=month)
    assert stored.pk == record.pk and stored.amount == Decimal(1200) and stored.cost_yen == 30000


def test_a_cell_without_a_known_month_or_energy_is_a_400(alice_client, company, factory):
    url = reverse("measure:grid_cell", args=[company.pk, factory.pk])
    before = EnergyRecord.objects.count()
    for month, energy in (("2025-13", "electricity"), ("2025-04", "moonlight"), ("", "")):
        response = alice_client.post(url, {"month": month, "energy": energy, "amount": "1"})
        assert response.status_code == 400
        assert "月またはエネルギーが正しくありません。" in response.content.decode()
    assert EnergyRecord.objects.count() == before
