"""Reading RSS/Atom feeds (feedparser) and suggesting a headline's kind, prefectures and topics.

``fetch_url`` is the only network access; tests pass their own ``fetch`` reading local files."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from datetime import date

import feedparser
from django.utils import translation

from cnnavi.common.choices import Prefecture

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 20


class FeedProblem(Exception):
    """The feed could not be fetched or read; the message is shown to staff."""


def fetch_url(url: str) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise FeedProblem(f"only http(s) URLs are fetched: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "CN Navi feed reader"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            data = response.read(MAX_BYTES + 1)
    except OSError as exc:  # URLError, HTTPError, timeouts
        raise FeedProblem(f"could not fetch: {exc}") from exc
    if len(data) > MAX_BYTES:
        raise FeedProblem("the feed is larger than 5 MB")
    return data


@dataclass(frozen=True)
class Entry:
    link: str
    title: str
    summary: str
    published_on: date | None


def parse(data: bytes) -> list[Entry]:
    """The entries of a feed; ``FeedProblem`` if it is not a readable RSS/Atom feed."""
    parsed = feedparser.parse(data)
    problem = parsed.get("bozo_exception") if parsed.bozo else None
    if problem is not None and not isinstance(problem, feedparser.CharacterEncodingOverride):
        # malformed XML: nothing is taken from it (a half-read feed could drop or garble items)
        raise FeedProblem(f"malformed feed: {problem}")
    if not parsed.get("version") and not parsed.entries:
        raise FeedProblem("not an RSS/Atom feed")
    out = []
    for e in parsed.entries:
        link = (e.get("link") or "").strip()
        title = (e.get("title") or "").strip()
        if not link.startswith(("https://", "http://")) or not title:
            continue
        when = e.get("published_parsed") or e.get("updated_parsed")
        out.append(
            Entry(
                link=link[:500],
                title=title[:200],
                summary=_plain(e.get("summary") or "")[:2000],
                published_on=date(*when[:3]) if when else None,
            )
        )
    return out


def _plain(html: str) -> str:
    """Text of a summary (feedparser has already sanitised it; drop the remaining tags)."""
    out, inside = [], False
    for ch in html:
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
        elif not inside:
            out.append(ch)
    return " ".join("".join(out).split())


_TOPIC_WORDS = (
    ("energy_saving", ("省エネ", "節電", "energy saving", "energy efficiency")),
    ("renewables", ("再エネ", "再生可能", "太陽光", "renewable", "solar")),
    ("co2_accounting", ("CO2", "ＣＯ２", "排出量", "算定", "可視化", "emission")),
    ("sbt_re100", ("SBT", "RE100")),
    ("electrification", ("電化", "燃料転換", "ヒートポンプ", "EV", "heat pump")),
    ("equipment", ("設備", "導入支援", "equipment")),
    ("certificates", ("証書", "クレジット", "非化石", "credit")),
)


def suggest_topics(text: str) -> list[str]:
    low = text.lower()
    found = [code for code, words in _TOPIC_WORDS if any(w.lower() in low for w in words)]
    return found or ["general"]


def suggest_kind(text: str) -> str:
    if any(w in text for w in ("補助", "助成", "subsid", "grant")):
        return "subsidy"
    if any(w in text for w in ("セミナー", "研修", "講習", "seminar", "webinar")):
        return "seminar"
    if any(w in text for w in ("イベント", "展示会", "event")):
        return "event"
    return "news"


def suggest_prefectures(text: str, default: str = "") -> list[str]:
    """Prefectures named in the text (富山県 or 富山), else the feed's own prefecture."""
    found = []
    with translation.override("ja"):
        names = [(code, str(label)) for code, label in Prefecture.choices]
    for code, name in names:
        short = name[:-1] if name.endswith(("県", "府", "都")) and name != "北海道" else name
        haystack = text.replace("東京都", "") if short == "京都" else text
        if name in text or short in haystack:
            found.append(code)
    if not found and default:
        found = [default]
    return found
