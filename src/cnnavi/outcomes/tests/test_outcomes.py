"""Every KPI computed by hand on the small world of ``factories`` (see its docstring)."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from openpyxl import load_workbook

from cnnavi.consultations.models import CalcSupportCase, CalcVisit, HandsOnCase
from cnnavi.orgs.models import Consent
from cnnavi.outcomes import co2, rules, selectors
from cnnavi.outcomes.selectors import Filters
from cnnavi.outcomes.tests import factories as f
from cnnavi.programmes.tests.factories import make_application, make_course, make_event

K = float(f.KEROSENE_T_PER_L)  # t-CO2 per litre of kerosene (the ordinance's formula)
FY2025 = rules.period_of("fy", 2025)
URL = "/staff/outcomes/"


@pytest.fixture(autouse=True)
def _no_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def small(world):
    return f.build(world)


def test_co2_totals_count_consenting_companies_with_every_month(small):
    rep = selectors.report(office=small.office, period=FY2025, filters=Filters())
    total = rep.co2.total
    # T1..T5 (5 x 1,200 L) and I1 (600 L) at 0.00250 t/L; R1 (revoked) and A (no data) left out
    assert total.companies == 6
    assert total.total_t == pytest.approx((5 * 1200 + 600) * K)
    # like-for-like: T1..T5 had every month of FY2024 too (5 x 1,440 L = 18 t)
    assert total.like_companies == 5
    assert total.change == pytest.approx((6000 - 7200) / 7200)
    assert total.percent == "−16.7 %"
    assert rep.co2.consenting == 7  # T1..T5, I1, A
    assert small.revoked.pk not in total.ids


def test_groups_of_fewer_than_five_are_suppressed(small):
    rep = selectors.report(office=small.office, period=FY2025, filters=Filters())
    by_pref = {g.label: g for g in rep.co2.by_prefecture}
    assert by_pref["富山県"].companies == 5
    assert by_pref["富山県"].total_t == pytest.approx(6000 * K)
    assert by_pref["石川県"].companies == 1
    assert by_pref["石川県"].suppressed
    assert by_pref["石川県"].total_t is None and by_pref["石川県"].change is None
    assert rep.ids_of("co2:pref:石川県") is None  # no list behind a suppressed figure
    only_ishikawa = selectors.report(
        office=small.office, period=FY2025, filters=Filters(prefecture="17")
    )
    assert only_ishikawa.co2.total.total_t is None


def test_a_revoked_consent_drops_the_company_out(small):
    consent = Consent.objects.get(company=small.toyama[0], revoked_at__isnull=True)
    consent.revoked_at = timezone.now()
    consent.save()
    rep = selectors.report(office=small.office, period=FY2025, filters=Filters())
    assert rep.co2.total.companies == 5
    assert rep.co2.total.total_t == pytest.approx((4 * 1200 + 600) * K)
    assert rep.co2.total.like_companies == 4
    by_pref = {g.label: g for g in rep.co2.by_prefecture}
    assert by_pref["富山県"].suppressed  # four companies now


def test_a_quarter_compares_the_same_quarter_a_year_before(small):
    q1 = rules.period_of("q1", 2025)
    table = co2.compute(q1)
    i = list(table.company).index(small.toyama[0].pk)
    assert table.n_months == 3
    assert table.t_cur[i] == pytest.approx(300 * K)
    assert table.t_prev[i] == pytest.approx(360 * K)


def test_a_missing_month_means_not_completely_measured(small):
    from cnnavi.measure.models import EnergyRecord

    EnergyRecord.objects.filter(facility__company=small.toyama[0], month=date(2025, 7, 1)).delete()
    rep = selectors.report(office=small.office, period=FY2025, filters=Filters())
    assert rep.co2.total.companies == 5
    assert rep.co2.total.total_t == pytest.approx((4 * 1200 + 600) * K)


def test_contract_supplier_is_used_for_electricity(small):
    """A record naming no supplier takes the facility's contract of that month (as measure)."""
    from decimal import Decimal

    from cnnavi.core import Record, calculate_record
    from cnnavi.measure.models import EnergyRecord, SupplyContract

    c = small.toyama[1]
    fac = c.facilities.get()
    SupplyContract.objects.create(facility=fac, kind="electricity", supplier_reg="A0271",
                                  supplier_name="北陸電力(株)", valid_from=date(2020, 4, 1))  # fmt: skip
    EnergyRecord.objects.create(facility=fac, month=date(2025, 5, 1), energy="electricity",
                                amount=Decimal(1000), unit="kWh")  # fmt: skip
    expected = calculate_record(
        Record("2025-05", "electricity", Decimal(1000), "kWh", supplier="A0271"), fiscal_year=2025
    ).tco2
    table = co2.compute(FY2025)
    i = list(table.company).index(c.pk)
    assert table.t_cur[i] == pytest.approx(1200 * K + float(expected))


