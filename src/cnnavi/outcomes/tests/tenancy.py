"""Ids of tenant A and tenant B for the URL kwargs of the outcomes app."""

from cnnavi.outcomes.models import Feed, FeedItem


def provide(world) -> dict[str, tuple]:
    ids = []
    for tenant in (world.a, world.b):
        feed = Feed.objects.create(office=tenant.office, name="Feed", url="https://example.org/f")
        item = FeedItem.objects.create(office=tenant.office, feed=feed,
                                       link="https://example.org/item", title="Item")  # fmt: skip
        ids.append(item.pk)
    return {"item_id": tuple(ids)}
