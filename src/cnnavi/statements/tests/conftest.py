from datetime import date
from decimal import Decimal

import pytest

from cnnavi.measure.models import EnergyRecord, SupplyContract
from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import FacilityKind


@pytest.fixture
def company(world):
    return world.a.company


@pytest.fixture
def factory(world):
    return world.a.facility


@pytest.fixture
def office(world, company):
    return org_services.facility_create(
        actor=world.a.owner,
        company=company,
        name="Office a",
        prefecture="16",
        kind=FacilityKind.OFFICE,
        floor_area_m2=200,
    )


def months(first: date, n: int) -> list[date]:
    out, y, m = [], first.year, first.month
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@pytest.fixture
def data(factory, office):
    """FY2025 and FY2026 (to November): the factory buys electricity from 北陸電力 (A0271) and city gas; the
    office buys electricity without a contract (the default value)."""
    SupplyContract.objects.create(
        facility=factory,
        kind="electricity",
        supplier_reg="A0271",
        supplier_name="北陸電力(株)",
        valid_from=date(2025, 4, 1),
    )
    rows = []
    for i, month in enumerate(months(date(2025, 4, 1), 20)):
        rows.append(
            EnergyRecord(
                facility=factory,
                month=month,
                energy="electricity",
                amount=Decimal(10000 + 100 * i),
                unit="kWh",
                cost_yen=280000 + i,
            )
        )
        rows.append(
            EnergyRecord(
                facility=factory,
                month=month,
                energy="city_gas",
                amount=Decimal(1000),
                unit="m3",
                cost_yen=180000,
            )
        )
    rows.append(EnergyRecord(facility=office, month=date(2025, 4, 1), energy="electricity",
                             amount=Decimal(2000), unit="kWh", cost_yen=60000))  # fmt: skip
    EnergyRecord.objects.bulk_create(rows)
    return rows


@pytest.fixture(autouse=True)
def _back_to_japanese():
    yield
    from django.utils import translation

    translation.activate("ja")
