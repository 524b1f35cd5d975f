from decimal import Decimal as D

import pytest

from cnnavi.core.reduce import (
    EnergyLine,
    MeasureSpec,
    Profile,
    apply_measure,
    apply_measures,
    co2_planned_share,
    linear_path,
    mac_curve,
    monthly_tco2,
    months_involved,
    planned_vs_actual,
    progress,
    roadmap,
    sbt_sme_eligibility,
    sbt_sme_near_term_share,
    tracked_energies,
)

# 100,000 kWh at 25 yen; basic 0.000450, location 0.000416 (national average, R6 results),
# market 0.000500 t/kWh. Kerosene 10 kL at 100,000 yen/kL, 36.5 GJ/kL, 2.50 t/kL.
ELEC = EnergyLine(
    "electricity",
    "electricity",
    D(100_000),
    "kWh",
    2_500_000,
    D(864),
    {"basic": D("45.0"), "location": D("41.6"), "market": D("50.0")},
    {"照明": D(30_000)},
)
KEROSENE = EnergyLine(
    "kerosene",
    "fuel",
    D(10),
    "kL",
    1_000_000,
    D(365),
    dict.fromkeys(("basic", "location", "market"), D(25)),
)
FACTORS = {"basic": D("0.000450"), "location": D("0.000416"), "market": D("0.000500")}


def profile():
    return Profile((ELEC, KEROSENE), FACTORS, None)


def test_a_saving_on_electricity_changes_each_basis_by_its_own_factor():
    spec = MeasureSpec(
        "led",
        "LED",
        "saving",
        ("electricity",),
        share=D("0.5"),
        use="照明",
        investment_yen=1_500_000,
        lifetime_years=10,
    )
    after, e = apply_measure(profile(), spec)
    # lighting is 30,000 kWh of the company's own data; half of it is saved
    assert e.energy == (("electricity", D(15_000), "kWh"),)
    assert e.t_saved["basic"] == D("6.75")  # 15,000 x 0.000450
    assert e.t_saved["location"] == D("6.24")  # 15,000 x 0.000416
    assert e.t_saved["market"] == D("7.5")  # 15,000 x 0.000500
    assert e.yen_saved == 375_000  # 15,000 kWh x 25 yen
    assert e.payback_years == D(4)
    # (1,500,000 / 10 - 375,000) / 6.24 t
    assert round(e.cost_per_t("location")) == round(D(-225_000) / D("6.24"))
    assert after.line("electricity").uses["照明"] == D(15_000)
    assert after.total("location") == D("41.6") - D("6.24") + D(25)


def test_use_share_is_used_when_the_company_has_no_by_use_data():
    spec = MeasureSpec(
        "ac", "AC", "saving", ("electricity",), share=D("0.1"), use="空調", use_share=D("0.28")
    )
    _, e = apply_measure(profile(), spec)
    assert e.energy[0][1] == D(100_000) * D("0.28") * D("0.1")


def test_a_factor_measure_lowers_only_the_market_basis():
    spec = MeasureSpec("re", "RE menu", "factor", ("electricity",), share=D(1), unit_cost_yen=D(2))
    _, e = apply_measure(profile(), spec)
    assert e.t_saved == {"basic": 0, "location": 0, "market": D("50.0")}
    assert e.yen_saved == -200_000
    assert e.cost_per_t("location") is None
    assert e.cost_per_t("market") == D(200_000) / D(50)


def test_electrifying_a_boiler_removes_fuel_co2_and_adds_electricity_co2():
    # 365 GJ of kerosene; 80 kWh of heat-pump electricity per GJ of fuel removed.
    spec = MeasureSpec(
        "hp",
        "Heat pump",
        "electrify",
        ("kerosene",),
        share=D(1),
        kwh_per_gj=D(80),
        investment_yen=5_000_000,
        lifetime_years=15,
    )
    after, e = apply_measure(profile(), spec)
    added_kwh = D(365) * 80  # 29,200 kWh
    assert after.line("kerosene").amount == 0
    assert after.line("electricity").amount == D(100_000) + added_kwh
    for basis in ("basic", "location", "market"):
        assert e.t_saved[basis] == D(25) - added_kwh * FACTORS[basis]
    assert e.t_saved["location"] == D(25) - D("12.1472")
    # fuel cost gone, electricity at the company's own 25 yen/kWh added
    assert e.yen_saved == 1_000_000 - 730_000
    assert ("electricity", -added_kwh, "kWh") in e.energy


