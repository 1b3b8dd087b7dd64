#!/usr/bin/env bash
# Runs a main class on an example's class path (its target/classes and the target/classpath.txt
# the build writes): what every example's query.sh and load_test.sh share.
# Usage: examples/tool.sh <example-dir> <main-class> [args...]
#   e.g. examples/tool.sh examples/echo io.modelserve.tools.Query --help
set -euo pipefail
(( $# >= 2 )) || { echo "usage: examples/tool.sh <example-dir> <main-class> [args...]" >&2; exit 2; }
dir="$1"
main="$2"
shift 2
[[ -f "$dir/target/classpath.txt" ]] || { echo "build first: ./mvnw -q install -DskipTests" >&2; exit 1; }
exec java -cp "$dir/target/classes:$(cat "$dir/target/classpath.txt")" "$main" "$@"
