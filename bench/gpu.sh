#!/usr/bin/env bash
# The models on a GPU against the CPU (benchmark scenario 10): same answers (embedding vectors,
# OCR text), one worker's throughput with batches of 32 and 1, and 1/2/4 workers sharing the GPU.
# Builds the examples with ONNX Runtime's CUDA build (-Dgpu; CUDA 12 and cuDNN 9 on the machine).
#
#   bench/gpu.sh                 on GPU 0, results in bench/results/<date>/results-only-10.md
#   bench/gpu.sh --device 1      another GPU
#   bench/gpu.sh --cpu --quick   the CPU half only, short: checks that the script works (any machine)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

device=0; gpu_flag=(-Dgpu); extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device=$2; shift 2 ;;
    --cpu) device=cpu; gpu_flag=(); shift ;;
    *) extra+=("$1"); shift ;;
  esac
done

if [ "$device" != cpu ] && ! command -v nvidia-smi >/dev/null; then
  echo "[gpu] no nvidia-smi here: is this a GPU machine? (bench/gpu.sh --cpu runs the CPU half)" >&2
fi
[ "$device" != cpu ] && command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv

echo "[gpu] building the examples ${gpu_flag[*]:-(CPU build)}"
./mvnw -B -q -DskipTests package -pl bench,examples/echo,examples/ocr,examples/text-embedding -am "${gpu_flag[@]}"
[ -f examples/ocr/models/ch_PP-OCRv4_rec_infer.onnx ] || bash examples/ocr/download_models.sh || echo "[gpu] no OCR models: the OCR comparison is skipped"

export OPT_OUT_TRACKING=true
exec java -Xmx1g -XX:+UseSerialGC -Djava.awt.headless=true -Dai.djl.offline=true \
  -Dmodelserve.repo="$root" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.modelserve.bench.BenchSuite --only 10 --device "$device" "${extra[@]}"
