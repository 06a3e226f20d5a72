#!/usr/bin/env bash
# Stops the server started by start-postgres.sh (PG_DATA_DIR from its output).
set -uo pipefail
[ -n "${PG_DATA_DIR:-}" ] || exit 0
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ "$(id -u)" -eq 0 ]; then cd /tmp && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$PG_DATA_DIR/db" -m fast stop >/dev/null
else "$pg_bin/pg_ctl" -D "$PG_DATA_DIR/db" -m fast stop >/dev/null; fi
rm -rf "$PG_DATA_DIR"
