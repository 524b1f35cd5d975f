"""Imports off the request path: limits checked on the bytes before any parsing (413 naming the
limit, web and API: test_import_api.py), parsing in the task worker with a polling preview that reads the stored
plan, writing in the worker, and at most two imports at once per company."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnnavi.measure import limits, tasks
from cnnavi.measure.models import EnergyImport, EnergyRecord, ImportStatus, ImportWork
from cnnavi.measure.selectors import imports as import_selectors
from cnnavi.measure.tests.test_import import GOOD

pytestmark = pytest.mark.django_db

HEADER = GOOD.splitlines()[0]
ROW = GOOD.splitlines()[1]


def _csv(rows: int) -> bytes:
    return ("\n".join([HEADER] + [ROW] * rows) + "\n").encode()


def _upload(client, company, data: bytes, name="energy.csv"):
    f = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("measure:import_upload", args=[company.pk]), {"file": f})


def _xlsx(sheet_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


@pytest.fixture
def no_parsing(monkeypatch):
    """Fails the test if anything parses the file."""

    def refuse(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(import_selectors, "read_rows", refuse)


@pytest.fixture
def queued(settings):
    """A real queue: tasks wait for the worker (here: the test runs them by hand)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


# --- limits on the bytes ------------------------------------------------------------------------
def test_limits_name_the_limit_without_parsing():
    with pytest.raises(limits.LimitExceeded) as rows:
        limits.check(_csv(11), max_rows=10)
    assert rows.value.limit == "rows" and "limit is 10 rows" in str(rows.value)
    limits.check(_csv(10), max_rows=10)
    with pytest.raises(limits.LimitExceeded) as size:
        limits.check(b"x" * (limits.MAX_BYTES + 1))
    assert size.value.limit == "bytes"


def test_an_xlsx_bomb_is_refused_by_its_declared_sizes():
    bomb = _xlsx(b"<worksheet>" + b" " * (3 * 1024 * 1024) + b"</worksheet>")
    assert len(bomb) < 50_000
    with pytest.raises(limits.LimitExceeded) as exc:
        limits.check(bomb, "bomb.xlsx")
    assert exc.value.limit == "xlsx_ratio"


def test_an_xlsx_too_large_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_UNCOMPRESSED", 1000)
    with pytest.raises(limits.LimitExceeded) as exc:
        limits.check(_xlsx(b"<worksheet>" + b"<row/>" * 500 + b"</worksheet>"), "big.xlsx")
    assert exc.value.limit == "xlsx_uncompressed"


def test_an_xlsx_declaring_too_many_rows_or_columns_is_refused():
    tall = _xlsx(b'<worksheet><dimension ref="A1:I100002"/><sheetData/></worksheet>')
    with pytest.raises(limits.LimitExceeded) as rows:
        limits.check(tall, "tall.xlsx")
    assert rows.value.limit == "rows"
    wide = _xlsx(b'<worksheet><dimension ref="A1:ZZ10"/><sheetData/></worksheet>')
    with pytest.raises(limits.LimitExceeded) as cols:
        limits.check(wide, "wide.xlsx")
    assert cols.value.limit == "columns"


def test_the_web_refuses_too_many_rows_with_413_before_parsing(
    alice_client, world, monkeypatch, no_parsing
):
    monkeypatch.setattr(limits, "MAX_ROWS", 5)
    response = _upload(alice_client, world.a.company, _csv(6))
    assert response.status_code == 413
    assert "行が多すぎます（5 行まで）" in response.content.decode()
    assert not EnergyImport.objects.exists()


def test_the_web_refuses_a_large_file_before_reading_it(alice_client, world, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BYTES", 100)
    response = _upload(alice_client, world.a.company, _csv(5))
    assert response.status_code == 413
    assert "ファイルが大きすぎます" in response.content.decode()


# --- the worker parses, the page polls and reads the stored plan ------------------------------
def test_the_preview_polls_until_the_worker_has_parsed_then_reads_the_stored_plan(
    alice_client, world, queued, monkeypatch
):
    company = world.a.company
    response = _upload(alice_client, company, GOOD.encode())
    assert response.status_code == 302
    imp = EnergyImport.objects.get()
    assert imp.work == ImportWork.QUEUED and "rows" not in imp.preview
    page = alice_client.get(response.url).content.decode()
    assert 'data-testid="import-working"' in page and 'hx-trigger="every 1s"' in page
    partial = alice_client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="import-working"' in partial and "<html" not in partial

    tasks.import_plan.call(import_id=imp.pk)  # the worker
    imp.refresh_from_db()
    assert imp.work == ImportWork.READY and imp.preview["row_count"] == 3

    # From now on the page never parses the file again.
    monkeypatch.setattr(import_selectors, "read_rows", lambda *a, **k: 1 / 0)
    poll = alice_client.get(response.url, HTTP_HX_REQUEST="true")  # the polling page reloads
    assert poll.status_code == 204 and poll["HX-Redirect"] == response.url
    page = alice_client.get(response.url)
    assert page.status_code == 200
    assert "この内容で取り込む" in page.content.decode()
    assert page.context["plan"].row_count == 3

    # Confirm queues the write; the page polls until the worker has written every row.
    confirm = alice_client.post(reverse("measure:import_confirm", args=[company.pk, imp.pk]))
    assert confirm.status_code == 302 and EnergyRecord.objects.count() == 0
    imp.refresh_from_db()
    assert imp.work == ImportWork.COMMITTING
    monkeypatch.undo()
    tasks.import_commit.call(import_id=imp.pk, actor_id=world.a.owner.pk)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.COMMITTED and EnergyRecord.objects.count() == 3
    done = alice_client.get(response.url, HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == reverse("measure:company", args=[company.pk])


def test_at_most_two_imports_at_once_per_company(alice_client, world, queued):
    company = world.a.company
    assert _upload(alice_client, company, GOOD.encode()).status_code == 302
    assert _upload(alice_client, company, GOOD.encode()).status_code == 302
    third = _upload(alice_client, company, GOOD.encode())
    assert third.status_code == 429
    assert "処理中の取り込みが 2 件あります" in third.content.decode()
    assert EnergyImport.objects.filter(company=company).count() == 2
    # another company is not held up
    alice_client.force_login(world.b.owner)
    assert _upload(alice_client, world.b.company, GOOD.encode()).status_code == 302


def test_an_uploaded_csv_is_kept_compressed_and_read_back_as_uploaded(alice_client, world, queued):
    from cnnavi.measure import services

    data = _csv(2_000)
    assert _upload(alice_client, world.a.company, data).status_code == 302
    imp = EnergyImport.objects.get()
    assert len(bytes(imp.data)) < len(data) // 5  # 2,000 alike rows pack small
    assert services.import_file_bytes(imp) == data
    tasks.import_plan.call(import_id=imp.pk)
    imp.refresh_from_db()
    # every line read (the repeated rows are errors of their own)
    assert imp.preview["row_count"] + imp.preview["error_count"] == 2_000
