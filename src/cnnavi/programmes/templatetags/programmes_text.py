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
    """`<h1{{ event|lang_ja:"title" }}>`: marks a Japanese fallback on an English page."""
    return mark_safe(' lang="ja"') if obj.japanese_only(field) else ""


@register.simple_tag
def ja_only_note(obj, *fields: str) -> str:
    """One note for a section when any of its texts exists only in Japanese."""
    if any(obj.japanese_only(f) for f in fields):
        return format_html(
            '<span class="badge badge-muted" data-testid="ja-only">{}</span>', gettext("日本語のみ")
        )
    return ""
