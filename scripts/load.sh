#!/usr/bin/env bash
# HTTP load on the main endpoint: holds CONNECTIONS connections for SECONDS seconds on POST /v1/gradients,
# then prints throughput, latency percentiles, the count of non-2xx answers and the service's peak RSS.
#   scripts/load.sh [BODY.json] [SECONDS] [CONNECTIONS]     (defaults: the lecture example, 60, 64)
# after WARM seconds (default 30) of the same load, not counted.
# Starts the packaged jar (JAR, default target/chainrule-*.jar, built if missing) on PORT (default 18090) unless URL
# is set; needs wrk (apt-get install wrk). Traffic goes to 127.0.0.1 only. Refuses to run when PORT is already taken, and fails
# when the service answering on it is not the one it started (checked by a token at /actuator/info).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
body=${1:-$here/bodies/cs224n.json}
seconds=${2:-60}
connections=${3:-64}
threads=${THREADS:-2}

pid=""
# (wait reports the killed service's 143: not this script's status, so it must not trip -e)
cleanup() { if [[ -n $pid ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

if [[ -z ${URL:-} ]]; then
  port=${PORT:-18090}
  # a port already taken would have the load go to someone else's server while ours fails to start
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "load.sh: port $port is already in use; set PORT to a free port" >&2
    exit 1
  fi
fi
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }

if [[ -z ${URL:-} ]]; then
  jar=${JAR:-$(ls "$root"/target/chainrule-*.jar 2>/dev/null | grep -v plain | head -1 || true)}
  if [[ -z $jar ]]; then
    (cd "$root" && ./mvnw -q -B -DskipTests package)
    jar=$(ls "$root"/target/chainrule-*.jar | grep -v plain | head -1)
  fi
  log=${LOG:-/tmp/chainrule-load.log}
  # the jar shows this token at /actuator/info, so the script can tell its own service from any other
  token=load-$$-$RANDOM
  java ${JAVA_OPTS:-} -jar "$jar" --server.port="$port" --management.endpoints.web.exposure.include=health,info \
    --management.info.env.enabled=true --info.load-token="$token" >"$log" 2>&1 &
  pid=$!
  URL=http://127.0.0.1:$port
  ready=
  for _ in $(seq 1 240); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "load.sh: the service exited before it was ready; the end of $log:" >&2
      tail -20 "$log" >&2
      pid=""
      exit 1
    fi
    if curl -s --max-time 2 "$URL/actuator/info" 2>/dev/null | grep -q "\"$token\""; then
      ready=1
      break
    fi
    sleep 0.5
  done
  if [[ -z $ready ]]; then
    echo "load.sh: no answer from the service started on port $port (its own: /actuator/info has no $token) within 120 s; see $log" >&2
    exit 1
  fi
  curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @"$body" "$URL/v1/gradients" \
    || { echo "load.sh: the service does not answer $(basename "$body") with 2xx; see $log" >&2; exit 1; }
  # warm-up, not counted: WARM seconds (30, as shared/perf/run.sh), so the figures are the JIT-compiled steady state
  # (measured after 10 s, the running example's p99 at 16 connections was 6.1x p50; after 40 s, 2.6x)
  BODY=$body wrk -t"$threads" -c"$connections" -d"${WARM:-30}s" -s "$here/post.lua" "$URL" >/dev/null
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
