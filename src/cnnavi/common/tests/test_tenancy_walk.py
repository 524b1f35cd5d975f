"""Every URL that takes an id, walked with another tenant's ids, answers 404.

The walk finds every URL pattern of the project with keyword arguments (pages and API). For each
argument it asks the apps' ``tests/tenancy.py`` providers for tenant A's and tenant B's values.
Alice holds every role in tenant A (owner, office staff, expert), so only tenancy can refuse her.
A new URL whose argument no provider knows fails this test: add it to a provider.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from cnnavi.common.discovery import app_modules

# URL prefixes owned by third-party apps (allauth's keys, Django admin).
SKIP_PREFIXES = ("admin/", "accounts/")


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def id_taking_patterns():
    found = []
    with translation.override("ja"):  # Japanese pages have no language prefix
        walked = list(_walk(get_resolver().url_patterns))
    for route, pattern in walked:
        route = route.lstrip("^")
        if route.startswith(SKIP_PREFIXES) or route.startswith("en/"):
            continue
        if pattern.pattern.converters:
            found.append((route, pattern))
    return found


def _providers(world) -> dict[str, tuple]:
    values: dict[str, tuple] = {}
    for module in app_modules("tests.tenancy"):
        values.update(module.provide(world))
    return values


def _full_url(route, kwargs):
    """Fill the <converter:name> parts of the whole route (prefixes included)."""
    import re

    def fill(match):
        return str(kwargs[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def test_the_walk_finds_the_id_taking_urls():
    routes = [route for route, _ in id_taking_patterns()]
    assert "companies/<int:company_id>/" in routes
    assert "companies/<int:company_id>/facilities/<int:facility_id>/edit/" in routes
    assert "staff/companies/<int:company_id>/" in routes


@pytest.mark.django_db
def test_every_id_taking_url_answers_404_with_another_tenants_ids(world, client):
    client.force_login(world.a.owner)
    values = _providers(world)
    problems = []
    patterns = id_taking_patterns()
    assert len(patterns) >= 10
    for route, pattern in patterns:
        names = list(pattern.pattern.converters)
        missing = [n for n in names if n not in values]
        if missing:
            problems.append(f"{route}: no tenancy provider for {missing}")
            continue
        own = {n: values[n][0] for n in names}
        # Sanity: with tenant A's own ids the page is found (so a 404 below means tenancy).
        status = client.get(_full_url(route, own)).status_code
        if status == 404:
            problems.append(f"{route}: 404 even with the user's own ids")
        # Each argument in turn takes tenant B's value, the others keep tenant A's.
        for name in names:
            kwargs = dict(own, **{name: values[name][1]})
            url = _full_url(route, kwargs)
            get_status = client.get(url).status_code
            post_status = client.post(url).status_code
            if (
                get_status not in (404, 405)
                or post_status not in (404, 405)
                or (404 not in (get_status, post_status))
            ):
                problems.append(f"{url} ({name} of tenant B): GET {get_status}, POST {post_status}")
    assert not problems, "\n".join(problems)
