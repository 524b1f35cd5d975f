"""A newcomer signs up, verifies the e-mail, creates a company and a facility, and sees them."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_create_company_and_facility(page):
    page.goto("/")
    assert page.locator("h1").first.is_visible()
    page.get_by_role("link", name="新規登録").first.click()
    # The labels are visible and tied to their fields (the accessible form include).
    assert page.get_by_label("メールアドレス").count() == 1
    page.get_by_label("メールアドレス").fill("newcomer@example.com")
    page.locator("#id_password1").fill("a-long-and-unusual-pass-2026")
    page.locator("#id_password2").fill("a-long-and-unusual-pass-2026")
    page.locator("#id_family_name").fill("富山")
    page.locator("#id_given_name").fill("一郎")
    page.get_by_label("姓（フリガナ）").fill("トヤマ")
    page.get_by_label("名（フリガナ）").fill("イチロウ")
    page.get_by_label("利用規約とプライバシーポリシーに同意します").check()
    page.get_by_role("button", name="ユーザー登録").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    # The verification e-mail carries the link (the live server shares the test's outbox).
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="確認").click()

    page.goto("/companies/new/")
    page.get_by_label("企業名").fill("ブラウザ試験工業株式会社")
    page.get_by_label("法人番号").fill("7000012050002")
    page.get_by_label("都道府県").select_option(label="富山県")
    page.get_by_label("業種（日本標準産業分類）").select_option("E")
    page.get_by_label("常時使用する従業員数").fill("30")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(re.compile(r"/companies/\d+/$"))
    assert page.get_by_role("heading", name="ブラウザ試験工業株式会社").is_visible()
    assert "中小企業に該当" in page.get_by_test_id("sme-status").inner_text()

    page.get_by_role("link", name="事業所を追加").click()
    page.get_by_label("事業所名").fill("本社工場")
    page.get_by_label("種類").select_option("factory")
    page.get_by_label("延床面積（m²）").fill("1200")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(re.compile(r"/companies/\d+/$"))
    rows = page.get_by_test_id("facility-row")
    assert rows.count() == 1
    assert "本社工場" in rows.first.inner_text()

    page.goto("/companies/")
    assert "ブラウザ試験工業株式会社" in page.get_by_test_id("company-card").first.inner_text()
