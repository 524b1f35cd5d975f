"""The uncached dashboard's shortcuts (one read of both years' records, factor look-ups
remembered per request, one pass over the core's records) give exactly what each year computed
on its own with the shared official factor book gives."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cnnavi.core import calculate, factor_book
from cnnavi.core.factors import FactorError
from cnnavi.measure import calc, rules, selectors
from cnnavi.measure.models import EnergyRecord, UseShare
from cnnavi.measure.selectors import dashboard as dashboard_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def fy2024(factory, office):
    """FY2024: kerosene at the factory (computes), nothing else."""
    EnergyRecord.objects.bulk_create(
        EnergyRecord(
            facility=factory,
            month=m,
            energy="kerosene",
            amount=Decimal(300 + i),
            unit="L",
            cost_yen=30000,
        )  # fmt: skip
        for i, m in enumerate(rules.fiscal_months(2024))
    )


def _alone(company, fiscal_year):
    """The year computed on its own: its records read alone, the shared factor book."""
    records, _refs = calc.core_records(company=company, fiscal_year=fiscal_year)
    return calculate(
        records, fiscal_year=fiscal_year, employees=company.employees, book=factor_book()
    )[0]


def test_the_uncached_dashboard_equals_each_year_computed_alone(company, factory, fy2025, fy2024):
    UseShare.objects.create(facility=factory, energy="city_gas", use="空調", percent=Decimal(40))
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        d = dashboard_selectors.dashboard(company=company, fiscal_year=2025)
    reads = [
        q["sql"] for q in ctx.captured_queries if '"measure_energyrecord"."amount"' in q["sql"]
    ]
    assert len(reads) == 1  # both years' records in one query
    now, before = _alone(company, 2025), _alone(company, 2024)
    assert d.ok and d.previous_ok
    assert d.totals == calc.year_totals(now)
    assert d.previous_totals == calc.year_totals(before)
    assert d.pareto == calc.pareto(now)
    assert d.flow == calc.flow(now, "未設定", calc.use_shares_of(company=company))
    assert {"source": factory.name, "target": "空調", "value": pytest.approx(0.4 * sum(
        float(r.tco2) for r in now.records if r.record.energy == "city_gas"))} in d.flow  # fmt: skip
    gas = next(s for s in d.monthly["series"] if s["energy"] == "city_gas")
    assert gas["values"] == [
        float(
            sum(
                r.tco2
                for r in now.records
                if r.record.energy == "city_gas" and r.record.month == rules.month_text(m)
            )
        )  # fmt: skip
        for m in rules.fiscal_months(2025)
    ]
    assert d.monthly["previous"] == [float(g.tco2) for g in before.by_month]
    # the year before's records stand in for its query: the same rows of expected data
    assert d.completeness == calc.completeness(
        company=company,
        fiscal_year=2025,
        records=calc.core_records(company=company, fiscal_year=2025)[0],
        facilities=selectors.facilities_of(company=company),
    )
    assert (factory.name, "kerosene") in {(r.facility, r.energy) for r in d.completeness}


def test_records_of_two_years_read_together_equal_each_year_read_alone(company, fy2025, fy2024):
    both = calc.core_records_by_year(company=company, fiscal_years=[2024, 2025])
    for fy in (2024, 2025):
        alone, refs = calc.core_records(company=company, fiscal_year=fy)
        assert both[fy] == alone and len(alone) == (12 if fy == 2024 else 25)
        first = alone[0]
        assert refs[first.line] == calc.RecordRef(
            first.line, first.facility, first.month, first.energy
        )
    assert [r.supplier for r in both[2025] if r.energy == "electricity"][:1] == ["A0271"]


def test_the_request_factor_book_answers_as_the_official_book_and_fails_every_time():
    official = factor_book()
    book = calc.RequestFactorBook()
    for _ in range(2):
        assert book.constant("crude_oil_kl_per_gj", 2025) == official.constant(
            "crude_oil_kl_per_gj", 2025
        )
        assert book.fuel_params("kerosene", 2025) == official.fuel_params("kerosene", 2025)
        assert book.table("electricity", 2026) == official.table("electricity", 2026)
        assert book.find_supplier("electricity", 2025, "北陸電力(株)") == official.find_supplier(
            "electricity", 2025, "北陸電力(株)"
        )
        with pytest.raises(FactorError, match="FY2019"):
            book.table("electricity", 2019)


def test_a_previous_year_that_cannot_be_computed_still_shows_this_year(
    alice_client, company, office, fy2025
):
    EnergyRecord.objects.create(  # no FY2024 electricity table is shipped
        facility=office, month=date(2024, 6, 1), energy="electricity", amount=500, unit="kWh"
    )
    cache.clear()
    d = alice_client.get(reverse("measure:dashboard", args=[company.pk]) + "?year=2025").context[
        "d"
    ]
    assert d.ok and not d.previous_ok and d.previous_has_data
    assert d.totals == calc.year_totals(_alone(company, 2025))
    assert d.changes == {}


def test_the_long_table_views_render_as_the_cell_by_cell_loops(company, office, fy2025):
    """The filters give the same HTML as the {% for %} loops they replace (escaping included)."""
    from types import SimpleNamespace

    from django.template import Context, Template

    loops = Template(
        "{% load measure %}"
        "{% for row in d.completeness %}<tr><td>{{ row.facility }}</td><td>{{ row.energy_label }}"
        '</td><td class="num">{{ row.months_with_data }}</td><td>{% if row.missing %}'
        '<span class="badge badge-warn">{{ row.missing|length }}</span> '
        '{{ row.missing|join:", " }}{% else %}—{% endif %}</td></tr>{% endfor %}|'
        "{% for p in d.pareto %}<tr><td>{{ p.facility }}</td><td>{{ p.energy }}</td>"
        '<td class="num">{{ p.tco2|fixed:3 }}</td><td class="num">'
        "{% widthratio p.cumulative_share 1 100 %}%</td></tr>{% endfor %}|"
        "{% for l in d.flow %}<tr><td>{{ l.source }}</td><td>{{ l.target }}</td>"
        '<td class="num">{{ l.value|fixed:3 }}</td></tr>{% endfor %}'
    )
    filters = Template(
        "{% load measure %}{{ d.completeness|completeness_rows }}|{{ d.pareto|pareto_rows }}|"
        "{{ d.flow|flow_rows }}"
    )
    office.name = "<Office & 1>"
    office.save()
    d = dashboard_selectors.dashboard(company=company, fiscal_year=2025)
    assert any(r.missing for r in d.completeness) and d.pareto and d.flow
    flow = d.flow + [{"source": "<b>", "target": "a&b", "value": 0.0005}]
    extra = SimpleNamespace(completeness=d.completeness, pareto=d.pareto, flow=flow)
    html = filters.render(Context({"d": extra}))
    assert html == loops.render(Context({"d": extra}))
    assert "&lt;Office &amp; 1&gt;" in html and "<b>" not in html


def test_a_year_in_progress_is_compared_with_the_same_months_of_the_year_before(
    alice_client, company, factory, fy2025
):
    """FY2026 has data for April-June only: the year before counts April-June too (not its
    whole year), in the totals and the intensity, and the page says so."""
    EnergyRecord.objects.bulk_create(
        EnergyRecord(
            facility=factory,
            month=date(2026, m, 1),
            energy=e,
            amount=Decimal(a),
            unit=u,
            cost_yen=1000,
        )  # fmt: skip
        for m in (4, 5, 6)
        for e, a, u in (("electricity", 9000, "kWh"), ("city_gas", 900, "m3"))
    )
    cache.clear()
    d = dashboard_selectors.dashboard(company=company, fiscal_year=2026)
    assert d.previous_period == (4, 6, 3, True)
    by_year = calc.core_records_by_year(company=company, fiscal_years=[2025])
    same = [r for r in by_year[2025] if r.month in ("2025-04", "2025-05", "2025-06")]
    expected = calculate(same, fiscal_year=2025)[0]
    assert d.previous_totals["scope1_t"] == expected.scope1_t
    assert d.previous_totals["scope2_basic_t"] == expected.scope2_basic_t
    assert d.previous_totals["total_basic_t"] == expected.total_basic_t
    whole = dashboard_selectors.dashboard(company=company, fiscal_year=2025).totals["total_basic_t"]
    assert expected.total_basic_t < whole / 3  # not the whole year
    # city gas: 900 m3 a month against 1,000 at the same default factor -> -10.0 %
    assert d.changes["scope1_t"] == pytest.approx(-0.1)
    employees = next(i for i in d.intensity if i["key"] == "employees")
    assert employees["previous"] == pytest.approx(float(expected.total_basic_t) / company.employees)
    page = alice_client.get(
        reverse("measure:dashboard", args=[company.pk]) + "?year=2026"
    ).content.decode()
    assert "前年同期（4〜6月）" in page and "前年度の同じ3か月と比べています" in page
    # a whole year is still compared with the whole year before
    cache.clear()
    assert dashboard_selectors.dashboard(company=company, fiscal_year=2025).previous_period is None


def test_a_year_that_cannot_be_computed_still_exports_its_inputs(
    alice_client, company, factory, fy2024
):
    """FY2024 electricity has no official table: the CSV still gives back every input row,
    CO2 blank, the failing rows with the reason and the others with a note."""
    EnergyRecord.objects.create(
        facility=factory, month=date(2024, 5, 1), energy="electricity", amount=Decimal(900),
        unit="kWh", cost_yen=25000, supplier="A0271",
    )  # fmt: skip
    url = reverse("measure:export_csv", args=[company.pk]) + "?year=2024"
    text = alice_client.get(url).content.decode("utf-8-sig")
    import csv as _csv
    import io as _io

    rows = list(_csv.reader(_io.StringIO(text)))
    head, body = rows[0], rows[1:]
    assert head[-1] == "算定できない理由" and len(body) == 13  # 12 kerosene + 1 electricity
    co2 = head.index("CO2 基礎（t）")
    assert all(r[co2] == "" for r in body)
    electricity = next(r for r in body if r[2] == "電気")
    assert "2024年度の電気の事業者別排出係数" in electricity[-1] and "<" not in electricity[-1]
    kerosene = next(r for r in body if r[2] == "灯油")
    assert kerosene[3] == "300.0" and "CO2 を計算していません" in kerosene[-1]


def test_what_can_be_computed_is_shown_and_what_cannot_is_marked(
    alice_client, company, factory, fy2024
):
    """FY2024: kerosene computes, the electricity month cannot (no FY2024 table): Scope 1 is
    shown to the official factor, Scope 2 and the totals say 未算定, and nothing is compared."""
    EnergyRecord.objects.create(
        facility=factory, month=date(2024, 5, 1), energy="electricity", amount=Decimal(900),
        unit="kWh", cost_yen=25000, supplier="A0271",
    )  # fmt: skip
    d = dashboard_selectors.dashboard(company=company, fiscal_year=2024)
    assert d.partial == {"records": 1, "scope1": False, "scope2": True, "energies": ["電気"]}
    litres = sum(300 + i for i in range(12))  # 3,666 L of kerosene
    kerosene_t_per_kl = factor_book().fuel_params("kerosene", 2024).co2_factor
    assert d.totals["scope1_t"] == Decimal(litres) / 1000 * kerosene_t_per_kl
    assert d.changes == {} and d.intensity == []
    page = alice_client.get(
        reverse("measure:dashboard", args=[company.pk]) + "?year=2024"
    ).content.decode()
    assert 'data-testid="partial-note"' in page and "算定できない 1 件（電気）を除いて" in page
    assert page.count('data-testid="not-computed"') == 5  # four Scope 2 rows and the total
    assert f"{d.totals['scope1_t']:,.3f} t-CO2" in page
    assert "この年度は一部の記録を算定できません" in page


def test_standard_uses_are_shown_in_the_pages_language(alice_client, company, factory):
    EnergyRecord.objects.create(
        facility=factory, month=date(2025, 4, 1), energy="kerosene", amount=Decimal(100),
        unit="L", use="照明",
    )  # fmt: skip
    url = reverse("measure:dashboard", args=[company.pk]) + "?year=2025"
    cache.clear()
    assert {"source": "Factory a", "target": "照明"}.items() <= (
        alice_client.get(url).context["d"].flow[-1].items()
    )
    cache.clear()
    english = alice_client.get("/en" + url).context["d"].flow
    assert [link["target"] for link in english if link["source"] == "Factory a"] == ["Lighting"]
