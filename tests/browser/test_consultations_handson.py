"""Hands-on support (⑦) from the application to the completion report, as the company, the
office's staff and the expert in turn; each state change is e-mailed and audited."""

import re

import pytest
from django.core import mail

from cnnavi.audit.models import AuditEntry
from cnnavi.consultations import services
from cnnavi.consultations.models import HandsOnCase
from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import Expert, OfficeStaff, SupportOffice
from cnnavi.testing import make_company, make_user
from tests.browser.test_consultations_calc_support import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(db):
    office = SupportOffice.objects.create(name="北陸本部", prefectures=["16"])
    staff = make_user("staff@example.com", totp=True)
    OfficeStaff.objects.create(office=office, user=staff)
    expert_user = make_user("expert@example.com", totp=True)
    Expert.objects.create(office=office, user=expert_user, display_name="坂本 環")
    owner = make_user("owner@example.com")
    company = make_company(owner, name="福井冷凍食品株式会社")
    # The team works with the company's data: the company has consented to the office.
    org_services.consent_grant(
        actor=owner, company=company, office=office, scope="edit", valid_until=None
    )
    # The office screens by one criterion after one hearing.
    services.handson_settings_save(actor=staff, office=office, required_hearings=1)
    services.criterion_save(actor=staff, office=office, title="経営者の意欲", max_score=5)
    return company


