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
    return world.a.facility  # "Factory a", 1000 m2


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


@pytest.fixture
def fy2025(factory, office):
    """FY2025: the factory buys from 北陸電力 (A0271, residual menu) and burns city gas without
    a named supplier; the office buys electricity with no contract (the default value)."""
    SupplyContract.objects.create(
        facility=factory,
        kind="electricity",
        supplier_reg="A0271",
        supplier_name="北陸電力(株)",
        valid_from=date(2025, 4, 1),
    )
    rows = []
    for i, month in enumerate(
        [date(2025, m, 1) for m in range(4, 13)] + [date(2026, m, 1) for m in (1, 2, 3)]
    ):
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
    rows.append(
        EnergyRecord(
            facility=office,
            month=date(2025, 4, 1),
            energy="electricity",
            amount=Decimal(2000),
            unit="kWh",
            cost_yen=60000,
        )
    )
    EnergyRecord.objects.bulk_create(rows)
    return rows


@pytest.fixture(autouse=True)
def _back_to_japanese():
    """Requests under /en/ leave English active in this thread; later tests (the tenancy walk
    skips en/ routes) expect the default language."""
    yield
    from django.utils import translation

    translation.activate("ja")
