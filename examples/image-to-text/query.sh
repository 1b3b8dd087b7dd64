#!/usr/bin/env bash
# Uploads one image to the captioning service and prints the JSON answer.
# Usage: examples/image-to-text/query.sh [image] [controller-url]
#   (defaults: the OCR example's sample.png, http://localhost:8888)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image="${1:-$here/../ocr/sample.png}"
url="${2:-http://localhost:8888}/custom"
[[ -f "$image" ]] || { echo "no image at $image: pass one, e.g. query.sh photo.jpg" >&2; exit 1; }
exec "$here/../tool.sh" "$here" io.modelserve.tools.Query \
  --url "$url" --file "image=$image"
