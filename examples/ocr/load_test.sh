#!/usr/bin/env bash
# Load-tests the OCR service with one image and prints throughput and latency percentiles.
# Usage: examples/ocr/load_test.sh [requests] [concurrency] [image] [controller-url]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-200}"
c="${2:-4}"
image="${3:-$here/sample.png}"
url="${4:-http://localhost:8888}/ocr"
exec "$here/../tool.sh" "$here" io.modelserve.tools.LoadTester \
  --url "$url" --file "image=$image" -n "$n" -c "$c"
