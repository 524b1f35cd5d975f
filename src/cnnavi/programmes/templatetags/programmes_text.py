"""Staff-entered texts in the page's language: the English version on English pages when staff
gave one, else the Japanese marked lang="ja" with one "Japanese only" note per section."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def loc(obj, field: str) -> str:
    """`{{ event|loc:"title" }}`: the text to show on this page."""
    return obj.localized(field)


@register.filter
def lang_ja(obj, field: str) -> str:
    """`<h1{{ event|lang_ja:"title" }}>`: marks a Japanese fallback on an English page; also
    a text kept in Japanese only (`lecturer`, `contact`: names, addresses, decision 1320)."""
    return mark_safe(' lang="ja"') if obj.japanese_only(field) else ""


@register.filter
def loc_inline(obj, field: str) -> str:
    """`{{ event|loc_inline:"venue" }}`: the text to show, wrapped in `<span lang="ja">` when it
    is a Japanese fallback; for texts inside a sentence (a translated string's placeholder)."""
    if obj.japanese_only(field):
        return format_html('<span lang="ja">{}</span>', obj.localized(field))
    return obj.localized(field)


def _texts(args) -> list[tuple[object, list[str]]]:
    """`obj "f1" "f2" objs "f3"` → [(obj, [f1, f2]), (each of objs, [f3])...]: a text argument
    names a field of the object (or of each object of the list) given before it."""
    groups: list[tuple[list, list[str]]] = []
    for arg in args:
        if isinstance(arg, str):
            groups[-1][1].append(arg)
        else:
            objs = [arg] if hasattr(arg, "japanese_only") else list(arg)
            groups.append((objs, []))
    return [(obj, fields) for objs, fields in groups for obj in objs]


@register.simple_tag
def ja_only_note(*args) -> str:
    """One note for a section when any of its texts exists only in Japanese:
    `{% ja_only_note event "title" "venue" event.sessions.all "topic" %}`."""
    if any(obj.japanese_only(f) for obj, fields in _texts(args) for f in fields):
        return format_html(
            '<span class="badge badge-muted" data-testid="ja-only">{}</span>', gettext("日本語のみ")
        )
    return ""
