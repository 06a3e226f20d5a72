"""`python -m benchmarks`: the performance figures and targets of docs/performance.md.

Runs on a throwaway SQLite file (deleted afterwards), or on DATABASE_URL when it is set (the
throwaway users are deleted afterwards), never on the developer's db.sqlite3. Settings are
production's: DEBUG off, with a throwaway SECRET_KEY and no HTTPS redirect (loopback only).

    python -m benchmarks                # everything, ~2 minutes
    python -m benchmarks --quick        # fewer repetitions, 3 s load runs
    python -m benchmarks --no-load      # skip gunicorn + wrk
    python -m benchmarks --strict       # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

SIZES = (30, 365, 3650)
REPO = Path(__file__).resolve().parent.parent

# The targets of issue 9 (docs/performance.md).
REPORT_OBJECT_MS = 50  # report object for 3,650 nights
REPORT_PAGE_MS = 250  # report page for 3,650 nights
MAX_QUERIES = 10  # on any diary or report page, whatever the number of nights
PDF_365_MS = 3000
CSV_3650_MS = 1000  # and streamed
DIARY_VS_HELLO = 0.25
REPORT_VS_HELLO = 0.10


def configure_environment() -> tuple[dict[str, str], Path | None]:
    """Production-like settings for this process and gunicorn; a throwaway database unless DATABASE_URL."""
    throwaway_dir = None
    if not os.environ.get("DATABASE_URL"):
        throwaway_dir = Path(tempfile.mkdtemp(prefix="backpain-bench-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{throwaway_dir / 'bench.sqlite3'}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "backpain_site.settings",
            "DEBUG": "false",  # `make` exports DEBUG=true; the figures are for production settings
            "SECRET_KEY": secrets.token_urlsafe(50),  # throwaway: sessions die with the run
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "STATIC_MANIFEST": "false",  # no collectstatic needed; pages link static files the same way
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    server_env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "ROOT_URLCONF": "benchmarks.urls"}
    return server_env, throwaway_dir


# ---------------------------------------------------------------- output


@dataclass
class Verdicts:
    rows: list[tuple[str, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool | None) -> str:
        verdict = "n/a" if ok is None else ("PASS" if ok else "MISS")
        self.rows.append((name, verdict))
        return verdict


def heading(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def row(what: str, nights: object = "", value: str = "", target: str = "", verdict: str = "") -> None:
    print(f"{what:<34} {nights!s:>6}  {value:>14}  {target:>14}  {verdict}", flush=True)


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "error"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def median_time(fn: Callable[[], object], repeat: int, before: Callable[[], object] | None = None) -> float:
    """Median wall time of `fn` over `repeat` runs after one warm-up; `before` runs untimed each time."""
    if before:
        before()
    fn()
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def attempt(label: str, fn: Callable[[], object]):
    """Run one measurement; a failure (a page not built yet, say) is printed, not fatal."""
    try:
        return fn()
    except Exception as error:  # noqa: BLE001 - the table goes on with the other figures
        print(f"   ! {label}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}", flush=True)
        return None


# ---------------------------------------------------------------- measurements


def make_users(sizes) -> dict[int, object]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from benchmarks.data import make_diary

    heading("Data")
    users = {}
    tag = secrets.token_hex(3)
    for size in sizes:
        user = get_user_model().objects.create_user(
            username=f"bench-{size}-{tag}", email=f"bench-{size}-{tag}@example.com", password=None
        )
        started = time.perf_counter()
        diary = make_diary(user, size, seed=size)
        elapsed = time.perf_counter() - started
        row(f"diary {diary.first} to {diary.last}", size, ms(elapsed), "", "(bulk_create)")
        users[size] = user
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum (PostgreSQL) would have them
    return users


def query_plans(user) -> None:
    """The plans of the queries every diary page and report make (owner + date index expected)."""
    from django.db import connection

    from diary.models import Night
    from diary.reporting import logged_range

    heading(f"Query plans ({connection.vendor})")
    first, last = logged_range(user)
    start = last - timedelta(days=89)
    querysets = {
        "diary list (newest first)": Night.objects.for_user(user).order_by("-date")[:30],
        "report period (records)": Night.objects.for_user(user).in_period(start, last).order_by("date"),
    }
    for name, queryset in querysets.items():
        plan = " | ".join(line.strip() for line in queryset.explain().splitlines() if line.strip())
        print(f"{name:<28} {plan}", flush=True)


def report_objects(users, verdicts: Verdicts, repeat: int) -> None:
    from django.core.cache import cache

    from diary.models import Night, Profile
    from diary.patterns import build_report
    from diary.reporting import CONTEXT_DAYS, load_report, logged_range

    heading("Report object (median)")
    row("what", "nights", "time", "target", "")
    for size, user in users.items():
        first, last = logged_range(user)
        records = Night.objects.for_user(user).in_period(first - timedelta(days=CONTEXT_DAYS), last).records()
        profile = Profile.objects.get(user=user).facts()
        timed = attempt(
            "build_report",
            lambda r=records, p=profile, s=first, e=last: median_time(lambda: build_report(r, p, s, e), repeat),
        )
        target, verdict = "", ""
        if size == max(users):
            target = f"< {REPORT_OBJECT_MS} ms"
            verdict = verdicts.check(
                "report object (build_report), 3,650 nights", timed is not None and timed * 1000 < REPORT_OBJECT_MS
            )
        row("build_report(records)", size, ms(timed), target, verdict)
        timed = attempt(
            "load_report",
            lambda u=user, s=first, e=last: median_time(lambda: load_report(u, s, e), repeat, before=cache.clear),
        )
        if size == max(users):
            verdict = verdicts.check(
                "report object incl. query (load_report), 3,650", timed is not None and timed * 1000 < REPORT_OBJECT_MS
            )
        row("load_report(user) incl. query", size, ms(timed), target, verdict)


def peak_memory(user) -> None:
    from django.core.cache import cache

    from diary.models import Night, Profile
    from diary.patterns import build_report
    from diary.reporting import CONTEXT_DAYS, load_report, logged_range

    heading("Peak memory, 10-year report (tracemalloc)")
    first, last = logged_range(user)
    records = Night.objects.for_user(user).in_period(first - timedelta(days=CONTEXT_DAYS), last).records()
    profile = Profile.objects.get(user=user).facts()
    size = len(records)

    def traced(fn) -> str:
        cache.clear()
        tracemalloc.start()
        try:
            fn()
            return f"{tracemalloc.get_traced_memory()[1] / 1024 / 1024:,.2f} MiB"
        finally:
            tracemalloc.stop()

    row(
        "build_report(records)",
        size,
        attempt("memory", lambda: traced(lambda: build_report(records, profile, first, last))) or "error",
    )
    row(
        "load_report incl. query + records",
        size,
        attempt("memory", lambda: traced(lambda: load_report(user, first, last))) or "error",
    )


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _consume(response) -> int:
    """Read the whole body (a streaming response is iterated to its end); return its size."""
    if response.status_code != 200:
        raise RuntimeError(f"answered {response.status_code}")
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def pages(users, verdicts: Verdicts, repeat: int) -> None:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    heading("Pages through the test client (median; queries counted with an empty cache)")
    row("page", "nights", "time", "target", "queries")
    urls = {
        "report page": reverse("diary:report"),
        "diary page": reverse("diary:night-list"),
        "calendar page": reverse("diary:calendar"),
        "charts page": reverse("diary:charts"),
    }
    counts: dict[str, dict[int, int | None]] = {name: {} for name in urls}
    for name, url in urls.items():
        for size, user in users.items():
            client = _client_for(user)

            def get(c=client, u=url):
                return _consume(c.get(u))

            timed = attempt(f"{name} {size}", lambda g=get: median_time(g, repeat, before=cache.clear))
            count = None
            if timed is not None:
                cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    get()
                count = len(captured)
            counts[name][size] = count
            target, verdict = "", ""
            if name == "report page" and size == max(users):
                target = f"< {REPORT_PAGE_MS} ms"
                verdict = verdicts.check(
                    "report page, 3,650 nights", timed is not None and timed * 1000 < REPORT_PAGE_MS
                )
            row(name, size, ms(timed), target, f"{count if count is not None else '-'} queries  {verdict}")
    print(flush=True)
    for name, by_size in counts.items():
        values = list(by_size.values())
        known = [v for v in values if v is not None]
        same = len(known) == len(values) and len(set(known)) == 1
        within = bool(known) and max(known) <= MAX_QUERIES
        status = "OK" if same else "MISMATCH"
        verdict = verdicts.check(f"{name}: ≤ {MAX_QUERIES} queries, same for all sizes", same and within)
        row(
            f"{name} query counts",
            "",
            " / ".join(str(v) for v in values),
            f"≤ {MAX_QUERIES}, equal",
            f"{status}  {verdict}",
        )


def exports(users, verdicts: Verdicts, repeat: int) -> None:
    from django.core.cache import cache
    from django.urls import reverse

    heading("Exports through the test client (median, whole body read)")
    row("export", "nights", "time", "target", "")
    largest = max(users)
    jobs = [("PDF", reverse("diary:report-pdf"), size) for size in users if size != largest]
    jobs += [
        ("CSV (streamed)", reverse("diary:export-csv"), largest),
        ("FHIR bundle", reverse("diary:report-fhir"), largest),
    ]
    for name, url, size in jobs:
        client = _client_for(users[size])
        streamed = {}

        def get(c=client, u=url, s=streamed):
            response = c.get(u)
            s["streaming"] = response.streaming
            return _consume(response)

        runs = max(1, repeat // 2) if name == "PDF" else repeat
        timed = attempt(f"{name} {size}", lambda g=get, r=runs: median_time(g, r, before=cache.clear))
        target, verdict = "", ""
        if name == "PDF" and size == 365:
            target = f"< {PDF_365_MS / 1000:g} s"
            verdict = verdicts.check("PDF, 365 nights", timed is not None and timed * 1000 < PDF_365_MS)
        if name.startswith("CSV"):
            target = f"< {CSV_3650_MS / 1000:g} s"
            ok = timed is not None and timed * 1000 < CSV_3650_MS and streamed.get("streaming") is True
            verdict = verdicts.check("CSV export, 3,650 nights, streamed", ok)
            if timed is not None and not streamed.get("streaming"):
                verdict += " (not streamed)"
        row(name, size, ms(timed), target, verdict)


def throughput(user, server_env: dict[str, str], verdicts: Verdicts, seconds: int) -> None:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.urls import reverse

    from benchmarks.throughput import Load, gunicorn, run_wrk, wrk_available

    heading(f"Throughput: gunicorn, 2 workers, on 127.0.0.1; wrk -t2 -c16 -d{seconds}s per URL")
    if not wrk_available():
        print("   ! wrk is not installed: run `bash scripts/bench-deps.sh`", flush=True)
        verdicts.check("diary throughput ≥ 25 % of hello", None)
        verdicts.check("report throughput ≥ 10 % of hello", None)
        return
    # A real session for the 365-night user, made by the session engine, as a browser would hold it.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    loads = [
        Load("hello (bare view)", "/hello/"),
        Load("diary page (logged in)", reverse("diary:night-list"), cookie),
        Load("report page (logged in)", reverse("diary:report"), cookie),
    ]
    results = {}
    with gunicorn(server_env) as base:
        for load in loads:
            results[load.name] = run_wrk(base, load, seconds)
    row("URL", "nights", "requests/s", "target", "ratio to hello")
    hello = results[loads[0].name].requests_per_s
    targets = {loads[1].name: DIARY_VS_HELLO, loads[2].name: REPORT_VS_HELLO}
    for load in loads:
        result = results[load.name]
        rate = "error" if result.requests_per_s is None else f"{result.requests_per_s:,.0f}"
        ratio = result.requests_per_s / hello if hello and result.requests_per_s is not None else None
        target = f"≥ {targets[load.name]:.0%}" if load.name in targets else ""
        verdict = ""
        if load.name in targets:
            clean = ratio is not None and not result.error
            verdict = verdicts.check(
                f"{load.name.split(' (')[0]} throughput ≥ {targets[load.name]:.0%} of hello",
                clean and ratio >= targets[load.name],
            )
        shown = "" if ratio is None else f"{ratio:.1%}"
        row(load.name, "" if load is loads[0] else 365, rate, target, f"{shown}  {verdict}".strip())
        if result.error:
            print(f"   ! {load.name}: {result.error}", flush=True)


def describe_machine() -> None:
    import platform

    import django
    from django.db import connection

    heading("Machine")
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor():
        server = f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info)) if connection.vendor == 'sqlite' else connection.pg_version}"
    print(f"cores {os.cpu_count()}; CPU {cpu}; memory {memory}", flush=True)
    print(f"Python {platform.python_version()}; Django {django.get_version()}; database {server}", flush=True)
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and 3 s load runs")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn + wrk throughput runs")
    parser.add_argument("--seconds", type=int, default=None, help="seconds of load per URL (default 10)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 9
    seconds = args.seconds or (3 if args.quick else 10)

    server_env, throwaway_dir = configure_environment()
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # A failing page is reported once by attempt(), not with a traceback from the request logger.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    database = str(settings.DATABASES["default"]["NAME"])
    if Path(database).resolve() == (REPO / "db.sqlite3").resolve():
        raise SystemExit("Refusing to benchmark on the developer's db.sqlite3: set DATABASE_URL to a throwaway one.")
    users = {}
    verdicts = Verdicts()
    try:
        call_command("migrate", interactive=False, verbosity=0)
        describe_machine()
        users = make_users(SIZES)
        query_plans(users[max(SIZES)])
        report_objects(users, verdicts, repeat * 2)
        pages(users, verdicts, repeat)
        exports(users, verdicts, repeat)
        peak_memory(users[max(SIZES)])
        if not args.no_load:
            attempt("throughput", lambda: throughput(users[365], server_env, verdicts, seconds))
        print("\nload average (1, 5, 15 min) at end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
        heading("Targets")
        for name, verdict in verdicts.rows:
            print(f"{verdict:<5} {name}", flush=True)
    finally:
        from django.db import connection

        if throwaway_dir is None:
            from diary.models import Night

            for user in users.values():  # on a real DATABASE_URL, leave nothing behind
                Night.objects.for_user(user).delete()  # nights first: Night.bed is PROTECT
                user.delete()
        connection.close()
        if throwaway_dir is not None:
            shutil.rmtree(throwaway_dir, ignore_errors=True)
    missed = any(verdict != "PASS" for _, verdict in verdicts.rows)
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
