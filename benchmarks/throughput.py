"""Throughput on loopback: gunicorn (2 workers) serving the site, wrk as the load.

Everything binds to 127.0.0.1 only, every load run is bounded in time, and gunicorn is always
stopped, whatever happens in between.
"""

from __future__ import annotations

import os
import re
import shutil
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
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True)
class Load:
    name: str
    path: str
    cookie: str = ""  # "sessionid=…" for a logged-in page


@dataclass(frozen=True, slots=True)
class LoadResult:
    name: str
    requests_per_s: float | None
    error: str = ""  # why there is no figure, or what went wrong during the run


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect (to the log-in page, say) must show up as a failure, not be followed


def _get_status(url: str, cookie: str = "") -> int:
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
            if _get_status(url) == 200:
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


def run_wrk(base: str, load: Load, seconds: int, threads: int = 2, connections: int = 16) -> LoadResult:
    """Requests per second for one URL, after checking that it really answers 200 (not a redirect)."""
    url = base + load.path
    status = _get_status(url, load.cookie)
    if status != 200:
        return LoadResult(load.name, None, f"{load.path} answered {status}, not 200")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    if load.cookie:
        command += ["-H", f"Cookie: {load.cookie}"]
    done = subprocess.run(  # noqa: S603
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    if done.returncode != 0 or not match:
        return LoadResult(load.name, None, f"wrk failed ({done.returncode}): {done.stderr.strip()[:200]}")
    problems = []
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if bad:
        problems.append(f"{bad.group(1)} non-2xx/3xx responses")
    errors = re.search(r"Socket errors: (.*)", done.stdout)
    if errors:
        problems.append(f"socket errors: {errors.group(1).strip()}")
    return LoadResult(load.name, float(match.group(1)), "; ".join(problems))
