"""Error pages speak to the user in the page's language, never Django's bare defaults."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_not_found_in_japanese_and_english(client, world):
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert "お探しのページは見つからないか、開く権限がありません" in page.content.decode()
    page = client.get("/en/no-such-page/")
    assert page.status_code == 404
    assert "The page was not found" in page.content.decode()


def test_another_tenants_company_page_is_the_friendly_404(client, world):
    client.force_login(world.a.owner)
    page = client.get(reverse("measure:dashboard", args=[world.b.company.pk]))
    assert page.status_code == 404 and 'data-testid="not-found"' in page.content.decode()


def test_the_500_page_stands_alone(client):
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "エラーが起きました" in html and "Sorry, something went wrong" in html
