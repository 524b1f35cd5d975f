"""The API's import goes through the task worker as the web's does (docs/decisions/1006): the
POST checks the limits and stores the file (202, a status URL), the status answers the state
(queued, parsing with its progress, ready with the preview, failed with the row errors), the
confirm hands the write to the worker. The preview page shows how far the parse is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnnavi.api.services import token_create
from cnnavi.measure import limits, tasks
from cnnavi.measure.models import EnergyImport, EnergyRecord, ImportWork
from cnnavi.measure.selectors import imports as import_selectors
from cnnavi.measure.tests.test_import import GOOD

pytestmark = pytest.mark.django_db

HEADER, ROW = GOOD.splitlines()[0], GOOD.splitlines()[1]


@pytest.fixture
def bearer(world):
    _token, key = token_create(actor=world.a.owner, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def queued(settings):
    """A real queue: tasks wait for the worker (here: the test runs them by hand)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(import_selectors, "read_rows", refuse)


def _post(client, company, data: bytes, bearer, query=""):
    return client.post(
        f"/api/v1/companies/{company.pk}/energy-imports{query}",
        {"file": SimpleUploadedFile("energy.csv", data)},
        **bearer,
    )


def test_202_then_the_status_polls_to_the_preview_and_confirm_writes_in_the_worker(
    client, world, bearer, queued
):
    company = world.a.company
    posted = _post(client, company, GOOD.encode(), bearer)
    assert posted.status_code == 202
    body = posted.json()
    assert body["state"] == "queued" and body["rows"] == [] and not body["committed"]
    imp = EnergyImport.objects.get()
    assert body["status_url"] == f"/api/v1/companies/{company.pk}/energy-imports/{imp.pk}"
    status = client.get(body["status_url"], **bearer)
    assert status.status_code == 200 and status.json()["state"] == "queued"
    # confirming before the preview is ready is refused
    early = client.post(body["confirm_url"], **bearer)
    assert early.status_code == 409 and "queued" in early.json()["detail"]

    tasks.import_plan.call(import_id=imp.pk)  # the worker
    ready = client.get(body["status_url"], **bearer).json()
    assert ready["state"] == "ready" and ready["ok"] and ready["progress"] is None
    assert ready["new"] == 3 and ready["row_count"] == 3
    assert [r["line"] for r in ready["rows"]] == [2, 3, 4]
    assert not EnergyRecord.objects.exists()  # a preview writes nothing

    confirm = client.post(body["confirm_url"], **bearer)
    assert confirm.status_code == 202 and confirm.json()["state"] == "committing"
    again = client.post(body["confirm_url"], **bearer)
    assert again.status_code == 409 and "committing" in again.json()["detail"]
    assert not EnergyRecord.objects.exists()
    tasks.import_commit.call(import_id=imp.pk, actor_id=world.a.owner.pk)
    done = client.get(body["status_url"], **bearer).json()
    assert done["state"] == "committed" and done["committed"] and done["new"] == 3
    assert EnergyRecord.objects.count() == 3


def test_row_errors_answer_failed_with_the_errors_and_cannot_be_confirmed(client, world, bearer):
    bad = f"{HEADER}\n{ROW}\nFactory a,2025-13,電気,1,kWh\n"
    body = _post(client, world.a.company, bad.encode(), bearer).json()
    assert body["state"] == "failed" and not body["ok"]  # parsed at once (immediate backend)
    assert body["errors"] == [
        {
            "line": 3,
            "column": "年月",
            "reason": "month 13 is not 1-12",  # English, as the CLI prints it
            "code": "input.month_out_of_range",
            "params": {"month": 13},
        }
    ]
    assert [r["line"] for r in body["rows"]] == [2]  # the good rows beside the errors
    assert client.post(body["confirm_url"], **bearer).status_code == 409
    assert not EnergyRecord.objects.exists()


def test_dry_run_false_writes_right_after_a_preview_without_errors(client, world, bearer):
    company = world.a.company
    first = _post(client, company, GOOD.encode(), bearer, "?dry_run=false").json()
    assert first["state"] == "committed" and first["new"] == 3
    assert EnergyRecord.objects.count() == 3
    second = _post(client, company, GOOD.encode(), bearer, "?dry_run=false").json()
    assert second["state"] == "committed" and second["unchanged"] == 3
    assert EnergyRecord.objects.count() == 3


