"""Issue #17 point 3 wired to the core: a contract's supplier notice (事業者公表値（利用者入力）)
and the company's choice to estimate (推計) reach the core, and every result says so.

Figures by hand from the official tables: FY2024 has no electricity table (the shipped one is
the FY2025 table, R6 results). 北陸電力 (A0271) without a named menu is its residual menu
メニューB(残差), basic = adjusted = 0.000455 t-CO2/kWh; the FY2025 national average
(全国平均係数) is 0.000423 t-CO2/kWh. Twelve months of 10,000 kWh = 120,000 kWh."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cnnavi.measure import calc, services
from cnnavi.measure.models import EnergyRecord, SupplyContract

KWH = Decimal(120000)
NOTICE_BASIC, NOTICE_ADJUSTED = Decimal("0.000480"), Decimal("0.000471")


@pytest.fixture
def bearer(world):
    from cnnavi.api.services import token_create

    _token, key = token_create(actor=world.a.owner, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def fy2024(factory):
    """FY2024: the factory buys from 北陸電力 (A0271, no menu named), 10,000 kWh a month."""
    contract = SupplyContract.objects.create(
        facility=factory, kind="electricity", supplier_reg="A0271",
        supplier_name="北陸電力(株)", valid_from=date(2024, 4, 1),
    )  # fmt: skip
    months = [date(2024, m, 1) for m in range(4, 13)] + [date(2025, m, 1) for m in (1, 2, 3)]
    EnergyRecord.objects.bulk_create(
        EnergyRecord(facility=factory, month=m, energy="electricity", amount=10000, unit="kWh")
        for m in months
    )
    return contract


def _dashboard(client, company, prefix=""):
    url = prefix + reverse("measure:dashboard", args=[company.pk]) + "?year=2024"
    return client.get(url).content.decode()


def test_fy2024_with_a_supplier_notice_computes_and_is_labelled_everywhere(
    world, alice_client, client, bearer, company, fy2024
):
    dash = _dashboard(alice_client, company)  # cached before the notice: must not be reused
    assert 'data-testid="headline-user-entered"' not in dash
    services.notice_save(
        actor=world.a.owner, contract=fy2024, fiscal_year=2024,
        basic_factor=NOTICE_BASIC, adjusted_factor=NOTICE_ADJUSTED, note="請求書",
    )  # fmt: skip
    year = calc.year_calc(company=company, fiscal_year=2024)
    assert year.ok and year.result.user_entered and not year.result.estimated
    # 120,000 kWh x 0.000480 = 57.6 t (basic); x 0.000471 = 56.52 t (adjusted)
    assert year.result.scope2_basic_t == Decimal("57.6")
    assert year.result.scope2_adjusted_t == Decimal("56.52")
    assert year.result.scope2_market_t == Decimal("56.52")
    # dashboard: headline, totals and the factor list say 事業者公表値（利用者入力）
    dash = _dashboard(alice_client, company)
    assert "2024年度のCO2排出量 57.6 t" in dash
    assert 'data-testid="headline-user-entered"' in dash
    factor_rows = dash.split('data-testid="provenance"')[1]
    assert "事業者公表値（利用者入力）" in factor_rows and "0.00048" in factor_rows
    assert '<span lang="ja">北陸電力(株)</span> (A0271)' in factor_rows  # official name
    assert "0.00048000" not in dash  # the factor as entered, not as stored (8 places)
    # exports: the factor sheet and the records' CSV carry the label
    csv = alice_client.get(
        reverse("measure:export_csv", args=[company.pk]) + "?year=2024"
    ).content.decode("utf-8-sig")
    assert "事業者公表値（利用者入力）" in csv and "57.6" not in csv.split("\n")[0]
    from openpyxl import load_workbook

    xlsx = alice_client.get(reverse("measure:export_xlsx", args=[company.pk]) + "?year=2024")
    wb = load_workbook(io.BytesIO(xlsx.content))
    cells = [str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("事業者公表値（利用者入力）" in c for c in cells)
    # the API's emissions: the core's JSON with the flags
    r = client.get(f"/api/v1/companies/{company.pk}/emissions?fiscal_year=2024", **bearer)
    body = r.json()
    assert r.status_code == 200, body
    assert body["user_entered"] is True and body["estimated"] is False
    assert body["scope2_basic_t"] == pytest.approx(57.6)
    en = _dashboard(alice_client, company, "/en")
    assert "entered by user" in en.lower() and "57.6 t" in en


def test_fy2024_without_a_notice_is_estimated_only_when_chosen_and_says_so(
    world, alice_client, client, bearer, company, fy2024
):
    # without both: not computed, in plain words
    year = calc.year_calc(company=company, fiscal_year=2024)
    assert not year.ok and year.errors[0][0].code == "factor.year_unavailable"
    dash = _dashboard(alice_client, company)
    assert "2024年度の電気の事業者別排出係数（公表一覧）はまだ収録されていない" in dash
    assert "tables shipped" not in dash and "2024年度のCO2排出量 " not in dash
    r = client.get(f"/api/v1/companies/{company.pk}/emissions?fiscal_year=2024", **bearer)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "factor.year_unavailable"

    services.calc_settings_save(actor=world.a.owner, company=company, allow_estimate=True)
    year = calc.year_calc(company=company, fiscal_year=2024)
    assert year.ok and year.result.estimated and not year.result.user_entered
    # the FY2025 table: 120,000 kWh x 0.000455 (residual) = 54.6 t; location-based
    # 120,000 x 0.000423 (national average) = 50.76 t
    assert year.result.scope2_basic_t == Decimal("54.6")
    assert year.result.scope2_location_t == Decimal("50.76")
    dash = _dashboard(alice_client, company)  # the setting changed the cache key
    assert "2024年度のCO2排出量 54.6 t" in dash
    assert 'data-testid="headline-estimated"' in dash and "推計" in dash
    assert 'data-testid="factor-estimated"' in dash
    assert "2025年度の公表一覧の値で推計しています" in dash
    r = client.get(f"/api/v1/companies/{company.pk}/emissions?fiscal_year=2024", **bearer)
    body = r.json()
    assert body["estimated"] is True and body["user_entered"] is False
    assert body["scope2_basic_t"] == pytest.approx(54.6)
    csv = alice_client.get(
        reverse("measure:export_csv", args=[company.pk]) + "?year=2024"
    ).content.decode("utf-8-sig")
    assert "推計" in csv

    # a notice wins over the estimate for its contract's year
    services.notice_save(
        actor=world.a.owner, contract=fy2024, fiscal_year=2024,
        basic_factor=NOTICE_BASIC, adjusted_factor=None,
    )  # fmt: skip
    year = calc.year_calc(company=company, fiscal_year=2024)
    assert year.result.user_entered and year.result.scope2_basic_t == Decimal("57.6")
    # and the choice taken back: the notice still computes, nothing is estimated
    services.calc_settings_save(actor=world.a.owner, company=company, allow_estimate=False)
    assert not calc.year_calc(company=company, fiscal_year=2024).result.estimated


def test_a_notice_applies_only_to_its_contracts_year(world, company, fy2024, factory):
    services.notice_save(
        actor=world.a.owner, contract=fy2024, fiscal_year=2023,
        basic_factor=NOTICE_BASIC, adjusted_factor=None,
    )  # fmt: skip
    assert not calc.year_calc(company=company, fiscal_year=2024).ok
    # a record naming another supplier does not take the contract's notice
    services.notice_save(
        actor=world.a.owner, contract=fy2024, fiscal_year=2024,
        basic_factor=NOTICE_BASIC, adjusted_factor=None,
    )  # fmt: skip
    EnergyRecord.objects.filter(facility=factory, month=date(2024, 4, 1)).update(supplier="A0001")
    year = calc.year_calc(company=company, fiscal_year=2024)
    assert not year.ok and {e.line for e, _ in year.errors} == {
        EnergyRecord.objects.get(facility=factory, month=date(2024, 4, 1)).pk
    }


def test_the_statement_counts_the_labelled_records_and_notices_change_its_fingerprint(
    world, company, fy2024
):
    from cnnavi.statements import rules as statement_rules
    from cnnavi.statements import selectors as statements

    period = statement_rules.period_of(statement_rules.PERIOD_SHK, 2024)
    before = statements.current_fingerprint(company=company, period=period)
    services.calc_settings_save(actor=world.a.owner, company=company, allow_estimate=True)
    figures, estimated = statements.statement_figures(company=company, period=period)
    assert figures["completeness"]["records_estimated"] == 12
    assert estimated != before  # the choice changes the figures: a stored statement is stale
    services.notice_save(
        actor=world.a.owner, contract=fy2024, fiscal_year=2024,
        basic_factor=NOTICE_BASIC, adjusted_factor=None,
    )  # fmt: skip
    figures, noticed = statements.statement_figures(company=company, period=period)
    assert figures["completeness"]["records_supplier_notice"] == 12
    # estimation still chosen: the location-based figure takes the FY2025 national average
    assert figures["completeness"]["records_estimated"] == 12
    assert noticed not in (before, estimated)
