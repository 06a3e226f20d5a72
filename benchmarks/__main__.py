"""`python -m benchmarks`: the performance figures and targets of docs/performance.md.

Runs on a throwaway SQLite file (deleted afterwards), or on DATABASE_URL when it is set (the
throwaway users are deleted afterwards), never on the developer's db.sqlite3. Settings are
production's: DEBUG off, with a throwaway SECRET_KEY and no HTTPS redirect (loopback only).

    python -m benchmarks                     # everything, ~3 minutes
    python -m benchmarks --quick             # fewer repetitions, 3 s of load per URL
    python -m benchmarks --no-load           # skip gunicorn + wrk
    python -m benchmarks --only pages,load   # some sections only
    python -m benchmarks --strict            # exit 1 when a target is missed

Times are medians of repeated runs: "wall" is what a person waits and what the targets judge;
"cpu" is this process's CPU time, which stays close to the quiet-machine figure when other
programs share the cores (on PostgreSQL it leaves out the server's own work).
"""

from __future__ import annotations

import argparse
import contextlib
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
SECTIONS = ("plans", "report", "pages", "exports", "memory", "load")
REPO = Path(__file__).resolve().parent.parent

# The targets of issue 9 (docs/performance.md).
REPORT_OBJECT_MS = 50  # report object for 3,650 nights
REPORT_PAGE_MS = 250  # report page for 3,650 nights
MAX_QUERIES = 10 + 1  # on any diary or report page, whatever the number of nights; + the session (database)
PDF_365_MS = 3000
PDF_10_YEARS_MS = 5000  # issue 13: the nights table becomes a monthly summary
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
            # The PDF figures time WeasyPrint itself, in this process, not the low-priority pool
            # that production lays PDFs out in (docs/scaling.md), whose wait depends on other load.
            "PDF_RENDER_PROCESSES": "0",
        }
    )
    server_env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "ROOT_URLCONF": "benchmarks.urls"}
    return server_env, throwaway_dir


# ---------------------------------------------------------------- output and timing


