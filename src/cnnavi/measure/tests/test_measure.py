"""Measure: records, contracts, grid, dashboard, interfaces for other apps, access."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from cnnavi.audit.models import AuditEntry
from cnnavi.common.tests.test_english import japanese_in
from cnnavi.measure import calc, rules, selectors, services
from cnnavi.measure.models import EnergyRecord, GridRow, SupplyContract
from cnnavi.measure.selectors import dashboard as dashboard_selectors
from cnnavi.orgs.models import Consent, ConsentScope, Membership, Role
from cnnavi.testing import make_user

pytestmark = pytest.mark.django_db

# Official factors written out with their source (not read from the code under test):
# 北陸電力(株) A0271 メニューB(残差) basic = adjusted = 0.000455 t-CO2/kWh, 電気事業者別排出係数
# －R6年度実績－ (R8.1.9 公表) p.8, used for FY2025 emissions; 全国平均係数 0.000423; 代替値 0.000416.
HOKURIKU_RESIDUAL = Decimal("0.000455")
NATIONAL_AVERAGE = Decimal("0.000423")
ELECTRICITY_DEFAULT = Decimal("0.000416")
# 都市ガス 代替値 2.05 t-CO2/千m3 (算定省令 別表第5: 40.0 GJ/千m3 x 0.0140 tC/GJ x 44/12).
CITY_GAS_DEFAULT = Decimal("2.05")
CITY_GAS_GJ = Decimal("40.0")
ELECTRICITY_GJ_PER_KWH = Decimal("0.00864")  # 省エネ法施行規則 第4条 8.64 GJ/千kWh
KL_PER_GJ = Decimal("0.0258")


def _hand_fy2025():
    factory_kwh = sum(Decimal(10000 + 100 * i) for i in range(12))
    office_kwh = Decimal(2000)
    gas_thousand_m3 = Decimal(12)  # 12 x 1000 m3
    scope1 = gas_thousand_m3 * CITY_GAS_DEFAULT
    scope2 = factory_kwh * HOKURIKU_RESIDUAL + office_kwh * ELECTRICITY_DEFAULT
    location = (factory_kwh + office_kwh) * NATIONAL_AVERAGE
    gj = (factory_kwh + office_kwh) * ELECTRICITY_GJ_PER_KWH + gas_thousand_m3 * CITY_GAS_GJ
    return scope1, scope2, location, gj


def test_records_take_the_supplier_of_the_contract_valid_in_their_month(company, factory):
    SupplyContract.objects.create(
        facility=factory,
        kind="electricity",
        supplier_reg="A0271",
        supplier_name="北陸電力(株)",
        valid_from=date(2025, 4, 1),
    )
    SupplyContract.objects.create(
        facility=factory,
        kind="electricity",
        supplier_reg="A0573",
        supplier_name="北陸電力ビズ・エナジーソリューション(株)",
        menu="メニューA",
        valid_from=date(2025, 10, 1),
    )
    for m in (date(2025, 9, 1), date(2025, 10, 1)):
        EnergyRecord.objects.create(
            facility=factory, month=m, energy="electricity", amount=1000, unit="kWh"
        )
    EnergyRecord.objects.create(
        facility=factory,
        month=date(2025, 11, 1),
        energy="electricity",
        amount=1000,
        unit="kWh",
        supplier="A0271",
        use="照明",
    )
    records, _ = calc.core_records(company=company, fiscal_year=2025)
    by_month = {r.month: (r.supplier, r.menu) for r in records}
    assert by_month["2025-09"] == ("A0271", "")
    assert by_month["2025-10"] == ("A0573", "メニューA")
    assert by_month["2025-11"] == ("A0271", "")  # given explicitly on the record


def test_dashboard_totals_equal_a_hand_calculation_with_the_official_factors(company, fy2025):
    scope1, scope2, location, gj = _hand_fy2025()
    d = dashboard_selectors.dashboard(company=company, fiscal_year=2025)
    assert d.ok
    assert d.totals["scope1_t"] == scope1 == Decimal("24.60")
    assert d.totals["scope2_basic_t"] == scope2
    assert d.totals["scope2_location_t"] == location
    assert d.totals["energy_gj"] == gj
    assert d.totals["crude_oil_kl"] == gj * KL_PER_GJ
    assert d.totals["cost_yen"] == sum(280000 + i for i in range(12)) + 12 * 180000 + 60000
    # provenance: the supplier factor and the default values, marked as such
    defaults = [f for f in d.factors if f["is_default"]]
    assert {str(f["value"]) for f in defaults} >= {"2.05", "0.000416"}
    hokuriku = [f for f in d.factors if f["supplier"] == "A0271"]
    assert hokuriku and hokuriku[0]["value"] == HOKURIKU_RESIDUAL
    assert "R6年度実績" in hokuriku[0]["document"]
    # Pareto: descending with a cumulative share ending at 1
    assert [p.tco2 for p in d.pareto] == sorted((p.tco2 for p in d.pareto), reverse=True)
    assert d.pareto[-1].cumulative_share == pytest.approx(1.0)
    # the office has only April: its missing months are listed
    office_row = next(r for r in d.completeness if r.facility == "Office a")
    assert "2025-05" in office_row.missing and len(office_row.missing) == 11
    assert not d.complete


def test_intensity_per_employee_floor_area_and_sales(company, fy2025, world):
    services.volume_save(
        actor=world.a.owner,
        company=company,
        kind="sales",
        fiscal_year=2025,
        month=None,
        value=Decimal(500),
        unit="百万円",
    )
    d = dashboard_selectors.dashboard(company=company, fiscal_year=2025)
    total = float(d.totals["total_basic_t"])
    by_key = {i["key"]: i for i in d.intensity}
    assert by_key["employees"]["value"] == pytest.approx(total / 50)
    assert by_key["floor_area"]["value"] == pytest.approx(total / 1200)
    assert by_key["sales"]["value"] == pytest.approx(total / 500)


def test_snapshot_and_summary_for_other_apps(company, fy2025):
    snap = calc.emissions_snapshot(company=company, fiscal_year=2025)
    scope1, scope2, location, gj = _hand_fy2025()
    assert snap["scope1_t"] == pytest.approx(float(scope1))
    assert snap["scope2_basic_t"] == pytest.approx(float(scope2))
    assert snap["energy_gj"] == pytest.approx(float(gj))
    assert snap["demo"] is False and snap["complete"] is False
    assert snap["pareto"][0]["facility"] == "Factory a"
    assert {"source", "target", "value"} <= set(snap["flow"][0])
    empty = calc.emissions_snapshot(company=company, fiscal_year=2019)
    assert empty["scope1_t"] == 0.0 and empty["pareto"] == [] and empty["cost_yen"] == 0
    summary = calc.energy_data_summary(company=company)
    assert summary.latest_fiscal_year == 2025
    assert summary.has_co2 is True
    assert summary.has_use_breakdown is False


def test_a_year_the_core_cannot_compute_lists_why(company, factory, alice_client):
    EnergyRecord.objects.create(
        facility=factory, month=date(2024, 5, 1), energy="electricity", amount=1, unit="kWh"
    )
    response = alice_client.get(reverse("measure:dashboard", args=[company.pk]) + "?year=2024")
    assert response.status_code == 200
    text = response.content.decode()
    assert "この年度は算定できません" in text
    # the core's error in Japanese, with what to do; no English sentence on the Japanese page
    plain = re.sub(r"<[^>]+>", "", text)
    assert (
        "2024年度の電気の事業者別排出係数（公表一覧）はまだ収録されていないため、"
        "電気の CO2 を計算できません（収録済み: 2025年度）。" in plain
    )
    assert "支援事務局が国の公表一覧を取り込むと、自動で計算されます" in plain
    assert "cnnavi" not in plain.replace("CN Navi", "")  # no command line for an SME
    assert "are not available" not in plain and "tables shipped" not in plain
    assert "電気" in plain and "Factory a / 電気" in plain

    response = alice_client.get(
        "/en" + reverse("measure:dashboard", args=[company.pk]) + "?year=2024"
    )
    plain = re.sub(r"<[^>]+>", "", response.content.decode())
    assert (
        "The electricity supplier factors (official table) for FY2024 are not included yet, "
        "so the CO2 of electricity cannot be computed (included: FY2025)." in plain
    )
    assert "cnnavi factors" not in plain
    assert "2024年度" not in plain and "公表一覧" not in plain
    assert japanese_in(response.content.decode()) == set()


def _warnings_list(html: str) -> str:
    m = re.search(r'<ul class="small" data-testid="calc-warnings">(.*?)</ul>', html, re.S)
    assert m, "no 注意 list"
    return re.sub(r"<[^>]+>", "", m.group(1))


def test_dashboard_warnings_in_the_users_language(company, factory, alice_client):
    # FY2026: the FY2026 electricity table is not published yet, the FY2025 one is used
    for m in (4, 5, 6):
        EnergyRecord.objects.create(
            facility=factory,
            month=date(2026, m, 1),
            energy="electricity",
            amount=1000,
            unit="kWh",
            supplier="A0271",
        )
    url = reverse("measure:dashboard", args=[company.pk]) + "?year=2026"
    html = alice_client.get(url).content.decode()
    notes = _warnings_list(html)
    assert (
        "2026年度の電気の排出係数はまだ公表されていないため、2025年度の係数を暫定で使っています"
        "（3件）。" in notes
    )
    assert 'data-code="note.provisional_factors"' in html
    # no English sentence on the Japanese page
    assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", notes), notes
    assert "provisionally" not in html and "records)" not in html

    html = alice_client.get("/en" + url).content.decode()
    notes = _warnings_list(html)
    assert (
        "The electricity emission factors for FY2026 have not been published yet, so the FY2025 "
        "factors are used provisionally (3 records)." in notes
    )
    assert japanese_in(html) == set()
    assert "暫定" not in html and "2026年度" not in html


def test_dashboard_default_value_note_points_to_the_supply_contract(company, factory, alice_client):
    EnergyRecord.objects.create(
        facility=factory, month=date(2025, 5, 1), energy="electricity", amount=1, unit="kWh"
    )
    url = reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
    notes = _warnings_list(alice_client.get(url).content.decode())
    assert (
        "電気の供給事業者が分からないため、代替値（0.000416 t-CO2/kWh）で計算しています。"
        "事業所の供給契約で供給事業者を選ぶと、より正確な値になります。" in notes
    )
    html = alice_client.get("/en" + url).content.decode()
    assert "No electricity supplier is known, so the default value" in _warnings_list(html)
    assert japanese_in(html) == set()


def test_grouped_errors_group_by_code_and_parameters(company, factory):
    for month in (date(2024, 5, 1), date(2024, 6, 1)):
        EnergyRecord.objects.create(
            facility=factory, month=month, energy="electricity", amount=1, unit="kWh"
        )
    year = calc.year_calc(company=company, fiscal_year=2024)
    with translation.override("ja"):
        (electricity,) = year.grouped_errors()
    assert electricity["code"] == "factor.year_unavailable"
    assert electricity["params"] == {
        "kind": "electricity",
        "fiscal_year": 2024,
        "shipped": "FY2025",
    }
    assert electricity["count"] == 2
    assert (electricity["first_month"], electricity["last_month"]) == ("2024-05", "2024-06")
    assert electricity["reason"].startswith("electricity supplier factors for FY2024")
    assert "事業者別排出係数" in electricity["message"]


# --------------------------------------------------------------------------- grid


def _cell(client, company, facility, **data):
    url = reverse("measure:grid_cell", args=[company.pk, facility.pk])
    return client.post(url, {"energy": "electricity", "unit": "kWh", "month": "2025-04", **data})


def test_grid_cell_saves_validates_and_deletes(alice_client, company, factory):
    r = _cell(alice_client, company, factory, amount="1,200.5", cost="¥34,000")
    assert r.status_code == 200 and "保存しました" in r.content.decode()
    rec = EnergyRecord.objects.get(facility=factory, month=date(2025, 4, 1))
    assert rec.amount == Decimal("1200.5") and rec.cost_yen == 34000
    assert GridRow.objects.filter(facility=factory, fiscal_year=2025, energy="electricity").exists()

    r = _cell(alice_client, company, factory, amount="abc", cost="12.5")
    assert r.status_code == 422
    text = r.content.decode()
    assert "使用量: 数値で入力してください。" in text
    assert "金額: 円単位の整数で入力してください。" in text
    rec.refresh_from_db()
    assert rec.amount == Decimal("1200.5")  # the bad cell changed nothing

    r = _cell(alice_client, company, factory, amount="-3")
    assert r.status_code == 422 and "0以上で入力してください。" in r.content.decode()
    r = _cell(alice_client, company, factory, amount="", cost="500")
    assert r.status_code == 422 and "使用量も入力してください" in r.content.decode()

    r = _cell(alice_client, company, factory, amount="", cost="")
    assert r.status_code == 200
    assert not EnergyRecord.objects.filter(facility=factory).exists()
    assert AuditEntry.objects.filter(action="measure.record_delete").exists()


def test_grid_page_shows_the_cells_and_copies_last_years_rows(
    alice_client, company, factory, fy2025
):
    url = reverse("measure:grid", args=[company.pk, factory.pk])
    text = alice_client.get(url + "?year=2025").content.decode()
    assert 'aria-label="電気 2025-04 使用量"' in text
    assert 'value="10000"' in text
    assert "126,600 kWh" in text  # the row total

    r = alice_client.post(
        reverse("measure:grid_copy", args=[company.pk, factory.pk]), {"year": 2026}
    )
    assert r.status_code == 302
    rows = set(
        GridRow.objects.filter(facility=factory, fiscal_year=2026).values_list("energy", "unit")
    )
    assert rows == {("electricity", "kWh"), ("city_gas", "m3")}
    assert not EnergyRecord.objects.filter(facility=factory, month__gte=date(2026, 4, 1)).exists()
    text = alice_client.get(url + "?year=2026").content.decode()
    assert 'aria-label="都市ガス 2026-04 使用量"' in text


def test_changing_a_rows_unit_changes_its_records(alice_client, company, factory, fy2025):
    alice_client.post(
        reverse("measure:grid_unit", args=[company.pk, factory.pk]),
        {"year": 2025, "energy": "city_gas", "unit": "千m3"},
    )
    assert set(
        EnergyRecord.objects.filter(facility=factory, energy="city_gas").values_list(
            "unit", flat=True
        )
    ) == {"千m3"}


# session, user, 2FA check, company, membership, then the page's own reads
GRID_QUERIES = 16  # +1: the bill evidence of the shown months (statements), in one query
DASHBOARD_QUERIES = 25  # computing the year and the year before
DASHBOARD_CACHED_QUERIES = 7  # the figures section from the cache (test_dashboard_cache)


def test_query_counts_do_not_grow_with_records(
    alice_client, company, factory, office, django_assert_max_num_queries
):
    grid_url = reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025"
    dash_url = reverse("measure:dashboard", args=[company.pk]) + "?year=2025"

    def fill(n_years):
        rows = []
        for fy in range(2025 - n_years + 1, 2026):
            for m in rules.fiscal_months(fy):
                for f in (factory, office):
                    for energy, unit in (("electricity", "kWh"), ("kerosene", "L"), ("lpg", "kg")):
                        rows.append(
                            EnergyRecord(facility=f, month=m, energy=energy, amount=100, unit=unit)
                        )
        EnergyRecord.objects.bulk_create(rows, ignore_conflicts=True)
        calc.data_changed(company=company)  # as the services do

    for years in (1, 3):
        fill(years)
        with django_assert_max_num_queries(GRID_QUERIES):
            assert alice_client.get(grid_url).status_code == 200
        with django_assert_max_num_queries(DASHBOARD_QUERIES):
            first = alice_client.get(dash_url).context["d"]
        with django_assert_max_num_queries(DASHBOARD_CACHED_QUERIES):
            again = alice_client.get(dash_url).context["d"]
        assert again.totals == first.totals and again.pareto == first.pareto


def test_the_cached_dashboard_follows_every_change(alice_client, company, factory, fy2025, world):
    url = reverse("measure:dashboard", args=[company.pk]) + "?year=2025"

    def total():
        return alice_client.get(url).context["d"].totals["total_basic_t"]

    before = total()
    rec = EnergyRecord.objects.get(facility=factory, month=date(2025, 4, 1), energy="electricity")
    services.grid_cell_save(
        actor=world.a.owner,
        facility=factory,
        energy="electricity",
        unit="kWh",
        month=rec.month,
        amount=rec.amount + 1000,
        cost_yen=None,
    )
    after_edit = total()
    assert after_edit == before + 1000 * HOKURIKU_RESIDUAL
    services.contract_save(
        actor=world.a.owner,
        facility=factory,
        kind="electricity",
        supplier_reg="A0271",
        menu="メニューA",
        valid_from=date(2025, 4, 1),
    )
    assert total() < after_edit  # メニューA is 0.000000
    services.grid_cell_save(
        actor=world.a.owner,
        facility=factory,
        energy="electricity",
        unit="kWh",
        month=rec.month,
        amount=None,
        cost_yen=None,
    )
    assert alice_client.get(url).context["d"].completeness[0].missing[:1] == ["2025-04"]


# --------------------------------------------------------------------------- contracts


def test_contract_is_checked_against_the_official_table(alice_client, company, factory):
    url = reverse("measure:contract_new", args=[company.pk, factory.pk])
    r = alice_client.post(
        url, {"kind": "electricity", "valid_from": "2025-04", "supplier_reg": "Z9999"}
    )
    assert r.status_code == 422
    assert "この登録番号はありません" in r.content.decode()
    r = alice_client.post(
        url,
        {
            "kind": "electricity",
            "valid_from": "2025-04",
            "supplier_reg": "A0271",
            "menu": "メニューZ",
        },
    )
    assert r.status_code == 422 and "メニューから選んでください" in r.content.decode()
    r = alice_client.post(
        url,
        {
            "kind": "electricity",
            "valid_from": "2025-04",
            "supplier_reg": "a0271",
            "menu": "メニューA",
        },
    )
    assert r.status_code == 302
    c = SupplyContract.objects.get(facility=factory)
    assert (c.supplier_reg, c.supplier_name, c.menu) == ("A0271", "北陸電力(株)", "メニューA")


def test_supplier_search_by_name_and_number(alice_client):
    url = reverse("measure:supplier_search")
    text = alice_client.get(url, {"kind": "electricity", "q": "北陸電力"}).content.decode()
    assert "A0271" in text and "メニューB(残差)" in text
    text = alice_client.get(url, {"kind": "electricity", "q": "A0271"}).content.decode()
    assert "北陸電力(株)" in text


# --------------------------------------------------------------------------- access


def test_viewer_reads_but_cannot_edit(client, company, factory, fy2025):
    viewer = make_user("viewer@example.com")
    Membership.objects.create(company=company, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(reverse("measure:dashboard", args=[company.pk])).status_code == 200
    text = client.get(
        reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025"
    ).content.decode()
    assert '<input name="amount"' not in text
    assert _cell(client, company, factory, amount="5").status_code == 403
    assert client.get(reverse("measure:import_upload", args=[company.pk])).status_code == 403


def test_office_staff_need_consent_and_edit_scope(client, world, company, factory, fy2025):
    staff = make_user("staff2@example.com", totp=True)
    from cnnavi.orgs.models import OfficeStaff

    OfficeStaff.objects.create(office=world.a.office, user=staff)
    client.force_login(staff)
    Consent.objects.filter(company=company).update(scope=ConsentScope.READ)
    assert client.get(reverse("measure:dashboard", args=[company.pk])).status_code == 200
    assert AuditEntry.objects.filter(actor=staff, action="company.read").exists()
    assert _cell(client, company, factory, amount="5").status_code == 403
    Consent.objects.filter(company=company).update(scope=ConsentScope.EDIT)
    assert _cell(client, company, factory, amount="5").status_code == 200
    Consent.objects.filter(company=company).update(valid_until=date(2020, 1, 1))
    assert client.get(reverse("measure:dashboard", args=[company.pk])).status_code == 404


def test_index_redirects_to_the_only_company(alice_client, company):
    r = alice_client.get(reverse("measure:index"))
    assert r.status_code == 302 and r.url == reverse("measure:company", args=[company.pk])


def test_demo_data_is_labelled_and_idempotent(client):
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    n = EnergyRecord.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert EnergyRecord.objects.count() == n > 0
    from cnnavi.orgs.models import Company

    toyama = Company.objects.get(corporate_number="2230001000008")
    assert (
        SupplyContract.objects.filter(facility__company=toyama, supplier_reg="A0271").count() == 2
    )
    client.force_login(Membership.objects.filter(company=toyama, role=Role.OWNER).first().user)
    text = client.get(
        reverse("measure:dashboard", args=[toyama.pk]) + "?year=2025"
    ).content.decode()
    assert "デモ用の架空のデータです" in text
    snap = calc.emissions_snapshot(company=toyama, fiscal_year=2025)
    assert snap["demo"] is True and snap["complete"] is True and snap["scope2_basic_t"] > 0


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def test_english_pages_show_no_japanese_except_data(alice_client, company, factory, fy2025):
    """User data here is ASCII; the official sources' titles (data) are left out."""
    pages = [
        reverse("measure:dashboard", args=[company.pk]) + "?year=2025",
        reverse("measure:dashboard", args=[company.pk]) + "?year=2024",
        reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025",
        reverse("measure:import_upload", args=[company.pk]),
        reverse("measure:volumes", args=[company.pk]),
        reverse("measure:contract_new", args=[company.pk, factory.pk]),
        reverse("api_tokens:index"),
    ]
    for url in pages:
        html = alice_client.get("/en" + url).content.decode()
        main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        main = re.sub(r'<td class="small">.*?</td>', "", main, flags=re.S)  # source titles
        main = re.sub(r'<(\w+)[^>]*\slang="ja"[^>]*>.*?</\1>', "", main, flags=re.S)  # names
        main = re.sub(r'(value|hx-vals)=(["\']).*?\2', "", main)  # codes sent back, not shown
        # the supplier's and menu's official names, and the official term the core quotes
        for name in ("北陸電力(株)", "メニューB(残差)", "(代替値)"):
            main = main.replace(name, "")
        found = sorted(set(JAPANESE.findall(main)))
        assert not found, (url, found, [ln for ln in main.splitlines() if JAPANESE.search(ln)][:5])


