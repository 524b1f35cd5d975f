"""Hands-on support (⑦): each step by the right role, each state change e-mailed and audited."""

import pytest
from django.core import mail

from cnnavi.audit.models import AuditEntry
from cnnavi.consultations.models import HandsOnCase
from cnnavi.orgs import services as org_services

pytestmark = pytest.mark.django_db


def _apply(client, people):
    client.force_login(people.carol)
    client.post(
        "/consultations/handson/",
        {
            "company": people.company.pk,
            "office": people.office.pk,
            "themes_wanted": "冷凍設備の更新",
            "current_issues": "電気代の上昇",
            "project_members": "製造部長、設備担当",
        },
    )
    return HandsOnCase.objects.get()


def _criteria(people):
    from cnnavi.consultations import services

    return [
        services.criterion_save(actor=people.sam, office=people.office, title=t, max_score=5)
        for t in ("経営者の意欲", "削減の見込み")
    ]


def test_screening_plan_pdca_and_completion(client, people, django_capture_on_commit_callbacks):
    org_services.consent_grant(
        actor=people.carol,
        company=people.company,
        office=people.office,
        scope="read",
        valid_until=None,
    )
    will, potential = _criteria(people)
    case = _apply(client, people)
    url = f"/consultations/handson/{case.pk}/"
    assert case.state == "received"
    # The company cannot screen its own application.
    assert client.post(url + "transition/", {"name": "review"}).status_code == 403
    client.force_login(people.sam)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url + "transition/", {"name": "review"})
    case.refresh_from_db()
    assert case.state == "under_review"
    assert mail.outbox[0].to == ["carol@example.com"]
    assert mail.outbox[0].subject == "[CN Navi] ハンズオン支援: 審査中"
    # The decision is refused until the required hearings (2 by default) are recorded.
    client.post(url + "hearings/", {"visited_at": "2026-12-01T10:00", "notes": "社長と面談"})
    response = client.post(url + "transition/", {"name": "accept", "reason": "意欲が高い"})
    assert "必要な回数のヒアリング・現場調査を記録してください" in response.content.decode()
    client.post(url + "hearings/", {"visited_at": "2026-12-08T10:00", "notes": "工場を調査"})
    # ... and until every criterion is scored, each with a note.
    response = client.post(url + "transition/", {"name": "accept", "reason": "意欲が高い"})
    assert "すべての審査基準を採点してください" in response.content.decode()
    response = client.post(
        url + "screening/",
        {f"score_{will.pk}": "9", f"note_{will.pk}": "", f"score_{potential.pk}": "4"},
    )
    html = response.content.decode()
    assert response.status_code == 422 and "経営者の意欲" in html
    assert not case.scores.exists()
    client.post(
        url + "screening/",
        {
            f"score_{will.pk}": "5",
            f"note_{will.pk}": "社長が主導",
            f"score_{potential.pk}": "4",
            f"note_{potential.pk}": "冷凍機の更新で大きく減る",
        },
    )
    assert case.scores.count() == 2
    response = client.post(url + "transition/", {"name": "accept", "reason": ""})
    assert "採否の理由を入力してください。" in response.content.decode()
    client.post(url + "transition/", {"name": "accept", "reason": "審査点 9/10、意欲が高い"})
    case.refresh_from_db()
    assert case.state == "accepted" and case.decision_reason == "審査点 9/10、意欲が高い"
    # The plan, with the fee in yen plus tax, goes to the owner.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url + "plan/",
            {
                "plan_themes": "冷凍設備の更新計画",
                "plan_goals": "電力使用量を20%削減",
                "plan_schedule": "2027年1月〜6月",
                "plan_team": [people.erin.pk],
                "fee_net_yen": "600000",
                "tax_rate_percent": "10",
            },
        )
    case.refresh_from_db()
    assert (case.fee_net_yen, case.tax_yen, case.fee_yen) == (600000, 60000, 660000)
    assert case.plan_state == "proposed"
    assert any(m.to == ["carol@example.com"] for m in mail.outbox)
    # The support cannot start before the owner accepts.
    response = client.post(url + "transition/", {"name": "start"})
    assert "企業の同意を得てから" in response.content.decode()
    # Only the owner answers; declining needs a note; the office revises and sends again.
    client.force_login(people.vic)
    assert client.post(url + "plan/decision/", {"decision": "accept"}).status_code == 403
    client.force_login(people.carol)
    page = client.get(url).content.decode()
    assert "¥660,000（税込。税抜 ¥600,000、消費税10% ¥60,000）" in page
    response = client.post(url + "plan/decision/", {"decision": "decline", "note": ""})
    assert "辞退する理由やご希望を入力してください。" in response.content.decode()
    client.post(url + "plan/decision/", {"decision": "decline", "note": "費用を抑えたい"})
    case.refresh_from_db()
    assert case.plan_state == "declined"
    client.force_login(people.sam)
    client.post(
        url + "plan/",
        {
            "plan_themes": "冷凍設備の更新計画",
            "plan_goals": "電力使用量を20%削減",
            "plan_team": [people.erin.pk],
            "fee_net_yen": "500000",
            "tax_rate_percent": "10",
        },
    )
    client.force_login(people.carol)
    client.post(url + "plan/decision/", {"decision": "accept", "note": ""})
    case.refresh_from_db()
    assert (case.plan_state, case.plan_decided_by, case.fee_yen) == (
        "accepted",
        people.carol,
        550000,
    )
    client.force_login(people.sam)
    client.post(url + "transition/", {"name": "start"})
    case.refresh_from_db()
    assert case.state == "in_support"
    # Staff do not write the PDCA cycles; the expert of the team and the company do.
    cycle = {"period_start": "2027-01-01", "period_end": "2027-03-31", "plan_text": "計測計画"}
    assert client.post(url + "pdca/", cycle).status_code == 403
    client.force_login(people.erin_user)
    client.post(url + "pdca/", cycle)
    client.force_login(people.carol)
    client.post(
        url + "pdca/",
        dict(cycle, number="1", do_text="断熱工事", check_text="電力が減った", act_text="次は照明"),
    )
    assert [(c.number, c.do_text) for c in case.cycles.all()] == [(1, "断熱工事")]
    client.force_login(people.erin_user)
    client.post(url + "transition/", {"name": "complete", "report": "20%削減を達成"})
    case.refresh_from_db()
    assert case.state == "completed" and case.completion_report == "20%削減を達成"
    actions = list(
        AuditEntry.objects.filter(action__startswith="handson.").values_list("action", flat=True)
    )
    for action in (
        "handson.apply",
        "handson.review",
        "handson.screening",
        "handson.accept",
        "handson.plan",
        "handson.plan_decline",
        "handson.plan_accept",
        "handson.start",
        "handson.complete",
        "handson.pdca",
        "handson.hearing",
    ):
        assert action in actions
    # The accept came after both hearings (the audit log shows the order).
    order = list(
        AuditEntry.objects.filter(action__in=["handson.hearing", "handson.accept"])
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert order == ["handson.hearing", "handson.hearing", "handson.accept"]
    page = client.get(url).content.decode()
    assert "¥550,000" in page and "20%削減を達成" in page
    pdf = client.get(url + "report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_office_sets_the_required_hearings_and_criteria(client, people):
    client.force_login(people.sam)
    response = client.post(
        "/staff/handson/settings/", {"form": "settings", "required_hearings": "3"}
    )
    assert response.status_code == 302
    response = client.post(
        "/staff/handson/settings/",
        {"form": "criterion", "title": "体制", "max_score": "5", "position": "1"},
    )
    assert response.status_code == 302
    page = client.get("/staff/handson/settings/").content.decode()
    assert "採否を決める前に 3 回の記録が必要です。" in page and "体制" in page
    from cnnavi.consultations.models import ScreeningCriterion

    criterion = ScreeningCriterion.objects.get()
    client.post(f"/staff/handson/criteria/{criterion.pk}/toggle/")
    criterion.refresh_from_db()
    assert not criterion.active
    # Another office's staff cannot touch it.
    client.force_login(people.carol)
    assert client.post(f"/staff/handson/criteria/{criterion.pk}/toggle/").status_code in (403, 404)


def test_decline_needs_a_reason_which_the_company_then_sees(client, people):
    case = _apply(client, people)
    url = f"/consultations/handson/{case.pk}/"
    client.force_login(people.sam)
    client.post(url + "transition/", {"name": "review"})
    _criteria(people)
    for day in ("2026-12-01T10:00", "2026-12-02T10:00"):
        client.post(url + "hearings/", {"visited_at": day, "notes": "ヒアリング"})
    from cnnavi.consultations import services

    services.handson_screening_save(
        actor=people.sam,
        case=case,
        role="staff",
        scores={c.pk: (1, "対象外") for c in case.office.screening_criteria.all()},
    )
    response = client.post(url + "transition/", {"name": "decline", "reason": ""})
    assert "採否の理由を入力してください。" in response.content.decode()
    client.post(url + "transition/", {"name": "decline", "reason": "対象地域外のため"})
    client.force_login(people.carol)
    page = client.get(url).content.decode()
    assert "不採択" in page and "対象地域外のため" in page


def test_an_expert_outside_the_team_cannot_open_the_case(client, people, world):
    case = _apply(client, people)
    client.force_login(world.b.owner)
    assert client.get(f"/consultations/handson/{case.pk}/").status_code == 404


def test_an_expert_opening_the_handson_page_is_sent_to_the_console(client, people):
    client.force_login(people.erin_user)
    html = client.get("/consultations/handson/").content.decode()
    assert "申し込むには、まず企業を登録してください。" not in html
    assert 'href="/experts/"' in html and "専門家のページへ" in html
    assert 'data-testid="nav-company"' not in html  # no 「自社」 for a user without a company
    client.force_login(people.sam)
    html = client.get("/consultations/handson/").content.decode()
    assert 'href="/staff/handson/"' in html and "まず企業を登録" not in html
    client.force_login(people.carol)
    html = client.get("/consultations/handson/").content.decode()
    assert ">自社</a>" in html
    assert "<title>ハンズオン支援（専門家派遣） | CN Navi</title>" in html
    assert "favicon.svg" in html


def test_the_check_step_keeps_the_measured_change_from_the_companys_data(
    world, alice_client, monkeypatch
):
    """A cycle's Check shows, for the plan's measures, the change measured by reduce's tracking
    on the company's own records (here a supplier menu from April 2026: 39.84 t-CO2 less over
    twelve months, worked out in reduce/tests/test_tracking.py)."""
    from cnnavi.consultations import selectors, services
    from cnnavi.reduce import selectors as reduce_selectors
    from cnnavi.reduce.tests import test_tracking as tracking

    monkeypatch.setattr(
        reduce_selectors, "_today", lambda: __import__("datetime").date(2027, 4, 10)
    )
    tracking._electricity(world, 2025, 10_000)
    tracking._electricity(world, 2026, 10_000, menu="メニューC")
    pm = tracking._plan_with_done_measure(
        alice_client, world.a.company, "renewable-menu", "market", share_pct="50"
    )
    case = HandsOnCase.objects.create(
        company=world.a.company,
        office=world.a.office,
        applicant=world.a.owner,
        state="accepted",
        themes_wanted="再エネ",
        current_issues="電気代",
        project_members="2名",
    )
    services.handson_plan_save(
        actor=world.a.owner,
        case=case,
        role="staff",
        plan_themes="再エネメニューへの切替",
        plan_goals="マーケット基準で半減",
        plan_schedule="",
        plan_team=[world.a.expert],
        fee_net_yen=300_000,
        plan_measures=[pm],
    )
    case.refresh_from_db()
    case.plan_state, case.state = "accepted", "in_support"
    case.save()
    measured = selectors.handson_measured(case=case)
    assert [(m["measure"], m["months"], m["actual_t"], m["planned_t"]) for m in measured] == [
        (pm.measure.name, 12, 39.84, 31.92)
    ]
    url = f"/consultations/handson/{case.pk}/"
    response = alice_client.post(
        url + "pdca/",
        {
            "period_start": "2026-04-01",
            "period_end": "2027-03-31",
            "plan_text": "メニュー切替",
            "do_text": "4月に切替",
            "check_text": "前年同月比で減少",
        },
    )
    assert response.status_code == 302
    cycle = case.cycles.get()
    assert cycle.measured[0]["actual_t"] == 39.84
    page = alice_client.get(url).content.decode()
    assert "39.84" in page and "31.92" in page and "2026-04〜2027-03" in page
