"""The English UI is complete: pages under /en/ show no Japanese (the test data is ASCII)."""

import re

import pytest
from django.urls import get_resolver
from django.utils import translation

from cnnavi.common.discovery import app_modules
from cnnavi.common.tests.test_tenancy_walk import SKIP_PREFIXES, _full_url, _walk

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]+")
# The link back to the Japanese UI is written in Japanese on purpose.
ALLOWED = {"日本語"}


# Proper names quoted in Japanese (official documents, suppliers) are marked up with lang="ja",
# as screen readers need; they are not UI text.
LANG_JA = re.compile(r'<(\w+)[^>]*\slang="ja"[^>]*>.*?</\1>', re.S)


def japanese_in(html: str) -> set[str]:
    text = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    text = LANG_JA.sub(" ", text.split("<body", 1)[-1])
    # Text nodes and the attributes people read or hear; not hx-vals, data-* or values.
    readable = re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', text)
    text = " ".join([re.sub(r"<[^>]+>", " ", text), *readable])
    # Bilingual identifiers such as the import columns 年月/month name both spellings on purpose.
    text = re.sub(r"[\u3040-\u30ff\u4e00-\u9fff]+/[a-z_]+", " ", text)
    return {m for m in JAPANESE.findall(text) if m not in ALLOWED}


def _english_pages(world):
    values: dict = {}
    for module in app_modules("tests.tenancy"):
        values.update(module.provide(world))
    with translation.override("ja"):  # routes without the language prefix
        walked = list(_walk(get_resolver().url_patterns))
    for route, pattern in walked:
        if route.startswith((*SKIP_PREFIXES, "api/")):
            continue  # not translated pages (admin, allauth's keyed links, the JSON API)
        names = list(pattern.pattern.converters)
        if any(n not in values for n in names):
            continue  # the tenancy walk reports unknown arguments
        yield "/en" + _full_url(route, {n: values[n][0] for n in names})


@pytest.mark.django_db
def test_every_english_page_is_in_english(world, client):
    client.force_login(world.a.owner)
    problems = []
    urls = list(_english_pages(world)) + ["/en/accounts/login/", "/en/accounts/email/"]
    assert "/en/" in urls
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        left = japanese_in(response.content.decode())
        if left:
            problems.append(f"{url}: {sorted(left)[:8]}")
    assert not problems, "Japanese left on English pages:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_the_anonymous_english_home_page(client):
    html = client.get("/en/").content.decode()
    assert 'lang="en"' in html
    assert not japanese_in(html)
