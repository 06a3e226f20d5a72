"""Summarise locust's --csv statistics: requests/s and p50/p95/p99 per page; exit 1 on any failure.

python loadtest/summarise.py /tmp/run/locust_stats.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def summarise(stats_csv: Path) -> int:
    with stats_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        print(f"{stats_csv} holds no statistics")
        return 1
    header = f"{'page':<24}{'requests':>9}{'failed':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    failed = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        if name == "ALL":
            print("-" * len(header))
        failures = int(row["Failure Count"])
        if name != "ALL":
            failed += failures
        print(
            f"{name:<24}{int(row['Request Count']):>9}{failures:>8}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )
    if failed:
        print(f"\n{failed} request(s) failed")
        return 1
    print("\nNo failed requests.")
    return 0


if __name__ == "__main__":
    sys.exit(summarise(Path(sys.argv[1])))
