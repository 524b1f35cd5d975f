"""Writes of the outcomes app: the office's feeds and the review of their items.

Fetching: each feed in its own transaction; a feed that cannot be fetched or read keeps its
items, records the error on the feed (shown to staff) and does not stop the others."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cnnavi.audit.services import audit_record
from cnnavi.outcomes import feeds
from cnnavi.outcomes.models import Feed, FeedItem, ItemStatus
from cnnavi.programmes.models import HeadlineKind, Topic
from cnnavi.programmes.services import headline_create

FEED_FIELDS = ("name", "url", "prefecture", "active")


@transaction.atomic(durable=True)
def feed_save(*, actor, office, feed: Feed | None = None, **fields) -> Feed:
    created = feed is None
    feed = feed or Feed(office=office)
    for name in FEED_FIELDS:
        if name in fields:
            setattr(feed, name, fields[name])
    feed.full_clean()
    feed.save()
    audit_record(
        actor=actor,
        action="feed.create" if created else "feed.update",
        target=feed,
        office=office,
        data={"url": feed.url},
    )
    return feed


@transaction.atomic(durable=True)
def _store(*, feed: Feed, entries: list[feeds.Entry] | None, error: str) -> int:
    """Record one fetch: new items (duplicates by link skipped) or the error."""
    feed = Feed.objects.select_for_update().get(pk=feed.pk)
    now = timezone.now()
    feed.last_fetched_at = now
    added = 0
    if error:
        feed.last_error = error[:2000]
    else:
        feed.last_ok_at = now
        feed.last_error = ""
        known = set(
            FeedItem.objects.filter(
                office_id=feed.office_id, link__in=[e.link for e in entries]
            ).values_list("link", flat=True)
        )
        for e in entries:
            if e.link in known:
                continue
            known.add(e.link)
            text = f"{e.title} {e.summary}"
            FeedItem.objects.create(
                office_id=feed.office_id,
                feed=feed,
                link=e.link,
                title=e.title,
                summary=e.summary,
                published_on=e.published_on,
                suggested_kind=feeds.suggest_kind(text),
                suggested_prefectures=feeds.suggest_prefectures(text, feed.prefecture),
                suggested_topics=feeds.suggest_topics(text),
            )
            added += 1
    feed.save(update_fields=["last_fetched_at", "last_ok_at", "last_error"])
    audit_record(
        actor=None,
        action="feed.fetch",
        target=feed,
        office=feed.office,
        data={"added": added, "error": error[:200]},
    )
    return added


def feeds_fetch(
    *, feeds_qs=None, fetch: Callable[[str], bytes] = feeds.fetch_url
) -> list[tuple[Feed, int, str]]:
    """Fetch every active feed (or the given ones): (feed, items added, error or "")."""
    out = []
    for feed in feeds_qs if feeds_qs is not None else Feed.objects.filter(active=True):
        try:
            entries, error = feeds.parse(fetch(feed.url)), ""
        except feeds.FeedProblem as exc:
            entries, error = None, str(exc)
        out.append((feed, _store(feed=feed, entries=entries, error=error), error))
    return out


def _claim(item: FeedItem, actor, status: str) -> bool:
    """Move a waiting item to ``status`` (False if someone else reviewed it first)."""
    return bool(
        FeedItem.objects.filter(pk=item.pk, status=ItemStatus.NEW).update(
            status=status, reviewed_by=actor, reviewed_at=timezone.now()
        )
    )


def feed_item_publish(*, actor, item: FeedItem) -> FeedItem:
    """One click: a support headline from the item with the suggested kind, prefectures and
    topics (programmes' ``headline_create``, its own transaction), linked to the item."""
    with transaction.atomic(durable=True):
        if not _claim(item, actor, ItemStatus.PUBLISHED):
            raise ValidationError(_("この記事は確認済みです。"))
    prefectures = list(item.suggested_prefectures)
    try:
        headline = headline_create(
            actor=actor,
            office=item.office,
            prefectures=prefectures,
            topics=[t for t in item.suggested_topics if t in Topic.values],
            kind=item.suggested_kind if item.suggested_kind in HeadlineKind.values else "news",
            title=item.title,
            summary=item.summary,
            source=item.feed.name[:150],
            url=item.link,
            nationwide=not prefectures,
            starts_on=item.published_on or timezone.localdate(),
        )
    except ValidationError:
        FeedItem.objects.filter(pk=item.pk).update(
            status=ItemStatus.NEW, reviewed_by=None, reviewed_at=None
        )
        raise
    with transaction.atomic(durable=True):
        FeedItem.objects.filter(pk=item.pk).update(headline=headline)
        item.refresh_from_db()
        audit_record(
            actor=actor,
            action="feed_item.publish",
            target=item,
            office=item.office,
            data={"headline": headline.pk},
        )
    return item


@transaction.atomic(durable=True)
def feed_item_dismiss(*, actor, item: FeedItem) -> FeedItem:
    if not _claim(item, actor, ItemStatus.DISMISSED):
        raise ValidationError(_("この記事は確認済みです。"))
    item.refresh_from_db()
    audit_record(actor=actor, action="feed_item.dismiss", target=item, office=item.office)
    return item
