"""The plan overview is cached under versions (decision 1202): each of reduce's writes, and any
change of the company's measure data, gives the next view a fresh overview."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cnnavi.measure import services as measure_services
from cnnavi.orgs import services as org_services
from cnnavi.reduce import selectors, services
from cnnavi.reduce.models import CatalogueMeasure
from cnnavi.reduce.tests.factories import add_year

pytestmark = pytest.mark.django_db


def _key(company):
    return selectors.overview_key(
        company=company, plan=selectors.plan_of(company=company), basis=None
    )


def test_every_write_gives_the_overview_a_new_key_and_a_repeat_view_reads_the_cache(company, world):
    owner = world.a.owner
    keys = [_key(company)]

    def changed(write) -> bool:
        write()
        keys.append(_key(company))
        return keys[-1] != keys[-2]

    assert not changed(lambda: None)
    assert changed(
        lambda: services.plan_save(
            actor=owner, company=company, base_year=2025, basis="location", near_year=2030,
            near_share=Decimal("0.42"), long_year=2050, long_share=Decimal(1),
        )
    )  # fmt: skip
    plan = selectors.plan_of(company=company)
    led = CatalogueMeasure.objects.get(code="led-lighting")
    assert changed(lambda: services.measures_add(actor=owner, plan=plan, measures=[led]))
    pm = plan.measures.get()
    assert changed(
        lambda: services.measure_update(actor=owner, plan_measure=pm, share=Decimal("0.5"))
    )
    assert changed(lambda: services.catalogue_save(actor=owner, measure=led, name="LED照明（改）"))
    assert changed(
        lambda: measure_services.grid_cell_save(
            actor=owner,
            facility=world.a.facility,
            energy="electricity",
            unit="kWh",
            month=date(2023, 5, 1),
            amount=Decimal(10),
            cost_yen=None,
        )
    )  # fmt: skip  (a year the plan does not show still changes its yearly totals)
    assert changed(lambda: services.measure_remove(actor=owner, plan_measure=pm))


def test_the_cached_overview_follows_a_measure_update(company, world):
    owner = world.a.owner
    services.plan_save(
        actor=owner, company=company, base_year=2025, basis="location", near_year=2030,
        near_share=Decimal("0.42"), long_year=2050, long_share=Decimal(1),
    )  # fmt: skip
    plan = selectors.plan_of(company=company)
    led = CatalogueMeasure.objects.get(code="led-lighting")
    services.measures_add(actor=owner, plan=plan, measures=[led])
    first = selectors.cached_plan_overview(company=company, plan=plan)
    computed = []
    real = selectors.plan_overview
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(selectors, "plan_overview", lambda **kw: computed.append(kw) or real(**kw))
        again = selectors.cached_plan_overview(company=company, plan=plan)
        assert computed == [] and again.totals_after == first.totals_after
        services.measure_update(actor=owner, plan_measure=plan.measures.get(), share=Decimal("0.9"))
        after = selectors.cached_plan_overview(company=company, plan=plan)
    assert len(computed) == 1
    assert after.totals_after != first.totals_after


def test_a_deleted_facility_leaves_the_plan_s_base_year(company, world, client):
    """Deleting a facility deletes its records with it, and orgs' services bump no measure
    data version: the plan page must not keep showing the facility's emissions."""
    owner = world.a.owner
    second = org_services.facility_create(
        actor=owner, company=company, name="第二工場", prefecture="16", kind="factory"
    )
    add_year(owner, second, 2025)
    services.plan_save(
        actor=owner, company=company, base_year=2025, basis="location", near_year=2030,
        near_share=Decimal("0.42"), long_year=2050, long_share=Decimal(1),
    )  # fmt: skip
    client.force_login(owner)

    def base_t() -> str:
        page = client.get(reverse("reduce:plan", args=[company.pk])).content.decode()
        return re.search(r'data-testid="base-t">([\d.,]+) t-CO2', page).group(1)

    both = base_t()
    org_services.facility_delete(actor=owner, facility=second)
    one = base_t()
    assert Decimal(one.replace(",", "")) < Decimal(both.replace(",", ""))
    plan = selectors.plan_of(company=company)
    fresh = selectors.plan_overview(company=company, plan=plan).totals_before["location"]
    assert one == f"{fresh:,.1f}"
