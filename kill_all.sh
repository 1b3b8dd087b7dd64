#!/usr/bin/env bash
# Stops exactly the processes run_all.sh started, by the PIDs it recorded in .run/pids:
# SIGTERM first (workers drain their in-flight work), SIGKILL for any still alive after 30 s.
set -uo pipefail
cd "$(dirname "$0")"

[ -s .run/pids ] || { echo "kill_all.sh: nothing recorded in .run/pids"; exit 0; }

ours() {  # pid, main class: alive and still the JVM we started (PIDs get reused)
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -q -- "$2"
}

# workers first, so the controller answers until they have drained
mapfile -t lines < <(grep -v ' controller ' .run/pids; grep ' controller ' .run/pids)
for line in "${lines[@]}"; do
  read -r pid name main <<< "$line"
  if ours "$pid" "$main"; then
    kill -TERM "$pid" && echo "stopping $name (pid $pid)"
  fi
done
deadline=$((SECONDS + 30))
for line in "${lines[@]}"; do
  read -r pid name main <<< "$line"
  while ours "$pid" "$main" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  if ours "$pid" "$main"; then
    kill -KILL "$pid" && echo "killed $name (pid $pid): it did not stop in time"
  fi
done
rm -f .run/pids
echo "stopped"
