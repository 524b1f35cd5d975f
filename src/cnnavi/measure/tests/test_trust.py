"""Issue #17, web side: units as on the bill, plausibility checks, the plain headline,
finished exports (figures from the official tables)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cnnavi.audit.models import AuditEntry
from cnnavi.measure import rules
from cnnavi.measure.models import EnergyRecord, GridRow, UnitPreference

# City gas without a named supplier: the SHK default 2.05 t-CO2/千m3 (算定・報告・公表制度
# における算定方法・排出係数一覧, 都市ガス 代替値), so 6,200 m3 = 6.2 千m3 x 2.05 = 12.71 t.
GAS_M3 = Decimal(6200)
GAS_T = Decimal("12.710")


def _cell(client, company, facility, *, energy, unit, month, amount, cost=""):
    return client.post(
        reverse("measure:grid_cell", args=[company.pk, facility.pk]),
        {"energy": energy, "unit": unit, "month": month, "amount": amount, "cost": cost},
        HTTP_HX_REQUEST="true",
    )


# --------------------------------------------------------------------------- 1. bill units


def test_bill_units_are_the_default_of_each_energy():
    # one source of truth: the core catalogue's Energy.bill_unit (decision 0420)
    assert rules.bill_unit("city_gas") == "m3"
    assert rules.bill_unit("kerosene") == "L"
    assert rules.bill_unit("lpg") == "kg"
    assert rules.bill_unit("electricity") == "kWh"
    assert rules.bill_unit("heat_steam") == "MJ"  # as district-heating bills print it
    assert rules.bill_unit("coal_coke") == "t"
    assert not hasattr(rules, "BILL_UNITS")


def test_a_new_grid_row_starts_in_the_bill_unit_and_remembers_the_facilitys_unit(
    alice_client, company, factory
):
    add = reverse("measure:grid_row_add", args=[company.pk, factory.pk])
    alice_client.post(add, {"year": 2025, "energy": "city_gas", "unit": ""})
    alice_client.post(add, {"year": 2025, "energy": "kerosene", "unit": ""})
    rows = dict(
        GridRow.objects.filter(facility=factory, fiscal_year=2025).values_list("energy", "unit")
    )
    assert rows == {"city_gas": "m3", "kerosene": "L"}
    # the user's supplier bills LPG in m3: chosen once, the next year's row starts in m3
    alice_client.post(
        reverse("measure:grid_unit", args=[company.pk, factory.pk]),
        {"year": 2025, "energy": "kerosene", "unit": "kL"},
    )
    assert UnitPreference.objects.get(facility=factory, energy="kerosene").unit == "kL"
    alice_client.post(add, {"year": 2026, "energy": "kerosene", "unit": ""})
    assert GridRow.objects.get(facility=factory, fiscal_year=2026, energy="kerosene").unit == "kL"
    page = alice_client.get(reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025")
    text = page.content.decode()
    assert 'class="cell-unit" aria-hidden="true">m3</span>' in text  # beside every input


def test_a_city_gas_bill_in_m3_typed_in_the_grid_gives_the_official_tco2(
    alice_client, company, factory
):
    alice_client.post(
        reverse("measure:grid_row_add", args=[company.pk, factory.pk]),
        {"year": 2025, "energy": "city_gas", "unit": ""},
    )
    r = _cell(alice_client, company, factory, energy="city_gas", unit="m3", month="2025-04",
              amount="6,200")  # fmt: skip
    assert r.status_code == 200 and "保存しました" in r.content.decode()
    assert 'data-testid="cell-flag"' not in r.content.decode()
    rec = EnergyRecord.objects.get(facility=factory, energy="city_gas")
    assert (rec.amount, rec.unit) == (GAS_M3, "m3")
    page = alice_client.get(reverse("measure:dashboard", args=[company.pk]) + "?year=2025")
    text = page.content.decode()
    assert "12.710 t-CO2" in text
    assert 'data-testid="headline"' in text


# --------------------------------------------------------------------------- 2. plausibility


def _gas_history(factory, months=(4, 5, 6)):
    EnergyRecord.objects.bulk_create(
        EnergyRecord(
            facility=factory, month=date(2025, m, 1), energy="city_gas", amount=GAS_M3, unit="m3"
        )  # fmt: skip
        for m in months
    )


def test_rule_flags_five_times_the_history_and_names_the_unit_mix_up():
    check = rules.check_plausibility(
        amount=Decimal(6_200_000), history=[GAS_M3, GAS_M3], dimension="gas_volume"
    )
    assert check.kind == "history_high" and check.ratio == 1000
    assert (check.cause, check.units) == ("unit_x1000", ("m3", "千m3"))
    low = rules.check_plausibility(amount=Decimal("6.2"), history=[GAS_M3], dimension="gas_volume")
    assert low.kind == "history_low" and low.cause == "unit_div1000"
    ok = rules.check_plausibility(amount=Decimal(30000), history=[GAS_M3], dimension="gas_volume")
    assert ok is None  # 4.8x: unusual, not questioned
    assert (
        rules.check_plausibility(amount=Decimal(0), history=[GAS_M3], dimension="gas_volume")
        is None
    )
    # no history: the size bounds (GJ per employee, per m2, per month)
    big = rules.check_plausibility(
        amount=Decimal(6200), history=[], dimension="gas_volume",
        amount_gj=Decimal(248000), employees=50,
    )  # fmt: skip
    assert big.kind == "per_employee" and big.cause == "unit_x1000"
    assert rules.check_plausibility(
        amount=Decimal(6200), history=[], dimension="gas_volume", amount_gj=Decimal(248),
        employees=50, floor_area_m2=Decimal(1000),
    ) is None  # fmt: skip


def test_a_1000x_value_is_flagged_in_the_grid_and_stays_flagged_until_confirmed(
    alice_client, alice, company, factory
):
    _gas_history(factory)
    r = _cell(alice_client, company, factory, energy="city_gas", unit="m3", month="2025-07",
              amount="6200000")  # fmt: skip
    text = r.content.decode()
    assert r.status_code == 200 and "保存しました" in text  # questioned, not refused
    assert 'data-testid="cell-flag"' in text
    assert "1,000 倍" in text and "m3と千m3を取り違えていませんか？" in text
    grid_url = reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025"
    assert "m3と千m3を取り違えていませんか？" in alice_client.get(grid_url).content.decode()
    dash = alice_client.get(reverse("measure:dashboard", args=[company.pk]) + "?year=2025")
    dtext = dash.content.decode()
    assert 'data-testid="flags"' in dtext
    assert dtext.index('data-testid="flags"') < dtext.index('data-testid="totals"')

    r = alice_client.post(
        reverse("measure:grid_confirm", args=[company.pk, factory.pk]),
        {"energy": "city_gas", "month": "2025-07"},
        HTTP_HX_REQUEST="true",
    )
    assert "確認済み" in r.content.decode() and 'data-confirmed="1"' in r.content.decode()
    rec = EnergyRecord.objects.get(facility=factory, month=date(2025, 7, 1))
    assert rec.confirmed_by == alice and rec.confirmed_at is not None
    assert rec.is_confirmed
    assert AuditEntry.objects.filter(action="measure.records_confirm").exists()
    dtext = alice_client.get(
        reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
    ).content.decode()
    assert 'data-testid="flag-unconfirmed"' not in dtext
    # a changed amount is questioned again
    _cell(alice_client, company, factory, energy="city_gas", unit="m3", month="2025-07",
          amount="6300000")  # fmt: skip
    rec.refresh_from_db()
    assert not rec.is_confirmed
    assert (
        'data-testid="flag-unconfirmed"'
        in alice_client.get(
            reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
        ).content.decode()
    )


def test_the_grid_flags_a_first_bill_beyond_the_size_bounds(alice_client, company, factory):
    r = _cell(alice_client, company, factory, energy="city_gas", unit="千m3", month="2025-04",
              amount="6200")  # fmt: skip
    text = r.content.decode()
    assert 'data-testid="cell-flag"' in text and "m3と千m3を取り違えていませんか？" in text


@pytest.mark.parametrize("lang", ["en"])
def test_the_flag_speaks_english_on_english_pages(alice_client, company, factory, lang):
    _gas_history(factory)
    r = alice_client.post(
        "/en" + reverse("measure:grid_cell", args=[company.pk, factory.pk]),
        {"energy": "city_gas", "unit": "m3", "month": "2025-07", "amount": "6200000"},
        HTTP_HX_REQUEST="true",
    )
    text = r.content.decode()
    assert "Did you mix up m3 and 1,000 m3?" in text


# --------------------------------------------------------------------------- API and import


@pytest.fixture
def bearer(world):
    from cnnavi.api.services import token_create

    _token, key = token_create(actor=world.a.owner, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_api_defaults_to_the_bill_unit_and_flags_a_1000x_value_until_confirmed(
    client, world, bearer, company, factory
):
    import json

    _gas_history(factory)
    base = f"/api/v1/companies/{company.pk}/energy-records"
    body = {"facility_id": factory.pk, "month": "2025-07", "energy": "city_gas", "amount": 6200}
    r = client.post(base, json.dumps(body), content_type="application/json", **bearer)
    assert r.status_code == 201, r.content
    assert r.json()["unit"] == "m3" and r.json()["check"] is None
    rid = r.json()["id"]
    r = client.put(
        f"{base}/{rid}", json.dumps({"amount": 6_200_000}), content_type="application/json",
        **bearer,
    )  # fmt: skip
    check = r.json()["check"]
    assert check["kind"] == "history_high" and check["cause"] == "unit_x1000"
    assert check["ratio"] == 1000 and "m3と千m3を取り違えていませんか？" in check["message"]
    assert check["confirmed"] is False
    assert client.get(f"{base}/{rid}", **bearer).json()["check"]["confirmed"] is False
    listed = {r["id"]: r for r in client.get(base + "?fiscal_year=2025", **bearer).json()}
    assert listed[rid]["check"]["kind"] == "history_high"
    r = client.post(f"{base}/{rid}/confirm", **bearer)
    assert r.status_code == 200
    assert r.json()["check"]["confirmed"] is True and r.json()["check"]["confirmed_by"]


def test_the_import_preview_and_the_api_import_flag_a_1000x_row(
    alice_client, client, bearer, company, factory
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _gas_history(factory)
    csv = (
        "事業所,年月,エネルギー,使用量,単位\n"
        "Factory a,2025-07,都市ガス,6200,m3\n"
        "Factory a,2025-08,都市ガス,6200000,m3\n"
        "Factory a,2025-09,都市ガス,-5,m3\n"
    )
    up = alice_client.post(
        reverse("measure:import_upload", args=[company.pk]),
        {"file": SimpleUploadedFile("gas.csv", csv.encode(), content_type="text/csv")},
    )
    text = alice_client.get(up.url).content.decode()
    assert text.count('data-testid="import-row-flag"') == 1
    assert "m3と千m3を取り違えていませんか？" in text
    assert 'data-testid="import-row-error"' in text  # the bad row, beside the good ones
    assert "6,200 m3" in text
    r = client.post(
        f"/api/v1/companies/{company.pk}/energy-imports",
        {
            "file": SimpleUploadedFile(
                "gas.csv", csv.replace("Factory a,2025-09,都市ガス,-5,m3\n", "").encode()
            )
        },
        **bearer,
    )
    rows = {row["line"]: row for row in r.json()["rows"]}
    assert rows[2]["check"] is None
    assert rows[3]["check"]["cause"] == "unit_x1000"
    # imported as it is (nothing unusual is refused), it stays questioned until confirmed
    good = csv.replace("Factory a,2025-09,都市ガス,-5,m3\n", "")
    r = client.post(
        f"/api/v1/companies/{company.pk}/energy-imports?dry_run=false",
        {"file": SimpleUploadedFile("gas.csv", good.encode())},
        **bearer,
    )
    assert r.status_code == 202 and r.json()["committed"] is True
    dash = reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
    text = alice_client.get(dash).content.decode()
    assert text.count('data-testid="flag-unconfirmed"') == 1 and "2025-08" in text


# --------------------------------------------------------------------------- exports


def test_exports_look_finished_labels_rounded_figures_official_titles(
    alice_client, company, fy2025
):
    import io

    import openpyxl

    from cnnavi.measure.exports import official_title

    r = alice_client.get(reverse("measure:export_xlsx", args=[company.pk]) + "?year=2025")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    factors = list(wb["排出係数"].iter_rows(values_only=True))
    kinds = {row[2] for row in factors[1:]}
    assert not kinds & {"primary_energy", "residual", "default", "heat_value"}
    assert {"残差メニュー", "代替値", "一次エネルギー換算係数"} <= kinds
    titles = {row[9] for row in factors[1:]}
    assert all(";" not in t for t in titles)
    monthly = list(wb["月別CO2"].iter_rows(values_only=True))
    for row in monthly[1:]:
        for v in row[1:]:
            assert v is None or v == round(v, 3)
    totals = {row[0]: row for row in wb["合計"].iter_rows(values_only=True) if row and row[0]}
    assert isinstance(totals["エネルギー費用"][1], int)
    # FY2025 factory: 12 months x 1,000 m3 city gas = 12 千m3 x 2.05 = 24.6 t (default factor)
    gas = next(row for row in monthly if row[0] == "都市ガス")
    assert gas[-1] == 24.6
    assert (
        official_title(
            "特定排出者の事業活動に伴う温室効果ガスの排出量の算定に関する省令 別表第5 (都市ガス); 東京ガス FAQ"
        )
        == "特定排出者の事業活動に伴う温室効果ガスの排出量の算定に関する省令 別表第5"
    )
    csv = alice_client.get(reverse("measure:export_csv", args=[company.pk]) + "?year=2025")
    assert "0.999999" not in csv.content.decode("utf-8-sig")


# --------------------------------------------------------------------------- supplier menus


def test_supplier_search_shows_menu_factors_and_says_what_happens_without_a_menu(alice_client):
    url = reverse("measure:supplier_search")
    text = alice_client.get(url, {"kind": "electricity", "q": "A0271"}).content.decode()
    # 北陸電力 FY2025 table: residual menu (メニューB(残差)) basic 0.000455 t-CO2/kWh
    assert 'data-testid="supplier-fallback"' in text and "0.000455" in text
    assert "残差メニュー" in text
    assert 'data-testid="supplier-menu-warning"' in text
    none = alice_client.get(url, {"kind": "gas", "q": "日本海ガス絶対にない"}).content.decode()
    assert "見つかりませんでした" in none and "代替値（デフォルト値）で計算します" in none


def test_a_contract_without_a_menu_says_the_residual_value_is_used_and_warns(
    alice_client, company, factory
):
    r = alice_client.post(
        reverse("measure:contract_new", args=[company.pk, factory.pk]),
        {"kind": "electricity", "valid_from": "2025-04", "supplier_reg": "A0271", "menu": ""},
        follow=True,
    )
    text = r.content.decode()
    assert "残差メニューの係数（基礎 0.000455" in text
    assert "低炭素メニューを選ばないと、CO2 が実際より多く計算されます" in text
    assert 'data-testid="ask-menu"' in text  # the company page keeps asking
    r = alice_client.post(
        reverse("measure:contract_new", args=[company.pk, factory.pk]),
        {
            "kind": "electricity",
            "valid_from": "2025-05",
            "supplier_reg": "A0271",
            "menu": "メニューA",
        },
        follow=True,
    )
    assert "メニュー「メニューA」の係数（基礎 0.000000" in r.content.decode()


# --------------------------------------------------------------------------- other apps


def test_a_base_year_the_core_cannot_compute_speaks_plainly_on_the_reduce_page(world, alice_client):
    from cnnavi.reduce.reference import load
    from cnnavi.reduce.tests.factories import add_year

    load()
    company = world.a.company
    add_year(world.a.owner, world.a.facility, 2024)  # FY2024: no electricity table shipped
    add_year(world.a.owner, world.a.facility, 2025)
    form = {
        "base_year": "2024", "basis": "location", "near_year": "2030", "near_pct": "21",
        "long_year": "2050", "long_pct": "100", "turnover_under_limit": "true",
        "assets_under_limit": "unknown", "fi_or_oil_gas": "false",
        "sector_specific_required": "false", "subsidiary_of_standard_parent": "false",
        "mandatory_flag_sector": "false",
    }  # fmt: skip
    alice_client.post(reverse("reduce:target", args=[company.pk]), form)
    for prefix in ("", "/en"):
        text = alice_client.get(prefix + reverse("reduce:plan", args=[company.pk])).content.decode()
        assert "line " not in text and "column supplier" not in text
        assert "are not available" not in text and "tables shipped" not in text
        assert 'data-testid="no-data"' not in text  # not "enter data first": the data is there
        assert 'data-testid="base-not-computed"' in text  # not "0.0 t-CO2"
        assert text.count('data-testid="not-computable-reasons"') == 1
        if not prefix:
            assert "2024年度の電気の事業者別排出係数（公表一覧）はまだ収録されていない" in text
            reasons = text.split('data-testid="not-computable-reasons"')[1].split("</ul>")[0]
            assert reasons.count("<li>") == 1  # one plain message, not one line per record


def test_headline_figures_read_as_a_sentence():
    from cnnavi.measure.selectors.summary import change_text, tonnes_text

    assert tonnes_text(Decimal("475.4")) == "475"
    assert tonnes_text(Decimal("12.71")) == "12.7"
    assert tonnes_text(Decimal("4.1604")) == "4.160"
    assert tonnes_text(Decimal("159191.2")) == "159,191"
    assert change_text(-0.031) == "\u22123%"
    assert change_text(78.19) == "+7,819%"
    assert change_text(0.001) == "±0%"
    assert change_text(None) == ""


def test_the_headline_warns_while_values_are_unconfirmed(alice_client, company, factory):
    _gas_history(factory, months=(4, 5, 6, 7))
    EnergyRecord.objects.create(
        facility=factory, month=date(2025, 8, 1), energy="city_gas", amount=GAS_M3 * 1000, unit="m3"
    )
    text = alice_client.get(
        reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
    ).content.decode()
    assert 'data-testid="headline-unconfirmed"' in text
    # 4 x 6.2 + 6,200 千m3 = 6,224.8 千m3 x 2.05 = 12,760.84 t
    assert "2025年度のCO2排出量 12,761 t" in text


# --------------------------------------------------------------------------- supplier notices


def test_a_supplier_notice_is_entered_per_contract_and_year_labelled_with_its_evidence(
    alice_client, client, world, company, factory
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cnnavi.measure.models import SupplierNotice, SupplyContract

    contract = SupplyContract.objects.create(
        facility=factory, kind="electricity", supplier_reg="A0271",
        supplier_name="北陸電力(株)", valid_from=date(2024, 4, 1),
    )  # fmt: skip
    url = reverse("measure:contract_notices", args=[company.pk, contract.pk])
    page = alice_client.get(url).content.decode()
    assert "国の公表一覧（最新）の値: 基礎 0.000455" in page
    r = alice_client.post(
        url,
        {
            "fiscal_year": "2024",
            "basic_factor": "0.000480",
            "adjusted_factor": "",
            "note": "2024年度の請求書に記載",
            "evidence": SimpleUploadedFile("bill.pdf", b"%PDF-1.4 notice"),
        },  # fmt: skip
    )
    assert r.status_code == 302
    notice = SupplierNotice.objects.get(contract=contract, fiscal_year=2024)
    assert notice.basic_factor == Decimal("0.000480") and notice.entered_by == world.a.owner
    assert AuditEntry.objects.filter(action="measure.notice_save").exists()
    page = alice_client.get(url).content.decode()
    assert "事業者公表値（利用者入力）" in page and "0.00048" in page and "bill.pdf" in page
    ev = alice_client.get(reverse("measure:notice_evidence", args=[company.pk, notice.pk]))
    assert ev.content == b"%PDF-1.4 notice"
    company_page = alice_client.get(reverse("measure:company", args=[company.pk])).content.decode()
    assert "事業者公表値（利用者入力）: 2024年度" in company_page
    # a bad factor names the field; nothing saved
    r = alice_client.post(url, {"fiscal_year": "2023", "basic_factor": "abc"})
    assert r.status_code == 422 and not SupplierNotice.objects.filter(fiscal_year=2023).exists()


def test_the_estimation_choice_is_saved_and_audited(alice_client, company):
    from cnnavi.measure.selectors import estimate_allowed

    r = alice_client.post(
        reverse("measure:calc_settings", args=[company.pk]), {"allow_estimate": "on"}
    )
    assert r.status_code == 302 and estimate_allowed(company=company)
    assert AuditEntry.objects.filter(action="measure.calc_settings_save").exists()
    alice_client.post(reverse("measure:calc_settings", args=[company.pk]), {})
    assert not estimate_allowed(company=company)


# --------------------------------------------------------------------------- official tables


def test_the_template_lists_the_companys_facilities_and_shows_bills_units(alice_client, company):
    import io

    import openpyxl

    r = alice_client.get(reverse("measure:import_template") + f"?company={company.pk}")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    lists = [c.value for c in wb["リスト"]["A"] if c.value]
    assert lists == ["Factory a"]
    example = [row for row in wb["記入例"].iter_rows(values_only=True) if row and row[0]]
    assert example[2][:5] == ("Factory a", "2025-04", "都市ガス", 6200, "m3")
    assert any("この会社の事業所: Factory a" in str(row[0]) for row in example)
    units = [c.value for c in wb["リスト"]["C"] if c.value]
    assert units[:3] == ["kWh", "m3", "L"]  # the bills' units first


def test_factors_show_seven_significant_digits():
    from cnnavi.measure.templatetags.measure import factor_value

    # A fuel's CO2 per kL by the ordinance's formula (heat value x carbon factor x 44/12).
    assert factor_value(Decimal("36.5") * Decimal("0.0187") * 44 / 12) == "2.502683"
    assert factor_value(Decimal("0.000455")) == "0.000455"
    assert factor_value(Decimal("8.64")) == "8.64"
    assert factor_value(None) == ""


def test_a_city_gas_contract_carries_the_standard_heat_value_its_bills_print(
    alice_client, company, factory
):
    """省エネ法 energy of city gas uses the supplier's standard heat value where the bill gives
    it (45 MJ/m3 = 45 GJ/千m3); the CO2 stays the official table's (第一ガス K0052, 2.91 t/千m3)."""
    from cnnavi.measure import calc
    from cnnavi.measure.models import SupplyContract

    url = reverse("measure:contract_new", args=[company.pk, factory.pk])
    bad = alice_client.post(
        url, {"kind": "electricity", "valid_from": "2025-04", "supplier_reg": "A0271",
              "menu": "", "heat_value": "45"},
    )  # fmt: skip
    assert bad.status_code in (400, 422) and not SupplyContract.objects.exists()
    alice_client.post(
        url, {"kind": "gas", "valid_from": "2025-04", "supplier_reg": "K0052",
              "menu": "", "heat_value": "45"},
    )  # fmt: skip
    assert SupplyContract.objects.get().heat_value == Decimal(45)
    EnergyRecord.objects.create(
        facility=factory, month=date(2025, 4, 1), energy="city_gas", amount=GAS_M3, unit="m3"
    )
    result = calc.year_calc(company=company, fiscal_year=2025).result
    assert result.energy_gj == Decimal("6.2") * 45  # 279 GJ, not 6.2 x 40.0 = 248
    assert result.crude_oil_kl == Decimal("6.2") * 45 * Decimal("0.0258")  # 7.1982 kL
    assert result.scope2_basic_t + result.scope1_t == Decimal("6.2") * Decimal("2.91")
    assert {r.energy_factor.basis for r in result.records} == {"supplier_heat_value"}


def test_the_dashboards_questioned_values_are_cached_until_the_data_or_a_confirmation_changes(
    company, factory, monkeypatch
):
    from cnnavi.measure import services
    from cnnavi.measure.selectors import plausibility
    from cnnavi.testing import make_user

    _gas_history(factory)
    EnergyRecord.objects.create(facility=factory, month=date(2025, 7, 1), energy="city_gas",
                                amount=GAS_M3 * 1000, unit="m3")  # fmt: skip
    first = plausibility.dashboard_flags(company=company, fiscal_year=2025)
    assert [(f.month, f.confirmed) for f in first] == [(date(2025, 7, 1), False)]
    computed = []
    real = plausibility.flags_of_company
    monkeypatch.setattr(
        plausibility, "flags_of_company", lambda **kw: computed.append(kw) or real(**kw)
    )
    plausibility.dashboard_flags(company=company, fiscal_year=2025)
    assert computed == []  # served from the cache
    services.records_confirm(
        actor=make_user("checker@example.com"), facility=factory, energy="city_gas",
        month=date(2025, 7, 1),
    )  # fmt: skip
    after = plausibility.dashboard_flags(company=company, fiscal_year=2025)
    assert len(computed) == 1 and [f.confirmed for f in after] == [True]