def test_reach_per_menu(small, world):
    t1, t2 = small.toyama[0], small.toyama[1]
    f.self_check(None, f.at(2025, 5))
    f.self_check(None, f.at(2025, 6))
    f.self_check(None, f.at(2025, 6), prefecture="13")  # not the office's area
    f.self_check(t1, f.at(2025, 7))
    f.self_check(t1, f.at(2024, 7))  # before the period
    f.anonymous_diagnosis("know", f.at(2025, 8))
    f.diagnosis(t1, "know", f.at(2025, 3))  # before
    f.diagnosis(t1, "measure", f.at(2025, 6))
    f.diagnosis(t2, "reduce", f.at(2025, 9))
    case = CalcSupportCase.objects.create(company=t1, office=small.office)
    CalcSupportCase.objects.filter(pk=case.pk).update(created_at=f.at(2025, 5))
    CalcVisit.objects.create(case=case, company=t1, number=1, expert=world.a.expert,
                             scheduled_at=f.at(2025, 6), recorded_at=f.at(2025, 6))  # fmt: skip
    for company, state in ((t1, "completed"), (t2, "declined")):
        h = HandsOnCase.objects.create(company=company, office=small.office, state=state,
                                       themes_wanted="x", current_issues="y",
                                       project_members="z")  # fmt: skip
        HandsOnCase.objects.filter(pk=h.pk).update(created_at=f.at(2025, 5),
                                                   updated_at=f.at(2025, 11))  # fmt: skip
    event = make_event(small.office, days=-200)
    app = make_application(event, t2._owner)
    app.company = t2
    app.attended = True
    app.save()
    first = event.sessions.get()
    first.starts_at = f.at(2025, 10)
    first.ends_at = first.starts_at + timedelta(hours=1)
    first.save()
    type(app).objects.filter(pk=app.pk).update(created_at=f.at(2025, 9))
    course = make_course(small.office)
    from cnnavi.programmes.models import Enrolment

    e = Enrolment.objects.create(course=course, user=t1._owner)
    Enrolment.objects.filter(pk=e.pk).update(enrolled_at=f.at(2025, 4, 20),
                                             completed_at=f.at(2025, 5, 1))  # fmt: skip

    r = selectors.reach(office=small.office, period=FY2025, filters=Filters())
    counts = {k: v.count for k, v in r.items()}
    assert counts["self_checks_anonymous"] == 2
    assert counts["self_checks_company"] == 1
    assert counts["diagnoses_anonymous"] == 1
    assert counts["diagnoses_company"] == 2
    assert counts["calc_cases"] == 1 and counts["calc_visits_held"] == 1
    assert counts["handson_applications"] == 2
    assert counts["handson_accepted"] == 1
    assert counts["handson_completed"] == 1
    assert counts["seminar_applications"] == 1 and counts["seminar_attendance"] == 1
    assert counts["course_enrolments"] == 1 and counts["course_completions"] == 1
    assert counts["consultations_held"] == 0
    assert r["unique_companies"].companies == {t1.pk, t2.pk}
    # filtered to 石川: none of those companies
    r17 = selectors.reach(office=small.office, period=FY2025, filters=Filters(prefecture="17"))
    assert r17["unique_companies"].count == 0 and r17["self_checks_anonymous"].count == 0

    p = selectors.path(office=small.office, period=FY2025, filters=Filters())
    stages = {s["stage"]: s["count"] for s in p.stages}
    assert stages == {"know": 0, "measure": 1, "reduce": 1, "prepare": 0}
    moves = {(m["from"], m["to"]): m["count"] for m in p.transitions}
    assert moves == {("know", "measure"): 1, ("", "reduce"): 1}
    assert p.moved_up == {t1.pk, t2.pk}
    preceding = {x["key"]: x["count"] for x in p.preceding}
    assert preceding["calc_cases"] == 1 and preceding["seminar_attendance"] == 1