def test_another_companys_import_is_404_on_its_status_and_confirm(client, world, bearer, queued):
    _post(client, world.a.company, GOOD.encode(), bearer)
    imp = EnergyImport.objects.get()
    _t, key_b = token_create(actor=world.b.owner, name="b")
    as_b = {"HTTP_AUTHORIZATION": f"Bearer {key_b}"}
    for company in (world.a.company, world.b.company):
        base = f"/api/v1/companies/{company.pk}/energy-imports/{imp.pk}"
        assert client.get(base, **as_b).status_code in (403, 404)
        assert client.post(f"{base}/confirm", **as_b).status_code in (403, 404)
    # through b's own company, a's import id is not found
    base = f"/api/v1/companies/{world.b.company.pk}/energy-imports/{imp.pk}"
    assert client.get(base, **as_b).status_code == 404
    assert client.post(f"{base}/confirm", **as_b).status_code == 404
    imp.refresh_from_db()
    assert imp.work == ImportWork.QUEUED


def test_the_api_refuses_too_many_rows_with_413_before_parsing(
    client, world, bearer, monkeypatch, no_parsing
):
    monkeypatch.setattr(limits, "MAX_ROWS", 3)
    data = ("\n".join([HEADER] + [ROW] * 4) + "\n").encode()
    response = _post(client, world.a.company, data, bearer)
    assert response.status_code == 413
    body = response.json()
    assert body["errors"] == [{"field": "file", "limit": "rows"}]
    assert "limit is 3 rows" in body["detail"]
    monkeypatch.setattr(limits, "MAX_BYTES", 100)
    response = _post(client, world.a.company, data, bearer)
    assert response.status_code == 413 and response.json()["errors"][0]["limit"] == "bytes"
    assert not EnergyImport.objects.exists()


# --- the progress of a parse ------------------------------------------------------------------
def test_the_preview_page_counts_the_rows_read_while_the_worker_parses(
    alice_client, client, world, bearer, queued, monkeypatch
):
    company = world.a.company
    rows = [f"Factory a,2025-{m:02d},電気,{100 + m},kWh" for m in range(1, 13)]
    data = ("\n".join([HEADER.split(",供給")[0]] + rows) + "\n").encode()
    upload = alice_client.post(
        reverse("measure:import_upload", args=[company.pk]),
        {"file": SimpleUploadedFile("energy.csv", data)},
    )
    imp = EnergyImport.objects.get()
    assert imp.preview["progress"] == {"read": 0, "total": 12}  # counted on the bytes
    monkeypatch.setattr(import_selectors, "PROGRESS_EVERY", 5)
    seen, stored = [], tasks._store_progress

    def store_and_look(import_id):
        store = stored(import_id)

        def step(read, total):
            store(read, total)
            page = alice_client.get(upload.url, HTTP_HX_REQUEST="true").content.decode()
            english = alice_client.get("/en" + upload.url, HTTP_HX_REQUEST="true")
            api = client.get(f"/api/v1/companies/{company.pk}/energy-imports/{imp.pk}", **bearer)
            seen.append((read, page, english.content.decode(), api.json()))

        return step

    monkeypatch.setattr(tasks, "_store_progress", store_and_look)
    tasks.import_plan.call(import_id=imp.pk)
    # stored once read, every 5 rows, and at the end: not every row
    assert [s[0] for s in seen] == [0, 5, 10, 12]
    _read, page, english, api = seen[1]
    assert 'data-testid="import-progress"' in page and "5 / 12 行を読み込みました" in page
    assert "Read 5 of 12 rows" in english
    assert api["state"] == "parsing" and api["progress"] == {"read": 5, "total": 12}
    imp.refresh_from_db()
    assert imp.work == ImportWork.READY and "progress" not in imp.preview
    done = alice_client.get(upload.url).content.decode()
    assert "行を読み込みました" not in done and "この内容で取り込む" in done


def test_a_stored_progress_shows_with_thousands_grouped(alice_client, world):
    imp = EnergyImport.objects.create(
        company=world.a.company,
        filename="big.csv",
        data=b"",
        work=ImportWork.RUNNING,
        preview={"progress": {"read": 42_000, "total": 100_000}},
    )
    url = reverse("measure:import_preview", args=[world.a.company.pk, imp.pk])
    assert "42,000 / 100,000 行を読み込みました" in alice_client.get(url).content.decode()
    english = alice_client.get("/en" + url).content.decode()
    assert "Read 42,000 of 100,000 rows" in english
