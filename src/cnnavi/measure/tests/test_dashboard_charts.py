"""The dashboard's charts are SVG drawn on the server from the dashboard's own figures (the
tables under them): no plotly, no script, each chart in both widths with its table."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cnnavi.common import charts as common_charts
from cnnavi.measure import charts
from cnnavi.measure.models import EnergyRecord
from cnnavi.measure.rules import fiscal_months
from cnnavi.measure.selectors import dashboard as dashboard_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def fy2024(factory):
    EnergyRecord.objects.bulk_create(
        EnergyRecord(facility=factory, month=m, energy="kerosene", amount=Decimal(300 + i),
                     unit="L", cost_yen=30000)
        for i, m in enumerate(fiscal_months(2024))
    )  # fmt: skip


def test_each_chart_draws_the_dashboards_figures(alice_client, company, fy2025, fy2024):
    company.employees = 12
    company.save(update_fields=["employees"])
    d = dashboard_selectors.dashboard(company=company, fiscal_year=2025)
    figures = charts.dashboard_figures(d)
    monthly = d.monthly
    assert figures["monthly"].rows == [
        (charts.month_label(m), *(s["values"][i] for s in monthly["series"]),
         monthly["previous"][i])
        for i, m in enumerate(monthly["months"])
    ]  # fmt: skip
    # the stacked bars add up to the month's total
    for row, total in zip(figures["monthly"].rows, monthly["total"], strict=True):
        assert sum(v for v in row[1:-1]) == pytest.approx(total)
    assert figures["facility"].rows == [(f["facility"], f["tco2"]) for f in d.by_facility]
    assert figures["pareto"].rows == [
        (f"{p.facility} / {p.energy}", p.tco2, p.cumulative_share) for p in d.pareto
    ]
    assert figures["flow"].rows == [(f["source"], f["target"], f["value"]) for f in d.flow]
    assert figures["intensity"].rows == [
        (charts.intensity_label(i["key"]), label, v)
        for i in d.intensity
        for label, v in (("前年度", i["previous"]), ("今年度", i["value"]))
    ]
    # the narrow and the wide drawing show the same data
    for fig in figures.values():
        assert fig.narrow.rows == fig.wide.rows

    page = alice_client.get(reverse("measure:dashboard", args=[company.pk]) + "?year=2025")
    html = page.content.decode()
    assert "plotly" not in html and "dashboard-data" not in html
    for key in ("monthly", "facility", "pareto", "flow", "intensity"):
        assert f'data-testid="chart-{key}"' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 10
    assert html.count("表で見る") == 5


def test_english_dashboard_charts_are_in_english(alice_client, company, fy2025):
    page = alice_client.get("/en" + reverse("measure:dashboard", args=[company.pk]) + "?year=2025")
    html = page.content.decode()
    svg = html.split('data-testid="chart-monthly"')[1].split("</figure>")[0]
    assert "Apr" in svg and "Emissions by month" in svg and "月" not in svg


def test_the_cached_charts_follow_the_data(alice_client, company, fy2025):
    url = reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
    before = alice_client.get(url).content.decode()
    record = EnergyRecord.objects.filter(facility__company=company, energy="electricity").first()
    saved = alice_client.post(
        reverse("measure:grid_cell", args=[company.pk, record.facility_id]),
        {"energy": "electricity", "month": record.month.strftime("%Y-%m"), "amount": "90000",
         "unit": "kWh"},
    )  # fmt: skip
    assert saved.status_code == 200 and 'class="saved"' in saved.content.decode()
    d = dashboard_selectors.dashboard(company=company, fiscal_year=2025)
    assert d.by_facility[0]["tco2"] > 0
    after = alice_client.get(url).content.decode()
    chart = after.split('data-testid="chart-facility"')[1].split("</figure>")[0]
    assert f"{common_charts.number(d.by_facility[0]['tco2'])} t-CO2" in chart
    assert chart != before.split('data-testid="chart-facility"')[1].split("</figure>")[0]