def test_electrifying_without_electricity_data_uses_the_profile_factors():
    p = Profile((KEROSENE,), FACTORS, D(30))
    after, e = apply_measure(
        p, MeasureSpec("hp", "HP", "electrify", ("fuel",), share=D("0.5"), kwh_per_gj=D(100))
    )
    assert after.line("electricity").amount == D("18250")
    assert e.t_saved["location"] == D("12.5") - D("18250") * D("0.000416")
    assert e.yen_saved == 500_000 - 547_500


def test_measures_in_sequence_do_not_count_the_same_kwh_twice():
    led = MeasureSpec("led", "LED", "saving", ("electricity",), share=D("0.5"))
    re = MeasureSpec("re", "RE", "factor", ("electricity",), share=D(1))
    final, (e1, e2) = apply_measures(profile(), [led, re])
    assert e1.t_saved["market"] == D(25)
    assert e2.t_saved["market"] == D(25)  # what was left
    assert final.total("market") == D(25)  # kerosene only


def test_solar_saves_a_fixed_amount_and_ppa_price_is_netted():
    spec = MeasureSpec(
        "ppa", "PPA", "saving", ("electricity",), amount=D(20_000), unit_cost_yen=D(15)
    )
    _, e = apply_measure(profile(), spec)
    assert e.energy == (("electricity", D(20_000), "kWh"),)
    assert e.yen_saved == 20_000 * (25 - 15)
    assert e.t_saved["basic"] == D(9)


def test_offsets_do_not_reduce_emissions_and_are_priced_per_tonne():
    spec = MeasureSpec("jc", "J-credit", "offset", (), offset_t=D(10), unit_cost_yen=D(3000))
    _, e = apply_measure(profile(), spec)
    assert e.t_saved == {"basic": 0, "location": 0, "market": 0}
    assert e.offset_t == 10 and e.yen_saved == -30_000
    assert e.cost_per_t("market") == D(3000)


def test_a_measure_with_no_matching_energy_says_so():
    _, e = apply_measure(profile(), MeasureSpec("g", "Gas", "saving", ("city_gas",), share=D(1)))
    assert e.t_saved["basic"] == 0 and "no matching energy in the data" in e.notes


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        MeasureSpec("x", "x", "magic", ())


def test_mac_curve_orders_by_cost_per_tonne():
    specs = [
        MeasureSpec(
            "led",
            "LED",
            "saving",
            ("electricity",),
            share=D("0.5"),
            use="照明",
            investment_yen=1_500_000,
            lifetime_years=10,
        ),
        MeasureSpec(
            "hp",
            "HP",
            "electrify",
            ("kerosene",),
            share=D(1),
            kwh_per_gj=D(80),
            investment_yen=5_000_000,
            lifetime_years=15,
        ),
        MeasureSpec("re", "RE", "factor", ("electricity",), share=D(1), unit_cost_yen=D(2)),
        MeasureSpec("jc", "J", "offset", (), offset_t=D(1), unit_cost_yen=D(3000)),
    ]
    _, effects = apply_measures(profile(), specs)
    bars, left_out = mac_curve(effects, "market")
    costs = [b.cost_per_t for b in bars]
    assert costs == sorted(costs)
    # LED earns money (-); the menu: 2 yen x 114,200 kWh / 57.1 t = 4,000; the heat pump:
    # (5,000,000 / 15 - 270,000) / 10.4 t = 6,090 yen/t
    assert [b.key for b in bars] == ["led", "re", "hp"]
    assert bars[1].cost_per_t == D(4000)
    assert round(bars[2].cost_per_t) == 6090
    assert bars[0].x_start == 0 and bars[1].x_start == bars[0].x_end
    assert [e.key for e in left_out] == ["jc"]
    loc_bars, loc_left = mac_curve(effects, "location")
    assert "re" in [e.key for e in loc_left]  # a certificate avoids nothing location-based


def test_linear_target_path_through_milestones():
    path = linear_path(2022, D(1000), [(2030, D("0.336")), (2050, D(1))])
    by_year = {p.year: p.t for p in path}
    assert by_year[2022] == 1000
    assert by_year[2026] == D(1000) - D(336) / 2
    assert by_year[2030] == D(664)
    assert by_year[2040] == D(332)
    assert by_year[2050] == 0
    assert len(path) == 29
    with pytest.raises(ValueError):
        linear_path(2022, D(1), [(2022, D("0.1"))])


