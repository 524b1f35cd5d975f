"""A new user measures CO2: company, two facilities, a contract from the official table, twelve
months of electricity and gas in the grid, totals equal to a hand calculation; then a file with
two bad rows (both errors shown with their lines, nothing saved), the fixed file, and the same
file again (nothing changes)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cnnavi.measure.models import EnergyRecord
from cnnavi.orgs.models import Facility
from cnnavi.testing import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Official factors, written out with their source (not read from the code under test):
# 北陸電力(株) A0271 メニューB(残差): 0.000455 t-CO2/kWh (basic = adjusted), 電気事業者別排出係数
#   －R6年度実績－ (環境省・経済産業省 R8.1.9 公表) p.8, applied to FY2025 emissions.
# 電気 代替値 0.000416 t-CO2/kWh and 全国平均係数 0.000423 t-CO2/kWh (same table, header).
# 都市ガス 代替値 2.05 t-CO2/千m3 (算定省令 別表第5: 40.0 GJ/千m3 x 0.0140 tC/GJ x 44/12).
# 一次エネルギー: 電気 8.64 GJ/千kWh (省エネ法施行規則 第4条), 都市ガス 40.0 GJ/千m3; 原油換算 0.0258 kL/GJ.
HOKURIKU = Decimal("0.000455")
ELEC_DEFAULT = Decimal("0.000416")
NATIONAL = Decimal("0.000423")
GAS_DEFAULT = Decimal("2.05")

FACTORY_KWH = [10000 + 250 * i for i in range(12)]
FACTORY_M3 = [800 + 40 * i for i in range(12)]
OFFICE_KWH = [2000] * 12
MONTHS = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in (1, 2, 3)]


def _fmt(value: Decimal, digits: int = 3) -> str:
    return f"{float(value):,.{digits}f}"


def _login(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(re.compile(r"^(?!.*login).*$"))


def _facility(page, name, kind, area):
    page.get_by_role("link", name="事業所を追加").click()
    page.get_by_label("事業所名").fill(name)
    page.get_by_label("種類").select_option(kind)
    page.get_by_label("延床面積（m²）").fill(area)
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(re.compile(r"/companies/\d+/$"))


def _htmx_ready(page):
    """After a navigation, wait until htmx has loaded before typing into HTMX inputs."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")


def _fill_row(page, label, amounts, costs):
    _htmx_ready(page)
    for month, amount, cost in zip(MONTHS, amounts, costs, strict=True):
        cell = page.get_by_label(f"{label} {month} 使用量")
        cell.fill(str(amount))
        page.get_by_label(f"{label} {month} 金額").fill(str(cost))
        page.get_by_label(f"{label} {month} 金額").press("Tab")
        td = page.locator("td.cell").filter(has=cell)
        td.locator(".cell-msg").get_by_text("保存しました").wait_for()
    # Every queued save has answered before the test reads the database itself (the live
    # server shares the SQLite database with this thread).
    page.wait_for_load_state("networkidle")