def test_use_shares_split_the_flow_but_no_total(alice_client, company, factory, fy2025):
    url = reverse("measure:use_shares", args=[company.pk, factory.pk])
    r = alice_client.post(
        url, {"year": 2025, "energy": "electricity", "share_0": "60", "share_1": "50"}
    )
    assert r.status_code == 302
    assert not selectors.use_shares_of_facility(facility=factory)  # over 100%: refused
    alice_client.post(
        url, {"year": 2025, "energy": "electricity", "share_0": "60", "share_1": "30"}
    )
    assert selectors.use_shares_of_facility(facility=factory)["electricity"] == {
        "照明": Decimal(60),
        "空調": Decimal(30),
    }
    d = alice_client.get(reverse("measure:dashboard", args=[company.pk]) + "?year=2025").context[
        "d"
    ]
    links = {(f["source"], f["target"]): f["value"] for f in d.flow}
    factory_kwh = sum(Decimal(10000 + 100 * i) for i in range(12))
    elec_t = float(factory_kwh * HOKURIKU_RESIDUAL)
    assert links[("Factory a", "照明")] == pytest.approx(elec_t * 0.6)
    assert links[("Factory a", "空調")] == pytest.approx(elec_t * 0.3)
    gas_t = 12 * float(CITY_GAS_DEFAULT)
    assert links[("Factory a", "用途の指定なし")] == pytest.approx(elec_t * 0.1 + gas_t)
    assert d.totals["scope2_basic_t"] == _hand_fy2025()[1]


