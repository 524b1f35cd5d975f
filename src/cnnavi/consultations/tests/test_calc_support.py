"""CO2 calculation support (⑥): apply (consent first), accept and assign, three visits with
records, the snapshot of visit 2, the PDF reports, and what each role may do."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core import mail

from cnnavi.audit.models import AuditEntry
from cnnavi.consultations import selectors, services
from cnnavi.consultations.models import CalcSupportCase, CalcVisit
from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import Consent, ExpertAssignment

pytestmark = pytest.mark.django_db

SNAPSHOT = {
    "fiscal_year": 2025,
    "scope1_t": 120.5,
    "scope2_basic_t": 310.25,
    "scope2_adjusted_t": 300.0,
    "scope2_location_t": 310.25,
    "scope2_market_t": 300.0,
    "energy_gj": 9000.0,
    "crude_oil_kl": 232.2,
    "cost_yen": 45_000_000,
    "provisional": False,
    "demo": False,
    "complete": True,
    "pareto": [
        {"facility": "本社工場", "energy": "電気", "tco2": 310.25, "cumulative_share": 0.72},
        {"facility": "本社工場", "energy": "都市ガス", "tco2": 120.5, "cumulative_share": 1.0},
    ],
    "flow": [
        {"source": "電気", "target": "本社工場", "value": 310.25},
        {"source": "本社工場", "target": "空調", "value": 150.0},
    ],
    "warnings": [],
}


@pytest.fixture
def snapshot(monkeypatch):
    calls = []

    def fake(company, fiscal_year):
        calls.append((company.pk, fiscal_year))
        return dict(SNAPSHOT, fiscal_year=fiscal_year)

    monkeypatch.setattr(services, "_emissions_snapshot", fake)
    return calls


def _grant(people, scope="edit"):
    return org_services.consent_grant(
        actor=people.carol,
        company=people.company,
        office=people.office,
        scope=scope,
        valid_until=None,
    )


def _apply(client, people):
    client.force_login(people.carol)
    return client.post(
        "/consultations/calc-support/",
        {
            "company": people.company.pk,
            "office": people.office.pk,
            "message": "Scope2の算定方法がわからない",
            "preferred_dates": "平日午後",
        },
    )


def test_applying_without_consent_leads_to_the_consent_page(client, people):
    client.force_login(people.carol)
    page = client.get("/consultations/calc-support/").content.decode()
    assert f"/companies/{people.company.pk}/consent/" in page
    response = _apply(client, people)
    assert response.status_code == 200
    assert "への同意を登録してください" in response.content.decode()
    assert not CalcSupportCase.objects.exists()


def test_a_viewer_cannot_apply(client, people):
    _grant(people)
    client.force_login(people.vic)
    page = client.get("/consultations/calc-support/").content.decode()
    assert "申し込むには、まず企業を登録してください" in page


def _accepted_case(client, people, django_capture_on_commit_callbacks):
    _grant(people)
    with django_capture_on_commit_callbacks(execute=True):
        response = _apply(client, people)
    case = CalcSupportCase.objects.get()
    assert response.url == f"/consultations/calc-support/{case.pk}/"
    assert any("CO2排出量算定支援の申込" in m.subject for m in mail.outbox)  # to the office
    client.force_login(people.sam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/staff/calc-support/{case.pk}/", {"action": "accept", "expert": people.erin.pk}
        )
    case.refresh_from_db()
    assert case.status == "active" and case.expert == people.erin
    assert ExpertAssignment.objects.filter(
        company=people.company, expert=people.erin, ended_at=None
    ).exists()
    return case


def test_the_whole_case_and_the_three_visit_limit(
    client, people, snapshot, django_capture_on_commit_callbacks
):
    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    client.force_login(people.erin_user)
    url = f"/consultations/calc-support/{case.pk}/"
    for day in ("2026-01-10T10:00", "2026-01-24T10:00", "2026-02-07T10:00"):
        assert client.post(url + "visits/new/", {"scheduled_at": day}).status_code == 302
    v1, v2, v3 = CalcVisit.objects.filter(case=case).order_by("number")
    # A fourth visit is refused and the page says so.
    response = client.post(url + "visits/new/", {"scheduled_at": "2026-03-01T10:00"}, follow=True)
    assert "無料の訪問（最大3回）はすべて利用済みです。" in response.content.decode()
    assert CalcVisit.objects.filter(company=people.company).count() == 3

    client.post(
        url + f"visits/{v1.pk}/record/",
        {"record": "請求書を入力", "energy_data_checked": "on", "method_explained": "on"},
    )
    client.post(
        url + f"visits/{v2.pk}/record/",
        {"record": "課題を整理", "fiscal_year": "2025", "issues": "コンプレッサーのエア漏れ"},
    )
    v2.refresh_from_db()
    assert v2.snapshot["scope2_basic_t"] == 310.25 and snapshot == [(people.company.pk, 2025)]
    response = client.post(
        url + f"visits/{v3.pk}/record/",
        {
            "record": "目標を設定",
            "base_fiscal_year": "2025",
            "target_fiscal_year": "2030",
            "target_reduction_percent": "30",
            "actions-TOTAL_FORMS": "3",
            "actions-INITIAL_FORMS": "0",
            "actions-0-title": "コンプレッサーのエア漏れ対策",
            "actions-0-expected_reduction_t": "12.5",
            "actions-0-cost_yen": "300000",
            "actions-0-due_fiscal_year": "2026",
            "actions-1-title": "LED照明への更新",
            "actions-1-cost_yen": "1200000",
        },
    )
    assert response.status_code == 302
    v3.refresh_from_db()
    assert [(a.title, a.cost_yen) for a in v3.actions.all()] == [
        ("コンプレッサーのエア漏れ対策", 300000),
        ("LED照明への更新", 1200000),
    ]
    case.refresh_from_db()
    assert case.status == "closed"
    plan = selectors.reduction_plan_from_support(company=people.company)
    assert (
        plan["base_fiscal_year"],
        plan["target_fiscal_year"],
        plan["target_reduction_percent"],
    ) == (
        2025,
        2030,
        30,
    )
    assert [(a["title"], a["expected_reduction_t"]) for a in plan["actions"]] == [
        ("コンプレッサーのエア漏れ対策", Decimal("12.50")),
        ("LED照明への更新", None),
    ]

    # The company sees every visit, the target and the Pareto rows as kept that day.
    client.force_login(people.carol)
    page = client.get(url).content.decode()
    assert "3 / 3 回" in page
    assert "2025年度比で 2030年度までに 30% 削減" in page
    # 310.25 t in the Pareto table to one decimal, and drawn as the chart's first bar
    assert '<td class="num">310.3</td>' in page and "72%" in page
    assert 'data-testid="chart-pareto-' in page and ": 310 t-CO2</title>" in page
    pdf = client.get(url + f"visits/{v3.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="calc_visit.record").count() == 3


def test_bad_visit_3_input_names_the_field(client, people, django_capture_on_commit_callbacks):
    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    client.force_login(people.erin_user)
    url = f"/consultations/calc-support/{case.pk}/"
    for day in ("2026-01-10T10:00", "2026-01-24T10:00", "2026-02-07T10:00"):
        client.post(url + "visits/new/", {"scheduled_at": day})
    v3 = CalcVisit.objects.get(case=case, number=3)
    response = client.post(
        url + f"visits/{v3.pk}/record/",
        {
            "record": "x",
            "base_fiscal_year": "2030",
            "target_fiscal_year": "2025",
            "target_reduction_percent": "30",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-title": "LED",
            "actions-0-cost_yen": "-5",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "目標年度は基準年度より後にしてください。" in html
    assert "概算費用（円）" in html
    v3.refresh_from_db()
    assert v3.recorded_at is None and not v3.actions.exists()


def test_roles_company_cannot_schedule_and_expert_loses_access_on_revoke(
    client, people, django_capture_on_commit_callbacks
):
    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    url = f"/consultations/calc-support/{case.pk}/"
    client.force_login(people.carol)
    assert client.post(url + "visits/new/", {"scheduled_at": "2026-01-10T10:00"}).status_code == 403
    client.force_login(people.erin_user)
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(action="company.read", actor=people.erin_user).exists()
    consent = Consent.objects.get(company=people.company)
    org_services.consent_revoke(actor=people.carol, consent=consent)
    assert client.get(url).status_code == 404
    assert client.post(url + "visits/new/", {"scheduled_at": "2026-01-10T10:00"}).status_code == 404


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_the_pdf_report_renders_to_an_image(tmp_path, people, snapshot):
    _grant(people)
    case = services.calc_case_apply(
        actor=people.carol,
        company=people.company,
        office=people.office,
        message="",
        preferred_dates="",
    )
    org_services.expert_assign(
        actor=people.sam, office=people.office, company=people.company, expert=people.erin
    )
    services.calc_case_accept(actor=people.sam, office=people.office, case=case, expert=people.erin)
    from django.utils import timezone

    services.calc_visit_schedule(
        actor=people.erin_user, case=case, expert=people.erin, scheduled_at=timezone.now()
    )
    visit = services.calc_visit_schedule(
        actor=people.erin_user, case=case, expert=people.erin, scheduled_at=timezone.now()
    )
    services.calc_visit_record(
        actor=people.erin_user,
        visit=visit,
        record="課題を整理した",
        issues="空調",
        fiscal_year=2025,
    )
    from cnnavi.consultations.reports import visit_report_pdf

    path = tmp_path / "visit.pdf"
    path.write_bytes(bytes(visit_report_pdf(case=case, visit=visit).output()))
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(tmp_path / "page")], check=True)
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 5000
