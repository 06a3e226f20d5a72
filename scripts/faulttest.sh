#!/usr/bin/env bash
# The fault test (docs/scaling.md): a bounded locust run through nginx against the two-node
# cluster, with node 1 killed by SIGKILL at ~KILL_AT s and started again at ~RESTART_AT s.
#   bash scripts/faulttest.sh        uses a running `make cluster`, or starts one and stops it after
#   USERS=20 DURATION=40s KILL_AT=10 RESTART_AT=25 bash scripts/faulttest.sh
# Prints throughput and p50/p95 per page, then checks the database and the shared state
# (loadtest/fault_check.py). Exits non-zero on any loss.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PY="$VENV/bin/python"
DIR=${CLUSTER_DIR:-/tmp/backpain-cluster}
USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-10}
DURATION=${DURATION:-60s}
KILL_AT=${KILL_AT:-20}
RESTART_AT=${RESTART_AT:-40}

started_here=0
locust_pid=""
cleanup() {
  [ -n "$locust_pid" ] && kill -TERM "$locust_pid" 2>/dev/null || true
  if [ "$started_here" = 1 ]; then
    bash scripts/cluster.sh stop || true
  elif [ -s "$DIR/env" ]; then
    bash scripts/cluster.sh start-node 1 >/dev/null 2>&1 || true  # leave the cluster as we found it
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -s "$DIR/env" ]; then
  bash scripts/cluster.sh start
  started_here=1
fi
# shellcheck disable=SC1091
source "$DIR/env"
run_dir=$(mktemp -d /tmp/backpain-fault-XXXXXX)
echo "fault test: $USERS users, $SPAWN_RATE/s, $DURATION through $CLUSTER_URL; node 1 killed at ${KILL_AT}s, restarted at ${RESTART_AT}s" >&2

FAULT_POSTS="$run_dir/posts.jsonl" FAULT_FAILURES="$run_dir/failures.jsonl" \
  "$VENV/bin/locust" -f loadtest/faultfile.py --headless -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" \
  --host "$CLUSTER_URL" --csv "$run_dir/locust" --only-summary --stop-timeout 10 --loglevel WARNING \
  >"$run_dir/locust.log" 2>&1 &
locust_pid=$!
t0=$(date +%s)

sleep "$KILL_AT"
bash scripts/cluster.sh kill-node 1
# When the SIGKILL was sent, and when the node's port refused connections (it was gone).
read -r killed_at dead_at <"$DIR/node1.killed"
sleep $((RESTART_AT - $(date +%s) + t0)) 2>/dev/null || true
bash scripts/cluster.sh start-node 1
restarted=$(date +%s.%N)
echo "node 1 killed at $(($(printf %.0f "$killed_at") - t0)) s, serving again at $(($(printf %.0f "$restarted") - t0)) s" >&2

wait "$locust_pid" || true  # failures are judged below, against the kill
locust_pid=""

echo
"$PY" loadtest/summarise.py "$run_dir/locust_stats.csv" || true
echo
status=0
"$PY" loadtest/fault_check.py --posts "$run_dir/posts.jsonl" --failures "$run_dir/failures.jsonl" \
  --killed-at "$killed_at" --dead-at "$dead_at" --restarted-at "$restarted" --node-a "$NODE2_URL" --node-b "$NODE1_URL" \
  --nginx-log "$DIR/nginx-access.log" --since "$t0" || status=$?
echo "(records and locust CSVs kept in $run_dir)"
exit "$status"
