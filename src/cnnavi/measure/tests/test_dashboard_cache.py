"""The dashboard's figures section is cached as rendered HTML (decision 1201): a repeat view
renders only the page shell, and every write that changes what the page shows changes it on the
next view."""

import re
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from cnnavi.measure import services
from cnnavi.measure.models import EnergyRecord, SupplyContract
from cnnavi.measure.selectors import dashboard as dashboard_selectors
from cnnavi.measure.tests.test_trust import GAS_M3, _gas_history
from cnnavi.orgs import services as org_services

pytestmark = pytest.mark.django_db

# session, user, the header's roles (shared with the TOTP check), the membership with its
# company, the facilities (part of the section's key), the years with data
DASHBOARD_REPEAT_QUERIES = 7  # one more in tests than on the demo (measured: 6 there)


def _url(company):
    return reverse("measure:dashboard", args=[company.pk]) + "?year=2025"


def _page(client, company, prefix="") -> str:
    response = client.get(prefix + _url(company))
    assert response.status_code == 200
    return response.content.decode()


def _total(page: str) -> str:
    row = re.search(r'data-testid="total-basic">(.*?)</tr>', page, re.S).group(1)
    return re.search(r"<strong>([\d.,]+) t-CO2</strong>", row).group(1)


def test_a_repeat_view_renders_the_cached_section_without_computing_the_year(
    alice_client, company, fy2025, django_assert_max_num_queries
):
    first = _page(alice_client, company)
    with (
        mock.patch.object(dashboard_selectors, "dashboard", wraps=dashboard_selectors.dashboard)
        as computed,
        django_assert_max_num_queries(DASHBOARD_REPEAT_QUERIES),
    ):  # fmt: skip
        again = _page(alice_client, company)
    assert computed.call_count == 0
    assert _total(again) == _total(first)
    assert 'data-testid="table-monthly"' in again and 'data-testid="provenance"' in again


def test_a_grid_edit_changes_the_cached_section(alice_client, company, factory, fy2025, world):
    before = _total(_page(alice_client, company))
    services.grid_cell_save(
        actor=world.a.owner, facility=factory, energy="electricity", unit="kWh",
        month=date(2025, 5, 1), amount=Decimal(50000), cost_yen=None,
    )  # fmt: skip
    after = _total(_page(alice_client, company))
    assert Decimal(after.replace(",", "")) > Decimal(before.replace(",", ""))


def test_a_confirmed_questioned_value_shows_as_confirmed(alice_client, company, factory, world):
    _gas_history(factory)
    EnergyRecord.objects.create(facility=factory, month=date(2025, 7, 1), energy="city_gas",
                                amount=GAS_M3 * 1000, unit="m3")  # fmt: skip
    before = _page(alice_client, company)
    assert 'data-testid="flag-unconfirmed"' in before
    assert 'data-testid="headline-unconfirmed"' in before
    services.records_confirm(
        actor=world.a.owner, facility=factory, energy="city_gas", month=date(2025, 7, 1)
    )
    after = _page(alice_client, company)
    assert 'data-testid="flag-confirmed"' in after
    assert 'data-testid="flag-unconfirmed"' not in after
    assert 'data-testid="headline-unconfirmed"' not in after


def test_a_supplier_factor_entered_changes_the_cached_section(
    alice_client, company, factory, fy2025, world
):
    before = _page(alice_client, company)
    assert "事業者公表値（利用者入力）を含む" not in before
    services.notice_save(
        actor=world.a.owner, contract=SupplyContract.objects.get(facility=factory),
        fiscal_year=2025, basic_factor=Decimal("0.000900"), adjusted_factor=None,
    )  # fmt: skip
    after = _page(alice_client, company)
    assert 'data-testid="headline-user-entered"' in after
    assert "事業者公表値（利用者入力）を含む" in after.split('data-testid="totals"')[1]
    assert _total(after) != _total(before)


def test_an_activity_volume_changes_the_cached_intensity(alice_client, company, fy2025, world):
    assert "売上高あたり" not in _page(alice_client, company)
    services.volume_save(
        actor=world.a.owner, company=company, kind="sales", fiscal_year=2025, month=None,
        value=Decimal(100), unit="百万円",
    )  # fmt: skip
    intensity = _page(alice_client, company).split('data-testid="table-intensity"')[1]
    assert "売上高あたり" in intensity.split("</table>")[0]


def test_the_other_language_gets_its_own_section(alice_client, company, fy2025):
    japanese = _page(alice_client, company)
    assert "月別の排出量（エネルギー別）" in japanese
    english = _page(alice_client, company, prefix="/en")
    assert "Emissions by month (by energy)" in english
    assert "月別の排出量（エネルギー別）" not in english


def test_a_renamed_facility_shows_its_new_name_in_the_questioned_values(
    alice_client, company, factory, world
):
    """The questioned values are cached under the data versions; a facility's name is not
    versioned (orgs' services do not bump them), so the key must hold it."""
    _gas_history(factory)
    EnergyRecord.objects.create(facility=factory, month=date(2025, 7, 1), energy="city_gas",
                                amount=GAS_M3 * 1000, unit="m3")  # fmt: skip
    before = _page(alice_client, company).split('data-testid="flags"')[1].split("</section>")[0]
    old_name = factory.name
    assert old_name in before
    org_services.facility_update(actor=world.a.owner, facility=factory, name="第二工場")
    after = _page(alice_client, company).split('data-testid="flags"')[1].split("</section>")[0]
    assert "第二工場" in after
    assert old_name not in after
