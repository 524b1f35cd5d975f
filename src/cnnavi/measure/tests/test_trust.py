"""Issue #17, web side: units as on the bill, plausibility checks, the plain headline,
finished exports (figures from the official tables)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cnnavi.audit.models import AuditEntry
from cnnavi.measure import rules
from cnnavi.measure.models import EnergyRecord, GridRow, UnitPreference

# City gas without a named supplier: the SHK default 2.05 t-CO2/千m3 (算定・報告・公表制度
# における算定方法・排出係数一覧, 都市ガス 代替値), so 6,200 m3 = 6.2 千m3 x 2.05 = 12.71 t.
GAS_M3 = Decimal(6200)
GAS_T = Decimal("12.710")


def _cell(client, company, facility, *, energy, unit, month, amount, cost=""):
    return client.post(
        reverse("measure:grid_cell", args=[company.pk, facility.pk]),
        {"energy": energy, "unit": unit, "month": month, "amount": amount, "cost": cost},
        HTTP_HX_REQUEST="true",
    )


# --------------------------------------------------------------------------- 1. bill units


def test_bill_units_are_the_default_of_each_energy():
    assert rules.bill_unit("city_gas", "千m3", ("千m3", "m3")) == "m3"
    assert rules.bill_unit("kerosene", "kL", ("kL", "L")) == "L"
    assert rules.bill_unit("lpg", "t", ("t", "kg", "m3")) == "kg"
    assert rules.bill_unit("electricity", "kWh", ("kWh",)) == "kWh"
    assert rules.bill_unit("coal_coke", "t", ("t", "kg")) == "t"  # no bill unit: the core's


def test_a_new_grid_row_starts_in_the_bill_unit_and_remembers_the_facilitys_unit(
    alice_client, company, factory
):
    add = reverse("measure:grid_row_add", args=[company.pk, factory.pk])
    alice_client.post(add, {"year": 2025, "energy": "city_gas", "unit": ""})
    alice_client.post(add, {"year": 2025, "energy": "kerosene", "unit": ""})
    rows = dict(GridRow.objects.filter(facility=factory, fiscal_year=2025).values_list("energy", "unit"))
    assert rows == {"city_gas": "m3", "kerosene": "L"}
    # the user's supplier bills LPG in m3: chosen once, the next year's row starts in m3
    alice_client.post(
        reverse("measure:grid_unit", args=[company.pk, factory.pk]),
        {"year": 2025, "energy": "kerosene", "unit": "kL"},
    )
    assert UnitPreference.objects.get(facility=factory, energy="kerosene").unit == "kL"
    alice_client.post(add, {"year": 2026, "energy": "kerosene", "unit": ""})
    assert GridRow.objects.get(facility=factory, fiscal_year=2026, energy="kerosene").unit == "kL"
    page = alice_client.get(reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025")
    text = page.content.decode()
    assert 'class="cell-unit" aria-hidden="true">m3</span>' in text  # beside every input


def test_a_city_gas_bill_in_m3_typed_in_the_grid_gives_the_official_tco2(
    alice_client, company, factory
):
    alice_client.post(
        reverse("measure:grid_row_add", args=[company.pk, factory.pk]),
        {"year": 2025, "energy": "city_gas", "unit": ""},
    )
    r = _cell(alice_client, company, factory, energy="city_gas", unit="m3", month="2025-04",
              amount="6,200")  # fmt: skip
    assert r.status_code == 200 and "保存しました" in r.content.decode()
    assert 'data-testid="cell-flag"' not in r.content.decode()
    rec = EnergyRecord.objects.get(facility=factory, energy="city_gas")
    assert (rec.amount, rec.unit) == (GAS_M3, "m3")
    page = alice_client.get(reverse("measure:dashboard", args=[company.pk]) + "?year=2025")
    text = page.content.decode()
    assert "12.710 t-CO2" in text
    assert 'data-testid="headline"' in text


# --------------------------------------------------------------------------- 2. plausibility


def _gas_history(factory, months=(4, 5, 6)):
    EnergyRecord.objects.bulk_create(
        EnergyRecord(facility=factory, month=date(2025, m, 1), energy="city_gas", amount=GAS_M3,
                     unit="m3")  # fmt: skip
        for m in months
    )


def test_rule_flags_five_times_the_history_and_names_the_unit_mix_up():
    check = rules.check_plausibility(
        amount=Decimal(6_200_000), history=[GAS_M3, GAS_M3], dimension="gas_volume"
    )
    assert check.kind == "history_high" and check.ratio == 1000
    assert (check.cause, check.units) == ("unit_x1000", ("m3", "千m3"))
    low = rules.check_plausibility(amount=Decimal("6.2"), history=[GAS_M3], dimension="gas_volume")
    assert low.kind == "history_low" and low.cause == "unit_div1000"
    ok = rules.check_plausibility(amount=Decimal(30000), history=[GAS_M3], dimension="gas_volume")
    assert ok is None  # 4.8x: unusual, not questioned
    assert rules.check_plausibility(amount=Decimal(0), history=[GAS_M3], dimension="gas_volume") is None
    # no history: the size bounds (GJ per employee, per m2, per month)
    big = rules.check_plausibility(
        amount=Decimal(6200), history=[], dimension="gas_volume",
        amount_gj=Decimal(248000), employees=50,
    )  # fmt: skip
    assert big.kind == "per_employee" and big.cause == "unit_x1000"
    assert rules.check_plausibility(
        amount=Decimal(6200), history=[], dimension="gas_volume", amount_gj=Decimal(248),
        employees=50, floor_area_m2=Decimal(1000),
    ) is None  # fmt: skip


def test_a_1000x_value_is_flagged_in_the_grid_and_stays_flagged_until_confirmed(
    alice_client, alice, company, factory
):
    _gas_history(factory)
    r = _cell(alice_client, company, factory, energy="city_gas", unit="m3", month="2025-07",
              amount="6200000")  # fmt: skip
    text = r.content.decode()
    assert r.status_code == 200 and "保存しました" in text  # questioned, not refused
    assert 'data-testid="cell-flag"' in text
    assert "1,000 倍" in text and "m3と千m3を取り違えていませんか？" in text
    grid_url = reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025"
    assert "m3と千m3を取り違えていませんか？" in alice_client.get(grid_url).content.decode()
    dash = alice_client.get(reverse("measure:dashboard", args=[company.pk]) + "?year=2025")
    dtext = dash.content.decode()
    assert 'data-testid="flags"' in dtext
    assert dtext.index('data-testid="flags"') < dtext.index('data-testid="totals"')

    r = alice_client.post(
        reverse("measure:grid_confirm", args=[company.pk, factory.pk]),
        {"energy": "city_gas", "month": "2025-07"},
        HTTP_HX_REQUEST="true",
    )
    assert "確認済み" in r.content.decode() and 'data-confirmed="1"' in r.content.decode()
    rec = EnergyRecord.objects.get(facility=factory, month=date(2025, 7, 1))
    assert rec.confirmed_by == alice and rec.confirmed_at is not None
    assert rec.is_confirmed
    assert AuditEntry.objects.filter(action="measure.records_confirm").exists()
    dtext = alice_client.get(
        reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
    ).content.decode()
    assert 'data-testid="flag-unconfirmed"' not in dtext
    # a changed amount is questioned again
    _cell(alice_client, company, factory, energy="city_gas", unit="m3", month="2025-07",
          amount="6300000")  # fmt: skip
    rec.refresh_from_db()
    assert not rec.is_confirmed
    assert 'data-testid="flag-unconfirmed"' in alice_client.get(
        reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
    ).content.decode()


def test_the_grid_flags_a_first_bill_beyond_the_size_bounds(alice_client, company, factory):
    r = _cell(alice_client, company, factory, energy="city_gas", unit="千m3", month="2025-04",
              amount="6200")  # fmt: skip
    text = r.content.decode()
    assert 'data-testid="cell-flag"' in text and "m3と千m3を取り違えていませんか？" in text


@pytest.mark.parametrize("lang", ["en"])
def test_the_flag_speaks_english_on_english_pages(alice_client, company, factory, lang):
    _gas_history(factory)
    r = alice_client.post(
        "/en" + reverse("measure:grid_cell", args=[company.pk, factory.pk]),
        {"energy": "city_gas", "unit": "m3", "month": "2025-07", "amount": "6200000"},
        HTTP_HX_REQUEST="true",
    )
    text = r.content.decode()
    assert "Did you mix up m3 and 1,000 m3?" in text
