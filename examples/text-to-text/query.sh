#!/usr/bin/env bash
# Asks the text-to-text service one question and prints the JSON answer.
# Usage: examples/text-to-text/query.sh [text] [controller-url]
#   (defaults: "translate English to German: How old are you?", http://localhost:8888)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
text="${1:-translate English to German: How old are you?}"
url="${2:-http://localhost:8888}/custom"
[[ -f "$here/target/classpath.txt" ]] || { echo "build first: ./mvnw -q install -DskipTests" >&2; exit 1; }
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  io.modelserve.tools.Query --url "$url" --query "text=$text"
