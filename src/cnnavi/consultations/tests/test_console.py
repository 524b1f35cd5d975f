"""The advisor console (/experts/) and the office overview (/staff/) with the CSV export."""

import csv
import io

import pytest
from django.utils import timezone

from cnnavi.consultations import selectors, services
from cnnavi.consultations.tests.tenancy import book, make_slot
from cnnavi.orgs import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(people):
    org_services.consent_grant(
        actor=people.carol,
        company=people.company,
        office=people.office,
        scope="edit",
        valid_until=None,
    )
    org_services.expert_assign(
        actor=people.sam, office=people.office, company=people.company, expert=people.erin
    )
    return people


def test_the_console_lists_assigned_companies_and_switches_in_one_click(
    client, assigned, world, django_assert_max_num_queries
):
    people = assigned
    org_services.expert_assign(
        actor=world.a.owner, office=people.office, company=world.a.company, expert=people.erin
    )
    case = services.calc_case_apply(
        actor=people.carol,
        company=people.company,
        office=people.office,
        message="",
        preferred_dates="",
    )
    services.calc_case_accept(actor=people.sam, office=people.office, case=case, expert=people.erin)
    client.force_login(people.erin_user)
    with django_assert_max_num_queries(40):
        page = client.get("/experts/").content.decode()
    assert "キャロル製作所" in page and "Company a" in page
    # One click (HTMX) swaps the panel for the other company.
    response = client.get(f"/experts/?company={people.company.pk}", HTTP_HX_REQUEST="true")
    panel = response.content.decode()
    assert panel.lstrip().startswith("<section") and "キャロル製作所" in panel
    assert "CO2算定支援 第1回の訪問日を決める" in panel
    assert "訪問 0/3 回" in panel
    # Once the consent is revoked, the company leaves the console.
    from cnnavi.orgs.models import Consent

    org_services.consent_revoke(
        actor=people.carol, consent=Consent.objects.get(company=people.company)
    )
    assert client.get(f"/experts/?company={people.company.pk}").status_code == 404
    assert "キャロル製作所" not in client.get("/experts/").content.decode()


def test_next_appointment(assigned, world):
    people = assigned
    assert selectors.next_appointment(company=people.company) is None
    slot = make_slot(people.erin, days=3)
    services.booking_create(
        actor=people.carol,
        slot=slot,
        channel="online",
        topics=["other"],
        description="",
        contact_name="Carol",
        contact_company="キャロル製作所",
        contact_email="carol@example.com",
        contact_phone="076-000-0000",
        company=people.company,
    )
    nxt = selectors.next_appointment(company=people.company)
    assert nxt["kind"] == "consultation" and nxt["starts_at"] == slot.starts_at
    case = services.calc_case_apply(
        actor=people.carol,
        company=people.company,
        office=people.office,
        message="",
        preferred_dates="",
    )
    services.calc_case_accept(actor=people.sam, office=people.office, case=case, expert=people.erin)
    visit = services.calc_visit_schedule(
        actor=people.erin_user,
        case=case,
        expert=people.erin,
        scheduled_at=timezone.now() + timezone.timedelta(days=1),
    )
    nxt = selectors.next_appointment(company=people.company)
    assert nxt == {
        "kind": "calc_visit",
        "starts_at": visit.scheduled_at,
        "title": "CO2算定支援 第1回（現状把握）",
    }


def test_the_office_overview_and_a_formula_safe_csv(
    client, assigned, world, django_assert_max_num_queries
):
    people = assigned
    slot = make_slot(people.erin, days=2)
    services.booking_create(
        actor=None,
        slot=slot,
        channel="phone",
        topics=["other"],
        description="",
        contact_name="Mallory",
        contact_company='=HYPERLINK("http://evil.example","x")',
        contact_email="m@example.com",
        contact_phone="076-000-0000",
    )
    services.handson_apply(
        actor=people.carol,
        company=people.company,
        office=people.office,
        themes_wanted="-2+3",
        current_issues="x",
        project_members="x",
    )
    for day in range(3, 8):  # more rows must not mean more queries
        book(make_slot(people.erin, days=day), world.a, company=None)
    client.force_login(people.sam)
    with django_assert_max_num_queries(20):
        page = client.get("/staff/").content.decode()
    assert "Erin Expert" in page
    states = page.split('data-testid="handson-states"')[1].split("</table>")[0]
    assert '<th class="num">受付</th>' in states and '<td class="num">1</td>' in states
    month = timezone.localtime(slot.starts_at).strftime("%Y-%m")
    assert month in page
    response = client.get("/staff/consultations/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["種類", "企業名", "日時", "専門家", "状態", "内容"]
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    # Not staff: 403.
    client.force_login(people.carol)
    assert client.get("/staff/consultations/export.csv").status_code == 403


def test_the_console_query_count_does_not_grow_with_companies(client, assigned):
    """One assigned company or four, each with a CO2-support case: the same number of
    queries (no query per company)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cnnavi.testing import make_company, make_user

    people = assigned

    def add_company(n):
        owner = make_user(f"owner{n}@example.com")
        company = make_company(owner, name=f"追加{n}製作所")
        org_services.consent_grant(
            actor=owner, company=company, office=people.office, scope="view", valid_until=None
        )
        org_services.expert_assign(
            actor=people.sam, office=people.office, company=company, expert=people.erin
        )
        case = services.calc_case_apply(
            actor=owner, company=company, office=people.office, message="", preferred_dates=""
        )
        services.calc_case_accept(
            actor=people.sam, office=people.office, case=case, expert=people.erin
        )

    add_company(1)
    client.force_login(people.erin_user)

    def count() -> int:
        client.get("/experts/")  # warm caches (session, permissions)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/experts/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in (2, 3, 4):
        add_company(n)
    assert count() == few
    page = client.get("/experts/").content.decode()
    assert all(f"追加{n}製作所" in page for n in (1, 2, 3, 4))


def test_the_console_names_units_months_and_industry(client, assigned):
    from datetime import date

    from django.utils import translation

    from cnnavi.consultations.tests.test_calc_measure import _factory_with_fy2025

    people = assigned
    _factory_with_fy2025(people)
    client.force_login(people.erin_user)
    panel = client.get(f"/experts/?company={people.company.pk}").content.decode()
    emissions = panel.split('data-testid="console-emissions">')[1].split("</dd>")[0]
    assert "t-CO2" in emissions and " t /" not in emissions
    assert "· 製造業</p>" in panel and "E 製造業" not in panel
    # A fiscal year still under way is labelled with the months it covers.
    assert selectors.partial_year_label(2026, today=date(2026, 11, 24)) == "4月〜10月"
    assert selectors.partial_year_label(2025, today=date(2026, 11, 24)) == ""
    with translation.override("en"):
        assert selectors.partial_year_label(2026, today=date(2026, 11, 24)) == "Apr–Oct"