def test_the_page_links_and_exports(small, alice_client):
    response = alice_client.get(URL + "?period=fy&fiscal_year=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert "16.5" in html and "−16.7 %" in html
    assert "metric=co2:total:" in html
    listing = alice_client.get(URL + "companies/?period=fy&fiscal_year=2025&metric=co2:total:")
    assert listing.status_code == 200
    names = listing.content.decode()
    assert "Toyama 1" in names and "Ishikawa 1" in names and "Revoked 1" not in names
    assert alice_client.get(URL + "companies/?metric=nonsense").status_code == 404
    xlsx = alice_client.get(URL + "export.xlsx?period=fy&fiscal_year=2025")
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["成果", "定義"]
    values = [c for row in wb["成果"].iter_rows(values_only=True) for c in row]
    assert 16.5 in values and "—" in values
    assert any("5社未満" in (c or "") for row in wb["定義"].iter_rows(values_only=True)
               for c in row)  # fmt: skip
    text = alice_client.get(URL + "export.csv?period=fy&fiscal_year=2025").content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert any(r and r[0] == "合計: 合計" and r[2] == "16.5" for r in rows)


def test_bad_period_is_named(small, alice_client):
    response = alice_client.get(URL + "?period=custom&start=2025-06-01&end=2025-01-01")
    assert response.status_code == 422
    assert "終了日は開始日以降にしてください。" in response.content.decode()
    response = alice_client.get(URL + "?period=custom&start=2024-01-01&end=2025-06-01")
    assert "指定できる期間は12か月までです。" in response.content.decode()


def test_only_staff_open_the_page(client, world):
    client.force_login(world.outsider)
    assert client.get(URL).status_code == 403


def test_a_new_record_shows_within_a_minute(small, monkeypatch):
    """The report is cached for CACHE_SECONDS (60): a later request recomputes it."""
    from cnnavi.measure.models import EnergyRecord

    first = selectors.report_cached(office=small.office, period=FY2025, filters=Filters())
    EnergyRecord.objects.filter(facility__company=small.ishikawa).update(amount=100)
    same = selectors.report_cached(office=small.office, period=FY2025, filters=Filters())
    assert same.co2.total.total_t == first.co2.total.total_t
    assert co2.CACHE_SECONDS <= 60
    cache.clear()  # what the minute's expiry does
    later = selectors.report_cached(office=small.office, period=FY2025, filters=Filters())
    assert later.co2.total.total_t == pytest.approx((6000 + 1200) * K)


def test_benchmark_against_industry_and_size(small, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 6, 1))
    b = selectors.benchmark(company=small.toyama[0])
    assert b.fiscal_year == 2025 and b.band == "21-50"
    per_employee = next(line for line in b.lines if line.key == "employees")
    # T1..T5 at 1,200 L / 30 people and I1 at 600 L / 30 (the same industry and band, any office)
    assert per_employee.group_size == 6
    assert per_employee.value == pytest.approx(1200 * K / 30)
    assert per_employee.median == pytest.approx(1200 * K / 30)
    assert per_employee.position == "top25"  # ties with the first quartile count as top
    b_i = selectors.benchmark(company=small.ishikawa)
    line = next(x for x in b_i.lines if x.key == "employees")
    assert line.position == "top25" and line.better_than == pytest.approx(5 / 6)


def test_benchmark_needs_five_companies(small, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 6, 1))
    for c in small.toyama[:2]:
        Consent.objects.filter(company=c).update(revoked_at=timezone.now())
    b = selectors.benchmark(company=small.toyama[0])
    line = next(x for x in b.lines if x.key == "employees")
    assert line.group_size == 4 and not line.enough and line.q1 is None


def test_benchmark_without_a_complete_year(world, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 6, 1))
    assert selectors.benchmark(company=world.a.company).reason == "no_year"


def test_rules_periods_and_bands():
    assert rules.period_of("h2", 2025).start == date(2025, 10, 1)
    assert rules.period_of("q4", 2025).end == date(2026, 3, 31)
    assert len(rules.period_of("fy", 2025).months) == 12
    assert rules.size_band(5) == "1-5" and rules.size_band(301) == "301+"
    assert rules.size_band(None) == ""
    assert rules.suppressed(4) and not rules.suppressed(5) and not rules.suppressed(0)
    assert datetime  # imported for the helpers' types


def test_benchmark_card_for_the_company(small, client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 6, 1))
    c = small.toyama[0]
    client.force_login(c._owner)
    html = client.get(f"/companies/{c.pk}/benchmark/", HTTP_HX_REQUEST="true").content.decode()
    assert "上位25 %" in html and "6 社の中で" in html and "2025年度" in html
    other = small.toyama[1]
    assert client.get(f"/companies/{other.pk}/benchmark/").status_code == 404
    english = client.get(f"/en/companies/{c.pk}/benchmark/").content.decode()
    assert "Top 25 %" in english


def test_a_year_that_cannot_be_computed_leaves_the_comparison(small):
    """FY2024 electricity factors are not shipped: T1's FY2024 total is not whole, so T1 leaves
    the like-for-like comparison (four companies left: suppressed) but keeps its FY2025 total."""
    from decimal import Decimal

    from cnnavi.measure.models import EnergyRecord

    EnergyRecord.objects.create(facility=small.toyama[0].facilities.get(), month=date(2024, 5, 1),
                                energy="electricity", amount=Decimal(1000), unit="kWh")  # fmt: skip
    rep = selectors.report(office=small.office, period=FY2025, filters=Filters())
    assert rep.co2.total.companies == 6 and rep.co2.total.total_t == pytest.approx(6600 * K)
    assert rep.co2.total.like_companies == 4 and rep.co2.total.change is None
    assert rep.co2.uncomputed == 1


def test_the_default_period_is_the_last_fiscal_year(world, alice_client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 6, 1))
    html = alice_client.get(URL).content.decode()
    assert "期間: 2025-04-01 〜 2026-03-31" in html
    assert '<option value="2025" selected>' in html
