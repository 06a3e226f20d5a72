#!/usr/bin/env bash
# Stops the server started by start-redis.sh (REDIS_DIR from its output) and removes its folder.
set -uo pipefail
[ -n "${REDIS_DIR:-}" ] || exit 0
if [ -s "$REDIS_DIR/redis.pid" ]; then
  pid=$(cat "$REDIS_DIR/redis.pid")
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
fi
rm -rf "$REDIS_DIR"
