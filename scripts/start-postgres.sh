#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the test suite and prints its DATABASE_URL.
#   eval "$(scripts/start-postgres.sh)"   -> exports DATABASE_URL and PG_DATA_DIR
#   scripts/stop-postgres.sh              -> stops it and removes its data
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/system-deps.sh" --postgres >&2

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
port=${PG_PORT:-54329}
data=$(mktemp -d /tmp/backpain-pg-XXXXXX)
chown postgres:postgres "$data" 2>/dev/null || true

as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd /tmp && runuser -u postgres -- "$@"); else "$@"; fi; }

as_pg "$pg_bin/initdb" -D "$data/db" -U postgres --auth=trust -E UTF8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w \
  -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >&2
as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE ROLE backpain LOGIN SUPERUSER PASSWORD 'backpain'" >&2
as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE backpain OWNER backpain" >&2

echo "export PG_DATA_DIR=$data"
echo "export DATABASE_URL=postgres://backpain:backpain@127.0.0.1:$port/backpain"
