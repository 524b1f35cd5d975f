"""Limits that hold with several workers behind a proxy: the client's address comes from the
trusted proxy, and one-time codes are used once across workers (a shared cache)."""

import socket
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse

from cnnavi.testing import PASSWORD, make_user, totp_now

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def _login(client, email, password, client_address):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_behind_a_trusted_proxy_one_attacker_does_not_lock_out_everyone(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    make_user("victim@example.com")
    make_user("bystander@example.com")
    for _ in range(6):
        _login(client, "victim@example.com", "wrong", "203.0.113.66")
    # The attacker's address is locked out, even for another account ...
    locked = _login(client, "bystander@example.com", PASSWORD, "203.0.113.66")
    assert "ログイン失敗が連続しています。" in locked.content.decode()
    # ... but another client behind the same proxy logs in.
    response = _login(client, "bystander@example.com", PASSWORD, "198.51.100.7")
    assert response.status_code == 302


def test_without_the_proxy_setting_every_client_would_share_the_proxy_address(client, settings):
    """The failure the setting fixes (and the reason README asks for it behind a proxy)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    make_user("victim@example.com")
    make_user("bystander@example.com")
    for _ in range(6):
        _login(client, "victim@example.com", "wrong", "203.0.113.66")
    response = _login(client, "bystander@example.com", PASSWORD, "198.51.100.7")
    assert "ログイン失敗が連続しています。" in response.content.decode()


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


SHARED = {
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cnnavi_cache",
    },
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    },
}


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_a_totp_code_is_accepted_once_across_two_workers(settings, backend):
    """Two workers are two cache clients (each its own connection) on one shared store."""
    if backend == "redis" and not _redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {"default": SHARED[backend]}
    if backend == "database":
        call_command("createcachetable", verbosity=0)
    worker_a, worker_b = caches.create_connection("default"), caches.create_connection("default")
    worker_a.clear()
    staff = make_user("staff@example.com", totp=True)
    totp = totp_auth.TOTP(Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP))
    code = totp_now()
    with mock.patch.object(totp_auth, "cache", worker_a):
        assert totp.validate_code(code)
    with mock.patch.object(totp_auth, "cache", worker_b):
        assert not totp.validate_code(code)  # replayed on the other worker: refused
    worker_a.clear()


def test_per_process_memory_would_accept_a_code_twice(settings):
    """Why production refuses the in-process cache: each worker has its own memory."""
    worker_a = caches.create_connection("default").__class__("a", {})
    worker_b = worker_a.__class__("b", {})
    staff = make_user("staff@example.com", totp=True)
    totp = totp_auth.TOTP(Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP))
    code = totp_now()
    with mock.patch.object(totp_auth, "cache", worker_a):
        assert totp.validate_code(code)
    with mock.patch.object(totp_auth, "cache", worker_b):
        assert totp.validate_code(code)
