#!/usr/bin/env bash
# Starts a local Model Serve cluster of one example: a controller and N workers on loopback.
#
#   ./run_all.sh [example] [workers]      e.g. ./run_all.sh ocr 2, ./run_all.sh echo 4
#
# Builds the example if needed, runs its download step, logs to logs/, records every PID in
# .run/pids for kill_all.sh, and returns once every worker serves. Environment:
#   PORT (8888)              controller port
#   WORKER_PORT_BASE (8880)  worker i listens on WORKER_PORT_BASE + i
#   DEVICES (cpu)            comma-separated devices, one per worker, cycled: DEVICES=0,1,2,3
#   SERVICE                  the @Api name to run (default: the example's)
#   JAVA_OPTS                extra JVM options for every node
#   WORKER_ARGS              extra worker arguments, e.g. the service's settings:
#                            WORKER_ARGS="--set model=examples/text-to-text/models/other"
#   CONTROLLER_ARGS          extra controller arguments, e.g. limits or CORS:
#                            CONTROLLER_ARGS="--cors-origin https://app.example.com --max-queue 500"
#   GPU=1                    build with ONNX Runtime's CUDA build (onnxruntime_gpu) instead of the
#                            CPU one; then DEVICES=0,1,... puts workers on GPUs (CUDA 12, cuDNN 9)
set -euo pipefail
cd "$(dirname "$0")"

example=${1:-ocr}
workers=${2:-1}
port=${PORT:-8888}
worker_base=${WORKER_PORT_BASE:-8880}
IFS=',' read -r -a devices <<< "${DEVICES:-cpu}"
dir=examples/$example

die() { echo "run_all.sh: $*" >&2; exit 1; }
[ -f "$dir/example.properties" ] || die "no example '$example' (try: $(ls examples | grep -v pom.xml | tr '\n' ' '))"
[[ "$workers" =~ ^[0-9]+$ ]] && [ "$workers" -ge 1 ] || die "workers must be a positive number, not '$workers'"
prop() { sed -n "s/^$1=//p" "$dir/example.properties" | head -n 1; }
main_class=$(prop mainClass)
service=${SERVICE:-$(prop service)}
prepare=$(prop prepare)

if [ -s .run/pids ]; then
  die "a cluster from an earlier run_all.sh may still run (.run/pids); stop it with ./kill_all.sh"
fi
command -v curl >/dev/null || die "curl is needed to check the nodes"

# Build when the class path is missing or any source is newer than it.
cp_file=$dir/target/classpath.txt
# GPU=1 builds with ONNX Runtime's CUDA build; switching either way rebuilds.
gpu_flag=(); [ "${GPU:-0}" = "1" ] && gpu_flag=(-Dgpu)
# (the CPU build's jar sits in .../onnxruntime/onnxruntime/, the GPU one's in .../onnxruntime/onnxruntime_gpu/)
has_jar() { [ -f "$cp_file" ] && grep -q "com/microsoft/onnxruntime/$1/" "$cp_file"; }
if [ ! -f "$cp_file" ] || [ -n "$(find modelserve/src "$dir/src" pom.xml "$dir/pom.xml" -newer "$cp_file" -type f 2>/dev/null | head -n 1)" ] \
    || { [ "${GPU:-0}" = "1" ] && has_jar onnxruntime; } || { [ "${GPU:-0}" != "1" ] && has_jar onnxruntime_gpu; }; then
  echo "building $example ${gpu_flag[*]} ..."
  ./mvnw -B -q -DskipTests install -pl "$dir" -am "${gpu_flag[@]}"
fi
if [ -n "$prepare" ]; then
  echo "preparing $example ($prepare) ..."
  bash "$prepare"
fi
classpath="$PWD/$dir/target/classes:$(cat "$cp_file")"

mkdir -p logs .run
: > .run/pids
export OPT_OUT_TRACKING=true
# the --add-* flags are those Hazelcast asks for on Java 9+ (it warns at start without them)
jvm=(-XX:+UseSerialGC -Dai.djl.offline=true
     --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
     --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
     --add-opens java.management/sun.management=ALL-UNNAMED
     --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)
# shellcheck disable=SC2206
jvm+=(${JAVA_OPTS:-})
# shellcheck disable=SC2206
worker_args=(${WORKER_ARGS:-})
# shellcheck disable=SC2206
controller_args=(${CONTROLLER_ARGS:-})

start() {  # name, args...
  local name=$1; shift
  java "${jvm[@]}" -cp "$classpath" "$main_class" "$@" > "logs/$name.log" 2>&1 &
  echo "$! $name $main_class" >> .run/pids
  echo $!
}

wait_for() {  # what, seconds, command...
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "run_all.sh: timed out waiting for $what; see logs/" >&2
      ./kill_all.sh >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 0.5
  done
}

controller_pid=$(start controller --controller --port "$port" --controller-addr "http://127.0.0.1:$port" --webroot "$dir" \
    ${controller_args[@]+"${controller_args[@]}"})
wait_for "the controller (logs/controller.log)" 120 curl -sf "http://127.0.0.1:$port/_/health"

pids=()
for ((i = 0; i < workers; i++)); do
  wport=$((worker_base + i))
  device=${devices[$((i % ${#devices[@]}))]}
  pids+=("$(start "worker-$i" --worker --name "$service" --device "$device" --port "$wport" \
      --controller-addr "http://127.0.0.1:$port" --worker-addr "http://127.0.0.1:$wport" \
      ${worker_args[@]+"${worker_args[@]}"})")
done
for ((i = 0; i < workers; i++)); do
  wait_for "worker $i (logs/worker-$i.log)" 300 \
      bash -c "curl -sf http://127.0.0.1:$port/_/status | grep -q '\"pid\" : ${pids[$i]},'"
done

echo "controller pid $controller_pid, $workers worker(s) of '$service' serving"
echo "web page:  http://127.0.0.1:$port/"
echo "API:       http://127.0.0.1:$port/$service"
echo "status:    http://127.0.0.1:$port/_/status"
echo "stop with: ./kill_all.sh"
