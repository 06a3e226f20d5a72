"""/healthz: 200 when the database and the caches answer, 503 otherwise; no data, no session."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import cache as caches_module
from django.db import OperationalError
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.shared_state]


def probe(client: Client | None = None, **extra):
    return (client or Client()).get("/healthz", **extra)


def test_healthy_node_answers_200_ok_with_nothing_else():
    response = probe()
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie


def test_head_works_and_other_methods_are_refused():
    assert Client().head("/healthz").status_code == 200
    response = Client().post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_signed_in_browser_gets_no_session_touch(alice):
    client = Client()
    client.force_login(alice)
    with mock.patch("django.contrib.sessions.backends.base.SessionBase._get_session") as load_session:
        response = probe(client)
    assert response.status_code == 200
    load_session.assert_not_called()
    assert not response.cookies
    assert b"alice" not in response.content


def test_the_probe_is_neither_redirected_to_https_nor_refused_by_allowed_hosts(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["diary.example.org"]
    response = probe(HTTP_HOST="10.0.0.7:8001")  # the balancer probes the node's own address
    assert response.status_code == 200
    # ... while the site itself still is both.
    assert Client().get("/", HTTP_HOST="10.0.0.7:8001").status_code == 400
    assert Client().get("/", HTTP_HOST="diary.example.org").status_code == 301


def test_503_when_the_database_does_not_answer(caplog):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = probe()
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert b"down" not in response.content  # the reason goes to the log only
    assert "database does not answer" in caplog.text


class BrokenCache:
    def set(self, *args, **kwargs):
        raise ConnectionError("refused")


class ForgetfulCache:
    def set(self, *args, **kwargs):
        pass

    def get(self, *args, **kwargs):
        return None


@pytest.mark.parametrize("cache", [BrokenCache(), ForgetfulCache()], ids=["refuses", "forgets"])
def test_503_when_any_cache_does_not_answer(settings, cache):
    for broken_alias in settings.CACHES:
        working = {alias: caches_module.caches[alias] for alias in settings.CACHES}
        with mock.patch("backpain_site.health.caches", {**working, broken_alias: cache}):
            response = probe()
        assert response.status_code == 503, broken_alias
        assert response["Cache-Control"] == "no-store"
