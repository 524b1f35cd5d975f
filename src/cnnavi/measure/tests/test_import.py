"""File import: preview with every bad row, nothing written before confirmation, one
transaction, re-import changes nothing, a corrected file replaces the same keys."""

import io
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnnavi.common.tests.test_english import japanese_in
from cnnavi.measure.models import EnergyImport, EnergyRecord, ImportStatus
from cnnavi.measure.selectors.imports import plan_import

pytestmark = pytest.mark.django_db

HEAD = "事業所,年月,エネルギー,使用量,単位,供給事業者,メニュー,金額,用途\n"
GOOD = (
    HEAD
    + "Factory a,2025-04,電気,12000,kWh,A0271,,330000,\n"
    + "Factory a,2025-05,電気,11000,kWh,A0271,,310000,\n"
    + "Factory a,2025-04,都市ガス,1.5,千m3,,,250000,給湯\n"
)


def _upload(client, company, text, name="energy.csv"):
    f = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("measure:import_upload", args=[company.pk]), {"file": f})


def _preview(client, response):
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response.url)


def _confirm(client, company):
    imp = EnergyImport.objects.filter(status=ImportStatus.PENDING).latest("id")
    return client.post(reverse("measure:import_confirm", args=[company.pk, imp.pk]))


def test_bad_rows_are_listed_with_line_and_column_and_nothing_is_saved(
    alice_client, company, factory
):
    bad = (
        GOOD.replace("2025-05,電気,11000", "2025-13,電気,11000").replace("1.5,千m3", "-2,千m3")
        + "Nowhere,2025-06,電気,10,kWh,,,,\n"
    )
    html = _preview(alice_client, _upload(alice_client, company, bad)).content.decode()
    text = re.sub(r"<[^>]+>", "", html)  # what the user reads (names are marked lang="ja")
    assert "3 件のエラーがあります" in text
    assert "3 行目・列「年月」: 月「13」は 1〜12 ではありません。" in text
    assert "4 行目・列「使用量」: 使用量「-2」がマイナスです。0以上の値を入力してください。" in text
    assert "5 行目・列「事業所」: 事業所「Nowhere」は登録されていません" in text
    assert "この内容で取り込む" not in text
    assert _confirm(alice_client, company).status_code == 302
    assert EnergyRecord.objects.count() == 0


def test_core_errors_are_shown_in_the_users_language_with_line_and_column(
    alice_client, company, factory
):
    bad = (
        HEAD
        + "Factory a,2025-13,電気,12000,kWh,A0271,,,\n"
        + "Factory a,2025-04,電気,11000,furlong,A0271,,,\n"
    )
    html = _preview(alice_client, _upload(alice_client, company, bad)).content.decode()
    text = re.sub(r"<[^>]+>", "", html)
    assert "2 件のエラーがあります" in text
    assert "2 行目・列「年月」: 月「13」は 1〜12 ではありません。" in text
    assert "3 行目・列「単位」: 単位「furlong」が分かりません。使える単位: kWh, MWh" in text
    assert "is not 1-12" not in text and "unknown unit" not in text
    # the bad lines also stand in the table, where they are in the file
    assert html.count('data-testid="import-row-error"') == 2

    url = reverse("measure:import_upload", args=[company.pk])
    f = SimpleUploadedFile("energy.csv", bad.encode("utf-8"), content_type="text/csv")
    response = alice_client.post("/en" + url, {"file": f})
    assert response.status_code == 302
    html = alice_client.get(response.url).content.decode()
    assert japanese_in(html) == set()  # the file's headers are marked lang="ja"
    text = re.sub(r"<[^>]+>", "", html)
    assert "Line 2" in text
    assert "Month 13 is not between 1 and 12." in text
    assert "Unknown unit “furlong”. Units: kWh, MWh" in text
    assert "月「13」" not in text


def test_import_then_reimport_changes_nothing_and_a_corrected_file_replaces(
    alice_client, company, factory
):
    text = _preview(alice_client, _upload(alice_client, company, GOOD)).content.decode()
    assert "この内容で取り込む" in text
    assert EnergyRecord.objects.count() == 0  # nothing before confirmation
    assert _confirm(alice_client, company).status_code == 302
    assert EnergyRecord.objects.count() == 3
    ids = set(EnergyRecord.objects.values_list("id", flat=True))

    # the same file again: every row unchanged, nothing to confirm, nothing changes
    text = _preview(alice_client, _upload(alice_client, company, GOOD)).content.decode()
    assert "取り込んでも何も変わりません" in text
    _confirm(alice_client, company)
    assert set(EnergyRecord.objects.values_list("id", flat=True)) == ids

    # a corrected file: May changes, the rest stays
    fixed = GOOD.replace("11000,kWh,A0271,,310000", "11500,kWh,A0271,,318000")
    response = _preview(alice_client, _upload(alice_client, company, fixed))
    assert response.context["plan"].count("changed") == 1
    assert response.context["plan"].count("unchanged") == 2
    # the changed row says what is stored now
    current = re.findall(r'data-testid="current-value">([^<]*)<', response.content.decode())
    assert current == ["現在 11,000 kWh"]
    _confirm(alice_client, company)
    may = EnergyRecord.objects.get(month=date(2025, 5, 1))
    assert may.amount == Decimal(11500) and may.cost_yen == 318000
    assert EnergyRecord.objects.count() == 3
    assert ids - set(EnergyRecord.objects.values_list("id", flat=True)) == {min(ids) + 1}


