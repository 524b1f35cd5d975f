"""The owner issues a CO2 statement, creates a share link, the recipient opens it in a fresh
browser without an account and downloads the PDF; the owner revokes the link and the link then
shows no data."""

import os
import re
from datetime import date
from decimal import Decimal

import pytest

from cnnavi.measure.models import EnergyRecord
from cnnavi.orgs import services as org_services
from cnnavi.orgs.models import FacilityKind
from cnnavi.testing import PASSWORD, make_company, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("CNNAVI_SCREENSHOTS", "")  # a folder: save screenshots there


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _data():
    owner = make_user("owner@example.com", name="Hanako Yamada")
    company = make_company(owner, name="Hokuriku Parts Co.", corporate_number="")
    facility = org_services.facility_create(
        actor=owner, company=company, name="Main plant", prefecture="16",
        kind=FacilityKind.FACTORY, floor_area_m2=800,
    )  # fmt: skip
    for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3):
        month = date(2025 if m >= 4 else 2026, m, 1)
        EnergyRecord.objects.create(
            facility=facility,
            month=month,
            energy="electricity",
            amount=Decimal(12000 + m),
            unit="kWh",
        )
        EnergyRecord.objects.create(facility=facility, month=month, energy="city_gas",
                                    amount=Decimal(800), unit="m3")  # fmt: skip
    return owner, company, facility


def _login(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def test_owner_shares_a_statement_and_revokes_the_link(page, tmp_path):
    owner, company, facility = _data()
    _login(page, owner.email)
    # a bill attached to May's electricity shows beside that cell of the grid
    page.goto(f"/measure/companies/{company.pk}/facilities/{facility.pk}/grid/?year=2025")
    bill = tmp_path / "bill.png"
    bill.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    page.locator("#evidence-month").select_option("2025-05")
    page.locator("#evidence-energy").select_option("electricity")
    page.locator("#evidence-file").set_input_files(str(bill))
    page.get_by_role("button", name="添付する").click()
    page.wait_for_load_state()
    row = page.locator('[data-testid="grid-row"][data-energy="electricity"]')
    assert row.get_by_test_id("cell-evidence").count() == 1
    _shot(page, "grid-ja-1280")
    page.goto(f"/measure/companies/{company.pk}/statement/?year=2025")
    figures = page.get_by_test_id("statement-figures")
    assert "t-CO2" in figures.inner_text()
    _shot(page, "statement-ja-1280")
    page.get_by_label("提出先（任意）").fill("Big Buyer KK")
    page.locator("#id_allocation_method").select_option("economic")
    page.get_by_label("提出先への売上高・数量").fill("25")
    page.get_by_label("全体の売上高・生産量").fill("100")
    page.get_by_test_id("issue").click()
    page.wait_for_url(re.compile(r"/statements/\d+/$"))
    code = page.get_by_test_id("statement-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    assert "25.00%" in page.get_by_test_id("statement-allocation").inner_text()
    page.get_by_label("提出先の名前").fill("Big Buyer KK")
    page.get_by_test_id("create-link").click()
    url = page.get_by_test_id("new-link-url").input_value()
    assert re.search(r"/s/[A-Za-z0-9_-]{40,}/$", url)
    _shot(page, "issued-ja-1280")

    # the recipient: a fresh browser context, no account
    guest = page.context.browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    try:
        g = guest.new_page()
        g.goto(url)
        assert "Hokuriku Parts Co." in g.get_by_test_id("statement-company").inner_text()
        assert g.get_by_test_id("statement-code").inner_text() == code
        with g.expect_download() as info:
            g.get_by_test_id("shared-pdf").click()
        pdf = tmp_path / "statement.pdf"
        info.value.save_as(pdf)
        assert pdf.read_bytes().startswith(b"%PDF")

        # the owner sees the openings and revokes the link
        page.reload()
        assert page.get_by_test_id("link-opens").inner_text().startswith("2")
        page.get_by_test_id("revoke").click()
        page.wait_for_load_state()
        assert page.get_by_test_id("link-state").inner_text() == "取り消し済み"

        g.goto(url)
        assert g.get_by_test_id("link-closed").is_visible()
        body = g.locator("body").inner_text()
        assert "Hokuriku Parts Co." not in body and "t-CO2" not in body and code not in body
        _shot(g, "closed-ja-390")

        # the code checks out on /verify/
        g.goto(url.split("/s/")[0] + f"/en/verify/?code={code}")
        assert g.get_by_test_id("verify-unchanged").is_visible()
        _shot(g, "verify-en-390")
    finally:
        guest.close()
    if SHOTS:  # the pages in both languages at both widths, for a look by eye
        issued = page.url
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            for lang in ("", "/en"):
                name = "en" if lang else "ja"
                page.goto(f"{lang}/measure/companies/{company.pk}/statement/?year=2025")
                _shot(page, f"statement-{name}-{width}")
                page.goto(issued.replace("/measure/", f"{lang}/measure/", 1))
                _shot(page, f"issued-{name}-{width}")
