#!/usr/bin/env bash
# Asks the text-to-text service one question and prints the JSON answer.
# Usage: examples/text-to-text/query.sh [text] [controller-url]
#   (defaults: "translate English to German: How old are you?", http://localhost:8888)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
text="${1:-translate English to German: How old are you?}"
url="${2:-http://localhost:8888}/custom"
exec "$here/../tool.sh" "$here" io.modelserve.tools.Query \
  --url "$url" --query "text=$text"
