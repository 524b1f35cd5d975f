"""Lock, check, insert: the one way a service locks the row that becomes scarce (pretix's
``locking.rst``). Lock the rows once per transaction, as late as possible but before the
availability check; a lock that cannot be had within ``LOCK_TIMEOUT`` (PostgreSQL) becomes
``BusyError``, a "busy, please try again" the page shows like any other ``ValidationError``.

The race tests (``postgres_only``) first switch locking off (``ENABLED``) to show the race the
lock prevents, and hold each thread between the check and the insert (``race_hook``, called by
``after_check``). Neither is ever changed in production."""

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils.translation import gettext_lazy as _

LOCK_TIMEOUT = "5s"
ENABLED = True  # race tests only
race_hook = None  # race tests only: called between the availability check and the insert


class BusyError(ValidationError):
    """The rows stayed locked longer than ``LOCK_TIMEOUT``: ask the user to try again."""

    def __init__(self) -> None:
        super().__init__(_("混み合っています。少し待ってからもう一度お試しください。"))


def lock(queryset) -> list:
    """The rows, locked (in id order, so that two services never wait on each other) for the
    rest of the transaction; only read while the race tests switch locking off."""
    if not ENABLED:
        return list(queryset.order_by("pk"))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    try:
        return list(queryset.select_for_update().order_by("pk"))
    except OperationalError as exc:
        raise BusyError from exc


def lock_one(queryset):
    """The one row of ``queryset``, locked like ``lock`` (``Model.DoesNotExist`` if none)."""
    rows = lock(queryset)
    if not rows:
        raise queryset.model.DoesNotExist
    return rows[0]


def after_check() -> None:
    """Mark the point between the availability check and the insert (for the race tests)."""
    if race_hook is not None:
        race_hook()
