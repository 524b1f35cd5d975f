"""On a phone, anyone answers the stage diagnosis without an account, reaches a stage, follows
its link to the consultation window, then logs in and saves the result to the company."""

import re

import pytest
from django.urls import reverse

from cnnavi.know import reference
from cnnavi.know.models import Diagnosis
from cnnavi.testing import PASSWORD, make_company, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = [
    {
        "customer_asked": "yes",
        "sbt_re100": "requested",
        "finance_tender": "no",
        "energy_cost": "large",
        "hiring_asked": "no",
    },
    {"energy_monthly": "no", "co2_calculated": "no", "use_breakdown": "no", "fuel_use": "much"},
    {
        "reduction_plan": "no",
        "measures_taken": "none",
        "electricity_supply": "unknown",
        "target": "none",
    },
    {"jigyokei": "none", "outage": "no", "price_readiness": "no"},
]


def test_answer_on_a_phone_follow_the_help_then_save_to_the_company(phone_page):
    reference.load()
    owner = make_user("owner@example.com")
    company = make_company(owner, name="スマホ試験工業株式会社")
    page = phone_page

    page.goto("/")
    page.goto("/diagnosis/")
    page.get_by_label("都道府県").select_option(label="富山県")
    page.get_by_test_id("start").click()
    for number, answers in enumerate(ANSWERS, start=1):
        assert page.get_by_test_id("progress").inner_text() == f"ステップ {number} / 4"
        for code, value in answers.items():
            page.locator(f'[data-question="{code}"] input[value="{value}"]').check()
        # The answer choices are large enough to tap and fit the phone's width.
        box = page.locator(".know-choice").first.bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= 390
        page.get_by_test_id("next").click()

    page.wait_for_url(re.compile(r"/diagnosis/result/$"))
    stage = page.get_by_test_id("stage")
    assert stage.get_attribute("data-stage") == "measure"
    assert "測るステージ" in stage.inner_text()
    assert "気づき 5点（必要 2点）" in page.get_by_test_id("reasoning").inner_text()
    risks = page.get_by_test_id("risk")
    assert risks.count() == 4  # supply chain, energy costs, carbon pricing, disasters
    assert (
        "取引先から、CO2排出量について" in page.locator('[data-risk="supply_chain"]').inner_text()
    )

    # The consultation window: a link once the consultations app provides its page.
    target = reverse("consultations:index")
    card = page.locator('[data-help-card="consultation"]')
    if target:
        assert card.get_attribute("href") == target
        card.click()
        page.wait_for_url(re.compile(re.escape(target) + "$"))
        page.go_back()
    else:
        # Not merged in this branch: the help is named, marked "coming soon", without a link.
        assert card.count() == 0
        help_text = page.get_by_test_id("help").inner_text()
        assert "カーボンニュートラル相談窓口" in help_text and "準備中" in help_text

    page.get_by_test_id("login-to-save").click()
    page.get_by_label("メールアドレス").fill("owner@example.com")
    page.get_by_label("パスワード", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(re.compile(r"/diagnosis/result/$"))
    page.get_by_label("保存する企業").select_option(label="スマホ試験工業株式会社")
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/companies/\d+/diagnoses/\d+/$"))
    assert (
        "診断結果を スマホ試験工業株式会社 に保存しました。"
        in page.locator(".messages").inner_text()
    )
    assert page.get_by_test_id("stage").get_attribute("data-stage") == "measure"

    diagnosis = Diagnosis.objects.get()
    assert (diagnosis.company_id, diagnosis.saved_by_id, diagnosis.prefecture) == (
        company.pk,
        owner.pk,
        "16",
    )
