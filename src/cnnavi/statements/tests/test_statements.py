import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cnnavi.audit.models import AuditEntry
from cnnavi.common.pdf import FONT_FAMILY
from cnnavi.core.cli import co2_main
from cnnavi.measure import calc as measure_calc
from cnnavi.measure import services as measure_services
from cnnavi.measure.models import EnergyRecord
from cnnavi.measure.selectors import dashboard as measure_dashboard
from cnnavi.orgs.models import Membership, Role
from cnnavi.statements import present, reports, rules, selectors, services
from cnnavi.statements.models import Evidence, ShareLink, ShareLinkOpen, Statement

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _issue(company, user, **kw):
    args = dict(actor=user, role="owner", company=company, period_kind="shk", year=2025)
    args.update(kw)
    return services.statement_issue(**args)


# --------------------------------------------------------------------------- figures


def test_statement_figures_equal_the_dashboards(alice_client, company, data):
    d = measure_dashboard.dashboard(company=company, fiscal_year=2025)
    period = selectors.period_for(company=company, kind="shk", year=2025)
    figures, _fp = selectors.statement_figures(company=company, period=period)
    assert figures["ok"]
    for key in ("scope1_t", "scope2_basic_t", "scope2_adjusted_t", "scope2_location_t",
                "scope2_market_t", "total_basic_t", "total_adjusted_t", "energy_gj"):  # fmt: skip
        assert Decimal(figures["totals"][key]) == d.totals[key], key
    # and the page shows the dashboard's figures, rounded to 3 decimals
    page = alice_client.get(
        reverse("statements:statement", args=[company.pk]) + "?year=2025"
    ).content.decode()
    assert f"{rules.round_t(d.totals['scope1_t']):,}&nbsp;t-CO2" in page
    assert f"{rules.round_t(d.totals['scope2_market_t']):,}&nbsp;t-CO2" in page
    assert f"{rules.round_t(d.totals['scope2_location_t']):,}&nbsp;t-CO2" in page


def test_statement_api_equals_the_emissions_endpoint_and_the_cli(
    alice_client, world, factory, tmp_path, capsys
):
    lines = ["事業所,年月,エネルギー,使用量,単位,供給事業者,金額"]
    for i, m in enumerate(["2025-04", "2025-05", "2026-03"]):
        y, mo = int(m[:4]), int(m[5:])
        EnergyRecord.objects.create(
            facility=factory,
            month=date(y, mo, 1),
            energy="electricity",
            amount=Decimal(9000 + i),
            unit="kWh",
            cost_yen=250000 + i,
        )
        EnergyRecord.objects.create(facility=factory, month=date(y, mo, 1), energy="kerosene",
                                    amount=Decimal("0.4"), unit="kL")  # fmt: skip
        lines.append(f"Factory a,{m},電気,{9000 + i},kWh,,{250000 + i}")
        lines.append(f"Factory a,{m},灯油,0.4,kL,,")
    path = tmp_path / "same.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert (
        co2_main([str(path), "--format", "json", "--fiscal-year", "2025", "--employees", "50"]) == 0
    )
    cli = json.loads(capsys.readouterr().out)[0]
    base = f"/api/v1/companies/{world.a.company.pk}"
    emissions = alice_client.get(f"{base}/emissions?fiscal_year=2025").json()
    r = alice_client.get(f"{base}/statement?fiscal_year=2025")
    assert r.status_code == 200
    st = r.json()
    for key in selectors.TOTAL_KEYS:
        assert st[key] == emissions[key] == cli[key], key
    assert st["period"]["first"] == "2025-04" and st["period"]["last"] == "2026-03"
    assert st["completeness"]["months_with_data"] == 3
    assert alice_client.get(f"{base}/statement?fiscal_year=2019").status_code == 404
    assert alice_client.get(f"{base}/statement?fiscal_year=2025&period=x").status_code == 422
    other = f"/api/v1/companies/{world.b.company.pk}/statement?fiscal_year=2025"
    assert alice_client.get(other).status_code == 404


