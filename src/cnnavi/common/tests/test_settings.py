"""Production mode refuses to start without what it needs, and passes check --deploy."""

import os
import subprocess
import sys

import pytest

PROD = {
    "CNNAVI_ENV": "production",
    "CNNAVI_SECRET_KEY": "x" * 24 + "a-long-random-production-secret-key-0123456789",
    "CNNAVI_ALLOWED_HOSTS": "cn.example.jp",
    "DATABASE_URL": "postgres://cnnavi:pw@127.0.0.1:5432/cnnavi",
    "CNNAVI_EMAIL_URL": "smtp+tls://user:pw@smtp.example.jp:587",
    "CNNAVI_BASE_URL": "https://cn.example.jp",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _cnnavi(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CNNAVI_", "DATABASE_URL", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "cnnavi", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("CNNAVI_SECRET_KEY", "CNNAVI_SECRET_KEY is not set"),
        ("CNNAVI_ALLOWED_HOSTS", "CNNAVI_ALLOWED_HOSTS is not set"),
        ("DATABASE_URL", "DATABASE_URL is not set"),
        ("CNNAVI_EMAIL_URL", "CNNAVI_EMAIL_URL is not set"),
        ("REDIS_URL", "REDIS_URL is not set"),
        ("CNNAVI_BASE_URL", "CNNAVI_BASE_URL must be the site's public https:// address"),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = {k: v for k, v in PROD.items() if k != missing}
    result = _cnnavi("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


def test_a_short_secret_key_is_refused():
    result = _cnnavi("check", env=dict(PROD, CNNAVI_SECRET_KEY="short"))
    assert result.returncode != 0
    assert "at least 50 random characters" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CNNAVI_ALLOWED_HOSTS", "*", "CNNAVI_ALLOWED_HOSTS must name the hosts"),
        ("CNNAVI_ALLOWED_HOSTS", "cn.example.jp,*", "CNNAVI_ALLOWED_HOSTS must name the hosts"),
        ("DATABASE_URL", "sqlite:////tmp/cnnavi.sqlite3", "DATABASE_URL must point to PostgreSQL"),
        ("CNNAVI_EMAIL_URL", "smtp://user:pw@smtp.example.jp:25", "CNNAVI_EMAIL_URL must use TLS"),
        ("CNNAVI_HSTS_SECONDS", "0", "CNNAVI_HSTS_SECONDS must be at least 3600"),
        ("CNNAVI_REQUIRE_2FA_FOR_STAFF", "false", "CNNAVI_REQUIRE_2FA_FOR_STAFF cannot be off"),
        ("CNNAVI_BASE_URL", "http://cn.example.jp", "CNNAVI_BASE_URL must be the site's public"),
        ("CNNAVI_SECRET_KEY", "a" * 54, "CNNAVI_SECRET_KEY looks low in entropy"),
        ("CNNAVI_SECRET_KEY", "ab" * 30, "CNNAVI_SECRET_KEY looks low in entropy"),
        ("CNNAVI_CACHE", "memory", "REDIS_URL is not set"),
    ],
)
def test_production_refuses_weak_settings(variable, value, message):
    result = _cnnavi("check", env=dict(PROD, **{variable: value}))
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr.splitlines()[-1]


def test_production_accepts_the_database_cache_instead_of_redis():
    env = {k: v for k, v in PROD.items() if k != "REDIS_URL"}
    result = _cnnavi(
        "check", "--deploy", "--fail-level", "WARNING", env=dict(env, CNNAVI_CACHE="database")
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_bad_boolean_is_named():
    result = _cnnavi("check", env={"CNNAVI_DEBUG": "maybe"})
    assert result.returncode != 0
    assert "CNNAVI_DEBUG must be true or false, not 'maybe'" in result.stderr


def test_production_passes_check_deploy():
    result = _cnnavi("check", "--deploy", "--fail-level", "WARNING", env=PROD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_data_is_refused_in_production():
    result = _cnnavi("demo", env=PROD)
    assert result.returncode != 0
    assert "refused in production mode" in result.stderr
