import re
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cnnavi.audit.models import AuditEntry
from cnnavi.core import Record, calculate
from cnnavi.orgs.models import Membership, Role
from cnnavi.reduce import data, selectors
from cnnavi.reduce.models import CatalogueMeasure, PlanMeasure, ReductionPlan
from cnnavi.reduce.tests.factories import HOKURIKU, add_year, post_measures, post_target

pytestmark = pytest.mark.django_db


def test_the_catalogue_ships_with_sources():
    codes = set(CatalogueMeasure.objects.values_list("code", flat=True))
    assert {
        "led-lighting",
        "ac-setpoint",
        "ac-renewal",
        "compressor-leaks",
        "compressor-pressure",
        "boiler-heat-pump",
        "insulation",
        "inverter-drives",
        "demand-control",
        "ev",
        "rooftop-solar",
        "onsite-ppa",
        "renewable-menu",
        "certificates",
        "j-credits",
    } <= codes
    assert not CatalogueMeasure.objects.filter(source="").exists()
    assert CatalogueMeasure.objects.get(code="compressor-pressure").share == D("0.08")


def test_energy_profile_is_the_core_calculation_of_measures_records(company):
    profile = data.energy_profile(company=company, fiscal_year=2025)
    elec = next(e for e in profile.energies if e.energy == "electricity")
    oil = next(e for e in profile.energies if e.energy == "heavy_oil_a")
    assert (elec.amount, elec.unit, elec.cost_yen) == (D(120_000), "kWh", 120_000 * 27)
    assert elec.uses == {"照明": D(24_000), "生産設備": D(96_000)}
    assert (oil.amount, oil.unit) == (D(12_000), "L")
    official = calculate(
        [
            Record(
                month="2025-04",
                energy="electricity",
                amount=D(120_000),
                unit="kWh",
                supplier=HOKURIKU,
            ),
            Record(month="2025-04", energy="heavy_oil_a", amount=D(12_000), unit="L"),
        ],
        fiscal_year=2025,
    )[0]
    tiny = D("1e-20")  # the core sums at 34 digits
    assert abs(profile.total("basic") - official.total_basic_t) < tiny
    assert abs(profile.total("location") - (official.scope1_t + official.scope2_location_t)) < tiny
    assert abs(profile.total("market") - (official.scope1_t + official.scope2_market_t)) < tiny
    assert profile.electricity_factor["location"] == elec.t["location"] / D(120_000)
    comp = data.base_year_completeness(company=company, fiscal_year=2025)
    assert comp.complete and comp.missing == []


def test_base_year_says_what_is_missing(world, alice_client):
    from cnnavi.measure import services as ms

    ms.record_create(
        actor=world.a.owner,
        facility=world.a.facility,
        month=__import__("datetime").date(2025, 4, 1),
        energy="electricity",
        amount=D(100),
        unit="kWh",
        supplier=HOKURIKU,
    )
    page = alice_client.get(reverse("reduce:target", args=[world.a.company.pk])).content.decode()
    assert 'data-testid="base-year-missing"' in page
    assert "2025-05" in page and "2026-03" in page


def test_set_target_pick_measures_and_read_the_effects(company, alice_client):
    response = post_target(alice_client, company)
    assert response.status_code == 302
    plan = ReductionPlan.objects.get(company=company)
    assert (plan.base_year, plan.near_share, plan.basis) == (2025, D("0.21"), "location")
    assert AuditEntry.objects.filter(action="reduce.plan_create", company=company).exists()

    assert (
        post_measures(
            alice_client, company, ["led-lighting", "renewable-menu", "boiler-heat-pump"]
        ).status_code
        == 302
    )
    assert plan.measures.count() == 3
    ov = selectors.plan_overview(company=company, plan=plan)
    rows = {r.pm.measure.code: r for r in ov.rows}
    profile = ov.profile
    elec = next(e for e in profile.energies if e.energy == "electricity")
    led = rows["led-lighting"].effect
    # half of the company's own 24,000 kWh of lighting, at each basis' own factor
    assert led.energy == (("electricity", D(12_000), "kWh"),)
    assert led.t_saved["location"] == D(12_000) * elec.t["location"] / elec.amount
    assert led.t_saved["market"] == D(12_000) * elec.t["market"] / elec.amount
    assert led.yen_saved == 12_000 * 27
    assert led.payback_years == D(3_000_000) / D(12_000 * 27)
    menu = rows["renewable-menu"].effect
    assert menu.t_saved["location"] == 0 and menu.t_saved["market"] > 0
    hp = rows["boiler-heat-pump"].effect
    oil = next(e for e in profile.energies if e.energy == "heavy_oil_a")
    assert hp.energy[0] == ("heavy_oil_a", D(6_000), "L")  # half of the oil (boiler use share)
    # roadmap: all three start in FY2026
    by_year = {y.year: y for y in ov.roadmap}
    assert by_year[2025].t["location"] == ov.totals_before["location"]
    assert by_year[2026].t["location"] == ov.totals_after["location"]
    assert by_year[2030].target_t == ov.totals_before["location"] * D("0.79")
    assert oil.t["location"] > 0

    page = alice_client.get(reverse("reduce:plan", args=[company.pk])).content.decode()
    assert page.count('data-testid="measure-row"') == 3
    assert "照明のLED化" in page and "仮定" in page
    assert "SBTi" in page and "2023" in page
    assert 'data-testid="roadmap-row"' in page
    # the charts are SVG drawn on the server from the figures of the tables under them
    assert "plotly" not in page and page.count('role="img"') >= 6  # 3 charts x 2 widths
    chart_data = selectors.chart_data(ov)
    figures = selectors.chart_figures(chart_data)
    mac = [(b.key, b.t, b.cost_per_t) for b in ov.mac]
    assert [(r[1], r[2]) for r in figures["mac"].rows] == [
        (float(round(t, 6)), float(round(c, 6))) for _k, t, c in mac
    ]
    names = {str(r.pm.pk): r.pm.measure.name for r in ov.rows}
    assert [r[0] for r in figures["mac"].rows] == [names[k] for k, _t, _c in mac]
    assert [r[:3] for r in figures["roadmap"].rows] == [
        (y.year, float(round(y.t["location"], 6)), float(round(y.target_t, 6))) for y in ov.roadmap
    ]
    assert [r[0] for r in figures["area"].rows] == [a["label"] for a in chart_data["area"]]
    assert sum(r[2] for r in figures["area"].rows) == pytest.approx(
        float(ov.totals_before["location"])
    )


