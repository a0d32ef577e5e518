#!/usr/bin/env bash
# Runs scripts/abuse.py (the hostile mixes of issues 16 and 27) against the jar, on loopback, with the heap the container would give
# it (768 MB limit × 65 %, the Dockerfile's MaxRAMPercentage): prints a table of status counts, worst normal/liveness latency and peak RSS per mix.
#   ./mvnw -q -B package -DskipTests && scripts/abuse.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-11690}"
JAR=target/chainrule-0.1.0.jar
[ -f "$JAR" ] || { echo "build the jar first: ./mvnw -q -B package -DskipTests" >&2; exit 1; }
java -Xmx499m -jar "$JAR" --server.port="$PORT" --server.address=127.0.0.1 > target/abuse-server.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -fs "http://127.0.0.1:$PORT/actuator/health/readiness" > /dev/null 2>&1 && break
  sleep 1
done
timeout 600 python3 scripts/abuse.py "$PORT" "$PID"
echo
echo "OutOfMemoryError in the server log: $(grep -c OutOfMemoryError target/abuse-server.log || true)"
echo "5xx other than 503: $(grep -E 'dev.chainrule.requests .* 5(0[0-24-9]|[1-9][0-9]) ' target/abuse-server.log | wc -l)"
