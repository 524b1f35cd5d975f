"""Settings, read from the environment. Defaults give a working local app on SQLite.

Production mode (``CNNAVI_ENV=production``) refuses to start without a real secret key,
allowed hosts and a database URL. See README.md for the variables.
"""

import math
import os
from collections import Counter
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CNNAVI_VAR_DIR", PROJECT_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _secret_key_bits(key: str) -> float:
    """Shannon entropy of the key's characters times its length: a repeated letter scores 0."""
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key) if len(counts) >= 10 else 0.0


ENVIRONMENT = os.environ.get("CNNAVI_ENV", "development").strip().lower()
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"CNNAVI_ENV must be development, test or production, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("CNNAVI_DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("CNNAVI_DEBUG must be off in production mode.")

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("CNNAVI_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "CNNAVI_SECRET_KEY is not set. Production mode needs a long random secret key, "
            'for example: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = _DEV_SECRET
elif PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("CNNAVI_SECRET_KEY must be at least 50 random characters.")
elif PRODUCTION and _secret_key_bits(SECRET_KEY) < 150:
    raise ImproperlyConfigured(
        "CNNAVI_SECRET_KEY looks low in entropy (repeated or few distinct characters). "
        'Use a random key, for example: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("CNNAVI_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "CNNAVI_ALLOWED_HOSTS is not set. Give the host names, comma-separated."
    )
if PRODUCTION and any("*" in host for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "CNNAVI_ALLOWED_HOSTS must name the hosts: a wildcard lets any Host header through "
        "(links in e-mails could point elsewhere)."
    )
if not PRODUCTION:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CNNAVI_CSRF_TRUSTED_ORIGINS", [])

# --- Database: SQLite by default, PostgreSQL through DATABASE_URL -------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if PRODUCTION and not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Production mode needs PostgreSQL, "
        "for example postgres://cnnavi:PASSWORD@db.example.jp:5432/cnnavi"
    )
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    if PRODUCTION and "postgresql" not in DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_URL must point to PostgreSQL in production mode (booking and numbering "
            "guarantees rely on its row locks), not " + DATABASES["default"]["ENGINE"]
        )
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("CNNAVI_SQLITE_PATH", str(VAR_DIR / "cnnavi.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            # Tests use a file, not shared memory: the browser tests' live server and the test
            # thread then wait for each other's locks instead of failing with "table is locked".
            "TEST": {"NAME": str(VAR_DIR / "test-cnnavi.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications -----------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "js_lib_htmx",
    # Before django_tasks_db: its `db_worker` command is replaced by one that reconnects.
    "cnnavi.common",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "cnnavi.accounts",
    "cnnavi.audit",
    "cnnavi.orgs",
    "cnnavi.pages",
    "cnnavi.backoffice",
    "cnnavi.api",
    # The programme's menus (one app each; see docs/architecture.md).
    "cnnavi.know",
    "cnnavi.measure",
    "cnnavi.statements",
    "cnnavi.reduce",
    "cnnavi.programmes",
    "cnnavi.consultations",
    "cnnavi.surveys",
    "cnnavi.outcomes",
]

MIDDLEWARE = [
    # First, so that it also compresses what WhiteNoise serves from the finders in development
    # and tests; in production WhiteNoise serves the precompressed files collectstatic wrote
    # (already encoded: left alone). Pages too: Django's gzip adds random bytes against BREACH.
    # Ours leaves byte ranges (206) and audio/video alone (common/middleware.py).
    "cnnavi.common.middleware.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cnnavi.audit.middleware.RequestContextMiddleware",
    "cnnavi.accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "cnnavi.urls"
WSGI_APPLICATION = "cnnavi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cnnavi.common.context_processors.site",
            ],
        },
    }
]

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "orgs:company_list"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CN Navi] "
ACCOUNT_ADAPTER = "cnnavi.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "cnnavi.accounts.forms.SignupForm"
# Brute-force protection: allauth counts failed log-ins per account and per IP.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "10/h/ip,5/h/key",
    "confirm_email": "1/3m/key",
}
# Behind a TLS proxy every request comes from the proxy's address: the rate limits (allauth's
# and the app's own, cnnavi.common.http.client_ip) then take the client's address from the
# X-Forwarded-For entry the given number of proxies from the right (or from a header the proxy
# sets, e.g. X-Real-IP). Set one of them whenever a proxy is in front.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("CNNAVI_TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("CNNAVI_TRUSTED_CLIENT_IP_HEADER") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CN Navi"
# A code used twice within its window says so (not just "incorrect").
MFA_FORMS = {
    "authenticate": "cnnavi.accounts.forms.AuthenticateForm",
    "reauthenticate": "cnnavi.accounts.forms.ReauthenticateForm",
}
# Who must have two-factor authentication before using their back-office pages.
CNNAVI_REQUIRE_2FA_FOR_STAFF = env_bool("CNNAVI_REQUIRE_2FA_FOR_STAFF", True)
if PRODUCTION and not CNNAVI_REQUIRE_2FA_FOR_STAFF:
    raise ImproperlyConfigured(
        "CNNAVI_REQUIRE_2FA_FOR_STAFF cannot be off in production mode: staff and experts read "
        "many companies' data."
    )

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(os.environ.get("CNNAVI_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- E-mail -----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("CNNAVI_FROM_EMAIL", "CN Navi <noreply@cnnavi.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = os.environ.get("CNNAVI_EMAIL_URL", "")
if EMAIL_URL:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    from urllib.parse import unquote, urlparse

    _mail = urlparse(EMAIL_URL)
    EMAIL_HOST = _mail.hostname or ""
    EMAIL_PORT = _mail.port or 587
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    if _mail.scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise ImproperlyConfigured(
            f"CNNAVI_EMAIL_URL must start with smtp+tls://, smtps:// or smtp://, not {_mail.scheme}://"
        )
    if PRODUCTION and not (EMAIL_USE_TLS or EMAIL_USE_SSL):
        raise ImproperlyConfigured(
            "CNNAVI_EMAIL_URL must use TLS in production mode: smtp+tls://...:587 or smtps://...:465"
        )
elif PRODUCTION:
    raise ImproperlyConfigured(
        "CNNAVI_EMAIL_URL is not set. Production mode sends real e-mail, for example "
        "smtp+tls://user:password@smtp.example.jp:587"
    )
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Background tasks: immediate in development and tests, a database worker in production --
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "CNNAVI_TASK_BACKEND",
            "django_tasks_db.DatabaseBackend"
            if PRODUCTION
            else "django_tasks.backends.immediate.ImmediateBackend",
        )
    }
}

