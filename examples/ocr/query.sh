#!/usr/bin/env bash
# Sends one image to the OCR service and prints the JSON answer.
# Usage: examples/ocr/query.sh [image] [controller-url]   (defaults: sample.png, localhost:8888)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image="${1:-$here/sample.png}"
url="${2:-http://localhost:8888}/ocr"
[[ -f "$here/target/classpath.txt" ]] || { echo "build first: ./mvnw -q install -DskipTests" >&2; exit 1; }
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  io.modelserve.tools.Query --url "$url" --file "image=$image"
