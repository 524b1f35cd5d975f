import pytest
from django.urls import reverse

from cnnavi.orgs.models import ExpertAssignment

pytestmark = pytest.mark.django_db


def test_staff_index_lists_only_companies_with_consent(world, alice_client):
    html = alice_client.get(reverse("staff:index")).content.decode()
    assert html.count('data-testid="office-company-row"') == 1
    assert "Company a" in html and "Company b" not in html


def test_staff_assign_and_unassign_an_expert(world, alice_client):
    company, expert = world.a.company, world.a.expert
    url = reverse("staff:unassign", args=[company.pk, expert.pk])
    alice_client.post(url)
    assert not ExpertAssignment.objects.filter(company=company, ended_at__isnull=True).exists()
    alice_client.post(reverse("staff:company", args=[company.pk]), {"expert": expert.pk})
    assert ExpertAssignment.objects.filter(company=company, ended_at__isnull=True).count() == 1


def test_expert_console_lists_assigned_companies(world, alice_client):
    html = alice_client.get(reverse("experts:index")).content.decode()
    assert html.count('data-testid="expert-company-card"') == 1
    assert "Company a" in html
