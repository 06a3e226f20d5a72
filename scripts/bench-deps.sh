#!/usr/bin/env bash
# Installs (or checks) what the benchmark needs outside Python: wrk, the HTTP load tool that
# `python -m benchmarks` points at gunicorn on 127.0.0.1 for the throughput figures.
set -euo pipefail
exec bash "$(dirname "$0")/system-deps.sh" --bench
