#!/usr/bin/env bash
# Load-tests the captioning service with one image and prints throughput (QPS) and latency percentiles.
# Usage: examples/image-to-text/load_test.sh [requests] [concurrency] [image] [controller-url]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-100}"
c="${2:-4}"
image="${3:-$here/../ocr/sample.png}"
url="${4:-http://localhost:8888}/custom"
[[ -f "$image" ]] || { echo "no image at $image: pass one as the third argument" >&2; exit 1; }
exec "$here/../tool.sh" "$here" io.modelserve.tools.LoadTester \
  --url "$url" --file "image=$image" -n "$n" -c "$c"