def test_target_errors_name_the_field_and_save_nothing(company, alice_client):
    response = post_target(alice_client, company, near_year="2024")
    assert response.status_code == 422
    assert "中期目標の年度は基準年度より後にしてください。" in response.content.decode()
    response = post_target(alice_client, company, base_year="2019")
    assert response.status_code == 422
    assert "基準年度" in response.content.decode()
    response = post_target(alice_client, company, near_pct="120")
    assert response.status_code == 422
    assert "中期目標の削減率（%）" in response.content.decode()
    assert not ReductionPlan.objects.exists()


def test_override_an_assumption_and_see_it_marked(company, alice_client):
    post_target(alice_client, company)
    post_measures(alice_client, company, ["led-lighting"])
    pm = PlanMeasure.objects.get()
    url = reverse("reduce:measure_edit", args=[company.pk, pm.pk])
    bad = alice_client.post(url, {"status": "planned", "share_pct": "150", "start_year": "2026"})
    assert bad.status_code == 422
    assert "削減率・対象率（%）" in bad.content.decode()
    ok = alice_client.post(
        url,
        {"status": "planned", "share_pct": "60", "investment_yen": "2000000", "start_year": "2026"},
    )
    assert ok.status_code == 302
    pm.refresh_from_db()
    assert (pm.share, pm.investment_yen) == (D("0.6"), 2_000_000)
    ov = selectors.plan_overview(company=company, plan=pm.plan)
    row = ov.rows[0]
    assert row.origins["share"] == "user" and row.origins["lifetime_years"] == "assumption"
    assert row.effect.energy[0][1] == D(24_000) * D("0.6")
    done = alice_client.post(url, {"status": "done", "share_pct": "60", "start_year": "2026"})
    assert done.status_code == 422
    assert "完了日" in done.content.decode()


def test_planned_versus_actual_after_a_measure_is_done(company, world, alice_client):
    add_year(world.a.owner, world.a.facility, 2026, lighting=2_000, factor=0.9)  # 10% less
    post_target(alice_client, company)
    post_measures(alice_client, company, ["led-lighting"])
    pm = PlanMeasure.objects.get()
    alice_client.post(
        reverse("reduce:measure_edit", args=[company.pk, pm.pk]),
        {"status": "done", "done_on": "2026-03-20", "start_year": "2026"},
    )
    ov = selectors.plan_overview(company=company, plan=pm.plan)
    track = ov.rows[0].tracking
    assert track is not None and len(track.months) >= 6
    n = len(track.months)
    assert track.before == D(10_000) * n and track.after == D(9_000) * n
    # planned: 12,000 of 120,000 kWh a year = 10 % of the same months before
    assert track.planned_saved == D(1_000) * n
    assert track.ratio == 1
    page = alice_client.get(reverse("reduce:plan", args=[company.pk])).content.decode()
    assert 'data-testid="tracking-row"' in page


