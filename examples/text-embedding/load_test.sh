#!/usr/bin/env bash
# Load-tests the embeddings service and prints throughput (QPS) and latency percentiles.
# Usage: examples/text-embedding/load_test.sh [requests] [concurrency] [sentences-per-request] [controller-url]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:-500}"
c="${2:-8}"
k="${3:-1}"
url="${4:-http://localhost:8888}/embeddings"
inputs=""
for ((i = 0; i < k; i++)); do
  inputs+="${inputs:+, }\"Sentence $i: a man is eating a piece of bread in the park.\""
done
exec "$here/../tool.sh" "$here" io.modelserve.tools.LoadTester \
  --url "$url" --json "{\"input\": [$inputs]}" -n "$n" -c "$c" --warmup 20
