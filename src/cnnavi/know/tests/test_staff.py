"""Support staff: counts by stage, prefecture, industry and month, a chart, CSV, versions."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cnnavi.know import selectors, services
from cnnavi.know.models import Diagnosis, SelfCheck
from cnnavi.know.tests.helpers import make_diagnosis

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def at(diagnosis_or_check, when):
    type(diagnosis_or_check).objects.filter(pk=diagnosis_or_check.pk).update(created_at=when)


@pytest.fixture
def data(world):
    # Two anonymous diagnoses (one with a prefecture), one saved to company A, two self-checks.
    a = make_diagnosis(customer_asked="yes")  # measure
    Diagnosis.objects.filter(pk=a.pk).update(prefecture="18", industry="E")
    b = make_diagnosis()  # know
    c = make_diagnosis(world.a.company, world.a.owner, co2_calculated="yes")  # reduce, 16/E
    at(a, datetime(2026, 4, 30, 23, 30, tzinfo=TOKYO))  # still April in Tokyo
    at(b, datetime(2026, 5, 1, 0, 30, tzinfo=TOKYO))  # May in Tokyo, April 30 in UTC
    at(c, datetime(2026, 5, 20, 12, 0, tzinfo=TOKYO))
    s1 = services.self_check_create(checked=["1", "2"], prefecture="17", industry="I2")
    s2 = services.self_check_create(checked=[])
    at(s1, datetime(2026, 5, 2, 9, 0, tzinfo=TOKYO))
    at(s2, datetime(2026, 8, 2, 9, 0, tzinfo=TOKYO))


def test_counts_by_stage_prefecture_industry_and_month(client, world, data):
    client.force_login(world.a.owner)  # staff of office A
    response = client.get("/staff/know/")
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts["total_diagnoses"], counts["total_self_checks"]) == (3, 2)
    assert [(s["key"], s["diagnoses"]) for s in counts["stages"]] == [
        ("know", 1),
        ("measure", 1),
        ("reduce", 1),
        ("prepare", 0),
    ]
    assert [(r["key"], r["diagnoses"], r["self_checks"]) for r in counts["prefectures"]] == [
        ("16", 1, 0),
        ("17", 0, 1),
        ("18", 1, 0),
        ("", 1, 1),  # not given
    ]
    assert [(m["month"], m["by_stage"], m["self_checks"]) for m in counts["months"]] == [
        ("2026-04", [0, 1, 0, 0], 0),
        ("2026-05", [1, 0, 1, 0], 1),
        ("2026-06", [0, 0, 0, 0], 0),  # months without answers show as zeros
        ("2026-07", [0, 0, 0, 0], 0),
        ("2026-08", [0, 0, 0, 0], 1),
    ]
    html = response.content.decode()
    assert 'data-testid="chart-know-usage"' in html and "plotly" not in html
    # the chart draws the month table's figures: diagnoses by stage, self-checks as a line
    chart = selectors.usage_chart(counts).wide
    assert chart.rows == [(m["month"], *m["by_stage"], m["self_checks"]) for m in counts["months"]]
    assert 'data-testid="month-table"' in html


def test_filters_narrow_the_counts_and_a_bad_range_is_a_422(client, world, data):
    client.force_login(world.a.owner)
    response = client.get("/staff/know/?prefecture=18")
    assert response.context["counts"]["total_diagnoses"] == 1
    response = client.get("/staff/know/?date_from=2026-05-01&date_to=2026-05-31")
    assert response.context["counts"]["total_diagnoses"] == 2
    response = client.get("/staff/know/?date_from=2026-06-01&date_to=2026-05-01")
    assert response.status_code == 422
    assert "終了日は開始日以降にしてください。" in response.content.decode()


def test_the_dashboard_query_count_does_not_grow_with_data(
    client, world, data, django_assert_max_num_queries
):
    for _ in range(10):
        make_diagnosis(fuel_use="much")
    client.force_login(world.a.owner)
    with django_assert_max_num_queries(15):
        assert client.get("/staff/know/").status_code == 200


def test_csv_export_and_no_personal_data(client, world, data):
    client.force_login(world.a.owner)
    response = client.get("/staff/know/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["区分", "コード", "名称", "ステージ診断", "セルフチェック"]
    assert ["ステージ", "measure", "測る", "1", ""] in rows
    assert ["都道府県", "18", "福井県", "1", "0"] in rows
    assert ["都道府県", "", "未回答", "1", "1"] in rows
    assert ["月", "2026-05", "2026-05", "2", "1"] in rows
    body = response.content.decode("utf-8-sig")
    assert "Company" not in body and "@" not in body


def test_csv_cells_cannot_start_a_formula():
    from cnnavi.know.reports import safe_cell

    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert [safe_cell(v) for v in ("+1", "-1", "@a", "\tx", "ok", None, 3)] == [
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "ok",
        "",
        "3",
    ]


def test_only_office_staff_open_the_counts(client, world):
    client.force_login(world.outsider)
    assert client.get("/staff/know/").status_code == 403
    assert client.get("/staff/know/export.csv").status_code == 403
    assert client.get("/staff/know/versions/").status_code == 403
    client.logout()
    assert client.get("/staff/know/").status_code == 302


def test_versions_page_lists_versions_with_their_answer_counts(
    client, world, data, django_assert_max_num_queries
):
    for _ in range(3):
        services.diagnosis_version_copy(
            actor=world.a.owner, version=Diagnosis.objects.first().version
        )
    client.force_login(world.a.owner)
    with django_assert_max_num_queries(9):
        html = client.get("/staff/know/versions/").content.decode()
    assert html.count('data-testid="version-row"') == 4
    assert '<td class="num">3</td>' in html  # v1 holds the three answer sets
    assert "現在の版" in html
    assert SelfCheck.objects.count() == 2