def test_new_user_measures_co2_with_grid_and_import(page, tmp_path):
    make_user("measure-newcomer@example.com")
    _login(page, "measure-newcomer@example.com")

    page.goto("/companies/new/")
    page.get_by_label("企業名").fill("見える化試験工業株式会社")
    page.get_by_label("都道府県").select_option(label="富山県")
    page.get_by_label("業種（日本標準産業分類）").select_option("E")
    page.get_by_label("常時使用する従業員数").fill("40")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(re.compile(r"/companies/\d+/$"))
    company_id = re.search(r"/companies/(\d+)/", page.url).group(1)
    _facility(page, "本社工場", "factory", "3000")
    _facility(page, "営業所", "office", "200")

    # The measure menu leads to the company; a contract is picked from the official table.
    page.goto("/measure/")
    page.wait_for_url(re.compile(rf"/measure/companies/{company_id}/$"))
    factory_card = page.get_by_test_id("measure-facility").filter(has_text="本社工場")
    factory_card.get_by_role("link", name="供給契約を追加").click()
    _htmx_ready(page)  # the supplier search is an HTMX form
    page.get_by_label("名前または登録番号").fill("北陸電力")
    page.get_by_test_id("supplier-result").filter(has_text="A0271").get_by_role(
        "button", name="選ぶ（メニュー指定なし）"
    ).click()
    assert page.get_by_label("供給事業者の登録番号").input_value() == "A0271"
    page.get_by_label("適用開始月").fill("2025-04")
    page.get_by_role("button", name="保存する").click()
    page.wait_for_url(re.compile(rf"/measure/companies/{company_id}/$"))
    assert "北陸電力(株)" in page.get_by_test_id("contract-row").first.inner_text()

    # The grid of the factory for FY2025: electricity and city gas, twelve months each.
    factory_id = Facility.objects.get(name="本社工場").pk
    office_id = Facility.objects.get(name="営業所").pk
    page.goto(f"/measure/companies/{company_id}/facilities/{factory_id}/grid/?year=2025")
    page.locator("#id_energy").select_option("electricity")
    page.get_by_role("button", name="行を追加").click()
    page.locator("#id_energy").select_option("city_gas")
    page.get_by_label("単位", exact=True).fill("m3")
    page.get_by_role("button", name="行を追加").click()
    _fill_row(page, "電気", FACTORY_KWH, [a * 28 for a in FACTORY_KWH])
    _fill_row(page, "都市ガス", FACTORY_M3, [a * 170 for a in FACTORY_M3])
    # one cell validated on its own: the message sits beside it, the saved value stays
    bad = page.get_by_label("電気 2025-04 使用量")
    bad.fill("12,3a")
    bad.press("Tab")
    page.locator("td.cell").filter(has=bad).get_by_text(
        "使用量: 数値で入力してください。"
    ).wait_for()
    bad.fill(str(FACTORY_KWH[0]))
    bad.press("Tab")
    page.locator("td.cell").filter(has=bad).get_by_text("保存しました").wait_for()

    page.goto(f"/measure/companies/{company_id}/facilities/{office_id}/grid/?year=2025")
    page.locator("#id_energy").select_option("electricity")
    page.get_by_role("button", name="行を追加").click()
    _fill_row(page, "電気", OFFICE_KWH, [a * 31 for a in OFFICE_KWH])
    assert EnergyRecord.objects.count() == 36

    # The dashboard's totals equal the hand calculation.
    kwh_factory, kwh_office = sum(FACTORY_KWH), sum(OFFICE_KWH)
    gas_thousand_m3 = Decimal(sum(FACTORY_M3)) / 1000
    scope1 = gas_thousand_m3 * GAS_DEFAULT
    scope2 = kwh_factory * HOKURIKU + kwh_office * ELEC_DEFAULT
    location = (kwh_factory + kwh_office) * NATIONAL
    gj = Decimal(kwh_factory + kwh_office) * Decimal("0.00864") + gas_thousand_m3 * Decimal("40.0")
    cost = sum(a * 28 for a in FACTORY_KWH) + sum(a * 170 for a in FACTORY_M3) + 2000 * 31 * 12
    page.goto(f"/measure/companies/{company_id}/dashboard/?year=2025")
    # the plain headline first; the totals by basis behind it
    assert page.get_by_test_id("headline-sentence").inner_text().startswith("2025年度のCO2排出量")
    page.get_by_test_id("totals").locator("summary").first.click()
    assert _fmt(scope1) in page.get_by_test_id("total-scope1").inner_text()
    assert _fmt(scope2) in page.get_by_test_id("total-scope2-basic").inner_text()
    assert _fmt(location) in page.get_by_test_id("total-scope2-location").inner_text()
    assert _fmt(scope1 + scope2) in page.get_by_test_id("total-basic").inner_text()
    assert _fmt(gj, 1) in page.get_by_test_id("total-gj").inner_text()
    assert _fmt(gj * Decimal("0.0258")) in page.get_by_test_id("total-kl").inner_text()
    assert f"¥{cost:,}" in page.get_by_test_id("total-cost").inner_text()
    assert page.get_by_test_id("complete").is_visible()
    provenance = page.get_by_test_id("provenance").inner_text()
    assert "北陸電力(株)" in provenance and "代替値（デフォルト）" in provenance
    # the monthly chart is SVG from the server, one bar segment per energy and month
    expect(page.locator("[data-testid=chart-monthly] .chart-wide svg")).to_be_visible()
    assert page.locator("[data-testid=chart-monthly] .chart-wide svg rect").count() >= 12

    # Import: two bad rows, both shown with their lines; nothing saved.
    head = "事業所,年月,エネルギー,使用量,単位,金額\n"
    good = [
        "営業所,2025-04,灯油,120,L,14000",
        "営業所,2025-05,灯油,100,L,11800",
        "営業所,2025-06,灯油,80,L,9400",
    ]
    bad_rows = ["営業所,2025-07,灯油,-5,L,0", "営業所,2025-08,灯油,60,kWh,7000"]
    path = tmp_path / "bad.csv"
    path.write_text(head + "\n".join(good + bad_rows) + "\n", encoding="utf-8")
    page.goto(f"/measure/companies/{company_id}/import/")
    page.get_by_label("ファイル（CSV または XLSX）").set_input_files(str(path))
    page.get_by_role("button", name="確認する").click()
    errors = page.get_by_test_id("import-error")
    assert errors.count() == 2
    assert errors.nth(0).inner_text().startswith("5 行目・列「使用量」")
    assert errors.nth(1).inner_text().startswith("6 行目・列「単位」")
    assert page.get_by_role("button", name="この内容で取り込む").count() == 0
    assert EnergyRecord.objects.count() == 36

    # The fixed file: previewed, confirmed, saved.
    fixed = good + ["営業所,2025-07,灯油,50,L,5900", "営業所,2025-08,灯油,60,L,7000"]
    path = tmp_path / "fixed.csv"
    path.write_text(head + "\n".join(fixed) + "\n", encoding="utf-8")
    page.get_by_role("link", name="別のファイルを選ぶ").click()
    page.get_by_label("ファイル（CSV または XLSX）").set_input_files(str(path))
    page.get_by_role("button", name="確認する").click()
    assert page.get_by_test_id("count-new").inner_text() == "5"
    assert EnergyRecord.objects.count() == 36  # not before confirmation
    page.get_by_role("button", name="この内容で取り込む").click()
    page.wait_for_url(re.compile(rf"/measure/companies/{company_id}/$"))
    assert "新規 5 行" in page.locator(".messages").inner_text()
    assert EnergyRecord.objects.count() == 41
    saved = set(EnergyRecord.objects.values_list("id", "amount", "updated_at"))

    # The same file again: nothing changes.
    page.goto(f"/measure/companies/{company_id}/import/")
    page.get_by_label("ファイル（CSV または XLSX）").set_input_files(str(path))
    page.get_by_role("button", name="確認する").click()
    assert page.get_by_test_id("count-unchanged").inner_text() == "5"
    assert page.get_by_test_id("nothing-changes").is_visible()
    assert page.get_by_role("button", name="この内容で取り込む").count() == 0
    assert set(EnergyRecord.objects.values_list("id", "amount", "updated_at")) == saved
