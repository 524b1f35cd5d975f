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
    assert response.status_code == 422
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


@pytest.fixture
def catalogue(db):
    from cnnavi.reduce.reference import load

    load()
    from cnnavi.reduce.models import CatalogueMeasure

    return {m.code: m for m in CatalogueMeasure.objects.all()}


def test_the_whole_case_and_the_three_visit_limit(
    client, people, snapshot, catalogue, django_capture_on_commit_callbacks
):
    from cnnavi.reduce import services as reduce_services
    from cnnavi.reduce.models import ReductionPlan

    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    # The company already has its own target: −42 % by 2030 from FY2022, with LED lighting.
    plan = reduce_services.plan_save(
        actor=people.carol,
        company=people.company,
        base_year=2022,
        near_year=2030,
        near_share=Decimal("0.42"),
    )
    reduce_services.measures_add(
        actor=people.carol, plan=plan, measures=[catalogue["led-lighting"]], start_year=2026
    )
    client.force_login(people.erin_user)
    url = f"/consultations/calc-support/{case.pk}/"
    for day in ("2026-01-10T10:00", "2026-01-24T10:00", "2026-02-07T10:00"):
        assert client.post(url + "visits/new/", {"scheduled_at": day}).status_code == 302
    v1, v2, v3 = CalcVisit.objects.filter(case=case).order_by("number")
    # Scheduled visits use no quota yet; a fourth is refused and the page says so.
    assert selectors.visits_used(company=people.company) == 0
    response = client.post(url + "visits/new/", {"scheduled_at": "2026-03-01T10:00"}, follow=True)
    assert "無料の訪問（最大3回）はすべて予定済みか利用済みです。" in response.content.decode()
    assert CalcVisit.objects.filter(company=people.company).count() == 3

    client.post(
        url + f"visits/{v1.pk}/record/",
        {"record": "請求書を入力", "energy_data_checked": "on", "method_explained": "on"},
    )
    assert selectors.visits_used(company=people.company) == 1  # used once held
    client.post(
        url + f"visits/{v2.pk}/record/",
        {"record": "課題を整理", "fiscal_year": "2025", "issues": "コンプレッサーのエア漏れ"},
    )
    v2.refresh_from_db()
    assert v2.snapshot["scope2_basic_t"] == 310.25 and snapshot == [(people.company.pk, 2025)]
    # Visit 3 shows the company's existing target instead of asking again.
    page = client.get(url + f"visits/{v3.pk}/record/").content.decode()
    assert "2022年度比で 2030年度までに 42% 削減" in page
    assert 'name="near_pct" value="42"' in page and 'name="base_year" value="2022"' in page
    assert "LED" in page  # the plan's measures are listed
    response = client.post(
        url + f"visits/{v3.pk}/record/",
        {
            "record": "目標を見直し、エア漏れ対策を追加",
            "base_year": "2022",
            "near_year": "2030",
            "near_pct": "46.2",
            "measures": [catalogue["compressor-leaks"].pk],
            "start_year": "2026",
        },
    )
    assert response.status_code == 302
    # One target: the company's own plan changed (the same object the reduce pages show).
    assert ReductionPlan.objects.count() == 1
    plan.refresh_from_db()
    assert (plan.base_year, plan.near_year, plan.near_share) == (2022, 2030, Decimal("0.462"))
    assert sorted(plan.measures.values_list("measure__code", flat=True)) == [
        "compressor-leaks",
        "led-lighting",
    ]
    assert AuditEntry.objects.filter(action="reduce.plan_update", actor=people.erin_user).exists()
    v3.refresh_from_db()
    assert v3.plan_changes["target"] == {"near_share": ["42%", "46.2%"]}
    case.refresh_from_db()
    assert case.status == "closed"
    summary = selectors.reduction_plan_from_support(company=people.company)
    assert (summary["base_fiscal_year"], summary["target_fiscal_year"]) == (2022, 2030)

    # The company sees every visit, the target and what changed in its plan.
    client.force_login(people.carol)
    page = client.get(url).content.decode()
    assert "3 / 3 回" in page
    assert "2022年度比で 2030年度までに 46% 削減" in page
    assert "42% → 46.2%" in page
    # 310.25 t in the Pareto table to one decimal, and drawn as the chart's first bar
    assert '<td class="num">310.3</td>' in page and "72%" in page
    assert 'data-testid="chart-pareto-' in page and ": 310 t-CO2</title>" in page
    pdf = client.get(url + f"visits/{v3.pk}/report.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="calc_visit.record").count() == 3


def test_visit_3_without_a_target_creates_the_companys_plan_once(
    client, people, catalogue, django_capture_on_commit_callbacks
):
    from cnnavi.reduce.models import ReductionPlan

    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    client.force_login(people.erin_user)
    url = f"/consultations/calc-support/{case.pk}/"
    for day in ("2026-01-10T10:00", "2026-01-24T10:00", "2026-02-07T10:00"):
        client.post(url + "visits/new/", {"scheduled_at": day})
    v3 = CalcVisit.objects.get(case=case, number=3)
    data = {"record": "目標を設定", "base_year": "2024", "near_year": "2030", "near_pct": "30"}
    assert client.post(url + f"visits/{v3.pk}/record/", data).status_code == 302
    plan = ReductionPlan.objects.get(company=people.company)
    assert (plan.base_year, plan.near_share) == (2024, Decimal("0.3"))
    # Recording it again unchanged changes nothing in the plan.
    audits = AuditEntry.objects.filter(action__startswith="reduce.").count()
    assert client.post(url + f"visits/{v3.pk}/record/", data).status_code == 302
    assert AuditEntry.objects.filter(action__startswith="reduce.").count() == audits
    v3.refresh_from_db()
    assert v3.plan_changes == {}


def test_bad_visit_3_input_names_the_field(
    client, people, catalogue, django_capture_on_commit_callbacks
):
    from cnnavi.reduce.models import ReductionPlan

    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    client.force_login(people.erin_user)
    url = f"/consultations/calc-support/{case.pk}/"
    for day in ("2026-01-10T10:00", "2026-01-24T10:00", "2026-02-07T10:00"):
        client.post(url + "visits/new/", {"scheduled_at": day})
    v3 = CalcVisit.objects.get(case=case, number=3)
    response = client.post(
        url + f"visits/{v3.pk}/record/",
        {"record": "x", "base_year": "2030", "near_year": "2025", "near_pct": "0"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "目標年度は基準年度より後にしてください。" in html
    assert "削減目標（%）" in html
    v3.refresh_from_db()
    assert v3.recorded_at is None and not ReductionPlan.objects.exists()


def test_a_scheduled_then_cancelled_visit_leaves_the_quota_untouched(
    client, people, django_capture_on_commit_callbacks
):
    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    client.force_login(people.erin_user)
    url = f"/consultations/calc-support/{case.pk}/"
    for day in ("2026-01-10T10:00", "2026-01-24T10:00", "2026-02-07T10:00"):
        client.post(url + "visits/new/", {"scheduled_at": day})
    v2 = CalcVisit.objects.get(case=case, number=2)
    mail.outbox.clear()
    # Moving a visit tells the company and uses nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url + f"visits/{v2.pk}/change/",
            {"action": "reschedule", "scheduled_at": "2026-01-31T14:00", "reason": "工場の停電"},
        )
    assert response.status_code == 302
    v2.refresh_from_db()
    assert v2.scheduled_at.isoformat().startswith("2026-01-31T05:00")  # 14:00 JST
    moved = [m for m in mail.outbox if m.to == ["carol@example.com"]]
    assert moved[0].subject == "[CN Navi] CO2排出量算定支援 第2回の訪問日時の変更"
    assert (
        "2026-01-24 10:00 から 2026-01-31 14:00" in moved[0].body and "工場の停電" in moved[0].body
    )
    # Cancelling needs a reason, tells the company and frees the number.
    client.post(url + f"visits/{v2.pk}/change/", {"action": "cancel", "reason": ""})
    v2.refresh_from_db()
    assert v2.cancelled_at is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url + f"visits/{v2.pk}/change/", {"action": "cancel", "reason": "先方の都合"})
    v2.refresh_from_db()
    assert v2.cancelled_at is not None
    assert mail.outbox[0].subject == "[CN Navi] CO2排出量算定支援 第2回の訪問の中止"
    assert selectors.visits_used(company=people.company) == 0
    # A new visit takes number 2 again: the quota is still three.
    assert client.post(url + "visits/new/", {"scheduled_at": "2026-02-20T10:00"}).status_code == 302
    numbers = CalcVisit.objects.filter(company=people.company, cancelled_at=None)
    assert sorted(numbers.values_list("number", flat=True)) == [1, 2, 3]
    page = client.get(url).content.decode()
    assert "0 / 3 回" in page and 'data-testid="visit-cancelled"' in page
    # A cancelled or held visit cannot be moved.
    with pytest.raises(Exception, match="記録済みまたは中止済み"):
        services.calc_visit_reschedule(
            actor=people.erin_user, visit=v2, scheduled_at=v2.scheduled_at
        )
    # The company cannot move visits.
    client.force_login(people.carol)
    v1 = CalcVisit.objects.get(case=case, number=1)
    response = client.post(url + f"visits/{v1.pk}/change/", {"action": "cancel", "reason": "x"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="calc_visit.cancel").count() == 1
    assert AuditEntry.objects.filter(action="calc_visit.reschedule").count() == 1


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
