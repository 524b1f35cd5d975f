"""CO2 calculation support with the real Measure app: visit 1 leads the expert (with the
company's edit consent) to the company's energy data, and visit 2 keeps Measure's picture of
the year as it was that day."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from cnnavi.consultations.models import CalcVisit
from cnnavi.consultations.tests.test_calc_support import _accepted_case, _grant
from cnnavi.measure import calc
from cnnavi.measure.models import EnergyRecord
from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import Consent, FacilityKind

pytestmark = pytest.mark.django_db

MONTHS = [date(2025, m, 1) for m in range(4, 13)] + [date(2026, m, 1) for m in (1, 2, 3)]


def _factory_with_fy2025(people):
    factory = org_services.facility_create(
        actor=people.carol,
        company=people.company,
        name="本社工場",
        prefecture="16",
        kind=FacilityKind.FACTORY,
        floor_area_m2=800,
    )
    EnergyRecord.objects.bulk_create(
        EnergyRecord(
            facility=factory,
            month=month,
            energy=energy,
            amount=Decimal(amount),
            unit=unit,
            cost_yen=cost,
        )
        for month in MONTHS
        for energy, amount, unit, cost in (
            ("electricity", 12000, "kWh", 300000),
            ("city_gas", 900, "m3", 150000),
        )
    )
    return factory


def _three_visits(client, people, case):
    client.force_login(people.erin_user)
    url = f"/consultations/calc-support/{case.pk}/"
    for day in ("2026-01-10T10:00", "2026-01-24T10:00", "2026-02-07T10:00"):
        assert client.post(url + "visits/new/", {"scheduled_at": day}).status_code == 302
    return url, list(CalcVisit.objects.filter(case=case).order_by("number"))


def test_visit_1_links_the_expert_to_the_companys_measure_pages(
    client, people, django_capture_on_commit_callbacks
):
    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    url, (v1, v2, _v3) = _three_visits(client, people, case)
    grid = f"/measure/companies/{people.company.pk}/"
    dashboard = f"/measure/companies/{people.company.pk}/dashboard/"
    page = client.get(url).content.decode()
    assert page.count(f'href="{grid}"') == 1 and page.count(f'href="{dashboard}"') == 1
    record_1 = client.get(url + f"visits/{v1.pk}/record/").content.decode()
    assert f'href="{grid}"' in record_1 and f'href="{dashboard}"' in record_1
    assert f'href="{grid}"' not in client.get(url + f"visits/{v2.pk}/record/").content.decode()
    english = client.get("/en" + url).content.decode()
    assert "Enter or check the energy data" in english and "Open the emissions dashboard" in english
    # The links lead somewhere the expert may go.
    assert client.get(grid).status_code == 200 and client.get(dashboard).status_code == 200
    # The company sees the case but not the expert's links.
    client.force_login(people.carol)
    assert f'href="{grid}"' not in client.get(url).content.decode()
    # With a view-only consent the expert no longer gets the links.
    consent = Consent.objects.get(company=people.company)
    org_services.consent_revoke(actor=people.carol, consent=consent)
    _grant(people, scope="view")
    client.force_login(people.erin_user)
    page = client.get(url).content.decode()
    assert "第1回" in page and f'href="{grid}"' not in page


def test_visit_2_keeps_measures_snapshot_of_that_day(
    client, people, django_capture_on_commit_callbacks
):
    factory = _factory_with_fy2025(people)
    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    url, (_v1, v2, _v3) = _three_visits(client, people, case)
    that_day = calc.emissions_snapshot(company=people.company, fiscal_year=2025)
    assert that_day["scope2_basic_t"] > 0 and that_day["pareto"] and that_day["flow"]
    response = client.post(
        url + f"visits/{v2.pk}/record/",
        {"record": "課題を整理", "fiscal_year": "2025", "issues": "コンプレッサーのエア漏れ"},
    )
    assert response.status_code == 302
    v2.refresh_from_db()
    assert v2.snapshot == that_day

    # The company doubles its electricity later: Measure changes, the visit does not.
    EnergyRecord.objects.filter(facility=factory, energy="electricity").update(
        amount=Decimal(24000)
    )
    later = calc.emissions_snapshot(company=people.company, fiscal_year=2025)
    assert later["scope2_basic_t"] > that_day["scope2_basic_t"]
    v2.refresh_from_db()
    assert v2.snapshot == that_day
    page = client.get(url).content.decode()
    assert f"{that_day['pareto'][0]['tco2']:.1f}" in page
    assert "<td>電気</td>" in page
    # The snapshot was captured in Japanese; the English page shows the energies in English.
    english = client.get("/en" + url).content.decode()
    table = english.split('data-testid="pareto-table"')[1].split("</table>")[0]
    assert "<td>Electricity</td>" in table and "電気" not in table and "都市ガス" not in table
    flow = english.split('data-testid="flow-table"')[1].split("</table>")[0]
    assert "Electricity" in flow and "No use given" in flow and "未設定" not in flow
    svg = english.split('data-testid="chart-flow-')[1].split("</figure>")[0]
    assert "Electricity" in svg and "No use given" in svg and "未設定" not in svg


def test_demo_toyama_visit_2_has_pareto_and_flow_data(client):
    call_command("demo", stdout=io.StringIO())
    visit = CalcVisit.objects.get(company__corporate_number="2230001000008", number=2)
    snap = visit.snapshot
    assert snap["demo"] is True and snap["scope2_basic_t"] > 0
    assert len(snap["pareto"]) >= 2 and len(snap["flow"]) >= 2
    client.force_login(visit.case.expert.user)
    page = client.get(f"/consultations/calc-support/{visit.case_id}/").content.decode()
    assert 'data-testid="chart-pareto-' in page and 'data-testid="chart-flow-' in page
    assert "plotly" not in page
    # the charts draw the snapshot's figures, the same as the tables under them
    from cnnavi.consultations.selectors import snapshot_figures, snapshot_for_display

    with translation.override("ja"):
        shown = snapshot_for_display(snap)
        figures = snapshot_figures(shown, key="x")
    assert figures["pareto"].rows == [
        (f"{r['facility']} / {r['energy']}", r["tco2"], r["cumulative_share"])
        for r in shown["pareto"]
    ]
    assert figures["flow"].rows == [(f["source"], f["target"], f["value"]) for f in shown["flow"]]
    assert 'data-testid="flow-table"' in page and f"{shown['flow'][0]['value']:.1f}" in page
    assert f"{snap['pareto'][0]['tco2']:.1f}" in page
    assert "デモデータから算定した値です。" in page


PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_the_expert_sees_the_companys_bill_evidence_while_consent_and_assignment_hold(
    client, people, world, django_capture_on_commit_callbacks
):
    from cnnavi.audit.models import AuditEntry
    from cnnavi.orgs.models import ExpertAssignment
    from cnnavi.statements import services as statement_services

    factory = _factory_with_fy2025(people)
    case = _accepted_case(client, people, django_capture_on_commit_callbacks)
    evidence = statement_services.evidence_upload(
        actor=people.carol, facility=factory, month=date(2025, 5, 1), energy="city_gas",
        filename="gas-2025-05.pdf", data=PDF_BYTES,
    )  # fmt: skip
    # Another company's bill never shows here.
    other = EnergyRecord.objects.create(facility=world.b.facility, month=date(2025, 5, 1),
                                        energy="city_gas", amount=10, unit="m3")  # fmt: skip
    statement_services.evidence_upload(
        actor=world.b.owner, facility=other.facility, month=other.month, energy="city_gas",
        filename="other-company.pdf", data=PDF_BYTES,
    )  # fmt: skip
    url = f"/consultations/calc-support/{case.pk}/"
    file_url = f"/measure/companies/{people.company.pk}/evidence/{evidence.pk}/"
    client.force_login(people.erin_user)
    reads = AuditEntry.objects.filter(action="company.read", actor=people.erin_user)
    before = reads.count()
    page = client.get(url).content.decode()
    assert page.count('data-testid="evidence-row"') == 1
    row = page.split('data-testid="evidence-row"')[1].split("</li>")[0]
    for shown in ("本社工場", "2025-05", "都市ガス", "gas-2025-05.pdf", f'href="{file_url}"'):
        assert shown in row
    assert "other-company.pdf" not in page
    assert reads.count() == before + 2  # the case and the company's evidence
    assert client.get(file_url).status_code == 200
    assert reads.count() == before + 3
    english = client.get("/en" + url).content.decode()
    assert "Bill evidence" in english and "City gas" in english
    # The assignment ends: the case may stay readable to its expert, the bills do not.
    assignment = ExpertAssignment.objects.get(company=people.company, expert=people.erin)
    org_services.expert_unassign(actor=people.sam, office=people.office, assignment=assignment)
    response = client.get(url)
    assert 'data-testid="evidence-list"' not in response.content.decode()
    assert "gas-2025-05.pdf" not in response.content.decode()
    assert client.get(file_url).status_code == 404
    # The company itself sees its bills on the case page too.
    client.force_login(people.carol)
    assert "gas-2025-05.pdf" in client.get(url).content.decode()
