#!/usr/bin/env bash
# Load test on loopback: PostgreSQL + one gunicorn node + locust headless, bounded in users and time.
#   bash scripts/loadtest.sh                  a 1-user baseline (30 s, after 15 s not counted), then 50 users, 2 started per second, 60 s
#   USERS=20 DURATION=30s BASELINE_DURATION=0 bash scripts/loadtest.sh
#   GUNICORN_WORKER_CLASS=sync GUNICORN_WORKERS=5 bash scripts/loadtest.sh   (backpain_site/gunicorn.conf.py)
# Prints requests/s and p50/p95/p99 per page and the performance ratios (docs/scaling.md); exits
# non-zero if any request failed (and, with STRICT=1, if a performance target was missed).
# Everything listens on 127.0.0.1 only; gunicorn and PostgreSQL are always stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-2}  # 50 people do not all sign up (Argon2, ~0.25 s of CPU each) in the same 5 s
DURATION=${DURATION:-60s}
BASELINE_DURATION=${BASELINE_DURATION:-30s}  # 0 skips the one-user run
WARMUP_DURATION=${WARMUP_DURATION:-12s}  # before the one-user run, not counted
export PG_PORT=${PG_PORT:-54349}  # not the test suite's 54329, so both can run at once
PY="$VENV/bin/python"

run_dir=$(mktemp -d /tmp/backpain-load-XXXXXX)
gunicorn_pid=""
PG_DATA_DIR=""

cleanup() {
  if [ -n "$gunicorn_pid" ] && kill -0 "$gunicorn_pid" 2>/dev/null; then
    kill -TERM "$gunicorn_pid" 2>/dev/null || true  # the master stops its own workers
    for _ in $(seq 1 50); do kill -0 "$gunicorn_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$gunicorn_pid" 2>/dev/null || true
  fi
  [ -n "$PG_DATA_DIR" ] && PG_DATA_DIR="$PG_DATA_DIR" bash scripts/stop-postgres.sh || true
  echo "Stopped gunicorn and PostgreSQL; logs kept in $run_dir" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "Starting PostgreSQL on 127.0.0.1:$PG_PORT ..." >&2
eval "$(bash scripts/start-postgres.sh)"
export PG_DATA_DIR DATABASE_URL

# Production settings, except what needs a real domain and TLS; a throwaway key for this run only.
export DEBUG=false
SECRET_KEY=$("$PY" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0
# Every simulated person signs up and logs in from the same loopback address: lift the per-IP
# limits for this run only (their defaults protect production).
export SIGNUP_RATE_LIMIT=10000/m/ip LOGIN_RATE_LIMIT=10000/m/ip
export LOG_LEVEL=WARNING

"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py createcachetable
"$PY" manage.py load_articles >/dev/null
"$PY" manage.py collectstatic --noinput -v 0

port=$("$PY" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
# The access log gives each request's time inside gunicorn (from the request read to the answer
# sent, in microseconds): against locust's time it shows how long requests waited outside the app.
"$VENV/bin/gunicorn" -c backpain_site/gunicorn.conf.py --bind "127.0.0.1:$port" \
  --access-logfile "$run_dir/access.log" --access-logformat '%(t)s "%(r)s" %(s)s %(D)s' \
  backpain_site.wsgi:application >"$run_dir/gunicorn.log" 2>&1 &
gunicorn_pid=$!

for _ in $(seq 1 100); do
  if "$PY" -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/robots.txt', timeout=2)" 2>/dev/null; then
    break
  fi
  kill -0 "$gunicorn_pid" 2>/dev/null || { cat "$run_dir/gunicorn.log" >&2; exit 1; }
  sleep 0.2
done
workers_desc="${GUNICORN_WORKER_CLASS:-gthread}, ${GUNICORN_WORKERS:-5} workers, ${GUNICORN_THREADS:-4} threads"
echo "gunicorn ($workers_desc) on http://127.0.0.1:$port; locust: $USERS users, $SPAWN_RATE/s, $DURATION" >&2

set +e
baseline_args=()
if [ "$BASELINE_DURATION" != "0" ]; then
  # Not counted: twenty people for a few seconds first (twenty connections, so that every worker
  # process almost surely gets some: with ten, a run had four sign-up pages of 330-390 ms instead
  # of 10-30, all in its first 5 s, most likely the first requests of a process the warm-up had
  # missed), so that neither run measures a process's first requests (templates compiled,
  # catalogues loaded); then a pause for the last password hashes to end before the one-user run.
  LOCUST_WAIT_MIN=0.2 LOCUST_WAIT_MAX=0.5 "$VENV/bin/locust" -f loadtest/locustfile.py --headless -u 20 -r 10 \
    -t "$WARMUP_DURATION" --host "http://127.0.0.1:$port" --only-summary --stop-timeout 10 --loglevel WARNING \
    >"$run_dir/warmup.log" 2>&1
  sleep 3
  # One person clicking with short pauses: what each page costs when nothing queues.
  LOCUST_WAIT_MIN=0.2 LOCUST_WAIT_MAX=0.5 "$VENV/bin/locust" -f loadtest/locustfile.py --headless -u 1 -r 1 \
    -t "$BASELINE_DURATION" --host "http://127.0.0.1:$port" --csv "$run_dir/baseline" --only-summary \
    --stop-timeout 10 --loglevel WARNING >"$run_dir/baseline.log" 2>&1
  baseline_args=(--baseline "$run_dir/baseline_stats.csv")
fi
baseline_lines=$(wc -l <"$run_dir/access.log" 2>/dev/null || echo 0)
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
"$VENV/bin/locust" -f loadtest/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" \
  --host "http://127.0.0.1:$port" --csv "$run_dir/locust" --only-summary --stop-timeout 10 \
  --loglevel WARNING >"$run_dir/locust.log" 2>&1
locust_status=$?
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
tail -n "+$((baseline_lines + 1))" "$run_dir/access.log" >"$run_dir/access-loaded.log"
set -e

echo "gunicorn: $workers_desc"
# Other work on the machine lengthens every p95: say how busy it was (1, 5 and 15 min averages).
echo "machine load average: $load_before before the $USERS-user run, $load_after after it ($(nproc) CPUs)"
summary_status=0
strict=()
[ "${STRICT:-0}" = "1" ] && strict=(--strict)
"$PY" loadtest/summarise.py "$run_dir/locust_stats.csv" "${baseline_args[@]}" "${strict[@]}" \
  --access-log "$run_dir/access-loaded.log" || summary_status=$?
if [ -s "$run_dir/locust_failures.csv" ] && [ "$(wc -l <"$run_dir/locust_failures.csv")" -gt 1 ]; then
  echo; echo "Failures:"; cat "$run_dir/locust_failures.csv"
fi
if grep -q -E "Error|Traceback" "$run_dir/gunicorn.log"; then
  echo; echo "gunicorn logged errors:"; tail -n 40 "$run_dir/gunicorn.log"
  summary_status=1
fi
[ "$locust_status" -eq 0 ] && [ "$summary_status" -eq 0 ]
