"""Feed import with local files (no network): new, duplicate, malformed and failing feeds."""

import html
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from cnnavi.outcomes import feeds
from cnnavi.outcomes.models import Feed, FeedItem, ItemStatus
from cnnavi.outcomes.services import feed_item_dismiss, feed_item_publish, feeds_fetch
from cnnavi.programmes.models import Headline

HERE = Path(__file__).parent / "feeds"
FILES = {
    "https://feeds.example.org/jnet21": "jnet21.xml",
    "https://feeds.example.org/fukui": "pref.atom",
    "https://feeds.example.org/broken": "malformed.xml",
    "https://feeds.example.org/text": "notafeed.txt",
}


def local(url: str) -> bytes:
    """The test's fetch: a local file for each known URL; an unknown URL fails like a network."""
    if url not in FILES:
        raise feeds.FeedProblem(f"could not fetch: 404 Not Found ({url})")
    return (HERE / FILES[url]).read_bytes()


@pytest.fixture
def office(world):
    return world.a.office


def _feed(office, url, name="Feed", prefecture=""):
    return Feed.objects.create(office=office, name=name, url=url, prefecture=prefecture)


def test_new_items_wait_for_review_with_suggestions(office):
    _feed(office, "https://feeds.example.org/jnet21", "J-Net21")
    [(feed, added, error)] = feeds_fetch(fetch=local)
    assert (added, error) == (3, "")
    items = {i.link: i for i in FeedItem.objects.all()}
    first = items["https://example.org/news/1"]
    assert first.status == ItemStatus.NEW
    assert first.suggested_prefectures == ["16"]
    assert first.suggested_kind == "subsidy"
    assert {"energy_saving", "equipment"} <= set(first.suggested_topics)
    assert first.summary == "富山県内の中小企業の省エネ設備の更新を補助します。"
    assert first.published_on.isoformat() == "2026-11-02"
    seminar = items["https://example.org/news/2"]
    assert seminar.suggested_kind == "seminar" and "co2_accounting" in seminar.suggested_topics
    assert seminar.suggested_prefectures == []  # nationwide unless the feed has a prefecture
    assert items["https://example.org/news/3"].suggested_prefectures == ["17"]
    feed.refresh_from_db()
    assert feed.last_ok_at and feed.last_error == ""


def test_duplicates_are_recognised_by_link(office):
    _feed(office, "https://feeds.example.org/jnet21", "J-Net21")
    _feed(office, "https://feeds.example.org/fukui", "Fukui", prefecture="18")
    results = feeds_fetch(fetch=local)
    assert [added for _f, added, _e in results] == [2, 2]  # Fukui first (by name); news/1 once
    assert FeedItem.objects.count() == 4
    again = feeds_fetch(fetch=local)
    assert [added for _f, added, _e in again] == [0, 0]
    assert FeedItem.objects.get(link="https://example.org/fukui/a").suggested_prefectures == ["18"]


@pytest.mark.parametrize("url", ["https://feeds.example.org/broken",
                                 "https://feeds.example.org/text",
                                 "https://feeds.example.org/gone"])  # fmt: skip
def test_a_failing_or_malformed_feed_is_reported_and_breaks_nothing(office, url, alice_client):
    _feed(office, url, "A bad feed")
    _feed(office, "https://feeds.example.org/jnet21", "J-Net21")
    results = {f.url: (added, error) for f, added, error in feeds_fetch(fetch=local)}
    assert results["https://feeds.example.org/jnet21"] == (3, "")
    added, error = results[url]
    assert added == 0 and error
    bad = Feed.objects.get(url=url)
    assert bad.last_error == error and bad.last_ok_at is None
    response = alice_client.get("/staff/outcomes/feeds/")
    page = response.content.decode()
    assert response.status_code == 200, page[:3000]
    assert 'data-testid="feed-error"' in page and html.escape(error[:30]) in page


def test_publish_with_one_click(office, alice_client):
    _feed(office, "https://feeds.example.org/jnet21", "J-Net21")
    feeds_fetch(fetch=local)
    item = FeedItem.objects.get(link="https://example.org/news/1")
    response = alice_client.post(f"/staff/outcomes/feeds/items/{item.pk}/publish/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.headline is not None
    h = Headline.objects.get(pk=item.headline_id)
    assert (h.title, h.url, h.kind, h.source) == (
        "【富山県】省エネ設備導入補助金の公募",
        "https://example.org/news/1",
        "subsidy",
        "J-Net21",
    )
    assert h.prefecture_codes() == ["16"] and not h.nationwide
    with pytest.raises(ValidationError):
        feed_item_publish(actor=None, item=item)  # reviewed already
    assert Headline.objects.count() == 1
    nationwide = FeedItem.objects.get(link="https://example.org/news/2")
    feed_item_publish(actor=None, item=nationwide)
    assert Headline.objects.get(url="https://example.org/news/2").nationwide
    other = FeedItem.objects.get(link="https://example.org/news/3")
    feed_item_dismiss(actor=None, item=other)
    other.refresh_from_db()
    assert other.status == ItemStatus.DISMISSED


def test_another_offices_item_is_404(world, alice_client):
    _feed(world.b.office, "https://feeds.example.org/jnet21", "B's feed")
    feeds_fetch(fetch=local)
    item = FeedItem.objects.first()
    assert alice_client.post(f"/staff/outcomes/feeds/items/{item.pk}/publish/").status_code == 404
    assert alice_client.post(f"/staff/outcomes/feeds/items/{item.pk}/dismiss/").status_code == 404
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW


def test_only_http_urls_are_fetched():
    with pytest.raises(feeds.FeedProblem):
        feeds.fetch_url("file:///etc/passwd")
