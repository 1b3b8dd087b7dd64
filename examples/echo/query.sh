#!/usr/bin/env bash
# Sends one request to the echo service and prints the answer: what the worker received.
# Usage: examples/echo/query.sh [text] [controller-url]   (defaults: hello, localhost:8888)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
text="${1:-hello}"
url="${2:-http://localhost:8888}/echo"
exec "$here/../tool.sh" "$here" io.modelserve.tools.Query \
  --url "$url" --query "text=$text"