def test_a_period_across_two_shk_years_uses_each_months_own_years_factors(company, data):
    company.fiscal_year_start_month = 10
    company.save()
    period = selectors.period_for(company=company, kind="business", year=2025)
    assert period.first == date(2025, 10, 1) and period.last == date(2026, 9, 1)
    assert period.shk_years == [2025, 2026]
    figures, _fp = selectors.statement_figures(company=company, period=period)
    assert figures["ok"], figures["errors"]
    # by hand: the months 2025-10..2026-03 computed as FY2025, 2026-04..2026-09 as FY2026
    by_year = measure_calc.core_records_by_year(company=company, fiscal_years=[2025, 2026])
    first = [r for r in by_year[2025] if r.month >= "2025-10"]
    second = [r for r in by_year[2026] if r.month <= "2026-09"]
    c1 = measure_calc.year_calc(company=company, fiscal_year=2025, records=first)
    c2 = measure_calc.year_calc(company=company, fiscal_year=2026, records=second)
    for key in ("scope1_t", "scope2_market_t", "scope2_location_t", "total_basic_t"):
        both = getattr(c1.result, key) + getattr(c2.result, key)
        assert Decimal(figures["totals"][key]) == both, key
    # the method names the tables of both years
    assert {f["fiscal_year"] for f in figures["factors"]} == {2025, 2026}
    assert figures["completeness"]["months_with_data"] == 12
    page_note = figures["period"]["shk_years"]
    assert page_note == [2025, 2026]
    cal = selectors.period_for(company=company, kind="calendar", year=2025)
    assert [cal.first, cal.last] == [date(2025, 1, 1), date(2025, 12, 1)]


def test_the_dashboard_shows_the_period_the_reader_needs(alice_client, company, data):
    company.fiscal_year_start_month = 10
    company.save()
    url = reverse("measure:dashboard", args=[company.pk])
    # default: the SHK fiscal year, named; nothing else computed
    page = alice_client.get(url, {"year": 2025}).content.decode()
    assert 'data-testid="period-name">2025年度（2025年4月〜2026年3月）<' in page
    assert 'data-testid="period-totals"' not in page
    assert '<option value="shk" selected>' in page
    # the business year Oct 2025 - Sep 2026: each month with its own SHK year's factors
    by_year = measure_calc.core_records_by_year(company=company, fiscal_years=[2025, 2026])
    c1 = measure_calc.year_calc(
        company=company,
        fiscal_year=2025,
        records=[r for r in by_year[2025] if r.month >= "2025-10"],
    )
    c2 = measure_calc.year_calc(
        company=company,
        fiscal_year=2026,
        records=[r for r in by_year[2026] if r.month <= "2026-09"],
    )
    page = alice_client.get(url, {"year": 2025, "period": "business"}).content.decode()
    assert "事業年度（2025年10月〜2026年9月）" in page
    assert '<option value="business" selected>' in page
    totals = page.split('data-testid="period-totals"')[1].split("</table>")[0]
    for key in ("scope1_t", "scope2_market_t", "scope2_location_t", "total_basic_t"):
        both = getattr(c1.result, key) + getattr(c2.result, key)
        assert f"{rules.round_t(both):,}&nbsp;t-CO2" in totals, key
    assert "2025・2026年度" in page  # the note says which years' factors
    shk = measure_dashboard.dashboard(company=company, fiscal_year=2025)
    assert f"{rules.round_t(shk.totals['total_basic_t']):,}&nbsp;t-CO2" not in totals
    assert "以下のグラフと表は、省エネ法・温対法の2025年度" in page
    # the calendar year, in English too
    page = alice_client.get(url, {"year": 2026, "period": "calendar"}).content.decode()
    assert "暦年 2026（2026年1月〜2026年12月）" in page
    with translation.override("en"):
        en = alice_client.get("/en" + url, {"year": 2026, "period": "calendar"}).content.decode()
    assert "Calendar year 2026 (January 2026 – December 2026)" in en
    assert "Emissions in the chosen period" in en
    # an unknown period is the SHK year
    page = alice_client.get(url, {"year": 2025, "period": "x"}).content.decode()
    assert 'data-testid="period-totals"' not in page and "2025年度（2025年4月〜2026年3月）" in page