# --- Cache ------------------------------------------------------------------------------
# Rate limits, lock-outs and TOTP replay protection live in the cache: with several workers it
# must be shared (Redis, or the database cache table made by `cnnavi createcachetable`).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_BACKEND = os.environ.get("CNNAVI_CACHE", "redis" if REDIS_URL else "memory").strip().lower()
if CACHE_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "CNNAVI_CACHE=redis needs REDIS_URL, e.g. redis://127.0.0.1:6379/0"
        )
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif CACHE_BACKEND == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cnnavi_cache",
        }
    }
elif CACHE_BACKEND == "memory":
    if PRODUCTION:
        raise ImproperlyConfigured(
            "REDIS_URL is not set (nor CNNAVI_CACHE=database). Production mode needs a cache "
            "shared by all workers for rate limits and one-time codes: set REDIS_URL=redis://... "
            "or CNNAVI_CACHE=database (then run `cnnavi createcachetable`)."
        )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CNNAVI_CACHE must be redis, database or memory, not {CACHE_BACKEND!r}"
    )

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("CNNAVI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("CNNAVI_HSTS_SECONDS", 31536000)
    if SECURE_HSTS_SECONDS < 3600:
        raise ImproperlyConfigured(
            "CNNAVI_HSTS_SECONDS must be at least 3600 in production mode (one year is the default)."
        )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("CNNAVI_HSTS_PRELOAD", False)
# Content Security Policy: everything from our own origin, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # htmx inserts its own <style> element for its request indicators.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# HSTS preloading is the domain owner's commitment (CNNAVI_HSTS_PRELOAD), not a default.
SILENCED_SYSTEM_CHECKS = [] if (PRODUCTION and SECURE_HSTS_PRELOAD) else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CNNAVI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},  # font subsetting in PDF reports is chatty
    },
}

# Site identity shown in the UI and in e-mails.
CNNAVI_SITE_NAME = "CN Navi"
# In development the e-mails link to the port the app was started on (`make run PORT=...`).
_PORT = os.environ.get("PORT", "8000")
if not _PORT.isdigit() or not 0 < int(_PORT) < 65536:
    raise ImproperlyConfigured(f"PORT must be a port number, not {_PORT!r}")
# Links in e-mails and documents are built from this, never from the request's Host header.
CNNAVI_BASE_URL = os.environ.get(
    "CNNAVI_BASE_URL", "" if PRODUCTION else f"http://127.0.0.1:{int(_PORT)}"
)
CNNAVI_BASE_URL = CNNAVI_BASE_URL.rstrip("/")
if PRODUCTION and not CNNAVI_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "CNNAVI_BASE_URL must be the site's public https:// address in production mode, "
        f"not {CNNAVI_BASE_URL!r}"
    )
