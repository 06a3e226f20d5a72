"""Throughput on loopback: gunicorn (2 workers) serving the site, wrk as the load.

Everything binds to 127.0.0.1 only, every load run is bounded in time, and gunicorn is always
stopped, whatever happens in between.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

from tests.servers import HOST, get_status, gunicorn

__all__ = ["HOST", "Load", "LoadResult", "gunicorn", "run_wrk", "wrk_available"]


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


def run_wrk(base: str, load: Load, seconds: int, threads: int = 2, connections: int = 16) -> LoadResult:
    """Requests per second for one URL, after checking that it really answers 200 (not a redirect)."""
    url = base + load.path
    status = get_status(url, load.cookie)
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
