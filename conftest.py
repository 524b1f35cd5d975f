"""Fixtures shared by every app's tests (see cnnavi/common/testing.py)."""

import pytest


@pytest.fixture
def world(db):
    from cnnavi.common.testing import build_world

    return build_world()


@pytest.fixture
def alice(world):
    return world.a.owner


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the next test's database may reuse a company's id,
    and its fixtures write data without the services that bump the data versions."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Browser tests: Playwright for Python driving Debian's chromium --------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def _playwright_browser():
    import os

    if not os.path.exists(CHROMIUM):
        message = (
            f"{CHROMIUM} is missing: install Debian's chromium with "
            "`sudo apt-get install -y chromium` to run the browser tests"
        )
        if os.environ.get("CNNAVI_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _browser_page(browser, live_server, settings, **context_options):
    settings.CNNAVI_BASE_URL = live_server.url
    context = browser.new_context(base_url=live_server.url, locale="ja-JP", **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(_playwright_browser, live_server, settings):
    """A fresh browser context (desktop size) pointed at the live server."""
    context, page = _browser_page(
        _playwright_browser, live_server, settings, viewport={"width": 1280, "height": 900}
    )
    yield page
    context.close()


@pytest.fixture
def phone_page(_playwright_browser, live_server, settings):
    """A phone-sized browser context."""
    context, page = _browser_page(
        _playwright_browser,
        live_server,
        settings,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _default_language():
    """Requests under /en/ activate English in this thread; start every test in Japanese."""
    from django.utils import translation

    translation.activate("ja")
    yield
    translation.activate("ja")
