"""Shared fixtures only: alice and bob, a signed-in client, fast hashing, a fresh cache, gunicorn
workers. Makers of test data live in tests/factories.py."""

from __future__ import annotations

import pytest

from tests.factories import make_user


@pytest.fixture
def alice(django_user_model):
    return make_user(django_user_model, "alice@example.com")


@pytest.fixture
def bob(django_user_model):
    return make_user(django_user_model, "bob@example.com")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise():
    """Each test starts in the site's default language: a request handled in Russian by an earlier
    test leaves Russian active in this thread (LocaleMiddleware never deactivates), and report
    findings are written in the active language (issue 19)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that check the hasher itself switch it back."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the test database is a file, not memory, so gunicorn workers started by a test
    (tests/servers.py) open the very same database as the test itself."""
    import os
    import tempfile

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = os.path.join(tempfile.gettempdir(), f"backpain-test-{os.getpid()}.sqlite3")
        database.setdefault("TEST", {})["NAME"] = name


def _uses_committed_data(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server", "gunicorn_workers"} & set(request.fixturenames)
        or (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    """Every test starts with no rendered pages and no rate-limit counters.

    The counters live in a database table (the "default" cache): a plain django_db test rolls
    them back with everything else; after a test that commits, the table is emptied here.
    """
    from django.core.cache import caches

    caches["pages"].clear()
    yield
    caches["pages"].clear()
    if _uses_committed_data(request):
        with django_db_blocker.unblock():
            caches["default"].clear()


@pytest.fixture(scope="module")
def gunicorn_workers(django_db_setup, django_db_blocker):
    """Two gunicorn worker processes serving the site from the test database; yields the base URL.

    Started once per test module. A test using it must commit what the workers should see
    (transactional_db); the tables are flushed after each test as usual.
    """
    from tests.servers import gunicorn, worker_env

    with django_db_blocker.unblock():
        env = worker_env()
    with gunicorn(env, workers=2) as base:
        yield base
