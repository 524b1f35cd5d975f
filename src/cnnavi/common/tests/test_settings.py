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
