"""REDIS_URL: the cache of every worker of every node in one Redis (docs/scaling.md).

The settings tests run everywhere (no server needed to read settings); the rest need a Redis
server and run when REDIS_URL is set (CI starts one with scripts/start-redis.sh).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.test_reminders_two_nodes import database_url
from tests.test_settings import PRODUCTION_ENV, ROOT, run_manage

pytestmark = pytest.mark.shared_state
REDIS = "django.core.cache.backends.redis.RedisCache"
needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)")

SHOW = (
    "from django.conf import settings as s;"
    "print(sorted((alias, c['BACKEND'].rsplit('.', 1)[1], c.get('LOCATION', '')) for alias, c in s.CACHES.items()));"
    "print(s.SESSION_ENGINE)"
)


def test_redis_url_puts_every_cache_and_the_sessions_on_redis():
    result = run_manage(
        "shell", "--no-imports", "-c", SHOW, env={**PRODUCTION_ENV, "REDIS_URL": "redis://10.0.0.5:6379/2"}
    )
    assert result.returncode == 0, result.stderr
    caches_line, engine = result.stdout.splitlines()
    for alias in ("default", "pages"):
        assert f"('{alias}', 'RedisCache', 'redis://10.0.0.5:6379/2')" in caches_line
    assert "LocMem" not in caches_line and "Database" not in caches_line
    assert engine == "django.contrib.sessions.backends.cached_db"


def test_without_redis_url_no_extra_server_is_needed():
    result = run_manage("shell", "--no-imports", "-c", SHOW, env={**PRODUCTION_ENV, "REDIS_URL": ""})
    assert result.returncode == 0, result.stderr
    assert "RedisCache" not in result.stdout


@pytest.mark.django_db
def test_healthz_says_503_when_redis_does_not_answer(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 1}},
    }
    caches._settings = None  # noqa: SLF001  # re-read CACHES
    try:
        response = Client().get("/healthz")
    finally:
        caches._settings = None  # noqa: SLF001
    assert response.status_code == 503


@needs_redis
def test_the_running_settings_use_redis():
    assert settings.CACHES["default"]["BACKEND"] == REDIS
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


@needs_redis
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process needs a shared database: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_signing_out_in_another_process_ends_the_session_here(alice):
    client = Client()
    client.force_login(alice)
    assert client.get(reverse("diary:night-list")).status_code == 200  # the session is now in Redis too
    key = client.session.session_key
    # Another process (another node) signs the session out: deletes it from Redis and the database.
    code = f"from django.contrib.sessions.backends.cached_db import SessionStore; SessionStore('{key}').delete()"
    url = database_url()  # the test database
    done = subprocess.run(  # noqa: S603  # nosec B603  # our own interpreter and manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    response = client.get(reverse("diary:night-list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
