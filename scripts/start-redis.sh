#!/usr/bin/env bash
# Starts a throwaway Redis server on 127.0.0.1 (Debian's redis-server) and prints its REDIS_URL.
#   eval "$(scripts/start-redis.sh)"   -> exports REDIS_URL and REDIS_DIR
#   scripts/stop-redis.sh              -> stops it and removes its data
# Nothing is saved to disk, and nothing is ever evicted: the cache holds rate-limit counters and
# used TOTP codes, which must only expire (docs/scaling.md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/system-deps.sh" --redis >&2

port=${REDIS_PORT:-63799}
dir=$(mktemp -d /tmp/backpain-redis-XXXXXX)
if [ "$(id -u)" -eq 0 ] && id redis >/dev/null 2>&1; then
  chown redis:redis "$dir"
  as_redis=(runuser -u redis --)
else
  as_redis=()
fi
(cd /tmp && "${as_redis[@]}" redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes \
  --daemonize yes --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
  --save "" --appendonly no --maxmemory-policy noeviction) >&2
for _ in $(seq 1 50); do
  redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done
redis-cli -h 127.0.0.1 -p "$port" ping | grep -q PONG || { cat "$dir/redis.log" >&2; exit 1; }

echo "export REDIS_DIR=$dir"
echo "export REDIS_URL=redis://127.0.0.1:$port/0"
