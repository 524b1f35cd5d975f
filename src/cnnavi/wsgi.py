import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnnavi.settings")
application = get_wsgi_application()


def _load_urlconf() -> None:
    """Build the URLconf (and the API's schema models) now, not in a user's first request: with
    gunicorn --preload it is built once in the master and every forked worker starts warm."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the access builds it


_load_urlconf()
