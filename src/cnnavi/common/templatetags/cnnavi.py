from django import template
from django.urls import translate_url

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
