"""Planned versus actual tCO2 for every lever, on the company's own records computed by the
core. Expected figures are worked out by hand from the official factors:

* electricity_fy2025.tsv (applied to FY2025, and provisionally to FY2026): 出光興産(株) A0012,
  メニューC 0.000200 t/kWh, メニューD(残差) 0.000532 t/kWh (what a contract without a menu gets
  on the market basis); national average 0.000423 t/kWh (location basis);
* 算定省令 別表第1: A重油 38.9 GJ/kL x 0.0193 tC/GJ x 44/12 = 2.7530 t-CO2/kL (the ordinance's
  formula; the 一覧's rounded 2.75 is a reference only).
"""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from cnnavi.common.tests.test_english import japanese_in
from cnnavi.measure import services as measure_services
from cnnavi.reduce import selectors
from cnnavi.reduce.models import CatalogueMeasure, PlanMeasure
from cnnavi.reduce.tests.factories import fiscal_months, post_measures, post_target

pytestmark = pytest.mark.django_db

IDEMITSU = "A0012"
MENU_C = D("0.000200")
RESIDUAL = D("0.000532")
NATIONAL_AVERAGE = D("0.000423")
HEAVY_OIL_A_PER_KL = D("38.9") * D("0.0193") * 44 / 12


@pytest.fixture(autouse=True)
def _after_fy2026(monkeypatch):
    """Every month of FY2026 is over, so the twelve months after March 2026 are compared."""
    monkeypatch.setattr(selectors, "_today", lambda: date(2027, 4, 10))


def _electricity(world, fy, kwh, menu=""):
    for month in fiscal_months(fy):
        measure_services.record_create(
            actor=world.a.owner,
            facility=world.a.facility,
            month=month,
            energy="electricity",
            amount=D(kwh),
            unit="kWh",
            cost_yen=kwh * 27,
            supplier=IDEMITSU,
            menu=menu,
        )


def _heavy_oil(world, fy, litres):
    for month in fiscal_months(fy):
        measure_services.record_create(
            actor=world.a.owner,
            facility=world.a.facility,
            month=month,
            energy="heavy_oil_a",
            amount=D(litres),
            unit="L",
            cost_yen=litres * 98,
        )


def _plan_with_done_measure(client, company, code, basis, **edit):
    assert post_target(client, company, basis=basis).status_code == 302
    post_measures(client, company, [code])
    pm = PlanMeasure.objects.get(measure=CatalogueMeasure.objects.get(code=code))
    response = client.post(
        reverse("reduce:measure_edit", args=[company.pk, pm.pk]),
        {"status": "done", "done_on": "2026-03-20", "start_year": "2026", **edit},
    )
    assert response.status_code == 302
    return pm


def _co2_line(client, company, basis=""):
    url = reverse("reduce:plan", args=[company.pk]) + (f"?basis={basis}" if basis else "")
    page = client.get(url).content.decode()
    found = re.search(r'data-testid="tracking-co2">(.*?)</span>\s*</td>', page, re.S)
    assert found, "no CO2 tracking on the page"
    return " ".join(found.group(1).split())


def _t(value: D) -> str:
    return f"{value:,.2f}"


def test_a_supplier_menu_with_a_lower_factor_is_tracked_on_the_market_basis(world, alice_client):
    company = world.a.company
    _electricity(world, 2025, 10_000)  # no menu: the residual factor
    _electricity(world, 2026, 10_000, menu="メニューC")  # from April 2026, after the switch
    pm = _plan_with_done_measure(alice_client, company, "renewable-menu", "market", share_pct="50")

    before = 12 * 10_000 * RESIDUAL  # 63.84 t
    after = 12 * 10_000 * MENU_C  # 24.00 t
    planned = before * D("0.5")  # half the kWh covered by the menu, as planned
    ov = selectors.plan_overview(company=company, plan=pm.plan)
    track = ov.rows[0].co2_tracking
    assert track.basis == "market" and len(track.months) == 12 and track.missing == ()
    assert (track.before, track.after) == (before, after)
    assert track.actual_saved == before - after == D("39.84")
    assert track.planned_saved == planned == D("31.92")
    assert ov.rows[0].tracking is None  # no energy comparison: the kWh did not change

    line = _co2_line(alice_client, company)
    assert "CO2（マーケット基準）" in line
    assert f"計画 {_t(planned)} t-CO2、実績 {_t(before - after)} t-CO2" in line
    assert "12か月" in line and "2026-04〜2027-03" in line
    # the national average did not change: nothing saved on the location basis
    line = _co2_line(alice_client, company, basis="location")
    assert "CO2（ロケーション基準）" in line and "計画 0.00 t-CO2、実績 0.00 t-CO2" in line
    with translation.override("en"):
        english = _co2_line(alice_client, company)
    assert english.startswith("CO2 (market-based)") and "Months not compared" not in english
    assert not japanese_in(f"<body>{english}</body>")


