#!/usr/bin/env bash
# Installs (or checks) the Debian packages the project needs outside Python and npm.
#   scripts/system-deps.sh          Pango for WeasyPrint's PDFs, gettext for compiling the translations
#   scripts/system-deps.sh --test   also Chromium + ChromeDriver for the browser tests
#   scripts/system-deps.sh --postgres   also the PostgreSQL server
#   scripts/system-deps.sh --bench      also wrk, the HTTP load tool of the throughput benchmark
#   scripts/system-deps.sh --redis      also the Redis server (CI's shared-cache pass)
#   scripts/system-deps.sh --cluster    also PostgreSQL, Redis and nginx (make cluster)
set -euo pipefail

want=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext)
for arg in "$@"; do
  case "$arg" in
    --test) want+=(chromium chromium-driver) ;;
    --postgres) want+=(postgresql) ;;
    --bench) want+=(wrk) ;;
    --redis) want+=(redis-server) ;;
    --cluster) want+=(postgresql redis-server nginx) ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
