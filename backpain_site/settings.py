"""Settings for the Night Back-Pain Diary, driven by environment variables.

Every value that differs between a laptop and production comes from the environment, read
through the small helpers below, which fail loudly on a value they cannot understand.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A development key is allowed only while DEBUG is on; production refuses to start without one.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "backpain_site",
    "accounts",
    "diary",
    "articles",
]

MIDDLEWARE = [
    # /healthz for the load balancer, answered before host checks, redirects and sessions.
    "backpain_site.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's documented place): the language cookie,
    # then Accept-Language, decide the language of a visit; UserLanguageMiddleware below lets a
    # signed-in person's saved choice win.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which would read the whole body: refuses oversized bodies unread.
    "backpain_site.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "backpain_site.middleware.UserTimezoneMiddleware",
    "backpain_site.middleware.UserLanguageMiddleware",
    "backpain_site.middleware.PrivatePagesNoStoreMiddleware",
]

# Benchmarks point this at a urlconf with an extra bare "hello" view to compare throughput.
ROOT_URLCONF = env_str("ROOT_URLCONF", "backpain_site.urls")
WSGI_APPLICATION = "backpain_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "articles.context_processors.article_links",
                "backpain_site.context_processors.site_links",
            ],
        },
    },
]

# SQLite by default; PostgreSQL (or anything dj-database-url understands) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL only (docs/scaling.md):
# - DB_POOL=true: Django's psycopg connection pool, one per process, sized by DB_POOL_MIN_SIZE /
#   DB_POOL_MAX_SIZE (a gthread worker needs up to one connection per thread); a request waits at
#   most DB_POOL_TIMEOUT seconds for a free connection. Persistent connections are then off.
# - DB_DISABLE_SERVER_SIDE_CURSORS=true behind PgBouncer in transaction mode, which cannot keep a
#   cursor open across transactions (the streamed CSV export then reads its rows client-side).
#   Django already turns psycopg's prepared statements off (prepare_threshold=None) for poolers.
if env_bool("DB_POOL", False):
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DB_POOL=true needs a PostgreSQL DATABASE_URL.")
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections instead
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 1),
        "max_size": env_int("DB_POOL_MAX_SIZE", 4),
        "timeout": env_int("DB_POOL_TIMEOUT", 10),
    }
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite: a transaction takes the write lock when it begins, so two writers (gunicorn workers,
    # an import and an account deletion) queue for up to the timeout instead of one failing with
    # "database is locked" when both upgrade a read lock at once.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches with two jobs (docs/security.md).
# "default" holds security state only: allauth's rate-limit counters (log-in, sign-up, TOTP
# codes, share passcodes) and its record of used TOTP codes (allauth always reads the default
# alias). Every worker process must see the same counters, and no other traffic may push them
# out, so it is a table in the database (`manage.py createcachetable`) whose cull drops expired
# entries only. A shared Redis (REDIS_URL, docs/security.md) can replace it: swap this one dict.
SECURITY_CACHE = {
    "BACKEND": "backpain_site.cache.SecurityDatabaseCache",
    "LOCATION": "security_cache",
    # Past this many rows, a write first deletes the expired ones (never a live one).
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}
# "pages" holds rendered diary and report HTML, keyed by user and data stamp: per process,
# evictable, and it never decides who is signed in (sessions live in the database).
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "backpain-pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
# REDIS_URL (docs/scaling.md): past one machine, one Redis for every worker of every node. The
# security state moves there (the same guarantees across nodes), and so do the rendered pages
# (one copy for all nodes instead of one per process) and the sessions (cached_db below). That
# Redis must run with `maxmemory-policy noeviction` (scripts/start-redis.sh does): counters and
# used TOTP codes may only expire, never be evicted. It holds rendered health data: protect it so.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    SECURITY_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "security",
    }
    PAGE_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "pages",
    }
CACHES = {
    "default": SECURITY_CACHE,
    PAGE_CACHE_ALIAS: PAGE_CACHE,
    # {% cache %} in templates (the navigation bar) uses this alias: the same store as the pages.
    "template_fragments": PAGE_CACHE,
}

# Django's Argon2 (and PBKDF2 for older hashes), unchanged, run on low-priority threads of their own,
# at most PASSWORD_HASH_THREADS per process at once (0 = in the request's thread, the default under
# DEBUG and in tests): a burst of sign-ups no longer takes the CPU from every page
# (backpain_site/hashers.py, docs/scaling.md).
PASSWORD_HASHERS = [
    "backpain_site.hashers.LowPriorityArgon2PasswordHasher",
    "backpain_site.hashers.LowPriorityPBKDF2PasswordHasher",
]
PASSWORD_HASH_THREADS = env_int("PASSWORD_HASH_THREADS", 0 if DEBUG else 1)
PASSWORD_HASH_NICE = env_int("PASSWORD_HASH_NICE", 10)
PASSWORD_HASH_QUEUE = env_int("PASSWORD_HASH_QUEUE", 2)  # waiting beyond the running ones; then in the request's thread
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-gb"
# The interface and articles exist in these languages; a new one needs a catalogue in
# locale/<code>/LC_MESSAGES/django.po (compiled by `make setup`) and its article files.
# English keeps the en-gb code, so "en-US" browsers get British dates as before.
LANGUAGES = [("en-gb", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap comes from its official npm package (package-lock.json), never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# PDFs: WeasyPrint's layout in N low-priority processes per web worker, so a PDF never holds the
# CPU that pages need (backpain_site/pdf_process.py, docs/scaling.md); 0 = in the request's process.
PDF_RENDER_PROCESSES = env_int("PDF_RENDER_PROCESSES", 0 if DEBUG else 1)
PDF_RENDER_TIMEOUT = env_int("PDF_RENDER_TIMEOUT", 50)  # seconds; under gunicorn's 60 s timeout

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Accounts (django-allauth) ---
SITE_NAME = "Night Back-Pain Diary"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"  # + the browser's time zone, hidden
ACCOUNT_UNIQUE_EMAIL = True
# "optional": sign-up sends a verification link without blocking the diary; two-factor sign-in
# needs a verified address (allauth), and its page offers to send the link again.
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Lazy: allauth adds it when it sends, so the subject is in the language the e-mail is written in.
ACCOUNT_EMAIL_SUBJECT_PREFIX = gettext_lazy("[Back-Pain Diary] ")
ACCOUNT_RATE_LIMITS = {
    # Failed log-ins per IP and per account; allauth answers 429 past these.
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    # All per client IP, so a load test from one loopback address raises these two (docs/load-test.md).
    "login": env_str("LOGIN_RATE_LIMIT", "30/m/ip"),
    "signup": env_str("SIGNUP_RATE_LIMIT", "20/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
    # Share-link passcodes, per link and client address (diary/views/share.py): the waits grow,
    # so one address gets at most 20 guesses a day, 600 over a 30-day link (docs/security.md).
    "share_passcode": env_str("SHARE_PASSCODE_RATE_LIMIT", "5/15m/key,10/2h/key,20/1d/key"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# --- E-mail: console by default, SMTP by EMAIL_HOST and friends ---
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Back-Pain Diary <diary@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in e-mails sent outside a request (daily reminders).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Security ---
# Sessions live in the database, the one store every worker shares: signing out deletes the row,
# and no process keeps a copy that still says "signed in" (docs/security.md). Expired rows go
# with `manage.py clearsessions` (cron).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if REDIS_URL:
    # Read from the shared Redis, written through to the database: a sign-out deletes both, so no
    # node keeps a copy that still says "signed in"; a session Redis lost is read from the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language cookie set by the footer's switcher: same transport rules, unreadable by scripts.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Rate limits per client address need the client's address, not the proxy's: trust the last
# TRUSTED_PROXY_COUNT entries of X-Forwarded-For (each proxy appends the address it saw), or a
# header the proxy sets itself (TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP). Never trust either
# without a proxy in front that overwrites them: a client could then pick its own address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER")

# Request sizes (docs/security.md): every request body above REQUEST_MAX_BYTES is refused from its
# Content-Length before anything reads it (RequestSizeLimitMiddleware), except on the two views
# that take a file, each up to its own limit plus room for the form around the file.
REQUEST_MAX_BYTES = 256 * 1024  # the longest form (an article in the admin) is ~10 kB
DIARY_IMPORT_MAX_BYTES = 1024 * 1024  # a year of nights is ~60 kB of CSV
BACKUP_MAX_BYTES = 10 * 1024 * 1024  # twenty years of nights are ~5 MB of JSON
UPLOAD_ENVELOPE_BYTES = 64 * 1024  # multipart boundaries, the CSRF token, a checkbox
UPLOAD_VIEWS = {"diary:import-csv": DIARY_IMPORT_MAX_BYTES, "account-restore": BACKUP_MAX_BYTES}
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES  # the non-file fields of any request
DATA_UPLOAD_MAX_NUMBER_FILES = 1
# An accepted file stays in memory (at most BACKUP_MAX_BYTES): health data is never spooled to disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = BACKUP_MAX_BYTES + UPLOAD_ENVELOPE_BYTES

# Strict Content-Security-Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs never carry health data: request bodies are not logged and error mails are off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_health_data": {"()": "backpain_site.logging.ScrubHealthDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["scrub_health_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # django.request attaches the request (POST body included) and the exception to its records:
        # scrub them where they are born, so every handler (a test's caplog, a future error tracker)
        # sees the scrubbed record, not only the console one.
        "django.request": {"filters": ["scrub_health_data"]},
        # Propagates to the root's (filtered) console handler; Django's default mail_admins is gone.
        "django": {"level": "INFO"},
        # runserver's access log, through the same scrubbing handler (share tokens masked).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
ADMINS: list[tuple[str, str]] = []
