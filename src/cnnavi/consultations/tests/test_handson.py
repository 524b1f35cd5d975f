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


def test_screening_plan_pdca_and_completion(client, people, django_capture_on_commit_callbacks):
    org_services.consent_grant(
        actor=people.carol,
        company=people.company,
        office=people.office,
        scope="read",
        valid_until=None,
    )
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
    # Staff record a preliminary visit, accept, write the plan and start.
    client.post(url + "hearings/", {"visited_at": "2026-12-01T10:00", "notes": "社長と面談"})
    client.post(url + "transition/", {"name": "accept"})
    response = client.post(url + "transition/", {"name": "start"})
    assert "支援計画（テーマ、目標、費用）を先に登録してください。" in response.content.decode()
    client.post(
        url + "plan/",
        {
            "plan_themes": "冷凍設備の更新計画",
            "plan_goals": "電力使用量を20%削減",
            "plan_schedule": "2027年1月〜6月",
            "plan_team": [people.erin.pk],
            "fee_yen": "550000",
        },
    )
    client.post(url + "transition/", {"name": "start"})
    case.refresh_from_db()
    assert (case.state, case.fee_yen) == ("in_support", 550000)
    # Staff do not write the PDCA log; the expert of the team and the company do.
    assert (
        client.post(url + "pdca/", {"phase": "plan", "day": "2027-01-10", "text": "x"}).status_code
        == 403
    )
    assert not case.pdca.exists()
    client.force_login(people.erin_user)
    client.post(url + "pdca/", {"phase": "plan", "day": "2027-01-10", "text": "計測計画"})
    client.force_login(people.carol)
    client.post(url + "pdca/", {"phase": "do", "day": "2027-02-10", "text": "断熱工事"})
    assert [e.phase for e in case.pdca.all()] == ["plan", "do"]
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
        "handson.accept",
        "handson.start",
        "handson.complete",
        "handson.plan",
        "handson.pdca",
        "handson.hearing",
    ):
        assert action in actions
    page = client.get(url).content.decode()
    assert "550000円" in page and "20%削減を達成" in page


def test_decline_needs_a_reason_which_the_company_then_sees(client, people):
    case = _apply(client, people)
    url = f"/consultations/handson/{case.pk}/"
    client.force_login(people.sam)
    client.post(url + "transition/", {"name": "review"})
    response = client.post(url + "transition/", {"name": "decline", "reason": ""})
    assert "不採択の理由を入力してください。" in response.content.decode()
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