def test_electrifying_counts_the_fuel_removed_and_the_electricity_added(world, alice_client):
    company = world.a.company
    _electricity(world, 2025, 10_000)
    _heavy_oil(world, 2025, 1_000)
    _electricity(world, 2026, 13_000)  # the heat pump's kWh, and no more heavy oil
    pm = _plan_with_done_measure(alice_client, company, "boiler-heat-pump", "location")

    before = 12 * (10_000 * NATIONAL_AVERAGE + HEAVY_OIL_A_PER_KL)  # 83.79388 t
    after = 12 * 13_000 * NATIONAL_AVERAGE  # 65.988 t
    # planned on the base year: half the heavy oil (50 % use share) replaced; 6 kL x 38.9 GJ/kL
    # x 78.7 kWh/GJ added at the company's own location factor
    removed_kl = D(6)
    added_kwh = removed_kl * D("38.9") * D("78.7")
    planned = removed_kl * HEAVY_OIL_A_PER_KL - added_kwh * NATIONAL_AVERAGE
    ov = selectors.plan_overview(company=company, plan=pm.plan)
    track = ov.rows[0].co2_tracking
    assert track.basis == "location" and len(track.months) == 12
    assert abs(track.actual_saved - (before - after)) < D("1e-12")
    assert round(track.actual_saved, 5) == D("17.80588")
    assert abs(track.planned_saved - planned) < D("1e-12")  # share x before, in Decimal
    line = _co2_line(alice_client, company)
    assert "CO2（ロケーション基準）" in line
    assert f"計画 {_t(planned)} t-CO2、実績 {_t(before - after)} t-CO2" in line


def test_months_the_core_cannot_compute_are_listed_as_missing(world, alice_client):
    company = world.a.company
    _electricity(world, 2025, 10_000)
    _electricity(world, 2026, 10_000, menu="メニューC")
    pm = _plan_with_done_measure(alice_client, company, "renewable-menu", "market")
    # two months of FY2026 bought from a supplier the official table does not know
    from cnnavi.measure.models import EnergyRecord

    EnergyRecord.objects.filter(month__in=[date(2026, 5, 1), date(2026, 6, 1)]).update(
        supplier="存在しない電力", menu=""
    )
    ov = selectors.plan_overview(company=company, plan=pm.plan)
    track = ov.rows[0].co2_tracking
    assert track.missing == ("2026-05", "2026-06") and len(track.months) == 10
    assert track.actual_saved == 10 * 10_000 * (RESIDUAL - MENU_C)
    line = _co2_line(alice_client, company)
    assert "2026-05〜2026-06" in line


def test_the_exports_carry_planned_versus_actual(world, alice_client):
    from io import BytesIO

    from openpyxl import load_workbook

    company = world.a.company
    _electricity(world, 2025, 10_000)
    _electricity(world, 2026, 10_000, menu="メニューC")
    _plan_with_done_measure(alice_client, company, "renewable-menu", "market", share_pct="50")
    xlsx = alice_client.get(reverse("reduce:export_xlsx", args=[company.pk]))
    rows = list(load_workbook(BytesIO(xlsx.content))["tracking"].iter_rows(values_only=True))
    assert rows[0][:3] == ("対策", "比較", "比較した月")
    (row,) = rows[1:]
    assert "マーケット" in row[1] and row[2] == "2026-04〜2027-03 (12)"
    assert row[3:7] == (63.84, 24.0, 31.92, 39.84)
    assert row[7] == 62.4  # 39.84 / 63.84
    pdf = alice_client.get(reverse("reduce:export_pdf", args=[company.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
