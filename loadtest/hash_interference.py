"""How much a password hash in the same process slows a page: the sign-up form, alone and while
another thread hashes passwords without a pause, with the site's low-priority hashing and with
Argon2 in the request's own thread (stock Django). A benchmark: it prints figures, never fails.

    DATABASE_URL=postgres://... .venv/bin/python loadtest/hash_interference.py   (docs/scaling.md)

Production settings (DEBUG off); it reads one public page and writes nothing.
"""

from __future__ import annotations

import os
import secrets
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 60


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    return (
        f"p50 {ordered[len(ordered) // 2]:5.1f}  p95 {ordered[int(len(ordered) * 0.95)]:5.1f}  "
        f"max {ordered[-1]:5.1f} ms"
    )


def page_times(client) -> list[float]:
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get("/accounts/signup/")
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "backpain_site.settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "false",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.test import Client

    client = Client()
    for _ in range(5):
        client.get("/accounts/signup/")  # warm up
    print(f"GET /accounts/signup/, {REQUESTS} times, in one process ({os.cpu_count()} CPUs):")
    for threads, label in ((1, "low-priority hashing (the site's)"), (0, "Argon2 in the request's thread (stock)")):
        settings.PASSWORD_HASH_THREADS = threads
        alone = page_times(client)
        stop = threading.Event()

        def hash_without_a_pause(stop: threading.Event = stop) -> None:
            while not stop.is_set():
                make_password("a-long-unusual-pass-42")

        hasher = threading.Thread(target=hash_without_a_pause)
        hasher.start()
        time.sleep(0.2)
        try:
            busy = page_times(client)
        finally:
            stop.set()
            hasher.join()
        print(f"  {label}:\n    alone         {percentiles(alone)}\n    while hashing {percentiles(busy)}")


if __name__ == "__main__":
    main()
