import re

from django import template
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from cnnavi.common.navigation import available_menus, user_roles

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language: str) -> str:
    """The current page in another language (Japanese at /, English under /en/)."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def nav_roles(context) -> dict:
    """What the header links need to know about the user (``navigation.user_roles``: one
    query, shared with the TOTP check of the same request)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    return user_roles(user)


@register.simple_tag
def menus():
    return available_menus()


@register.filter(is_safe=True)
def page_title(title, site_name) -> str:
    """The <title>: "{page} | {site}", or the site name alone for a page without a title."""
    title = str(title).strip()
    site = conditional_escape(site_name)
    return f"{title} | {site}" if title else site


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


def chart_html(fig, uid: str = "") -> str:
    """A server-drawn chart (cnnavi.common.charts.Figure) as HTML: the phone-width and the wide
    SVG (CSS shows one) and the legend. No script: the table view next to it carries the data."""
    from cnnavi.common.charts import to_svg

    if fig is None:
        return ""
    return render_to_string(
        "includes/chart.html",
        {
            "fig": fig,
            "narrow": mark_safe(to_svg(fig.narrow, uid)),  # noqa: S308 - to_svg escapes text
            "wide": mark_safe(to_svg(fig.wide, uid)),  # noqa: S308
        },
    )


@register.simple_tag
def chart(fig, uid: str = "") -> str:
    """{% chart figure %}: see chart_html."""
    return chart_html(fig, uid)
