import re

from django import template
from django.urls import translate_url
from django.utils.html import conditional_escape, format_html

from cnnavi.common.navigation import available_menus

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language: str) -> str:
    """The current page in another language (Japanese at /, English under /en/)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.simple_tag
def menus():
    return available_menus()


@register.filter
def yen(value) -> str:
    if value is None or value == "":
        return ""
    return f"¥{int(value):,}"


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@register.filter
def ja(value) -> str:
    """Mark Japanese text (official names, file headers, data) with lang="ja" for screen
    readers; other text is only escaped."""
    text = "" if value is None else str(value)
    if _JAPANESE.search(text):
        return format_html('<span lang="ja">{}</span>', text)
    return conditional_escape(text)
