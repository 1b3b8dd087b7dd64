#!/usr/bin/env bash
# Embeds one or more sentences and prints the JSON answer (OpenAI's embeddings shape).
# Usage: examples/text-embedding/query.sh [sentence...]     (default: two sample sentences)
#   CONTROLLER=http://host:8888 picks another controller (default http://localhost:8888)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
(( $# > 0 )) || set -- "A man is eating food." "A man is eating a piece of bread."
json_string() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
inputs=""
for s in "$@"; do inputs+="${inputs:+, }$(json_string "$s")"; done
exec "$here/../tool.sh" "$here" io.modelserve.tools.Query \
  --url "${CONTROLLER:-http://localhost:8888}/embeddings" \
  --json "{\"input\": [$inputs], \"model\": \"all-minilm-l6-v2\"}"
