"""A company with a year of energy data (entered through the measure app's services) sets a
target, picks three measures from the catalogue and reads its roadmap."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import FacilityKind
from cnnavi.reduce import data, selectors
from cnnavi.reduce.reference import load
from cnnavi.reduce.tests.factories import add_year
from cnnavi.testing import PASSWORD, make_company, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").strip())


def test_pick_three_measures_and_read_the_roadmap(page):
    load()
    owner = make_user("planner@example.com", name="計画 太郎")
    company = make_company(owner, name="ロードマップ工業株式会社", employees=40)
    facility = org_services.facility_create(
        actor=owner, company=company, name="本社工場", prefecture="16", kind=FacilityKind.FACTORY
    )
    add_year(owner, facility, 2025)

    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill("planner@example.com")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()

    page.goto("/reduce/")
    page.wait_for_url(re.compile(r"/reduce/companies/\d+/$"))
    page.get_by_role("link", name="目標を設定").click()
    assert page.get_by_test_id("base-year-complete").is_visible()
    page.get_by_label("スコープ2の基準").select_option("location")
    page.get_by_label("中期目標の削減率（%）").fill("21")
    for label in (
        "金融機関・石油ガス部門",
        "部門別の手法が必要な業種",
        "通常ルートの親会社の子会社",
    ):
        page.get_by_label(label).select_option("false")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/reduce/companies/\d+/$"))
    assert "2030年度 −21%" in page.get_by_test_id("targets").inner_text()
    # 40 employees and under 10,000 t, but turnover, assets etc. left "unknown":
    assert "判定できません" in page.get_by_test_id("sbt-eligibility").inner_text()

    for name in (
        "照明のLED化",
        "コンプレッサーの吐出圧力の低減（0.1MPa）",
        "ボイラーからヒートポンプへの転換",
    ):
        page.get_by_label(name).check()
    page.get_by_label("開始年度（空欄ならアイデアとして追加）").fill("2027")
    page.get_by_role("button", name="追加").click()
    page.wait_for_url(re.compile(r"/reduce/companies/\d+/$"))
    assert page.get_by_test_id("measure-row").count() == 3

    # The roadmap as the page shows it (table view of the chart).
    page.get_by_text("表で見る").nth(2).click()
    rows = {}
    for row in page.get_by_test_id("roadmap-row").all():
        cells = row.locator("td").all_inner_texts()
        rows[int(cells[0])] = cells
    ov = selectors.plan_overview(company=company, plan=selectors.plan_of(company=company))
    base = data.energy_profile(company=company, fiscal_year=2025).total("location")
    assert _number(rows[2025][1]) == round(base, 1)
    assert _number(rows[2026][1]) == round(base, 1)  # nothing started yet
    assert _number(rows[2027][1]) == round(ov.totals_after["location"], 1)
    assert _number(rows[2027][1]) < _number(rows[2026][1])
    assert "照明のLED化" in rows[2027][3] and "ボイラー" in rows[2027][3]
    assert _number(rows[2030][2]) == round(base * Decimal("0.79"), 1)
    assert rows[2050][2].strip() == "0.0"
    # The chart is drawn from the same data (SVG from the server: a point per year).
    chart = page.locator("[data-testid=chart-roadmap] .chart-wide svg")
    expect(chart).to_be_visible()
    assert chart.locator("circle").count() == len(rows)


def test_the_plan_fits_a_phone(phone_page):
    load()
    owner = make_user("phone-planner@example.com")
    company = make_company(owner, name="スマホ工業株式会社")
    facility = org_services.facility_create(
        actor=owner, company=company, name="工場", prefecture="16", kind=FacilityKind.FACTORY
    )
    add_year(owner, facility, 2025)
    page = phone_page
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill("phone-planner@example.com")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()
    page.goto(f"/reduce/companies/{company.pk}/target/")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/reduce/companies/\d+/$"))
    page.get_by_label("照明のLED化").check()
    page.get_by_role("button", name="追加").click()
    page.wait_for_url(re.compile(r"/reduce/companies/\d+/$"))
    assert page.get_by_test_id("measure-row").count() == 1
    # The page itself does not scroll sideways; wide tables scroll inside their wrapper.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    # On a phone the charts are their narrow drawings, as wide as the screen at most.
    narrow = page.locator("[data-testid=chart-area] .chart-narrow svg")
    expect(narrow).to_be_visible()
    expect(page.locator("[data-testid=chart-area] .chart-wide svg")).to_be_hidden()
    assert narrow.bounding_box()["width"] <= 390
    # Status changes in place (HTMX) on the phone too.
    with page.expect_response(lambda r: "/status/" in r.url and r.status == 200):
        page.get_by_test_id("status-select").select_option("in_progress")
    expect(page.get_by_test_id("status-msg")).to_have_text("保存しました")
    expect(page.locator("#measures-live")).to_have_text("保存しました")
    page.reload()
    assert page.get_by_test_id("status-select").input_value() == "in_progress"
