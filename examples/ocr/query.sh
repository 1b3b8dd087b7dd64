#!/usr/bin/env bash
# Sends one image to the OCR service and prints the JSON answer.
# Usage: examples/ocr/query.sh [image] [controller-url]   (defaults: sample.png, localhost:8888)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image="${1:-$here/sample.png}"
url="${2:-http://localhost:8888}/ocr"
exec "$here/../tool.sh" "$here" io.modelserve.tools.Query \
  --url "$url" --file "image=$image"