def field(page, label):
    """The field labelled exactly ``label`` (a required field's label ends with "*")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\*?$"))


def _state_mails():
    return [m for m in mail.outbox if "ハンズオン支援" in m.subject]


def _actions():
    return list(
        AuditEntry.objects.filter(action__startswith="handson.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_hands_on_support_from_application_to_completion_report(page, cast):
    mail.outbox.clear()
    # The company applies.
    login(page, "owner@example.com")
    page.goto("/consultations/handson/")
    page.get_by_label("支援を受けたいテーマ").fill("冷凍設備の更新とCO2削減計画")
    field(page, "現在の課題").fill("電気代の上昇")
    page.get_by_label("社内のプロジェクトメンバー（予定）").fill("製造部長、設備担当")
    page.get_by_role("button", name="申し込む").click()
    page.wait_for_url(re.compile(r"/consultations/handson/\d+/$"))
    case_url = page.url
    case = HandsOnCase.objects.get()
    assert page.get_by_test_id("handson-state").inner_text() == "受付"
    recipients = {m.to[0] for m in _state_mails()}
    assert recipients == {"staff@example.com", "owner@example.com"}
    assert _actions()[-1:] == ["handson.apply"]

    # Staff screen it: received -> under review, a hearing note, accepted.
    login(page, "staff@example.com", totp=True)
    page.goto("/staff/handson/")
    page.get_by_role("link", name="福井冷凍食品株式会社").click()
    mail.outbox.clear()
    page.get_by_role("button", name="審査を始める").click()
    assert page.get_by_test_id("handson-state").inner_text() == "審査中"
    assert [(m.to, m.subject) for m in _state_mails()] == [
        (["owner@example.com"], "[CN Navi] ハンズオン支援: 審査中")
    ]
    field(page, "日時").fill("2026-12-01T10:00")
    page.get_by_label("ヒアリングの記録").fill("社長と面談。冷凍庫3台が25年使用")
    page.get_by_role("button", name="記録する").click()
    assert "冷凍庫3台が25年使用" in page.get_by_test_id("hearing").inner_text()
    field(page, "経営者の意欲（0〜5点）").fill("5")
    field(page, "経営者の意欲 の所見").fill("社長が自ら主導している")
    page.get_by_role("button", name="採点を保存する").click()
    assert page.get_by_test_id("score-total").inner_text() == "5 / 5"
    mail.outbox.clear()
    page.get_by_label("採否の理由").fill("審査点が満点で、更新の効果が大きい")
    page.get_by_role("button", name="採択する").click()
    assert page.get_by_test_id("handson-state").inner_text() == "採択"
    assert [m.subject for m in _state_mails()] == ["[CN Navi] ハンズオン支援: 採択"]

    # Staff write the support plan with the fee and the expert team, then start.
    field(page, "支援テーマ").fill("冷凍設備の更新計画")
    field(page, "目標（企業の削減目標に沿って）").fill("電力使用量を20%削減")
    field(page, "スケジュール").fill("2027年1月〜6月")
    page.get_by_label("坂本 環").check()
    field(page, "費用（円・税抜）").fill("500000")
    mail.outbox.clear()
    page.get_by_role("button", name="支援計画を保存して企業に送る").click()
    fee = "¥550,000（税込。税抜 ¥500,000、消費税10% ¥50,000）"
    assert page.get_by_test_id("fee").inner_text() == fee
    assert page.get_by_test_id("plan-state").inner_text() == "企業の回答待ち"
    assert [m.to for m in _state_mails()] == [["owner@example.com"]]  # asked to answer
    assert page.get_by_role("button", name="支援を始める").count() == 1
    page.get_by_role("button", name="支援を始める").click()
    assert page.get_by_test_id("handson-state").inner_text() == "採択"  # not before consent
    assert "企業の同意を得てから" in page.get_by_test_id("error-summary").inner_text()

    # The company's owner accepts the plan in the app.
    login(page, "owner@example.com")
    page.goto(case_url)
    page.get_by_role("button", name="支援計画に同意する").click()
    assert page.get_by_test_id("plan-state").inner_text().startswith("企業が同意")

    login(page, "staff@example.com", totp=True)
    page.goto(case_url)
    mail.outbox.clear()
    page.get_by_role("button", name="支援を始める").click()
    assert page.get_by_test_id("handson-state").inner_text() == "支援中"
    assert [m.subject for m in _state_mails()] == ["[CN Navi] ハンズオン支援: 支援中"]

    # The expert of the team logs the PDCA and writes the completion report.
    login(page, "expert@example.com", totp=True)
    page.goto(case_url)
    field(page, "期間（開始）").fill("2027-01-01")
    field(page, "期間（終了）").fill("2027-03-31")
    field(page, "Plan（計画）").fill("冷凍庫ごとの電力を計測する計画")
    page.get_by_role("button", name="記録する").click()
    assert page.get_by_test_id("pdca-cycle").count() == 1
    assert "冷凍庫ごとの電力を計測する計画" in page.get_by_test_id("pdca-cycle").inner_text()
    mail.outbox.clear()
    page.get_by_label("完了報告").fill("電力使用量を22%削減し、計測の仕組みが社内に定着した")
    page.get_by_role("button", name="完了にする").click()
    assert page.get_by_test_id("handson-state").inner_text() == "完了"
    assert [(m.to, m.subject) for m in _state_mails()] == [
        (["owner@example.com"], "[CN Navi] ハンズオン支援: 完了")
    ]

    # The company reads the result.
    login(page, "owner@example.com")
    page.goto(case_url)
    assert page.get_by_test_id("handson-state").inner_text() == "完了"
    assert "22%削減" in page.inner_text("main")
    assert page.get_by_test_id("fee").inner_text() == fee
    report = page.request.get(page.get_by_test_id("handson-report").get_attribute("href"))
    assert report.status == 200 and report.body().startswith(b"%PDF")
    assert _actions() == [
        "handson.settings",
        "handson.criterion",
        "handson.apply",
        "handson.review",
        "handson.hearing",
        "handson.screening",
        "handson.accept",
        "handson.plan",
        "handson.plan_accept",
        "handson.start",
        "handson.pdca",
        "handson.complete",
    ]
    states = [
        (e.data["from"], e.data["to"])
        for e in AuditEntry.objects.filter(
            action__in=["handson.review", "handson.complete"]
        ).order_by("pk")
    ]
    assert states == [("received", "under_review"), ("in_support", "completed")]
    case.refresh_from_db()
    assert (case.state, case.fee_yen) == ("completed", 550000)