def test_sbt_sme_near_term_share_is_at_least_42_percent():
    """Approved SME targets: 50 % from 2018 (4.2 % a year), 42 % from 2020 to FY2023."""
    assert sbt_sme_near_term_share(2018) == D("0.504")
    assert sbt_sme_near_term_share(2020) == D("0.420")
    assert sbt_sme_near_term_share(2022) == D("0.42")
    assert sbt_sme_near_term_share(2025) == D("0.42")
    assert sbt_sme_near_term_share(2030) is None


def test_sbt_sme_eligibility():
    ok = sbt_sme_eligibility(
        scope1_plus_scope2_location_t=D(800),
        employees=60,
        turnover_under_limit=True,
        assets_under_limit=None,
        fi_or_oil_gas=False,
        sector_specific_required=False,
        subsidiary_of_standard_parent=False,
        mandatory_flag_sector=False,
    )
    assert ok.eligible is True and ok.optional_met == 3
    too_big = sbt_sme_eligibility(scope1_plus_scope2_location_t=D(10000), employees=60)
    assert too_big.eligible is False
    assert too_big.mandatory[0].met is False
    unknown = sbt_sme_eligibility(scope1_plus_scope2_location_t=D(800), employees=60)
    assert unknown.eligible is None
    large = sbt_sme_eligibility(
        scope1_plus_scope2_location_t=D(800),
        employees=400,
        turnover_under_limit=False,
        fi_or_oil_gas=False,
        sector_specific_required=False,
        subsidiary_of_standard_parent=False,
    )
    assert large.eligible is False  # at most 2 of the 4 size criteria can still be met


def test_progress_on_track_and_budget():
    path = linear_path(2022, D(100), [(2024, D("0.2"))])  # 100, 90, 80
    rows = progress(path, {2023: D(85), 2024: D(82)})
    assert [(r.year, r.on_track) for r in rows] == [(2023, True), (2024, False)]
    assert rows[0].budget_left_t == D(170) - D(85)
    assert rows[1].budget_left_t == D(170) - D(85) - D(82)


def test_progress_gives_no_verdict_on_a_partial_year():
    """Seven months of a year (well under the path's whole year) are not "on track"."""
    path = linear_path(2022, D(100), [(2024, D("0.2"))])  # 100, 90, 80
    rows = progress(path, {2023: D(85), 2024: D(50)}, months={2023: 12, 2024: 7})
    assert [(r.year, r.on_track, r.partial) for r in rows] == [
        (2023, True, False),
        (2024, None, True),
    ]
    assert rows[1].months == 7
    # the partial year uses its whole allowance (its actual so far is lower) ...
    assert rows[1].budget_left_t == D(170) - D(85) - D(80)
    # ... or its actual so far when that is already higher than the allowance
    rows = progress(path, {2024: D(95)}, months={2024: 9})
    assert rows[1].on_track is None and rows[1].budget_left_t == D(170) - D(90) - D(95)


def test_roadmap_follows_start_years_and_target():
    led = MeasureSpec(
        "led", "LED", "saving", ("electricity",), share=D("0.5"), use="照明", start_year=2025
    )
    hp = MeasureSpec(
        "hp", "HP", "electrify", ("kerosene",), share=D(1), kwh_per_gj=D(80), start_year=2027
    )
    idea = MeasureSpec("x", "idea", "saving", ("electricity",), share=D("0.9"))
    rows = roadmap(
        profile(), [led, hp, idea], first_year=2024, last_year=2028, targets={2028: D(50)}
    )
    t = {r.year: r.t["location"] for r in rows}
    base = D("41.6") + D(25)
    assert t[2024] == base
    assert t[2025] == t[2026] == base - D("6.24")
    assert t[2027] == base - D("6.24") - (D(25) - D(365) * 80 * D("0.000416"))
    assert rows[1].starting == ("led",) and rows[3].starting == ("hp",)
    assert rows[-1].target_t == D(50) and rows[0].target_t is None


def test_planned_vs_actual_compares_the_same_months():
    monthly = {f"2024-{m:02d}": D(100) for m in range(1, 13)}
    monthly |= {f"2025-{m:02d}": D(80) for m in range(1, 7)}
    r = planned_vs_actual(monthly, done_month="2024-12", planned_share=D("0.1"), until="2025-08")
    assert r.months == tuple(f"2025-{m:02d}" for m in range(1, 7))
    assert r.missing == ("2025-07", "2025-08")
    assert (r.before, r.after, r.actual_saved) == (D(600), D(480), D(120))
    assert r.planned_saved == D(60) and r.ratio == 2