def test_completeness_counts_questioned_confirmed_and_unconfirmed_values(
    alice_client, company, factory, alice, data
):
    # two implausible months (ten times the neighbours) in FY2025
    for month in (date(2025, 8, 1), date(2026, 1, 1)):
        EnergyRecord.objects.filter(facility=factory, month=month, energy="city_gas").update(
            amount=Decimal(10000)
        )
    measure_services.records_confirm(
        actor=alice, facility=factory, energy="city_gas", month=date(2025, 8, 1)
    )
    period = selectors.period_for(company=company, kind="shk", year=2025)
    comp = selectors.statement_figures(company=company, period=period)[0]["completeness"]
    assert (comp["outliers_questioned"], comp["outliers_confirmed"]) == (2, 1)
    assert comp["outliers_unconfirmed"] == 1
    assert comp["outliers_unconfirmed_cells"] == [
        {"facility": factory.name, "facility_id": factory.pk, "month": "2026-01",
         "energy": "city_gas"}
    ]  # fmt: skip
    url = reverse("statements:statement", args=[company.pk])
    page = alice_client.get(url, {"year": 2025}).content.decode()
    assert "確認を求められた値: 2件（確認済み: 1件、未確認: 1件）" in page
    warning = page.split('data-testid="outliers-unconfirmed"')[1].split("</div>")[0]
    assert "確認されていない外れ値が1件あります" in warning
    grid = reverse("measure:grid", args=[company.pk, factory.pk])
    assert f'href="{grid}?year=2025"' in warning and "2026-01" in warning
    # a calendar year 2025 holds only the August value, which is confirmed: no warning
    page = alice_client.get(url, {"year": 2025, "period": "calendar"}).content.decode()
    assert "確認を求められた値: 1件（確認済み: 1件、未確認: 0件）" in page
    assert 'data-testid="outliers-unconfirmed"' not in page
    # the issued statement keeps the counts; the English page says them in English
    s = _issue(company, alice)
    assert s.figures["completeness"]["outliers_unconfirmed"] == 1
    issued = reverse("statements:issued", args=[company.pk, s.pk])
    with translation.override("en"):
        en = alice_client.get("/en" + issued).content.decode()
        draft = alice_client.get("/en" + url, {"year": 2025}).content.decode()
    assert "Values questioned: 2 (confirmed: 1, unconfirmed: 1)" in en
    assert "Questioned values not yet confirmed: 1." in draft


def test_allocation_arithmetic_by_hand():
    a = rules.allocate(
        method="economic",
        part=Decimal(30),
        total=Decimal(120),
        scope1_t=Decimal("10.0"),
        scope2_market_t=Decimal("20.0"),
        scope2_location_t=Decimal("16.0"),
    )
    # 30 / 120 = 0.25; 10 * 0.25 = 2.5; 20 * 0.25 = 5; 16 * 0.25 = 4
    assert a.share == Decimal("0.25")
    assert (a.scope1_t, a.scope2_market_t, a.scope2_location_t) == (2.5, 5, 4)
    assert a.total_market_t == Decimal("7.5") and a.total_location_t == Decimal("6.5")
    b = rules.allocate(method="physical", part=Decimal(1), total=Decimal(3),
                       scope1_t=Decimal(3), scope2_market_t=Decimal(6),
                       scope2_location_t=Decimal(0))  # fmt: skip
    assert rules.round_t(b.total_market_t) == Decimal("3.000")  # 9 / 3
    with pytest.raises(ValueError):
        rules.allocate(method="economic", part=Decimal(5), total=Decimal(4), scope1_t=1,
                       scope2_market_t=1, scope2_location_t=1)  # fmt: skip
    with pytest.raises(ValueError):
        rules.allocate(method="economic", part=Decimal(0), total=Decimal(0), scope1_t=1,
                       scope2_market_t=1, scope2_location_t=1)  # fmt: skip


def test_the_statement_for_a_recipient_shows_the_allocated_share(
    alice_client, company, alice, data
):
    s = _issue(company, alice, recipient_name="Big Buyer Ltd", allocation_method="economic",
               allocation_part=Decimal(25), allocation_total=Decimal(100),
               allocation_unit="M JPY")  # fmt: skip
    t = s.figures["totals"]
    expected = (Decimal(t["scope1_t"]) + Decimal(t["scope2_market_t"])) / 4
    page = alice_client.get(reverse("statements:issued", args=[company.pk, s.pk])).content.decode()
    assert "Big Buyer Ltd" in page
    assert f"{rules.round_t(expected):,} t-CO2" in page
    assert "25.00%" in page
    bad = alice_client.post(
        reverse("statements:issue", args=[company.pk]),
        {"period": "shk", "year": 2025, "allocation_method": "economic",
         "allocation_part": "200", "allocation_total": "100"},
        follow=True,
    )  # fmt: skip
    assert "提出先の値が全体を超えています" in bad.content.decode()
    assert Statement.objects.count() == 1


