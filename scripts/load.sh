#!/usr/bin/env bash
# HTTP load on the main endpoint: holds CONNECTIONS connections for SECONDS seconds on POST /v1/gradients,
# then prints throughput, latency percentiles, the count of non-2xx answers and the service's peak RSS.
#   scripts/load.sh [BODY.json] [SECONDS] [CONNECTIONS]     (defaults: the lecture example, 60, 64)
# Starts the packaged jar on a free local port (builds it if missing) unless URL is set; needs wrk
# (apt-get install wrk). Traffic goes to 127.0.0.1 only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
body=${1:-$here/bodies/cs224n.json}
seconds=${2:-60}
connections=${3:-64}
threads=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }

pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; true; }
trap cleanup EXIT

if [[ -z ${URL:-} ]]; then
  jar=$(ls "$root"/target/chainrule-*.jar 2>/dev/null | grep -v plain | head -1 || true)
  if [[ -z $jar ]]; then
    (cd "$root" && ./mvnw -q -B -DskipTests package)
    jar=$(ls "$root"/target/chainrule-*.jar | grep -v plain | head -1)
  fi
  port=${PORT:-18090}
  java ${JAVA_OPTS:-} -jar "$jar" --server.port="$port" >"${LOG:-/tmp/chainrule-load.log}" 2>&1 &
  pid=$!
  URL=http://127.0.0.1:$port
  for _ in $(seq 1 120); do
    curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$body" "$URL/v1/gradients" && break
    sleep 0.5
  done
  # warm-up, not counted
  BODY=$body wrk -t"$threads" -c"$connections" -d10s -s "$here/post.lua" "$URL" >/dev/null
fi

peak_file=$(mktemp)
echo 0 >"$peak_file"
if [[ -n $pid ]]; then
  ( while kill -0 "$pid" 2>/dev/null; do
      awk '/VmHWM/ {print $2}' "/proc/$pid/status" >"$peak_file" 2>/dev/null || true
      sleep 1
    done ) &
  sampler=$!
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
echo "load: $connections connections, $threads wrk threads, ${seconds}s, body $(basename "$body") ($(wc -c <"$body") bytes)"
BODY=$body wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$here/post.lua" "$URL" | grep -E '^(requests|throughput_rps|latency_|non2xx|socket_errors)'
if [[ -n $pid ]]; then
  awk '/VmHWM/ {print $2}' "/proc/$pid/status" >"$peak_file" 2>/dev/null || true
  kill "$sampler" 2>/dev/null || true
  echo "peak_rss_mb $(( $(cat "$peak_file") / 1024 ))"
fi
rm -f "$peak_file"
