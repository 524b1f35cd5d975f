"""Measures are matched to subsidy headlines by topic and prefecture (programmes app)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cnnavi.reduce import selectors
from cnnavi.reduce.models import CatalogueMeasure, PlanMeasure, ReductionPlan
from cnnavi.reduce.tests.factories import add_year

pytestmark = pytest.mark.django_db

programmes_selectors = pytest.importorskip(
    "cnnavi.programmes.selectors", reason="the programmes app is not in this branch yet"
)
if not hasattr(programmes_selectors, "subsidy_headlines_for"):
    pytest.skip("programmes has no subsidy_headlines_for yet", allow_module_level=True)


def test_measures_list_the_subsidies_of_their_topic_in_the_company_prefecture(world, alice_client):
    from cnnavi.programmes.models import Headline, HeadlinePrefecture, HeadlineTopic

    def headline(title, prefecture, topic, kind="subsidy"):
        h = Headline.objects.create(
            office=world.a.office, kind=kind, title=title, starts_on=date(2020, 1, 1)
        )
        HeadlinePrefecture.objects.create(headline=h, prefecture=prefecture)
        HeadlineTopic.objects.create(headline=h, topic=topic)
        return h

    headline("Toyama LED subsidy", "16", "energy_saving")
    headline("Toyama solar subsidy", "16", "renewables")
    headline("Fukui LED subsidy", "18", "energy_saving")
    headline("Toyama LED seminar", "16", "energy_saving", kind="event")
    company = world.a.company  # prefecture 16 (Toyama)
    add_year(world.a.owner, world.a.facility, 2025)
    plan = ReductionPlan.objects.create(company=company, base_year=2025, near_share=Decimal("0.21"))
    PlanMeasure.objects.create(plan=plan, measure=CatalogueMeasure.objects.get(code="led-lighting"))
    ov = selectors.plan_overview(company=company, plan=plan)
    assert [str(h) for h in ov.rows[0].subsidies] == ["Toyama LED subsidy"]
    page = alice_client.get(reverse("reduce:plan", args=[company.pk])).content.decode()
    assert "Toyama LED subsidy" in page and "Fukui LED subsidy" not in page
