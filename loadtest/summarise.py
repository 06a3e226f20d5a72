"""Summarise locust's --csv statistics: requests/s and p50/p95/p99 per page; exit 1 on any failure.

python loadtest/summarise.py /tmp/run/locust_stats.csv
python loadtest/summarise.py /tmp/run/locust_stats.csv --baseline /tmp/run/baseline_stats.csv

With --baseline (a one-user run of the same mix), it also prints the performance targets of
docs/scaling.md as ratios, which hold on a shared machine where absolute times do not:
- every HTML page's p95 at most 3x the article page's p95 in the same run;
- no page's p95 above 10x its own one-user p95.
Missing a target prints MISS; it fails the run only with --strict (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

# The pages a person reads (GET, HTML); the article page is the yardstick: cheap and uncached.
HTML_PAGES = ("articles (list)", "diary", "log a night (form)", "report")
YARDSTICK = "article"
MAX_HTML_OVER_ARTICLE = 3.0
MAX_LOADED_OVER_ONE_USER = 10.0


def read_stats(stats_csv: Path) -> dict[str, dict[str, str]]:
    with stats_csv.open(newline="") as handle:
        return {row["Name"] if row["Name"] != "Aggregated" else "ALL": row for row in csv.DictReader(handle)}


def p95(row: dict[str, str]) -> float:
    return float(row["95%"])


def print_table(rows: dict[str, dict[str, str]]) -> int:
    header = f"{'page':<24}{'requests':>9}{'failed':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    failed = 0
    for name, row in rows.items():
        if name == "ALL":
            print("-" * len(header))
        failures = int(row["Failure Count"])
        if name != "ALL":
            failed += failures
        print(
            f"{name:<24}{int(row['Request Count']):>9}{failures:>8}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )
    return failed


def ratios(loaded: dict[str, dict[str, str]], one_user: dict[str, dict[str, str]]) -> bool:
    """Print both targets, each with its verdict; True when both are met."""
    met = True
    missed: list[str] = []
    print(f"\nTarget 1: HTML pages' p95 <= {MAX_HTML_OVER_ARTICLE:g} x the article page's p95 (same run)")
    if YARDSTICK not in loaded or p95(loaded[YARDSTICK]) <= 0:
        print("  no article requests in the run: cannot judge")
        return False
    yardstick = p95(loaded[YARDSTICK])
    for page in HTML_PAGES:
        if page not in loaded:
            continue
        ratio = p95(loaded[page]) / yardstick
        ok = ratio <= MAX_HTML_OVER_ARTICLE
        if not ok:
            missed.append(f"{page} {ratio:.2f}")
        print(
            f"  {page:<22} p95 {p95(loaded[page]):>7.0f} ms / {yardstick:.0f} ms = {ratio:5.2f}  {'PASS' if ok else 'MISS'}"
        )
    met &= verdict(1, missed)
    missed = []
    print(f"\nTarget 2: every page's p95 <= {MAX_LOADED_OVER_ONE_USER:g} x its one-user p95")
    for page, row in loaded.items():
        if page == "ALL":
            continue
        base = one_user.get(page)
        if base is None or p95(base) <= 0:
            print(f"  {page:<22} no one-user figure (too few requests in the baseline run)")
            continue
        ratio = p95(row) / p95(base)
        ok = ratio <= MAX_LOADED_OVER_ONE_USER
        if not ok:
            missed.append(f"{page} {ratio:.1f}x")
        print(f"  {page:<22} p95 {p95(row):>7.0f} ms / {p95(base):>5.0f} ms = {ratio:5.1f}  {'PASS' if ok else 'MISS'}")
    met &= verdict(2, missed)
    return met


def verdict(target: int, missed: list[str]) -> bool:
    print(f"  => target {target}: " + ("met" if not missed else "NOT met (" + ", ".join(missed) + ")"))
    return not missed


# gunicorn's access log (scripts/loadtest.sh): '[time] "METHOD /path HTTP/1.1" status microseconds'.
ACCESS_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) (?P<micros>\d+)$')
PAGE_OF_REQUEST = (
    ("GET", re.compile(r"^/articles/[a-z0-9-]+/$"), "article"),
    ("GET", re.compile(r"^/articles/$"), "articles (list)"),
    ("GET", re.compile(r"^/diary/$"), "diary"),
    ("GET", re.compile(r"^/log/$"), "log a night (form)"),
    ("POST", re.compile(r"^/log/$"), "log a night"),
    ("GET", re.compile(r"^/report/$"), "report"),
    ("GET", re.compile(r"^/report/pdf/$"), "report PDF"),
    ("GET", re.compile(r"^/accounts/signup/$"), "sign up (form)"),
    ("POST", re.compile(r"^/accounts/signup/$"), "sign up"),
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def server_times(access_log: Path) -> dict[str, list[float]]:
    """Milliseconds each page spent inside gunicorn (read to answer), by page name."""
    times: dict[str, list[float]] = {}
    for line in access_log.read_text().splitlines() if access_log.exists() else []:
        match = ACCESS_LINE.search(line)
        if match is None:
            continue
        path = match["path"].split("?", 1)[0]
        for method, pattern, page in PAGE_OF_REQUEST:
            if match["method"] == method and pattern.match(path):
                times.setdefault(page, []).append(int(match["micros"]) / 1000)
                break
    return times


def print_server_times(rows: dict[str, dict[str, str]], access_log: Path) -> None:
    """Next to locust's p95 (what a person waits), the p95 of the time inside gunicorn: the
    difference is time spent waiting for a free thread, before the application saw the request."""
    times = server_times(access_log)
    if not times:
        return
    print("\nTime inside gunicorn (its access log) against locust's (the rest is waiting for a thread):")
    print(f"{'page':<24}{'in app p50':>11}{'p95 ms':>8}{'locust p95':>11}")
    for page, row in rows.items():
        if page in times:
            values = times[page]
            print(f"{page:<24}{percentile(values, 0.5):>11.0f}{percentile(values, 0.95):>8.0f}{row['95%']:>11}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stats_csv", type=Path)
    parser.add_argument("--baseline", type=Path, help="locust _stats.csv of a one-user run of the same mix")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a performance target is missed")
    parser.add_argument("--access-log", type=Path, help="gunicorn's access log of the loaded run (time inside the app)")
    args = parser.parse_args(argv)

    rows = read_stats(args.stats_csv)
    if not rows:
        print(f"{args.stats_csv} holds no statistics")
        return 1
    if args.baseline:
        print("One user (baseline):")
        print_table(read_stats(args.baseline))
        print("\nUnder load:")
    failed = print_table(rows)
    if args.access_log:
        print_server_times(rows, args.access_log)
    status = 0
    if failed:
        print(f"\n{failed} request(s) failed")
        status = 1
    else:
        print("\nNo failed requests.")
    if args.baseline:
        met = ratios(rows, read_stats(args.baseline))
        print(f"\nPerformance targets: {'all met' if met else 'MISSED (figures from a shared machine: noisy)'}")
        if not met and args.strict:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