def test_preview_shows_each_rows_co2(company, factory):
    plan = plan_import(company=company, data=GOOD.encode(), filename="x.csv")
    assert plan.ok
    april = next(r for r in plan.rows if r.line == 2)
    assert april.tco2 == Decimal(12000) * Decimal("0.000455")  # 北陸電力 残差 (R6実績 p.8)
    gas = next(r for r in plan.rows if r.line == 4)
    assert gas.tco2 == Decimal("1.5") * Decimal("2.05")  # 都市ガス 代替値


def test_an_unknown_supplier_is_a_row_error(company, factory):
    data = (HEAD + "Factory a,2025-04,電気,100,kWh,X9999,,,\n").encode()
    plan = plan_import(company=company, data=data)
    assert not plan.ok
    assert plan.errors[0].line == 2 and plan.errors[0].column == "供給事業者"


def test_empty_facility_uses_the_only_facility(company, factory):
    data = (HEAD + ",2025-04,電気,100,kWh,,,,\n").encode()
    plan = plan_import(company=company, data=data)
    assert plan.ok and plan.rows[0].facility == "Factory a"


def test_duplicate_keys_in_one_file_are_errors(company, factory):
    data = (GOOD + "Factory a,2025-04,電気,1,kWh,A0271,,1,\n").encode()
    plan = plan_import(company=company, data=data)
    assert [e.line for e in plan.errors] == [5]
    assert "2 行目と同じ" in plan.errors[0].reason


def test_template_has_japanese_headers_dropdowns_and_an_example(alice_client, company, factory):
    r = alice_client.get(reverse("measure:import_template") + f"?company={company.pk}")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [
        "事業所",
        "年月",
        "エネルギー",
        "使用量",
        "単位",
        "供給事業者",
        "メニュー",
        "金額",
        "用途",
    ]
    ranges = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "A2:A5000" in ranges and "C2:C5000" in ranges and "E2:E5000" in ranges
    assert wb["リスト"]["A1"].value == "Factory a"
    example = wb["記入例"]
    assert example["C2"].value == "電気" and example["F2"].value == "A0271"
    # the example, copied to the first sheet, imports cleanly with the same parser as the CLI
    buf = io.BytesIO()
    out = openpyxl.Workbook()
    out.active.append([c.value for c in example[1]])
    out.active.append([c.value for c in example[2]])
    out.save(buf)
    plan = plan_import(company=company, data=buf.getvalue(), filename="t.xlsx")
    assert plan.ok and plan.rows[0].tco2 == Decimal(12500) * Decimal("0.000455")


def test_exports(alice_client, company, fy2025):
    r = alice_client.get(reverse("measure:export_xlsx", args=[company.pk]) + "?year=2025")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["合計", "入力データ", "月別CO2", "排出係数"]
    assert wb["合計"]["A1"].value.endswith("2025年度 CO2排出量チェックシート")
    assert wb["入力データ"].max_row == 26  # header + 25 records
    r = alice_client.get(reverse("measure:export_csv", args=[company.pk]) + "?year=2025")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("事業所,年月,エネルギー,使用量")
    assert len(lines) == 26


def test_rows_of_another_supplier_for_the_same_month_are_flagged(alice_client, company, factory):
    EnergyRecord.objects.create(
        facility=factory, month=date(2025, 4, 1), energy="electricity", amount=5000, unit="kWh"
    )
    plan = plan_import(company=company, data=GOOD.encode())
    assert plan.ok and plan.overlaps == [2]  # line 2 names A0271; the grid's record has none
    text = _preview(alice_client, _upload(alice_client, company, GOOD)).content.decode()
    assert "別の供給事業者の保存済みデータがあります" in text and "（行: 2）" in text


def test_rows_of_a_year_without_official_tables_say_why_in_japanese(alice_client, company, factory):
    text = HEAD + "Factory a,2024-05,電気,100,kWh,,,,\n"
    html = _preview(alice_client, _upload(alice_client, company, text)).content.decode()
    assert "算定できません" in html
    assert "2024年度の電気の事業者別排出係数（公表一覧）はまだ収録されていないため" in html
    assert "自動で計算されます" in html and "cnnavi factors" not in html
    assert "tables shipped" not in html
