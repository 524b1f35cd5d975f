"""A CO2-support case from the application to the third visit's report, as the company, the
office's staff and the expert in turn; then the company revokes its consent and the expert
loses access."""

import re
import time

import pytest
from playwright.sync_api import expect

from cnnavi.consultations import services
from cnnavi.orgs.models import Expert, OfficeStaff, SupportOffice
from cnnavi.testing import PASSWORD, make_company, make_user, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SNAPSHOT = {
    "fiscal_year": 2025,
    "scope1_t": 120.5,
    "scope2_basic_t": 310.25,
    "provisional": False,
    "demo": False,
    "complete": True,
    "pareto": [
        {"facility": "本社工場", "energy": "電気", "tco2": 310.25, "cumulative_share": 0.72},
        {"facility": "本社工場", "energy": "都市ガス", "tco2": 120.5, "cumulative_share": 1.0},
    ],
    "flow": [
        {"source": "電気", "target": "本社工場", "value": 310.25},
        {"source": "都市ガス", "target": "本社工場", "value": 120.5},
    ],
    "warnings": [],
}


_used_codes: dict[str, str] = {}
COMPRESSOR = "コンプレッサーのエア漏れ対策"  # a measure of the catalogue (reduce.reference)


def _fresh_code(email: str) -> str:
    """A TOTP code this user has not used yet (allauth refuses a code used twice)."""
    code = totp_now()
    while _used_codes.get(email) == code:
        time.sleep(1)
        code = totp_now()
    _used_codes[email] = code
    return code


def login(page, email, *, totp=False):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if totp:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.locator("input[name=code]").fill(_fresh_code(email))
        page.locator("input[name=code]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/" not in url)


@pytest.fixture
def cast(db, monkeypatch):
    from cnnavi.reduce.reference import load

    load()  # the measures catalogue (a transactional test may have emptied it)
    monkeypatch.setattr(services, "_emissions_snapshot", lambda company, fy: dict(SNAPSHOT))
    office = SupportOffice.objects.create(name="北陸本部", prefectures=["16"])
    staff = make_user("staff@example.com", totp=True)
    OfficeStaff.objects.create(office=office, user=staff)
    expert_user = make_user("expert@example.com", totp=True)
    Expert.objects.create(office=office, user=expert_user, display_name="坂本 環")
    owner = make_user("owner@example.com")
    company = make_company(owner, name="立山金属工業株式会社")
    return company


def test_co2_support_from_application_to_the_third_report(page, cast):
    company = cast
    # The company applies; the form leads it to grant consent first.
    login(page, "owner@example.com")
    page.goto("/consultations/calc-support/")
    page.get_by_role("link", name="立山金属工業株式会社 の同意を登録する").click()
    page.get_by_label("閲覧と編集").check()
    page.get_by_label(re.compile("支援機関の職員と")).check()
    page.get_by_role("button", name="同意を登録する").click()
    page.goto("/consultations/calc-support/")
    assert page.get_by_test_id("consent-needed").count() == 0
    page.get_by_label("困っていること・ご希望").fill("Scope2の算定方法がわからない")
    page.get_by_role("button", name="申し込む").click()
    page.wait_for_url(re.compile(r"/consultations/calc-support/\d+/$"))
    case_url = page.url
    assert page.get_by_test_id("calc-status").inner_text() == "申込受付"
    assert page.get_by_test_id("visits-used").inner_text() == "0 / 3 回"

    # The office accepts and assigns the expert.
    login(page, "staff@example.com", totp=True)
    page.goto("/staff/calc-support/")
    page.get_by_role("link", name="立山金属工業株式会社").click()
    page.get_by_label("担当の専門家").select_option(label="坂本 環")
    page.get_by_role("button", name="受け付ける").click()
    assert "支援中" in page.get_by_test_id("staff-calc-row").first.inner_text()

    # The expert finds the company on the console and records the three visits.
    login(page, "expert@example.com", totp=True)
    page.goto("/experts/")
    page.get_by_role("link", name="立山金属工業株式会社").first.click()
    page.get_by_test_id("console-panel").get_by_role("link", name=re.compile("支援中")).click()
    for day in ("2026-01-10T10:00", "2026-01-24T10:00", "2026-02-07T10:00"):
        page.locator("#id_scheduled_at").fill(day)
        page.get_by_role("button", name="登録する").click()
    # Scheduled visits use no quota until they take place; all three numbers are taken.
    assert page.get_by_test_id("visits-used").inner_text() == "0 / 3 回"
    assert page.get_by_role("button", name="登録する").count() == 0

    page.get_by_role("link", name="訪問の記録をつける").first.click()
    page.get_by_label("訪問の記録").fill("請求書12か月分を一緒に入力し、算定方法を説明した")
    page.get_by_label(re.compile("エネルギーデータ")).check()
    page.get_by_label(re.compile("算定方法を説明した")).check()
    page.get_by_role("button", name="記録を保存する").click()

    page.get_by_role("link", name="訪問の記録をつける").first.click()
    page.get_by_label("訪問の記録").fill("排出量の大きい設備を整理した")
    page.get_by_label("対象年度").fill("2025")
    page.get_by_label("見つかった課題").fill("コンプレッサーのエア漏れ")
    page.get_by_role("button", name="記録を保存する").click()
    # the Pareto chart is drawn on the server: its wide drawing shows on a wide screen
    expect(page.locator("[data-testid^=chart-pareto-] .chart-wide svg").first).to_be_visible()

    page.get_by_role("link", name="訪問の記録をつける").first.click()
    assert page.get_by_test_id("no-target").count() == 1  # the company has no target yet
    page.get_by_label("訪問の記録").fill("削減目標と行動を決めた")
    page.get_by_label("基準年度").fill("2025")
    page.get_by_label("目標年度").fill("2030")
    page.get_by_label("削減目標（%）").fill("30")
    page.get_by_label(COMPRESSOR).check()
    page.get_by_role("button", name="記録を保存する").click()
    assert page.get_by_test_id("calc-status").inner_text() == "終了"
    assert page.get_by_test_id("visits-used").inner_text() == "3 / 3 回"

    # The company reads the visits and the third visit's PDF report.
    login(page, "owner@example.com")
    page.goto(case_url)
    assert page.get_by_test_id("visit-card").count() == 3
    assert (
        "2025年度比で 2030年度までに 30% 削減"
        in page.get_by_test_id("reduction-target").inner_text()
    )
    assert COMPRESSOR in page.get_by_test_id("plan-changes").inner_text()
    # The same target and measure are the company's own reduction plan.
    from cnnavi.reduce.models import ReductionPlan

    plan = ReductionPlan.objects.get(company=company)
    assert (plan.base_year, plan.near_year, str(plan.near_share)) == (2025, 2030, "0.3000")
    assert list(plan.measures.values_list("measure__name", flat=True)) == [COMPRESSOR]
    href = page.get_by_test_id("visit-pdf").nth(2).get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # The company revokes its consent: the expert loses access.
    page.goto(f"/companies/{company.pk}/consent/")
    page.get_by_role("button", name="取り消す").click()
    login(page, "expert@example.com", totp=True)
    page.goto("/experts/")
    assert "立山金属工業株式会社" not in page.inner_text("main")
    response = page.goto(case_url)
    assert response.status == 404