def test_viewer_reads_but_cannot_edit(company, world, client):
    from cnnavi.testing import make_user

    viewer = make_user("viewer@example.com")
    Membership.objects.create(company=company, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(reverse("reduce:plan", args=[company.pk])).status_code == 200
    assert client.get(reverse("reduce:target", args=[company.pk])).status_code == 403
    assert client.get(reverse("reduce:index")).status_code == 302


def test_no_energy_data_says_where_to_enter_it(world, alice_client):
    page = alice_client.get(reverse("reduce:plan", args=[world.a.company.pk])).content.decode()
    assert 'data-testid="no-data"' in page


def test_exports(company, alice_client):
    post_target(alice_client, company)
    post_measures(alice_client, company, ["led-lighting", "compressor-pressure"])
    xlsx = alice_client.get(reverse("reduce:export_xlsx", args=[company.pk]))
    assert xlsx.status_code == 200
    wb = load_workbook(BytesIO(xlsx.content))
    cells = [c.value for row in wb["plan"].iter_rows() for c in row]
    assert "照明のLED化" in cells and 2025 in cells
    assert [c.value for c in wb["roadmap"][1]][0] == "年度"
    pdf = alice_client.get(reverse("reduce:export_pdf", args=[company.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_plan_page_query_count_does_not_grow_with_measures(
    company, alice_client, django_assert_max_num_queries
):
    post_target(alice_client, company)
    post_measures(
        alice_client, company, [m.code for m in CatalogueMeasure.objects.exclude(kind="offset")]
    )
    # done measures read the company's monthly data once for all of them
    PlanMeasure.objects.filter(measure__kind="saving").update(status="done", done_on="2026-01-10")
    assert PlanMeasure.objects.filter(status="done").count() >= 8
    with django_assert_max_num_queries(30):
        assert alice_client.get(reverse("reduce:plan", args=[company.pk])).status_code == 200


def test_staff_edit_the_catalogue(world, alice_client, client):
    url = reverse("reduce_staff:catalogue_edit", args=["led-lighting"])
    page = alice_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # staff tick energies by name, never type internal codes
    assert re.search(r'value="heavy_oil_a"[^>]*>\s*A重油', html)
    assert re.search(r'value="electricity"[^>]*checked[^>]*>\s*電気', html)
    assert "electricity, city_gas" not in html
    m = CatalogueMeasure.objects.get(code="led-lighting")
    form = {
        f: getattr(m, f)
        for f in (
            "name",
            "name_en",
            "lever",
            "kind",
            "use",
            "source",
            "lifetime_years",
            "position",
            "investment_yen",
            "annual_cost_yen",
            "kwh_per_gj",
            "unit_cost_yen",
            "offset_t",
        )
    }
    form.update(
        share="0.45",
        use_share="0.4",
        energies="electricity",
        topics="energy_saving",
        active="on",
        saving_is_assumption="on",
    )
    bad = alice_client.post(url, dict(form, energies="electricity, plutonium"))
    assert bad.status_code == 422
    assert "plutonium" in bad.content.decode()
    assert alice_client.post(url, form).status_code == 302
    m.refresh_from_db()
    assert m.share == D("0.45")
    assert AuditEntry.objects.filter(action="reduce.catalogue_update").exists()
    client.force_login(world.outsider)
    assert client.get(url).status_code == 403
    assert client.get(reverse("reduce_staff:catalogue_list")).status_code == 403


def test_status_changes_inline_with_htmx(company, alice_client):
    post_target(alice_client, company)
    post_measures(alice_client, company, ["led-lighting"])
    pm = PlanMeasure.objects.get()
    url = reverse("reduce:measure_status", args=[company.pk, pm.pk])
    response = alice_client.post(url, {"status": "in_progress"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="measures">')
    assert '<option value="in_progress" selected>' in html
    pm.refresh_from_db()
    assert pm.status == "in_progress"
    assert alice_client.post(url, {"status": "done"}).status_code == 302
    pm.refresh_from_db()
    assert pm.status == "done" and pm.done_on is not None
    assert alice_client.post(url, {"status": "finished"}).status_code == 400


def test_following_the_sbt_sme_route_sets_its_target(company, alice_client):
    response = post_target(
        alice_client, company, follows_sbt_sme="on", near_year="2035", near_pct="5"
    )
    assert response.status_code == 302
    # the page says the route replaced what was typed
    page = alice_client.get(response.url).content.decode()
    assert "中小企業版SBTに合わせて、中期目標を2030年度・42.0%" in page
    plan = ReductionPlan.objects.get(company=company)
    # FY2025 base: at least 42 % by 2030 (rate to be confirmed), net zero in 2050
    assert (plan.near_year, plan.near_share, plan.long_year, plan.long_share) == (
        2030,
        D("0.42"),
        2050,
        1,
    )


def test_adding_nothing_or_a_bad_year_is_refused_with_the_field_named(company, alice_client):
    post_target(alice_client, company)
    url = reverse("reduce:measures_add", args=[company.pk])
    response = alice_client.post(url, {"measures": [], "start_year": "2026"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-summary"' in html
    assert "追加する対策: 対策を1つ以上選んでください。" in html
    led = CatalogueMeasure.objects.get(code="led-lighting").pk
    response = alice_client.post(url, {"measures": [led], "start_year": "20x6"})
    assert response.status_code == 422
    assert "開始年度（空欄ならアイデアとして追加）" in response.content.decode()
    assert not PlanMeasure.objects.exists()
