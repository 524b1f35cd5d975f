"""Small helpers shared by views: the client's address and the app's own throttles."""

import hashlib

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, by allauth's rules: behind a proxy, CNNAVI_TRUSTED_PROXY_COUNT or
    CNNAVI_TRUSTED_CLIENT_IP_HEADER (settings) say where to read it, so the log-in limits and
    the app's throttles count clients, not the proxy."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def throttle(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit of `key` in `scope`; False once more than `limit` hits fall in the window
    (fixed, `seconds` long from the first hit). The count lives in the shared cache, so every
    worker sees it (production refuses a per-process cache)."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"cnnavi.throttle:{scope}:{digest}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds)
        count = 1
    return count <= limit


def lazy_view(dotted: str):
    """A URL pattern's view imported on its first request, for pages whose modules pull in
    heavy libraries (numpy, openpyxl): a worker builds the URLconf without them."""
    module_name, _, attr = dotted.rpartition(".")
    loaded = []

    def view(request, *args, **kwargs):
        if not loaded:
            from importlib import import_module

            loaded.append(getattr(import_module(module_name), attr))
        return loaded[0](request, *args, **kwargs)

    view.__name__ = attr
    view.__qualname__ = dotted
    return view
