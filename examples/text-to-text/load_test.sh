#!/usr/bin/env bash
# Load-tests the text-to-text service and prints throughput (QPS) and latency percentiles.
# Usage: examples/text-to-text/load_test.sh [requests] [concurrency] [text] [controller-url]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-200}"
c="${2:-4}"
text="${3:-translate English to German: How old are you?}"
url="${4:-http://localhost:8888}/custom"
exec "$here/../tool.sh" "$here" io.modelserve.tools.LoadTester \
  --url "$url" --query "text=$text" -n "$n" -c "$c"