def test_issue_records_who_and_when_and_a_code(alice_client, company, alice, data):
    alice.name = "Alice Owner"
    alice.save()
    r = alice_client.post(reverse("statements:issue", args=[company.pk]),
                          {"period": "shk", "year": "2025"})  # fmt: skip
    s = Statement.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/statements/{s.pk}/")
    assert s.issued_by_name == "Alice Owner" and s.issued_by_role == "owner"
    assert len(s.code) == 10 and set(s.code) <= set(rules.CODE_ALPHABET)
    page = alice_client.get(r["Location"]).content.decode()
    assert "Alice Owner（管理者）" in page
    assert rules.format_code(s.code) in page
    assert AuditEntry.objects.filter(action="statements.issue", object_id=str(s.pk)).exists()


def test_a_period_without_data_cannot_be_issued(alice_client, company):
    r = alice_client.post(reverse("statements:issue", args=[company.pk]),
                          {"period": "shk", "year": "2025"}, follow=True)  # fmt: skip
    assert "この期間のエネルギー使用量がありません" in r.content.decode()
    assert not Statement.objects.exists()


def test_a_viewer_may_read_but_not_issue_or_share(client, world, company, alice, data):
    from cnnavi.testing import make_user

    viewer = make_user("viewer@example.com")
    Membership.objects.create(company=company, user=viewer, role=Role.VIEWER)
    s = _issue(company, alice)
    client.force_login(viewer)
    assert client.get(reverse("statements:issued", args=[company.pk, s.pk])).status_code == 200
    assert client.post(reverse("statements:issue", args=[company.pk]),
                       {"period": "shk", "year": "2025"}).status_code == 403  # fmt: skip
    assert client.post(reverse("statements:link_create", args=[company.pk, s.pk]),
                       {"recipient_name": "x", "expires_on": "2099-01-01"}).status_code == 403  # fmt: skip


# --------------------------------------------------------------------------- PDF, XLSX


def test_pdf_is_one_a4_page_with_the_japanese_font_embedded(alice_client, company, alice, data):
    company.fiscal_year_start_month = 10  # a business year over two SHK years: the most text
    company.save()
    s = _issue(company, alice, by_facility=True, recipient_name="顧客", period_kind="business",
               allocation_method="physical",
               allocation_part=Decimal(10), allocation_total=Decimal(40), allocation_unit="個")  # fmt: skip
    r = alice_client.get(reverse("statements:issued_pdf", args=[company.pk, s.pk]))
    assert r["Content-Type"] == "application/pdf"
    body = r.content
    assert body.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", body)) == 1  # one page
    assert re.search(rb"/MediaBox\s*\[0 0 595\.28 841\.89\]", body)  # A4
    assert FONT_FAMILY.encode() in body  # the Japanese font is embedded
    en = alice_client.get("/en" + reverse("statements:issued_pdf", args=[company.pk, s.pk]))
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", en.content)) == 1
    draft = alice_client.get(reverse("statements:statement_pdf", args=[company.pk]) + "?year=2025")
    assert draft.content.startswith(b"%PDF")
    for lang in ("ja", "en"):
        with translation.override(lang):
            view = present.build(s.figures, statement=s, allocation=selectors.allocation_of(s),
                                 by_facility=True)  # fmt: skip
            assert reports.statement_pdf(
                view, verify_url="https://example.com/verify/"
            ).fits_one_page
    xlsx = alice_client.get(reverse("statements:issued_xlsx", args=[company.pk, s.pk]))
    assert xlsx.content[:2] == b"PK"
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(xlsx.content)).active
    cells = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}
    scope1 = next(v for k, v in cells.items() if str(k).startswith("Scope 1"))
    assert Decimal(str(scope1)) == rules.round_t(Decimal(s.figures["totals"]["scope1_t"]))