def _result(month, energy, basic, location, market):
    """A stand-in for cnnavi.core.RecordResult: only what the tracking reads."""
    from types import SimpleNamespace

    return SimpleNamespace(
        record=SimpleNamespace(month=month, energy=energy),
        tco2=D(basic),
        tco2_location=D(location),
        tco2_market=D(market),
    )


def _elec_year(year, market, location="4.23"):
    return [
        _result(f"{year}-{m:02d}", "electricity", market, location, market) for m in range(4, 8)
    ]


def test_co2_tracking_of_a_renewable_menu_counts_only_on_the_market_basis():
    # FY2025: 10,000 kWh a month at the residual factor 0.000532 (5.32 t); from April 2026 the
    # same kWh on a menu at 0.000200 (2.00 t). Location: 0.000423 national average both years.
    results = _elec_year(2025, "5.32") + _elec_year(2026, "2.00")
    results += [_result("2025-05", "heavy_oil_a", "2.75", "2.75", "2.75")]  # not acted on
    energies = tracked_energies("factor", ["electricity"])
    assert energies == ("electricity",)
    base = [ELEC, KEROSENE]  # base year: 50.0 t market-based electricity
    share = co2_planned_share(D("25.0"), base, energies=energies, basis="market")
    assert share == D("0.5")
    market = monthly_tco2(results, energies=energies, basis="market")
    assert market["2025-05"] == D("5.32")
    r = planned_vs_actual(
        market, done_month="2026-03", planned_share=share, until="2026-08", basis="market"
    )
    assert r.months == ("2026-04", "2026-05", "2026-06", "2026-07")
    assert r.missing == ("2026-08",)  # no data yet: listed, not compared
    assert (r.before, r.after, r.actual_saved) == (D("21.28"), D("8.00"), D("13.28"))
    assert r.planned_saved == D("10.64") and r.basis == "market"
    assert r.actual_share == D("13.28") / D("21.28")
    location = monthly_tco2(results, energies=energies, basis="location")
    planned = co2_planned_share(D(0), base, energies=energies, basis="location")
    r = planned_vs_actual(location, done_month="2026-03", planned_share=planned, until="2026-07")
    assert r.actual_saved == 0 and r.planned_saved == 0 and r.ratio is None


def test_co2_tracking_of_electrifying_counts_the_fuel_removed_and_the_kwh_added():
    energies = tracked_energies("electrify", ["fuel"])
    assert energies == ("fuel", "electricity")
    results = [
        _result("2025-04", "heavy_oil_a", "2.75", "2.75", "2.75"),  # 1 kL of A heavy oil
        _result("2025-04", "electricity", "5.32", "4.23", "5.32"),
        _result("2025-04", "city_gas", "1", "1", "1"),  # gas is a fuel kind of its own
        _result("2026-04", "electricity", "6.384", "5.076", "6.384"),  # +2,000 kWh, no oil
    ]
    monthly = monthly_tco2(results, energies=energies, basis="location")
    assert monthly == {"2025-04": D("6.98"), "2026-04": D("5.076")}
    r = planned_vs_actual(monthly, done_month="2026-03", planned_share=D("0.1"), until="2026-04")
    assert r.actual_saved == D("1.904") and r.planned_saved == D("0.698")
    # kerosene 25 t + electricity 41.6 t location-based in the base year
    assert co2_planned_share(D("6.66"), [ELEC, KEROSENE], energies=energies, basis="location") == (
        D("6.66") / D("66.6")
    )


def test_months_the_core_could_not_compute_are_missing_never_compared():
    results = _elec_year(2025, "5.32") + _elec_year(2026, "2.00")
    uncomputed = [("2026-05", "electricity"), ("2026-06", "heavy_oil_a")]
    monthly = monthly_tco2(
        results, energies=("electricity",), basis="market", uncomputed=uncomputed
    )
    assert (
        "2026-05" not in monthly and "2026-06" in monthly
    )  # a heavy-oil failure does not matter here
    r = planned_vs_actual(monthly, done_month="2026-03", planned_share=D("0.5"), until="2026-06")
    assert r.months == ("2026-04", "2026-06") and r.missing == ("2026-05",)
    assert r.actual_saved == D("6.64")


def test_co2_planned_share_needs_emissions_to_compare_against():
    assert co2_planned_share(D(1), [KEROSENE], energies=("electricity",), basis="market") is None
    assert months_involved("2025-11", "2026-02") == (
        "2024-12",
        "2025-01",
        "2025-02",
        "2025-12",
        "2026-01",
        "2026-02",
    )
