#!/usr/bin/env bash
# Fetches the ONNX export of nlpconnect/vit-gpt2-image-captioning from the Hugging Face hub (about 1 GB)
# with the example's Java downloader: progress bar, resumes when run again, clear error when offline.
# Usage: examples/image-to-text/download.sh [models-dir]   (default: examples/image-to-text/models/vit-gpt2-image-captioning)
# HF_ENDPOINT=https://mirror... selects a mirror; HF_TOKEN is sent when set.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:-$here/models/vit-gpt2-image-captioning}"
[[ -f "$here/target/classpath.txt" ]] || { echo "build first: ./mvnw -q install -DskipTests" >&2; exit 1; }
exec java -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  io.modelserve.examples.imagetotext.Download "$dest"
