"""Issue #17 points 6 and 9 through the web import (the task worker's preview) and the API
import: every row's parse and calculation errors at once, the good rows' preview beside them,
and the months-as-columns layout importing the same records as the row layout."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnnavi.measure.models import EnergyImport, EnergyRecord, ImportStatus

pytestmark = pytest.mark.django_db

BOTH_ERRORS = (
    "事業所,年月,エネルギー,使用量,単位,供給事業者\n"
    "Factory a,2025-04,電気,12000,kWh,A0271\n"
    "Factory a,2025-05,電気,-5,kWh,A0271\n"  # line 3: negative amount (parse error)
    "Factory a,2025-06,電気,11000,kWh,存在しない電力\n"  # line 4: unknown supplier
    "Factory a,2025-07,電気,13000,kWh,A0271\n"
)
ROWS = (
    "事業所,年月,エネルギー,使用量,単位,供給事業者\n"
    + "".join(
        f"Factory a,{m},電気,{10000 + i * 100},kWh,A0271\n"
        for i, m in enumerate(["2025-04", "2025-05", "2025-06", "2026-01", "2026-03"])
    )
    + "Factory a,2025-04,都市ガス,6200,m3,\n"
    + "Factory a,2025-05,都市ガス,0,m3,\n"
)
MONTHS = (
    "事業所,年度,エネルギー,単位,供給事業者,4月,5月,6月,7月,8月,9月,10月,11月,12月,1月,2月,3月\n"
    "Factory a,2025,電気,kWh,A0271,10000,10100,10200,,,,,,,10300,,10400\n"
    "Factory a,R7,都市ガス,m3,,6200,0,,,,,,,,,,\n"
)


@pytest.fixture
def bearer(world):
    from cnnavi.api.services import token_create

    _token, key = token_create(actor=world.a.owner, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _web_preview(client, company, text, name="energy.csv"):
    r = client.post(
        reverse("measure:import_upload", args=[company.pk]),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )
    assert r.status_code == 302, r.content.decode()[:500]
    return r.url, client.get(r.url).content.decode()


def _api(client, company, bearer, text, dry_run=True):
    return client.post(
        f"/api/v1/companies/{company.pk}/energy-imports?dry_run={'true' if dry_run else 'false'}",
        {"file": SimpleUploadedFile("energy.csv", text.encode())},
        **bearer,
    )


def test_a_negative_amount_and_an_unknown_supplier_are_named_together(
    alice_client, client, bearer, world
):
    company = world.a.company
    _url, page = _web_preview(alice_client, company, BOTH_ERRORS)
    errors = page.split('data-testid="import-errors"')[1].split("</ul>")[0]
    assert "3 行目" in errors and "4 行目" in errors
    assert "負" in errors or "マイナス" in errors or "0以上" in errors  # the negative amount
    assert "存在しない電力" in errors  # the unknown supplier, named in the same preview
    # the good rows' preview stays beside the errors (lines 2 and 5)
    assert "12,000" in page and "13,000" in page
    r = _api(client, company, bearer, BOTH_ERRORS)
    assert r.status_code == 202 and r.json()["state"] == "failed"  # parsed by the worker
    body = r.json()
    by_line = {e["line"]: e for e in body["errors"]}
    assert by_line[3]["code"] == "input.negative"
    assert by_line[4]["code"].startswith("factor.supplier_unknown")
    assert {row["line"] for row in body["rows"]} >= {2, 5}
    assert not EnergyRecord.objects.exists()  # nothing half-saved


def _stored():
    return sorted(
        (r.facility.name, r.month, r.energy, r.amount.normalize(), r.unit, r.supplier)
        for r in EnergyRecord.objects.select_related("facility")
    )


def test_months_as_columns_import_the_same_records_as_the_row_layout(
    alice_client, client, bearer, world
):
    company = world.a.company
    # the row layout through the web import (task worker)
    url, page = _web_preview(alice_client, company, ROWS)
    imp = EnergyImport.objects.get(status=ImportStatus.PENDING)
    assert imp.preview["ok"] and imp.preview["row_count"] == 7
    alice_client.post(reverse("measure:import_confirm", args=[company.pk, imp.pk]))
    rows_layout = _stored()
    assert len(rows_layout) == 7
    assert (
        "Factory a",
        date(2026, 3, 1),
        "electricity",
        Decimal(10400),
        "kWh",
        "A0271",
    ) in rows_layout
    EnergyRecord.objects.all().delete()
    # the months layout through the web import: the same records
    url, page = _web_preview(alice_client, company, MONTHS)
    imp = EnergyImport.objects.get(status=ImportStatus.PENDING)
    assert imp.preview["ok"] and imp.preview["row_count"] == 7, imp.preview["errors"]
    alice_client.post(reverse("measure:import_confirm", args=[company.pk, imp.pk]))
    assert _stored() == rows_layout
    EnergyRecord.objects.all().delete()
    # and through the API
    r = _api(client, company, bearer, MONTHS, dry_run=False)
    assert r.status_code == 202 and r.json()["committed"] is True, r.json()
    assert _stored() == rows_layout


def test_a_bad_row_of_the_months_layout_names_its_cell_and_keeps_the_others(
    alice_client, client, bearer, world
):
    company = world.a.company
    bad = MONTHS.replace("10100", "-1").replace("Factory a,R7", "Factory a,202X")
    r = _api(client, company, bearer, bad)
    assert r.status_code == 202 and r.json()["state"] == "failed"
    errors = r.json()["errors"]
    assert {(e["line"], e["column"]) for e in errors} == {(2, "5月"), (3, "年度")}
    assert {row["line"] for row in r.json()["rows"]} == {2}  # the row's good months
    _url, page = _web_preview(alice_client, company, bad)
    assert (
        '列「<span lang="ja">5月</span>」' in page and '列「<span lang="ja">年度</span>」' in page
    )


def test_a_supplier_factor_column_is_not_dropped_silently(client, bearer, world):
    text = (
        "事業所,年月,エネルギー,使用量,単位,供給事業者,基礎排出係数\n"
        "Factory a,2024-04,電気,10000,kWh,A0271,0.00048\n"
        "Factory a,2024-05,電気,10000,kWh,A0271,\n"
    )
    r = _api(client, world.a.company, bearer, text)
    assert r.status_code == 202 and r.json()["state"] == "failed"
    errors = r.json()["errors"]
    assert [(e["line"], e["column"]) for e in errors] == [(2, "基礎排出係数")]
    assert "事業者公表値（利用者入力）" in errors[0]["reason"]


def test_the_import_preview_computes_a_year_without_a_table_as_the_company_chose(
    alice_client, client, bearer, world
):
    from cnnavi.measure import services

    text = "事業所,年月,エネルギー,使用量,単位,供給事業者\nFactory a,2024-04,電気,10000,kWh,A0271\n"
    row = _api(client, world.a.company, bearer, text).json()["rows"][0]
    assert row["tco2"] is None and row["problem_code"] == "factor.year_unavailable"
    services.calc_settings_save(actor=world.a.owner, company=world.a.company, allow_estimate=True)
    row = _api(client, world.a.company, bearer, text).json()["rows"][0]
    # estimated from the FY2025 table: 10,000 kWh x 0.000455 (A0271 residual) = 4.55 t
    assert row["tco2"] == pytest.approx(4.55) and row["problem"] == ""
    _url, page = _web_preview(alice_client, world.a.company, text)
    assert "4.550" in page and 'data-testid="row-estimated"' in page  # labelled 推計