# --------------------------------------------------------------------------- verify


def test_verify_names_the_statement_and_sees_a_change_after_issue(client, company, alice, data):
    s = _issue(company, alice)
    url = reverse("statements_public:verify")
    page = client.get(url, {"code": rules.format_code(s.code).lower()}).content.decode()
    assert 'data-testid="verify-unchanged"' in page
    assert company.name in page and "2025年度" in page
    assert f"{rules.round_t(Decimal(s.figures['totals']['scope1_t'])):,}&nbsp;t-CO2" in page
    record = EnergyRecord.objects.filter(facility__company=company, month=date(2025, 6, 1)).first()
    measure_services.record_update(actor=alice, record=record, amount=record.amount + 1)
    page = client.get(url, {"code": s.code}).content.decode()
    assert 'data-testid="verify-changed"' in page
    assert 'data-testid="verify-unchanged"' not in page
    unknown = client.get(url, {"code": "AAAAA-BBBBB"}).content.decode()
    assert 'data-testid="verify-unknown"' in unknown and company.name not in unknown


def test_a_record_outside_the_period_does_not_change_the_verification(client, company, alice, data):
    s = _issue(company, alice)
    EnergyRecord.objects.create(facility=company.facilities.first(), month=date(2023, 5, 1),
                                energy="city_gas", amount=5, unit="m3")  # fmt: skip
    assert not selectors.data_changed(s)


# --------------------------------------------------------------------------- share links


def _link(statement, user, days=7):
    return services.link_create(
        actor=user, statement=statement, recipient_name="Buyer", recipient_email="b@example.com",
        expires_on=timezone.localdate() + timedelta(days=days),
    )  # fmt: skip


def test_share_link_token_is_long_random_and_stored_hashed(company, alice, data):
    s = _issue(company, alice)
    link, token = _link(s, alice)
    assert len(token) >= 40
    assert token not in link.token_hash
    import hashlib

    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    _l2, token2 = _link(s, alice)
    assert token2 != token


def test_share_link_shows_the_statement_without_login_and_logs_every_view(
    client, company, alice, data
):
    s = _issue(company, alice)
    link, token = _link(s, alice)
    page = client.get(reverse("statements_public:shared", args=[token]))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer" and page["Cache-Control"] == "no-store"
    assert company.name in page.content.decode()
    pdf = client.get(reverse("statements_public:shared_pdf", args=[token]))
    assert pdf.content.startswith(b"%PDF")
    assert list(ShareLinkOpen.objects.filter(link=link).values_list("what", flat=True)) == [
        "pdf",
        "page",
    ]
    assert (
        AuditEntry.objects.filter(action="statements.link_open", object_id=str(link.pk)).count()
        == 2
    )
    assert client.get(reverse("statements_public:shared", args=["x" * 43])).status_code == 404


