"""What the plan page says: a partial year gets no verdict, a status change says it saved,
a target under the SBT proposal is pointed out, and columns explain their numbers."""

import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from cnnavi.audit.models import AuditEntry
from cnnavi.measure import services as measure_services
from cnnavi.reduce import selectors
from cnnavi.reduce.models import PlanMeasure, ReductionPlan
from cnnavi.reduce.tests.factories import (
    HOKURIKU,
    add_year,
    fiscal_months,
    post_measures,
    post_target,
)

pytestmark = pytest.mark.django_db


def _plan_page(client, company) -> str:
    return client.get(reverse("reduce:plan", args=[company.pk])).content.decode()


def _progress_table(html: str) -> str:
    return re.search(r'data-testid="progress-table">(.*?)</table>', html, re.S).group(1)


def _seven_months(actor, facility, fy):
    """April to October of ``fy``, the same use as a full year's months."""
    for month in fiscal_months(fy)[:7]:
        for energy, amount, unit, extra in (
            ("electricity", D(10_000), "kWh", {"supplier": HOKURIKU, "use": "照明"}),
            ("heavy_oil_a", D(1_000), "L", {}),
        ):
            measure_services.record_create(
                actor=actor,
                facility=facility,
                month=month,
                energy=energy,
                amount=amount,
                unit=unit,
                cost_yen=int(amount * 30),
                **extra,
            )


@pytest.fixture
def partial(world):
    """FY2025 complete (the base year), FY2026 only April to October."""
    add_year(world.a.owner, world.a.facility, 2025)
    _seven_months(world.a.owner, world.a.facility, 2026)
    return world.a.company


def test_a_partial_year_is_not_judged_against_the_whole_years_path(
    partial, alice_client, monkeypatch
):
    monkeypatch.setattr(selectors, "_today", lambda: date(2026, 11, 24))
    assert post_target(alice_client, partial).status_code == 302
    ov = selectors.plan_overview(company=partial, plan=selectors.plan_of(company=partial))
    (row,) = ov.progress
    # seven months' emissions are far under the path's whole year: the old page said 順調
    assert row.actual_t < row.target_t and row.months == 7
    table = _progress_table(_plan_page(alice_client, partial))
    assert "年度途中（7か月分）" in table
    assert "順調" not in table and "遅れ" not in table
    # the roadmap chart has no point for the partial year, and says so
    chart = selectors.chart_data(ov)
    assert chart["actual"] == [] and chart["actual_partial"] == [{"year": 2026, "months": 7}]
    html = _plan_page(alice_client, partial)
    assert "2026年度の実績は年度途中（7か月分）のため" in html
    assert 'data-testid="budget-help"' in html


def test_a_past_year_with_missing_months_gets_no_verdict_either(partial, alice_client, monkeypatch):
    monkeypatch.setattr(selectors, "_today", lambda: date(2028, 5, 10))
    post_target(alice_client, partial)
    table = _progress_table(_plan_page(alice_client, partial))
    assert "判定なし（データが7か月分）" in table and "順調" not in table


def test_status_change_says_it_saved_or_why_not(company, alice_client):
    post_target(alice_client, company)
    post_measures(alice_client, company, ["led-lighting"])
    pm = PlanMeasure.objects.get()
    url = reverse("reduce:measure_status", args=[company.pk, pm.pk])
    page = _plan_page(alice_client, company)
    assert 'id="measures-live"' in page and 'aria-live="polite"' in page
    assert f'id="status-msg-{pm.pk}" data-testid="status-msg"></span>' in page
    html = alice_client.post(url, {"status": "in_progress"}, HTTP_HX_REQUEST="true")
    html = html.content.decode()
    saved = re.search(rf'id="status-msg-{pm.pk}"[^>]*>(.*?)</span></span>', html, re.S).group(1)
    assert "保存しました" in saved
    # the live region outside the swapped table gets the same words
    assert '<p id="measures-live" hx-swap-oob="innerHTML">保存しました</p>' in html
    bad = alice_client.post(url, {"status": "finished"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "状況を選んでください。" in bad.content.decode()


def test_a_target_under_the_sbt_proposal_is_pointed_out_and_can_be_raised(company, alice_client):
    post_target(alice_client, company)  # FY2025 base, −21 % by 2030; the proposal is 42 %
    page = _plan_page(alice_client, company)
    assert "現在の目標（21%）は中小企業版SBTの提案（42%）を下回っています。" in page
    assert "提案の値を使う" in page
    response = alice_client.post(reverse("reduce:target_use_sbt", args=[company.pk]))
    assert response.status_code == 302
    plan = ReductionPlan.objects.get(company=company)
    assert (plan.near_year, plan.near_share, plan.long_share) == (2030, D("0.42"), D(1))
    entry = AuditEntry.objects.filter(action="reduce.plan_update").latest("pk")
    assert "near_share" in entry.data["changed"]
    page = _plan_page(alice_client, company)
    assert "下回っています" not in page and "2030年度 −42%" in page


def test_columns_explain_zero_investment_and_negative_cost(company, alice_client):
    post_target(alice_client, company)
    post_measures(alice_client, company, ["compressor-pressure", "led-lighting"])
    page = _plan_page(alice_client, company)
    paybacks = re.findall(r'data-testid="payback">(.*?)</td>', page, re.S)
    assert any("投資なし" in p for p in paybacks)  # compressor pressure: no investment
    assert not any(re.fullmatch(r"\s*0\.0\s*", p) for p in paybacks)
    costs = re.findall(r'data-testid="cost-per-t">(.*?)</td>', page, re.S)
    assert any("-" in c and "費用がマイナス（節約の方が大きい）" in c for c in costs)
    assert "投資額÷金額効果" in page  # a help line under the column header
    # phone card: the CO2 on the page's basis, labelled for the card
    assert 'data-label="CO2削減 t/年（ロケーション）"' in page


def test_sbt_table_is_collapsed_until_something_is_known(world, alice_client):
    company = world.a.company
    company.employees = None
    company.save()
    page = _plan_page(alice_client, company)
    details = re.search(r'<details class="sbt-criteria"[^>]*>', page).group(0)
    assert " open" not in details
    add_year(world.a.owner, world.a.facility, 2025)
    page = _plan_page(alice_client, company)
    assert " open" in re.search(r'<details class="sbt-criteria"[^>]*>', page).group(0)


def test_target_form_explains_the_sbt_questions(company, alice_client):
    page = alice_client.get(reverse("reduce:target", args=[company.pk])).content.decode()
    assert "農林業・土地利用の排出が大きい業種" in page
    assert "ユーロ（EUR）建て" in page
    assert "大企業向け" in page


def test_measure_page_shows_the_source_link_as_text_not_a_long_url(company, alice_client):
    post_target(alice_client, company)
    post_measures(alice_client, company, ["compressor-pressure"])
    pm = PlanMeasure.objects.get()
    url = reverse("reduce:measure_edit", args=[company.pk, pm.pk])
    page = alice_client.get(url).content.decode()
    source = re.search(r'data-testid="measure-source">(.*?)</p>', page, re.S).group(1)
    assert pm.measure.source_url
    assert f">{pm.measure.source_url}<" not in source and "出典（外部サイト）" in source
