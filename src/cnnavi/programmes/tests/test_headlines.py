"""Support headlines: filters (the brochure's "narrow down by 富山県"), feeds, staff forms."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from cnnavi.programmes import services
from cnnavi.programmes.models import Headline
from cnnavi.programmes.selectors import subsidy_headlines_for

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def items(world):
    today = timezone.localdate()

    def add(title, kind, prefectures, topics, *, nationwide=False, days_left=30, started=-1):
        return services.headline_create(
            actor=world.a.owner,
            office=world.a.office,
            kind=kind,
            title=title,
            prefectures=prefectures,
            topics=topics,
            nationwide=nationwide,
            starts_on=today + timedelta(days=started),
            ends_on=today + timedelta(days=days_left) if days_left is not None else None,
        )

    return {
        "toyama_subsidy": add(
            "富山の省エネ補助金", "subsidy", ["16"], ["energy_saving", "equipment"]
        ),
        "ishikawa_subsidy": add("石川の太陽光補助金", "subsidy", ["17"], ["renewables"]),
        "fukui_seminar": add("福井のセミナー", "seminar", ["18"], ["general"]),
        "national_news": add(
            "全国のお知らせ", "news", [], ["general"], nationwide=True, days_left=None
        ),
        "expired": add(
            "終わった富山の補助金", "subsidy", ["16"], ["energy_saving"], days_left=-1, started=-60
        ),
        "future": add("来月からの富山の補助金", "subsidy", ["16"], ["energy_saving"], started=10),
    }


def test_default_list_hides_expired_and_future_items(items, client):
    page = client.get(reverse("programmes:headline_list")).content.decode()
    assert "富山の省エネ補助金" in page and "全国のお知らせ" in page
    assert "終わった富山の補助金" not in page
    assert "来月からの富山の補助金" not in page
    page = client.get(reverse("programmes:headline_list") + "?include_expired=on").content.decode()
    assert "終わった富山の補助金" in page


def test_narrow_down_by_toyama(items, client):
    page = client.get(reverse("programmes:headline_list") + "?prefecture=16").content.decode()
    assert "富山の省エネ補助金" in page
    assert "全国のお知らせ" in page  # nationwide items apply to Toyama too
    assert "石川の太陽光補助金" not in page and "福井のセミナー" not in page
    page = client.get(
        reverse("programmes:headline_list") + "?prefecture=16&kind=subsidy&topic=equipment"
    ).content.decode()
    assert page.count('data-testid="headline"') == 1 and "富山の省エネ補助金" in page


def test_htmx_filter_returns_only_the_results(items, client):
    response = client.get(
        reverse("programmes:headline_list") + "?prefecture=17", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="headline-results"')
    assert "石川の太陽光補助金" in html and "富山の省エネ補助金" not in html
    assert "<form" not in html


@pytest.mark.parametrize("query", ["?prefecture=99", "?kind=lottery", "?topic=%3Cscript%3E"])
def test_bad_filters_are_a_422_with_a_message(items, client, query):
    response = client.get(reverse("programmes:headline_list") + query)
    assert response.status_code == 422
    assert "正しく選択してください" in response.content.decode()


def test_atom_feed_per_filter(items, client):
    list_page = client.get(reverse("programmes:headline_list") + "?prefecture=17&kind=subsidy")
    feed_url = reverse("programmes:headline_feed") + "?prefecture=17&kind=subsidy"
    assert feed_url.replace("&", "&amp;") in list_page.content.decode()
    response = client.get(feed_url)
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    assert "石川県" in root.find(f"{ATOM}title").text
    entries = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert entries == ["[補助金・助成金] 石川の太陽光補助金"]
    # A bad filter value in the feed is ignored, not a 500.
    assert client.get(reverse("programmes:headline_feed") + "?prefecture=zz").status_code == 200


def test_subsidy_headlines_for(items):
    found = list(subsidy_headlines_for(prefecture="16", topics=["equipment", "renewables"]))
    assert [h.title for h in found] == ["富山の省エネ補助金"]
    assert [h.title for h in subsidy_headlines_for(prefecture="17", topics=[])] == [
        "石川の太陽光補助金"
    ]
    assert list(subsidy_headlines_for(prefecture="18", topics=["energy_saving"])) == []


def test_headline_list_query_count(items, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get(reverse("programmes:headline_list") + "?prefecture=16")


def test_staff_manage_headlines(world, alice_client):
    url = reverse("programmes_staff:headline_create")
    data = {
        "kind": "subsidy",
        "title": "富山県の設備更新補助金",
        "summary": "",
        "prefectures": ["16"],
        "topics": ["equipment"],
        "starts_on": "2026-11-01",
        "ends_on": "2027-01-31",
        "url": "https://j-net21.smrj.go.jp/",
    }
    assert alice_client.post(url, data).status_code == 302
    headline = Headline.objects.get()
    assert headline.prefecture_codes() == ["16"] and headline.topic_codes() == ["equipment"]
    edit = reverse("programmes_staff:headline_edit", args=[headline.pk])
    page = alice_client.get(edit).content.decode()
    assert re.search(r'<input type="checkbox" name="prefectures" value="16"[^>]*checked', page)
    assert not re.search(r'<input type="checkbox" name="prefectures" value="17"[^>]*checked', page)
    alice_client.post(edit, dict(data, prefectures=["16", "17"], title="富山・石川の補助金"))
    headline.refresh_from_db()
    assert headline.title == "富山・石川の補助金" and headline.prefecture_codes() == ["16", "17"]
    alice_client.post(reverse("programmes_staff:headline_delete", args=[headline.pk]))
    assert not Headline.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"prefectures": []}, "都道府県を選ぶか、「全国が対象」にしてください。"),
        ({"ends_on": "2026-10-01"}, "終了日は開始日以降にしてください。"),
        ({"starts_on": "2026-13-01"}, "掲載・受付開始日"),
        ({"url": "ftp://example.com/x"}, "リンク先"),
        ({"topics": ["weather"]}, "テーマ"),
        ({"kind": ""}, "種類"),
    ],
)
def test_bad_headline_input_is_a_422_naming_the_field(world, alice_client, overrides, message):
    data = {
        "kind": "subsidy",
        "title": "補助金",
        "prefectures": ["16"],
        "topics": ["equipment"],
        "starts_on": "2026-11-01",
        "ends_on": "2027-01-31",
    }
    data.update(overrides)
    response = alice_client.post(reverse("programmes_staff:headline_create"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Headline.objects.exists()
