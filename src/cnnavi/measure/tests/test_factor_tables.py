"""Office staff load a year's official table (electricity, gas or heat; the official PDF or its
text) through the core's reader (``cnnavi.core.tables``): a preview of the suppliers added,
changed and removed, then an audited install. Every test installs into a copy of the package
data, never into the package itself."""

import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cnnavi.audit.models import AuditEntry
from cnnavi.core import factor_book
from cnnavi.core.factors import DATA_DIR, FactorBook
from cnnavi.core.tests.pdfs import layout_pdf
from cnnavi.core.tests.test_core import SHARED_DENKI
from cnnavi.measure.models import FactorTableUpload
from cnnavi.measure.selectors import factor_tables

SHARED = SHARED_DENKI.parent
needs_shared = pytest.mark.skipif(not SHARED_DENKI.exists(), reason="shared data not present")
URL = "measure_staff:factor_tables"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A copy of the core's package data that the staff page reads and installs into."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    package = sorted(p.name for p in DATA_DIR.iterdir())
    monkeypatch.setattr(factor_tables, "TABLE_DIR", copy)
    yield copy
    factor_book.cache_clear()
    assert sorted(p.name for p in DATA_DIR.iterdir()) == package  # nothing written there


def _upload(client, kind, name, data, results_year=""):
    return client.post(
        reverse(URL),
        {"kind": kind, "results_year": results_year, "file": SimpleUploadedFile(name, data)},
    )


@needs_shared
def test_a_gas_table_for_the_next_year_previews_the_changed_supplier_and_installs_audited(
    client, world, data_dir
):
    # the R7 gas table as R8 (FY2026): 第一ガス (K0052) changes from 2.91 to 2.85 / 2.80
    text = (
        (SHARED / "gas.tsv")
        .read_text(encoding="utf-8")
        .replace("R7年度供給実績", "R8年度供給実績")
        .replace(
            "K0052\t第一ガス株式会社\t第一ガス株式会社の供給区域\t2.91\t2.91",
            "K0052\t第一ガス株式会社\t第一ガス株式会社の供給区域\t2.85\t2.80",
        )
    )
    client.force_login(world.outsider)
    assert client.get(reverse(URL)).status_code == 403  # only office staff
    client.force_login(world.a.owner)  # the world's owner is also staff of office A
    r = _upload(client, "gas", "gas_r8.tsv", text.encode())
    assert r.status_code == 302, r.content.decode()[:2000]
    upload = FactorTableUpload.objects.get()
    assert (upload.kind, upload.results_year, upload.emission_year) == ("gas", 2026, 2026)
    page = client.get(r.url).content.decode()
    assert 'data-testid="emission-year">2026年度' in page
    assert 'data-testid="compared-with">2025年度' in page  # the table now used for FY2026
    assert 'data-testid="table-changed">1<' in page and 'data-testid="table-added">0<' in page
    changed = page.split('data-testid="changed-suppliers"')[1]
    assert "K0052" in changed and "2.91 / 2.91" in changed and "2.85 / 2.8" in changed
    client.post(reverse("measure_staff:factor_table_confirm", args=[upload.pk]))
    assert (data_dir / "gas_fy2026.tsv").exists()
    book = FactorBook(data_dir)
    table, provisional = book.table("gas", 2026)
    assert not provisional and str(table.suppliers["K0052"].menus[0].basic) == "2.85"
    upload.refresh_from_db()
    assert upload.status == "committed" and upload.confirmed_by == world.a.owner
    entry = AuditEntry.objects.get(action="measure.factor_table_confirm")
    assert entry.data["changed"] == 1 and entry.data["file"] == "gas_fy2026.tsv"


@needs_shared
def test_the_official_electricity_pdf_is_read_and_compared_with_the_shipped_year(
    client, world, data_dir
):
    lines = [ln for ln in SHARED_DENKI.read_text(encoding="utf-8").split("\n")
             if not ln.startswith("#")]  # fmt: skip
    tail_from = next(i for i, ln in enumerate(lines) if "【一般送配電事業者】" in ln)
    pdf = layout_pdf("\n".join(lines[:60] + lines[tail_from - 3 :]))
    client.force_login(world.a.owner)
    r = _upload(client, "electricity", "r08_denki.pdf", pdf)
    assert r.status_code == 302
    upload = FactorTableUpload.objects.get()
    assert (upload.results_year, upload.emission_year) == (2024, 2025)  # read from the title
    page = client.get(r.url).content.decode()
    assert "すでにあります" in page  # FY2025's table is shipped
    assert 'data-testid="table-unchanged">20<' in page  # the excerpt's suppliers: same values
    assert 'data-testid="table-changed">0<' in page
    assert 'data-testid="removed-suppliers"' in page  # the rest is not in the excerpt
    assert "0.000423" in page  # the national average, before and after


def test_a_file_that_is_not_a_table_names_every_problem_and_keeps_nothing(client, world, data_dir):
    client.force_login(world.a.owner)
    r = _upload(client, "heat", "x.txt", b"hello")
    text = r.content.decode()
    assert r.status_code == 422 and "公表一覧として読み取れません" in text
    assert "no supplier rows found" in text and "results year" in text
    assert not FactorTableUpload.objects.exists()


def test_the_staff_index_links_the_table_page(client, world):
    client.force_login(world.a.owner)
    page = client.get(reverse("staff:index")).content.decode()
    assert 'data-testid="factor-tables-link"' in page and reverse(URL) in page
