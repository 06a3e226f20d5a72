"""Several worker processes against the test database, for defects that only show with more than one.

`gunicorn_workers` (a fixture in conftest.py, started by `gunicorn` below) serves the site with two gunicorn workers on a free
loopback port, from the same database the test writes to (on SQLite a file: conftest.py makes
the test database one). `WebClient` is a tiny browser: a new connection per request, so the
kernel hands requests to either worker, its own cookies, and the CSRF token from the last page.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.db import connection

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def shared_database_url() -> str:
    """DATABASE_URL of the test database this process uses (created by pytest-django)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if db["NAME"] == ":memory:" or "mode=memory" in str(db["NAME"]):
            raise RuntimeError("Worker processes cannot share an in-memory SQLite database (see conftest.py).")
        return f"sqlite:///{db['NAME']}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        user = quote(db["USER"] or "", safe="")
        password = quote(db["PASSWORD"] or "", safe="")
        return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    raise RuntimeError(f"No worker processes for {db['ENGINE']}")


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of the worker processes: the test database, the test's secret key, DEBUG
    (plain HTTP on loopback), no kept-open connections (the test flushes the tables after each test)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DB_", "PYTEST"))}
    env.update(
        DEBUG="true",
        SECRET_KEY=settings.SECRET_KEY,
        DATABASE_URL=shared_database_url(),
        DB_CONN_MAX_AGE="0",
        ROOT_URLCONF="benchmarks.urls",  # adds /hello/, which benchmarks.throughput waits for
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class WebClient:
    """A browser of sorts: its own cookies, one new TCP connection per request."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""
    extra_headers: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Response:
        url = urlsplit(self.base)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        all_headers = {**self.extra_headers, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            conn.request(method, path, body=body or None, headers=all_headers)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
            headers_out = {name.lower(): value for name, value in raw.getheaders()}
            for header in raw.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        finally:
            conn.close()
        match = CSRF_INPUT.search(text)
        if match:
            self.csrf_token = match.group(1)
        return Response(raw.status, headers_out, text)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Response:
        """A form post with the CSRF token of the last page this client opened."""
        body = urlencode({"csrfmiddlewaretoken": self.csrf_token, **data}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


# --- gunicorn on a free loopback port (the gunicorn_workers fixture and the benchmarks use it) ---


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the log-in page, say) must show up as a failure, not be followed


def get_status(url: str, cookie: str = "") -> int:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 - loopback
    try:
        with opener.open(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2) -> Iterator[str]:
    """Serve the site with gunicorn on a free loopback port; yield its base URL; always stop it."""
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
        "backpain_site.wsgi:application",
    ]
    process = subprocess.Popen(  # noqa: S603
        command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_up(process, f"{base}/hello/", Path(log.name))
        yield base
    finally:
        _stop(process)
        log.close()
        os.unlink(log.name)


def _wait_until_up(process: subprocess.Popen, url: str, log: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if get_status(url) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout_s:.0f} s:\n{log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # the master stops its workers gracefully
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # our own process group (start_new_session), nothing else
        process.wait(timeout=5)