def test_public_pages_are_limited_per_client_address(client, company, alice, data, monkeypatch):
    from cnnavi.statements import views

    s = _issue(company, alice)
    _link_, token = _link(s, alice)
    monkeypatch.setitem(views.PUBLIC_LIMITS, "verify", (3, 600))
    monkeypatch.setitem(views.PUBLIC_LIMITS, "page", (2, 600))
    monkeypatch.setitem(views.PUBLIC_LIMITS, "pdf", (1, 600))
    verify = reverse("statements_public:verify")
    page = reverse("statements_public:shared", args=[token])
    pdf = reverse("statements_public:shared_pdf", args=[token])
    assert client.get(verify).status_code == 200  # the empty form is not counted
    for _ in range(3):
        assert client.get(verify, {"code": s.code}).status_code == 200
    assert [client.get(page).status_code for _ in range(3)] == [200, 200, 429]
    assert [client.get(pdf).status_code for _ in range(2)] == [200, 429]
    refused = client.get(verify, {"code": s.code})
    text = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    assert 'data-testid="throttled"' in text and "10分ほど待ってから" in text
    assert "t-CO2" not in text and 'data-testid="verify-' not in text
    assert company.name not in text
    # A refused request opens nothing.
    assert ShareLinkOpen.objects.count() == 3
    # Another client is served; so is the English page's reader, in English.
    other = client.get(verify, {"code": s.code}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200
    with translation.override("en"):
        en = client.get("/en" + page, REMOTE_ADDR="192.0.2.9").status_code
        en_refused = client.get("/en" + verify, {"code": s.code}).content.decode()
    assert en == 200
    assert "Too many requests" in en_refused and "about 10 minutes" in en_refused


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_a_revoked_or_expired_link_shows_no_data(client, company, alice, data, how):
    s = _issue(company, alice)
    link, token = _link(s, alice)
    if how == "revoked":
        services.link_revoke(actor=alice, link=link)
    else:
        ShareLink.objects.filter(pk=link.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    for name in ("shared", "shared_pdf"):
        r = client.get(reverse(f"statements_public:{name}", args=[token]))
        text = r.content.decode()
        assert r.status_code == 410
        assert 'data-testid="link-closed"' in text
        assert company.name not in text and "t-CO2" not in text and s.code not in text
    assert AuditEntry.objects.filter(action="statements.link_refused").count() == 2
    assert not ShareLinkOpen.objects.exists()


def test_owner_creates_sees_opens_and_revokes_a_link(alice_client, company, alice, data):
    s = _issue(company, alice)
    r = alice_client.post(reverse("statements:link_create", args=[company.pk, s.pk]),
                          {"recipient_name": "Buyer", "recipient_email": "",
                           "expires_on": (timezone.localdate() + timedelta(days=3)).isoformat()},
                          follow=True)  # fmt: skip
    page = r.content.decode()
    assert 'data-testid="new-link-url"' in page
    link = ShareLink.objects.get()
    bad = alice_client.post(reverse("statements:link_create", args=[company.pk, s.pk]),
                            {"recipient_name": "", "expires_on": "2000-01-01"}, follow=True)  # fmt: skip
    assert ShareLink.objects.count() == 1
    assert "提出先の名前" in bad.content.decode()
    alice_client.get(reverse("statements_public:shared", args=[page.split("/s/")[1].split("/")[0]]))
    opened = alice_client.get(
        reverse("statements:issued", args=[company.pk, s.pk])
    ).content.decode()
    assert 'data-testid="link-last-open"' in opened
    alice_client.post(reverse("statements:link_revoke", args=[company.pk, s.pk, link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_other_tenants_statement_link_and_evidence_are_404(alice_client, world, data):
    b = world.b
    EnergyRecord.objects.create(facility=b.facility, month=date(2025, 5, 1), energy="city_gas",
                                amount=5, unit="m3")  # fmt: skip
    s = _issue(b.company, b.owner)
    link, _token = _link(s, b.owner)
    ev = services.evidence_upload(actor=b.owner, facility=b.facility, month=date(2025, 5, 1),
                                  energy="city_gas", filename="b.png", data=PNG)  # fmt: skip
    a = world.a.company.pk
    for url in (
        reverse("statements:issued", args=[a, s.pk]),
        reverse("statements:issued_pdf", args=[a, s.pk]),
        reverse("statements:link_opens", args=[a, s.pk, link.pk]),
        reverse("statements:evidence_file", args=[a, ev.pk]),
        reverse("statements:issued", args=[b.company.pk, s.pk]),
        reverse("statements:evidence_file", args=[b.company.pk, ev.pk]),
    ):
        assert alice_client.get(url).status_code == 404, url
    r = alice_client.post(reverse("statements:link_revoke", args=[b.company.pk, s.pk, link.pk]))
    assert r.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


# --------------------------------------------------------------------------- evidence


def _upload(client, company, facility, name, data, month="2025-05", energy="city_gas"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("statements:evidence_upload", args=[company.pk, facility.pk]),
        {"month": month, "energy": energy, "year": "2025", "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


@pytest.mark.parametrize("data_bytes", [PNG, JPEG, PDF])
def test_evidence_jpeg_png_pdf_are_accepted_and_served_to_the_company(
    alice_client, company, factory, data, data_bytes
):
    r = _upload(alice_client, company, factory, "bill.dat", data_bytes)
    assert r.status_code == 200
    ev = Evidence.objects.get()
    assert ev.content_type in ("image/png", "image/jpeg", "application/pdf")
    grid = alice_client.get(reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025")
    text = grid.content.decode()
    assert 'data-testid="cell-evidence"' in text
    f = alice_client.get(reverse("statements:evidence_file", args=[company.pk, ev.pk]))
    assert f.content == data_bytes and f["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "payload",
    [
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50,  # a Windows executable
        b"\x7fELF\x02\x01\x01" + b"\x00" * 50,
    ],
)
def test_a_pdf_that_is_really_html_or_an_executable_is_refused(
    alice_client, company, factory, data, payload
):
    r = _upload(alice_client, company, factory, "bill.pdf", payload)
    assert "JPEG・PNG・PDFのファイルだけを添付できます" in r.content.decode()
    assert not Evidence.objects.exists()


def test_a_bill_for_a_month_without_a_record_is_refused(alice_client, company, factory, data):
    r = _upload(alice_client, company, factory, "bill.png", PNG, month="2024-01")
    assert "この月のこのエネルギーの使用量がまだありません" in r.content.decode()
    assert not Evidence.objects.exists()


def test_a_too_large_file_is_refused(alice_client, company, factory, data, settings):
    big = PDF + b"0" * (services.MAX_EVIDENCE_BYTES + 1)
    r = _upload(alice_client, company, factory, "big.pdf", big)
    assert "10MBまで" in r.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_is_deleted_with_its_record(alice, company, factory, data):
    services.evidence_upload(actor=alice, facility=factory, month=date(2025, 5, 1),
                             energy="city_gas", filename="b.png", data=PNG)  # fmt: skip
    services.evidence_upload(actor=alice, facility=factory, month=date(2025, 6, 1),
                             energy="city_gas", filename="c.png", data=PNG)  # fmt: skip
    measure_services.grid_cell_save(actor=alice, facility=factory, energy="city_gas", unit="m3",
                                    month=date(2025, 5, 1), amount=None, cost_yen=None)  # fmt: skip
    assert list(Evidence.objects.values_list("filename", flat=True)) == ["c.png"]
    record = EnergyRecord.objects.get(facility=factory, month=date(2025, 6, 1), energy="city_gas")
    measure_services.record_delete(actor=alice, record=record)
    assert not Evidence.objects.exists()


def test_the_statement_counts_months_backed_by_evidence(alice, company, factory, office, data):
    for energy in ("electricity", "city_gas"):
        services.evidence_upload(actor=alice, facility=factory, month=date(2025, 5, 1),
                                 energy=energy, filename="b.png", data=PNG)  # fmt: skip
    services.evidence_upload(actor=alice, facility=factory, month=date(2025, 4, 1),
                             energy="city_gas", filename="b.png", data=PNG)  # fmt: skip
    period = selectors.period_for(company=company, kind="shk", year=2025)
    figures, _fp = selectors.statement_figures(company=company, period=period)
    comp = figures["completeness"]
    # FY2025: 24 factory entries + 1 office entry; May fully backed, April not (office, gas only)
    assert comp["entries"] == 25
    assert comp["entries_with_evidence"] == 3
    assert comp["months_with_evidence"] == 1


def test_the_grid_reads_its_evidence_in_one_query(
    alice_client, alice, company, factory, data, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("measure:grid", args=[company.pk, factory.pk]) + "?year=2025"
    services.evidence_upload(actor=alice, facility=factory, month=date(2025, 4, 1),
                             energy="city_gas", filename="a.png", data=PNG)  # fmt: skip
    with CaptureQueriesContext(connection) as one:
        alice_client.get(url)
    for m in (5, 6, 7, 8, 9):
        services.evidence_upload(actor=alice, facility=factory, month=date(2025, m, 1),
                                 energy="electricity", filename="b.png", data=PNG)  # fmt: skip
    with CaptureQueriesContext(connection) as six:
        page = alice_client.get(url).content.decode()
    assert page.count('data-testid="cell-evidence"') == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_demo_statements_are_labelled_and_idempotent(client):
    import io

    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    n = Statement.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Statement.objects.count() == n > 0
    s = Statement.objects.exclude(allocation_method="").get()
    assert s.company.is_demo
    page = client.get(reverse("statements_public:verify"), {"code": s.code}).content.decode()
    assert "デモ用の架空のデータです" in page and 'data-testid="verify-unchanged"' in page
