#!/usr/bin/env bash
# Launch-to-ready time of the service, several ways, RUNS times each (default 5): the time from starting the JVM
# until /actuator/health/readiness answers UP (polled every 20 ms), and Spring's own "Started ... in X seconds".
# Prints the median and the range of each. Used for the figures in docs/startup.md.
#   scripts/measure-startup.sh            (builds the jar if target/ has none)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
jar=$(ls target/chainrule-*.jar 2>/dev/null | head -1 || true)
[ -n "$jar" ] || { ./mvnw -B -q -DskipTests package; jar=$(ls target/chainrule-*.jar | head -1); }
jar=$(realpath "$jar")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/chainrule-startup.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
EX="$WORK/extracted"
java -Djarmode=tools -jar "$jar" extract --destination "$EX" --application-filename app.jar >/dev/null
(cd "$EX" && java -XX:ArchiveClassesAtExit=app.jsa -Dspring.context.exit=onRefresh -jar app.jar >/dev/null 2>&1)

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# one run: prints "<ms to readiness UP> <Started-in seconds> <CPU ms used until ready>"
once() {
  local dir=$1; shift
  local p; p=$(port)
  local t0; t0=$(date +%s%N)
  (cd "$dir" && PORT=$p exec "$@") > "$WORK/run.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 3000); do
    if curl -fs "http://127.0.0.1:$p/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; then break; fi
    sleep 0.02
  done
  local t1; t1=$(date +%s%N)
  # user+system CPU time of the JVM until ready: steadier than wall time on a busy machine
  local cpu; cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  local started; started=$(grep -o 'Started ChainruleApplication in [0-9.]*' "$WORK/run.log" | awk '{print $4}')
  echo "$(( (t1 - t0) / 1000000 )) ${started:-?} $cpu"
}

measure() {
  local name=$1 dir=$2; shift 2
  local ready=() started=() cpu=()
  for _ in $(seq 1 "$RUNS"); do
    read -r r s c < <(once "$dir" "$@")
    ready+=("$r"); started+=("$s"); cpu+=("$c")
  done
  python3 - "$name" "${ready[*]}" "${started[*]}" "${cpu[*]}" <<'PY'
import statistics, sys
name = sys.argv[1]
ready, started, cpu = ([float(x) for x in a.split()] for a in sys.argv[2:5])
f = lambda xs, k: f"{statistics.median(xs)/k:.2f} s ({min(xs)/k:.2f}–{max(xs)/k:.2f})"
print(f"| {name} | {f(ready, 1000)} | {f(started, 1)} | {f(cpu, 1000)} |")
PY
}

echo "java: $(java -version 2>&1 | head -1); $(nproc) cores; $RUNS runs each; median (min–max)"
echo "| how it is started | launch → readiness UP | Spring's \"Started … in\" | CPU time until ready |"
echo "| --- | --- | --- | --- |"
measure "java -jar chainrule.jar (fat jar)" "$WORK" java -jar "$jar"
measure "extracted: java -jar app.jar" "$EX" java -jar app.jar
measure "extracted + CDS (-XX:SharedArchiveFile)" "$EX" java -XX:SharedArchiveFile=app.jsa -jar app.jar
measure "extracted + CDS + lazy initialization" "$EX" java -XX:SharedArchiveFile=app.jsa -Dspring.main.lazy-initialization=true -jar app.jar
measure "extracted + CDS + C1 only (-XX:TieredStopAtLevel=1)" "$EX" java -XX:SharedArchiveFile=app.jsa -XX:TieredStopAtLevel=1 -jar app.jar
