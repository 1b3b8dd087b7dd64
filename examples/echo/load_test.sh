#!/usr/bin/env bash
# Load-tests a service of the echo example and prints throughput and latency percentiles.
# Usage: examples/echo/load_test.sh [requests] [concurrency] [service] [controller-url]
#   service: echo (no model) or sim (a simulated 50 ms device-bound model: start its workers
#   with SERVICE=sim ./run_all.sh echo 4, then examples/echo/load_test.sh 2000 10 sim)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-10000}"
c="${2:-16}"
service="${3:-echo}"
url="${4:-http://localhost:8888}/$service"
exec "$here/../tool.sh" "$here" io.modelserve.tools.LoadTester \
  --url "$url" --query text=hello -n "$n" -c "$c"
