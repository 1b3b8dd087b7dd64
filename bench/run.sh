#!/usr/bin/env bash
# The benchmark suite, one command: builds what it needs, runs every scenario alone and in turn,
# and writes bench/results/<yyyy-mm-dd>/results.md with its plots.
#   bench/run.sh            full suite, under 20 minutes on 2 cores; the numbers to report
#   bench/run.sh --quick    about 6 minutes, checks that it all still works (bench/target/quick/)
#   bench/run.sh --only 1,2 only the scenarios with those numbers (see bench/README.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# wrk is the independent load generator that checks ours (scenario 6)
if ! command -v wrk >/dev/null; then
  sudo=""; [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo="sudo -n"
  echo "[bench] installing wrk with apt-get"
  $sudo apt-get install -y -q wrk >/dev/null 2>&1 \
    || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q wrk >/dev/null 2>&1; } \
    || echo "[bench] could not install wrk; scenario 6 will say so and skip the comparison"
fi

echo "[bench] building modelserve, tools, examples/echo, examples/ocr, examples/text-embedding and bench"
# package, not install: the suite runs from the reactor's target/ folders and leaves ~/.m2 alone;
# -DskipTests still compiles the test classes, which hold LocalCluster
./mvnw -B -q -DskipTests package -pl bench,examples/echo,examples/text-embedding -am

export OPT_OUT_TRACKING=true
exec java -Xmx1g -XX:+UseSerialGC -Djava.awt.headless=true -Dai.djl.offline=true \
  -Dmodelserve.repo="$root" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.modelserve.bench.BenchSuite "$@"
