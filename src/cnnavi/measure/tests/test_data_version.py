"""The dashboard's cache is keyed on data versions the services bump: every service that
writes what the cached part reads gives the company's data (or the year's) a new version, and
an edit of one year leaves the other years' versions alone."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from cnnavi.measure import calc, services
from cnnavi.measure.models import EnergyRecord, SupplyContract

pytestmark = pytest.mark.django_db

CSV = "事業所,年月,エネルギー,使用量,単位\nFactory a,2025-06,灯油,300,L\n".encode()


def _versions(company):
    every, fy2024, fy2025 = calc.data_version(company=company, fiscal_years=[2024, 2025])
    return {"every": every, 2024: fy2024, 2025: fy2025}


def _changed(company, write) -> set:
    before = _versions(company)
    write()
    after = _versions(company)
    return {k for k in before if before[k] != after[k]}


def test_a_version_stays_until_the_data_changes_and_a_lost_one_is_never_reused(company):
    first = _versions(company)
    assert _versions(company) == first
    cache.delete_many([calc._version_key(company.pk, None), calc._version_key(company.pk, 2024)])
    again = _versions(company)
    assert again["every"] != first["every"] and again[2024] != first[2024]
    assert again[2025] == first[2025]


def test_each_writing_service_bumps_what_it_changes(world, company, factory):
    actor = world.a.owner

    def cell(month, amount):
        return lambda: services.grid_cell_save(
            actor=actor, facility=factory, energy="kerosene", unit="L", month=month,
            amount=amount, cost_yen=None,
        )  # fmt: skip

    assert _changed(company, cell(date(2025, 5, 1), Decimal(10))) == {2025}
    assert _changed(company, cell(date(2025, 2, 1), Decimal(10))) == {2024}
    assert _changed(company, cell(date(2025, 5, 1), None)) == {2025}
    kw = {"actor": actor, "facility": factory, "fiscal_year": 2025}
    assert _changed(company, lambda: services.grid_row_add(**kw, energy="lpg", unit="kg")) == {2025}
    assert _changed(company, lambda: services.grid_row_unit(**kw, energy="lpg", unit="m3")) == {
        2025
    }
    assert _changed(company, lambda: services.grid_rows_copy(**kw)) == {2025}
    assert _changed(
        company,
        lambda: services.use_shares_save(
            actor=actor, facility=factory, energy="electricity", shares={"照明": Decimal(40)}
        ),
    ) == {"every"}
    assert _changed(
        company,
        lambda: services.contract_save(
            actor=actor, facility=factory, kind="electricity", supplier_reg="A0271", menu="",
            valid_from=date(2025, 4, 1),
        ),
    ) == {"every"}  # fmt: skip
    contract = SupplyContract.objects.get(facility=factory)
    assert _changed(company, lambda: services.contract_delete(actor=actor, contract=contract)) == {
        "every"
    }
    holder = {}

    def create():
        holder["record"] = services.record_create(
            actor=actor, facility=factory, month=date(2024, 6, 1), energy="kerosene",
            amount=Decimal(5), unit="L",
        )  # fmt: skip

    assert _changed(company, create) == {2024}
    record = holder["record"]
    moved = lambda: services.record_update(actor=actor, record=record, month=date(2025, 6, 1))  # noqa: E731
    assert _changed(company, moved) == {2024, 2025}  # the year it left and the year it joined
    record.refresh_from_db()
    assert _changed(company, lambda: services.record_delete(actor=actor, record=record)) == {2025}
    upload = services.import_upload(actor=actor, company=company, filename="a.csv", data=CSV)
    assert _changed(company, lambda: services.import_commit(actor=actor, energy_import=upload)) == {
        "every"
    }
    assert EnergyRecord.objects.filter(facility=factory, month=date(2025, 6, 1)).exists()
