"""`/healthz` for a load balancer: 200 when the database and every cache answer, 503 otherwise.

It is answered by the first middleware, before anything else runs, so a probe:
- carries and creates no session, sets no cookie and reads no user data;
- is not redirected to HTTPS (a balancer probes the node directly over plain HTTP on loopback or a
  private network), and is not refused by ALLOWED_HOSTS (a probe's Host header is the node's own
  address, not the public name) — the answer holds nothing a client could misuse;
- says only "ok" or "unavailable": which part failed goes to the log, never into the answer.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


def _database_answers() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "not healthy"
        logger.warning("healthz: the database does not answer", exc_info=True)
        return False


def _caches_answer() -> bool:
    # A write and a read on every configured cache: sessions and limits need both.
    for alias in settings.CACHES:
        key = "healthz:probe"
        value = secrets.token_hex(8)
        try:
            cache = caches[alias]
            cache.set(key, value, timeout=30)
            if cache.get(key) != value:
                logger.warning("healthz: cache %r did not return what was just written", alias)
                return False
        except Exception:
            logger.warning("healthz: cache %r does not answer", alias, exc_info=True)
            return False
    return True


def health_response(request) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
    else:
        healthy = _database_answers() and _caches_answer()
        response = HttpResponse(
            "ok\n" if healthy else "unavailable\n", status=200 if healthy else 503, content_type="text/plain"
        )
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers /healthz before host validation, HTTPS redirect, sessions and authentication run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH:
            return health_response(request)
        return self.get_response(request)
