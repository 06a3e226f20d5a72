"""The PostgreSQL connection pool and PgBouncer settings (DB_POOL, DB_DISABLE_SERVER_SIDE_CURSORS)."""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from unittest import mock

import pytest
from django.db import connection, connections
from django.urls import reverse

from tests.factories import make_diary
from tests.test_settings import PRODUCTION_ENV, run_manage

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: run with DATABASE_URL pointing at PostgreSQL (CI does)",
)


def test_the_pool_refuses_to_start_on_sqlite():
    result = run_manage("check", env={**PRODUCTION_ENV, "DB_POOL": "true"})
    assert result.returncode != 0
    assert "DB_POOL=true needs a PostgreSQL DATABASE_URL" in result.stderr


@needs_postgresql
def test_the_pool_is_configured_from_the_environment_and_serves_queries():
    code = (
        "from django.db import connection;"
        "from django.conf import settings as s;"
        "d = s.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], sorted(d['OPTIONS']['pool'].items()));"
        "connection.cursor().execute('SELECT 1');"
        "print(type(connection.pool).__name__, connection.pool.max_size)"
    )
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "DB_POOL": "true",
        "DB_POOL_MIN_SIZE": "2",
        "DB_POOL_MAX_SIZE": "6",
        "DB_POOL_TIMEOUT": "5",
    }
    result = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "0 [('max_size', 6), ('min_size', 2), ('timeout', 5)]"
    assert lines[1] == "ConnectionPool 6"


def test_server_side_cursors_are_on_unless_switched_off(monkeypatch):
    from django.conf import settings

    assert settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'])",
        env={**PRODUCTION_ENV, "DB_DISABLE_SERVER_SIDE_CURSORS": "true"},
    )
    assert result.stdout.strip() == "True", result.stderr


@needs_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("behind_pgbouncer", [False, True])
def test_the_streamed_csv_export_works_with_and_without_server_side_cursors(
    behind_pgbouncer, alice_client, alice, monkeypatch
):
    # More nights than one chunk of the export's iterator (2,000), so several fetches happen.
    make_diary(alice, 2500, seed=3, end=date(2026, 11, 30))
    backend = type(connections["default"])
    monkeypatch.setitem(connections["default"].settings_dict, "DISABLE_SERVER_SIDE_CURSORS", behind_pgbouncer)
    with mock.patch.object(backend, "chunked_cursor", autospec=True, side_effect=backend.chunked_cursor) as named:
        response = alice_client.get(reverse("diary:export-csv"))
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 1 + 2500
    assert rows[1][0] < rows[-1][0]  # oldest first, all of them
    # Behind PgBouncer no named (server-side) cursor is opened; otherwise the export uses one.
    assert named.called is not behind_pgbouncer