def test_index_lists_supported_companies_for_staff(client, world, company):
    from cnnavi.orgs.models import OfficeStaff

    staff = make_user("staff3@example.com", totp=True)
    OfficeStaff.objects.create(office=world.a.office, user=staff)
    client.force_login(staff)
    r = client.get(reverse("measure:index"))
    assert r.status_code == 200
    assert [c.name for c in r.context["supported"]] == ["Company a"]


def test_an_edit_of_one_year_recomputes_only_that_year(
    alice_client, company, factory, fy2025, world
):
    from unittest import mock

    url = reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
    alice_client.get(url)
    services.grid_cell_save(
        actor=world.a.owner,
        facility=factory,
        energy="electricity",
        unit="kWh",
        month=date(2025, 5, 1),
        amount=Decimal(1),
        cost_yen=None,
    )
    with mock.patch.object(dashboard_selectors, "year_calc", wraps=calc.year_calc) as spy:
        d = alice_client.get(url).context["d"]
    assert [c.kwargs["fiscal_year"] for c in spy.call_args_list] == [2025]
    assert d.ok


def test_the_grid_offers_no_year_that_has_not_started(alice_client, company, factory):
    this_year = calc.current_fiscal_year()
    url = reverse("measure:grid", args=[company.pk, factory.pk])
    page = alice_client.get(f"{url}?year={this_year}").content.decode()
    assert f'href="?year={this_year + 1}"' not in page
    assert f'href="?year={this_year - 1}"' in page
    page = alice_client.get(f"{url}?year={this_year - 1}").content.decode()
    assert f'href="?year={this_year}"' in page


def test_a_month_stored_in_parts_shows_its_breakdown_in_the_grid(alice_client, company, factory):
    for use, kwh in (("照明", 300), ("空調", 700)):
        EnergyRecord.objects.create(
            facility=factory, month=date(2025, 4, 1), energy="electricity", amount=Decimal(kwh),
            unit="kWh", use=use,
        )  # fmt: skip
    url = reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025"
    page = alice_client.get(url).content.decode()
    parts = re.search(r'data-testid="cell-parts">(.*?)</details>', page, re.S).group(1)
    assert "照明: 300 kWh" in parts and "空調: 700 kWh" in parts
    english = alice_client.get("/en" + url).content.decode()
    assert "Lighting: 300 kWh" in english and "Air conditioning: 700 kWh" in english