@dataclass
class Verdicts:
    rows: list[tuple[str, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool | None) -> str:
        verdict = "n/a" if ok is None else ("PASS" if ok else "MISS")
        self.rows.append((name, verdict))
        return verdict


@dataclass(frozen=True, slots=True)
class Timing:
    wall: float  # seconds
    cpu: float


def heading(title: str) -> None:
    print(f"\n== {title} ==", flush=True)


def row(what: str, nights: object = "", wall: str = "", cpu: str = "", target: str = "", note: str = "") -> None:
    print(f"{what:<34} {nights!s:>6}  {wall:>12}  {cpu:>10}  {target:>12}  {note}".rstrip(), flush=True)


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "error"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def timing_cells(timing: Timing | None) -> tuple[str, str]:
    return (ms(None), "") if timing is None else (ms(timing.wall), ms(timing.cpu))


def median_time(fn: Callable[[], object], repeat: int, before: Callable[[], object] | None = None) -> Timing:
    """Median wall and CPU time of `fn` over `repeat` runs after one warm-up; `before` runs untimed."""
    if before:
        before()
    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        if before:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return Timing(statistics.median(walls), statistics.median(cpus))


def under(timing: Timing | None, limit_ms: float) -> bool:
    return timing is not None and timing.wall * 1000 < limit_ms


def attempt(label: str, fn: Callable[[], object]):
    """Run one measurement; a failure (a page not built yet, say) is printed, not fatal."""
    try:
        return fn()
    except Exception as error:  # noqa: BLE001 - the table goes on with the other figures
        print(f"   ! {label}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}", flush=True)
        return None


# ---------------------------------------------------------------- measurements


def describe_machine() -> None:
    import platform

    import django
    from django.db import connection

    heading("Machine")
    cpu = memory = "unknown"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.1f} GiB"
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        server = "SQLite " + ".".join(map(str, connection.Database.sqlite_version_info))
    else:
        version = getattr(connection, "pg_version", None)  # e.g. 150018 for 15.18
        server = (
            f"{connection.display_name} {version // 10000}.{version % 10000}" if version else connection.display_name
        )
    print(f"cores {os.cpu_count()}; CPU {cpu}; memory {memory}", flush=True)
    print(f"Python {platform.python_version()}; Django {django.get_version()}; database {server}", flush=True)
    print("load average (1, 5, 15 min) at start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)


def make_users(sizes) -> dict[int, object]:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from tests.factories import make_diary

    heading("Data (make_diary, bulk_create)")
    users = {}
    tag = secrets.token_hex(3)
    for size in sizes:
        user = get_user_model().objects.create_user(
            username=f"bench-{size}-{tag}", email=f"bench-{size}-{tag}@example.com", password=None
        )
        started = time.perf_counter()
        diary = make_diary(user, size, seed=size)
        row(f"diary {diary.first} to {diary.last}", size, ms(time.perf_counter() - started))
        users[size] = user
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum (PostgreSQL) would have them
    return users


def query_plans(user) -> None:
    """The plans of the queries the diary pages and the report make (owner + date index expected)."""
    from django.db import connection

    from diary.caching import DATA_STAMP_SQL
    from diary.models import Night

    heading(f"Query plans ({connection.vendor})")
    first, last = Night.objects.for_user(user).logged_range()
    nights = Night.objects.for_user(user)
    querysets = {
        "diary list, newest first": nights.select_related("bed").order_by("-date")[:30],
        "report period, oldest first": nights.in_period(last - timedelta(days=89), last).order_by("date"),
        # Night.objects.logged_range() written out, because an aggregate has no .explain().
        "logged range (min/max date)": ("SELECT MIN(date), MAX(date) FROM diary_night WHERE user_id = %s", [user.pk]),
        "data stamp (page cache)": (DATA_STAMP_SQL, [user.pk] * DATA_STAMP_SQL.count("%s")),
    }
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    for name, queryset in querysets.items():
        if isinstance(queryset, tuple):
            with connection.cursor() as cursor:
                cursor.execute(explain + queryset[0], queryset[1])
                plan = " | ".join(" ".join(map(str, line)) for line in cursor.fetchall())
        else:
            plan = " | ".join(line.strip() for line in queryset.explain().splitlines() if line.strip())
        print(f"{name:<30} {plan}", flush=True)


def report_objects(users, verdicts: Verdicts, repeat: int) -> None:
    from diary.caching import page_cache
    from diary.models import Night, Profile
    from diary.reporting import CONTEXT_DAYS, load_report
    from diary.rules import build_report

    heading("Report object, whole logged range (median)")
    row("what", "nights", "wall", "cpu", "target")
    largest = max(users)
    for size, user in users.items():
        first, last = Night.objects.for_user(user).logged_range()
        records = Night.objects.for_user(user).in_period(first - timedelta(days=CONTEXT_DAYS), last).records()
        profile = Profile.objects.get(user=user).facts()
        target = f"< {REPORT_OBJECT_MS} ms" if size == largest else ""

        timed = attempt(
            "build_report",
            lambda r=records, p=profile, s=first, e=last: median_time(lambda: build_report(r, p, s, e), repeat),
        )
        verdict = ""
        if size == largest:
            verdict = verdicts.check("report object, 3,650 nights: build_report", under(timed, REPORT_OBJECT_MS))
        row("build_report(records)", size, *timing_cells(timed), target, verdict)

        # page_cache().clear(): a cold load every time, whatever load_report may cache.
        timed = attempt(
            "load_report",
            lambda u=user, s=first, e=last: median_time(
                lambda: load_report(u, s, e), repeat, before=page_cache().clear
            ),
        )
        if size == largest:
            verdict = verdicts.check(
                "report object, 3,650 nights: load_report incl. query", under(timed, REPORT_OBJECT_MS)
            )
        row("load_report(user) incl. query", size, *timing_cells(timed), target, verdict)
        if size == DIARY_REPORT_JSON_SIZE:
            diary_report_json(user, verdicts, repeat)


DIARY_REPORT_JSON_SIZE = 365  # issue 14: a year-long diary
DIARY_REPORT_JSON_MS = 50  # issue 14: diary_report --format json "well under 50 ms"


def diary_report_json(user, verdicts: Verdicts, repeat: int) -> None:
    """`manage.py diary_report USER --format json` (rules v2, clinician_message) for a year of nights."""
    import io

    from django.core.management import call_command

    from diary.caching import page_cache

    timed = attempt(
        "diary_report json",
        lambda: median_time(
            lambda: call_command("diary_report", user.get_username(), "--format", "json", stdout=io.StringIO()),
            repeat,
            before=page_cache().clear,
        ),
    )
    verdict = verdicts.check("diary_report --format json, 365 nights (rules v2)", under(timed, DIARY_REPORT_JSON_MS))
    row(
        "diary_report --format json",
        DIARY_REPORT_JSON_SIZE,
        *timing_cells(timed),
        f"< {DIARY_REPORT_JSON_MS} ms",
        verdict,
    )


def peak_memory(user) -> None:
    from diary.caching import page_cache
    from diary.models import Night, Profile
    from diary.reporting import CONTEXT_DAYS, load_report
    from diary.rules import build_report

    heading("Peak memory, 10-year report (tracemalloc)")
    first, last = Night.objects.for_user(user).logged_range()
    records = Night.objects.for_user(user).in_period(first - timedelta(days=CONTEXT_DAYS), last).records()
    profile = Profile.objects.get(user=user).facts()

    def traced(fn) -> str:
        page_cache().clear()
        tracemalloc.start()
        try:
            fn()
            return f"{tracemalloc.get_traced_memory()[1] / 1024 / 1024:,.2f} MiB"
        finally:
            tracemalloc.stop()

    build = attempt("memory", lambda: traced(lambda: build_report(records, profile, first, last)))
    load = attempt("memory", lambda: traced(lambda: load_report(user, first, last)))
    row("build_report(records)", len(records), build or "error")
    row("load_report incl. query + records", len(records), load or "error")


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get("/")  # the first request stores the time zone in the session; measure the steady state
    return client


def _consume(response) -> int:
    """Read the whole body (a streaming response is iterated to its end); return its size."""
    if response.status_code != 200:
        raise RuntimeError(f"answered {response.status_code}")
    if response.streaming:
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def pages(users, verdicts: Verdicts, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from diary.caching import page_cache

    heading("Pages through the test client, default view (median; cache emptied before each request)")
    row("page", "nights", "wall", "cpu", "target", "queries")
    urls = {
        "report page": reverse("diary:report"),
        "diary page": reverse("diary:night-list"),
        "calendar page": reverse("diary:calendar"),
        "charts page": reverse("diary:charts"),
    }
    largest = max(users)
    counts: dict[str, list[int | None]] = {name: [] for name in urls}
    for name, url in urls.items():
        for size, user in users.items():
            client = _client_for(user)

            def get(c=client, u=url):
                return _consume(c.get(u))

            timed = attempt(f"{name} {size}", lambda g=get: median_time(g, repeat, before=page_cache().clear))
            count = None
            if timed is not None:
                page_cache().clear()
                with CaptureQueriesContext(connection) as captured:
                    get()
                count = len(captured)
            counts[name].append(count)
            target, verdict = "", ""
            if name == "report page" and size == largest:
                target = f"< {REPORT_PAGE_MS} ms"
                verdict = verdicts.check("report page, 3,650 nights", under(timed, REPORT_PAGE_MS))
            row(
                name, size, *timing_cells(timed), target, f"{count if count is not None else '-':>2} queries  {verdict}"
            )
    print(flush=True)
    for name, values in counts.items():
        known = [v for v in values if v is not None]
        same = len(known) == len(values) and len(set(known)) == 1
        within = bool(known) and max(known) <= MAX_QUERIES
        verdict = verdicts.check(f"{name}: ≤ {MAX_QUERIES} queries, same for all sizes", same and within)
        shown = " / ".join("-" if v is None else str(v) for v in values)
        row(f"{name} queries", "", shown, "", f"≤ {MAX_QUERIES}, equal", f"{'OK' if same else 'MISMATCH'}  {verdict}")


def exports(users, verdicts: Verdicts, repeat: int) -> None:
    from django.urls import reverse

    from diary.caching import page_cache

    heading("Exports through the test client, whole logged range (median, whole body read)")
    row("export", "nights", "wall", "cpu", "target", "size")
    largest = max(users)
    # The 10-year PDF summarises its nights by month (issue 13): it must render in under 5 s.
    jobs = [("PDF", reverse("diary:report-pdf"), size) for size in users]
    jobs += [("CSV (streamed)", reverse("diary:export-csv"), largest)]
    jobs += [("FHIR bundle", reverse("diary:report-fhir"), largest)]
    for name, url, size in jobs:
        client = _client_for(users[size])
        seen = {}

        def get(c=client, u=url, s=seen):
            response = c.get(u)
            s["streaming"] = response.streaming
            s["bytes"] = _consume(response)

        runs = max(1, repeat // 2) if name == "PDF" else repeat
        timed = attempt(f"{name} {size}", lambda g=get, r=runs: median_time(g, r, before=page_cache().clear))
        target, verdict = "", ""
        if name == "PDF" and size == 365:
            target = f"< {PDF_365_MS / 1000:g} s"
            verdict = verdicts.check("PDF, 365 nights", under(timed, PDF_365_MS))
        if name == "PDF" and size == largest:
            target = f"< {PDF_10_YEARS_MS / 1000:g} s"
            verdict = verdicts.check("PDF, 10 years (3,650 nights)", under(timed, PDF_10_YEARS_MS))
        if name.startswith("CSV"):
            target = f"< {CSV_3650_MS / 1000:g} s"
            streamed = seen.get("streaming") is True
            verdict = verdicts.check("CSV export, 3,650 nights, streamed", under(timed, CSV_3650_MS) and streamed)
            verdict += "" if streamed or timed is None else " (not streamed)"
        size_note = f"{seen['bytes'] / 1024:,.0f} KiB" if "bytes" in seen else ""
        row(name, size, *timing_cells(timed), target, f"{size_note}  {verdict}".strip())


def throughput(user, server_env: dict[str, str], verdicts: Verdicts, seconds: int, rounds: int = 5) -> None:
    from django.urls import reverse

    from benchmarks.throughput import Load, gunicorn, run_wrk, wrk_available

    per_run = max(1, round(seconds / rounds))
    heading(
        f"Throughput: gunicorn, 2 sync workers, 127.0.0.1; wrk -t2 -c16, {rounds} interleaved runs of {per_run} s per URL"
    )
    diary_check = f"diary page throughput ≥ {DIARY_VS_HELLO:.0%} of hello"
    report_check = f"report page throughput ≥ {REPORT_VS_HELLO:.0%} of hello"
    if not wrk_available():
        print("   ! wrk is not installed: run `bash scripts/bench-deps.sh`", flush=True)
        verdicts.check(diary_check, None)
        verdicts.check(report_check, None)
        return
    session, cookie = _logged_in_cookie(user)
    hello = Load("hello (bare view)", "/hello/")
    loads = [
        (hello, None, ""),
        # The same bare view with the session cookie: the floor of any logged-in page (session, user).
        (Load("hello, logged in (bare view)", "/hello/", cookie), None, ""),
        (Load("diary page (logged in)", reverse("diary:night-list"), cookie), DIARY_VS_HELLO, diary_check),
        (Load("report page (logged in)", reverse("diary:report"), cookie), REPORT_VS_HELLO, report_check),
    ]
    rates: dict[str, list[float | None]] = {load.name: [] for load, _, _ in loads}
    errors: dict[str, list[str]] = {load.name: [] for load, _, _ in loads}
    try:
        with gunicorn(server_env) as base:
            # Warm-up, not counted: each worker's first request imports and compiles templates,
            # and each page's first request fills its cache.
            for load, _, _ in loads:
                run_wrk(base, load, 1)
            # Interleaved rounds, so a change in the machine's other load hits every URL alike.
            for _ in range(rounds):
                for load, _, _ in loads:
                    result = run_wrk(base, load, per_run)
                    rates[load.name].append(result.requests_per_s)
                    if result.error:
                        errors[load.name].append(result.error)
    finally:
        session.delete()
    _throughput_table(loads, hello, rates, errors, verdicts)


def _logged_in_cookie(user):
    """(session, Cookie header): a real session for `user`, made by the session engine, as a
    browser would hold it, with a CSRF cookie. The caller deletes the session."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    # A browser also sends back its CSRF cookie; without it every page would mint a new secret.
    csrf_secret = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    return session, f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf_secret}"


def _throughput_table(loads, hello, rates: dict, errors: dict, verdicts: Verdicts) -> None:
    # Each round's rate over the same round's hello, then the median: robust to the machine's
    # other load changing between rounds (the runs are listed so the spread can be judged).
    row("URL", "nights", "requests/s", "", "target", "ratio to hello (median of rounds)")
    for load, minimum, check in loads:
        measured = [r for r in rates[load.name] if r is not None]
        ratios = [
            rate / hello_rate
            for rate, hello_rate in zip(rates[load.name], rates[hello.name], strict=True)
            if rate is not None and hello_rate
        ]
        ratio = statistics.median(ratios) if ratios else None
        note = "" if ratio is None else f"{ratio:.1%}"
        if check:
            ok = ratio is not None and not errors[load.name] and ratio >= minimum
            note = f"{note}  {verdicts.check(check, ok)}"
        runs = " / ".join(f"{r:,.0f}" for r in measured)
        row(
            load.name,
            "" if load is hello else 365,
            "error" if not measured else f"{statistics.median(measured):,.0f}",
            "",
            f"≥ {minimum:.0%}" if minimum else "",
            f"{note}   (runs: {runs})".strip(),
        )
        for error in dict.fromkeys(errors[load.name]):
            print(f"   ! {load.name}: {error}", flush=True)


def _arguments(argv: list[str] | None):
    """The command line: the options, and the set of sections to run."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and 3 s load runs")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn + wrk throughput runs")
    parser.add_argument("--seconds", type=int, default=None, help="seconds of load per URL (default 10)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run (default: {','.join(SECTIONS)})")
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    if args.no_load:
        only.discard("load")
    if only - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(only - set(SECTIONS)))}")
    return args, only


def main(argv: list[str] | None = None) -> int:
    args, only = _arguments(argv)
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
        call_command("createcachetable", verbosity=0)
        describe_machine()
        users = make_users(SIZES)
        if "plans" in only:
            query_plans(users[max(SIZES)])
        if "report" in only:
            report_objects(users, verdicts, repeat * 2)
        if "pages" in only:
            pages(users, verdicts, repeat)
        if "exports" in only:
            exports(users, verdicts, repeat)
        if "memory" in only:
            peak_memory(users[max(SIZES)])
        if "load" in only:
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
