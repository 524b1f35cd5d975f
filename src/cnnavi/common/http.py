"""Small helpers shared by views."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a proxy, set CNNAVI_TRUSTED_PROXY_COUNT (see settings)."""
    return request.META.get("REMOTE_ADDR") or None
