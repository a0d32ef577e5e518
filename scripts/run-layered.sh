#!/usr/bin/env bash
# Does what the Dockerfile does, outside Docker (no engine runs in CI), so a broken ENTRYPOINT, layer path or
# HEALTHCHECK fails here:
#   build stage   — the jar from `./mvnw package` (built if missing), then the Dockerfile's own `java -Djarmode=tools`
#                   RUN line, run in a temp copy of /build;
#   runtime stage — every `COPY --from=build` line into a temp /app, the stage's `RUN java ...` lines (the CDS
#                   training run), then the ENTRYPOINT exactly as written, on a free port (PORT), waiting for the
#                   HEALTHCHECK command to pass; then one POST /v1/gradients with deploy/sample-request.json, a check of
#                   /actuator/info, and SIGTERM (graceful shutdown must end the process with status 0).
# Needs: java, curl, python3. Prints "run-layered: OK" on success.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DOCKERFILE=${DOCKERFILE:-Dockerfile}
log() { echo "run-layered: $*"; }
die() { echo "run-layered: FAIL: $*" >&2; exit 1; }
for tool in java curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

# The Dockerfile's instructions, continuation lines joined, as "STAGE<TAB>INSTRUCTION<TAB>ARGS" lines.
instructions() {
  python3 - "$DOCKERFILE" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'\\\n', ' ', text)
stage = ''
for line in text.splitlines():
    line = line.strip()
    if not line or line.startswith('#'):
        continue
    word, _, rest = line.partition(' ')
    word = word.upper()
    if word == 'FROM':
        m = re.search(r'\bAS\s+(\S+)', rest, re.I)
        stage = m.group(1) if m else rest.split()[0]
    print(f"{stage}\t{word}\t{rest.strip()}")
PY
}
runtime_stage=$(instructions | awk -F'\t' '$2=="FROM"{s=$1} END{print s}')
build_dir_in_image=$(instructions | awk -F'\t' '$1=="build" && $2=="WORKDIR"{print $3}' | tail -1)
app_dir_in_image=$(instructions | awk -F'\t' -v s="$runtime_stage" '$1==s && $2=="WORKDIR"{print $3}' | tail -1)
[ -n "$build_dir_in_image" ] && [ -n "$app_dir_in_image" ] || die "no WORKDIR found in the build or runtime stage"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/chainrule-layered.XXXXXX")
PID=
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -9 "$PID" 2>/dev/null || true; fi
  if [ "${KEEP:-}" != 1 ]; then rm -rf "$WORK"; else log "kept $WORK"; fi
}
trap cleanup EXIT
BUILD="$WORK/build" APP="$WORK/app"
mkdir -p "$BUILD" "$APP"

# ---- build stage ----
jar=$(ls target/chainrule-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)
if [ -z "$jar" ]; then
  log "no jar in target/: ./mvnw -B -q -DskipTests package"
  ./mvnw -B -q -DskipTests package
  jar=$(ls target/chainrule-*.jar | grep -v -- '-plain' | head -1)
fi
cp "$jar" "$BUILD/app.jar"
extract=$(instructions | awk -F'\t' '$1=="build" && $2=="RUN" && /-Djarmode=tools/{print $3}' | tail -1)
[ -n "$extract" ] || die "the build stage has no 'RUN java -Djarmode=tools ...' line"
log "build stage: $extract"
(cd "$BUILD" && bash -c "$extract") || die "layer extraction failed"

# ---- runtime stage ----
while IFS=$'\t' read -r stage word args; do
  [ "$stage" = "$runtime_stage" ] || continue
  case "$word" in
    COPY)
      # COPY --from=build /build/extracted/<layer>/ ./
      read -r from src dst <<<"$args"
      [ "$from" = "--from=build" ] || continue
      local_src="$BUILD/${src#"$build_dir_in_image"/}"
      [ -d "$local_src" ] || die "COPY source $src does not exist after extraction ($local_src)"
      [ "$dst" = "./" ] || die "unexpected COPY destination $dst (expected ./)"
      log "runtime stage: COPY $src"
      cp -a "$local_src/." "$APP/"
      ;;
    RUN)
      case "$args" in
        java\ *)
          log "runtime stage: $args"
          (cd "$APP" && bash -c "$args") > "$WORK/run.log" 2>&1 || { cat "$WORK/run.log"; die "RUN failed: $args"; }
          ;;
      esac
      ;;
  esac
done < <(instructions)

entrypoint=$(instructions | awk -F'\t' -v s="$runtime_stage" '$1==s && $2=="ENTRYPOINT"{print $3}' | tail -1)
healthcheck=$(instructions | awk -F'\t' -v s="$runtime_stage" '$1==s && $2=="HEALTHCHECK"{print $3}' | tail -1)
[ -n "$entrypoint" ] || die "no ENTRYPOINT in the runtime stage"
[ -n "$healthcheck" ] || die "no HEALTHCHECK in the runtime stage"
healthcheck_cmd=${healthcheck#*CMD }
mapfile -t argv < <(python3 -c 'import json,sys; [print(a) for a in json.loads(sys.argv[1])]' "$entrypoint") \
  || die "ENTRYPOINT is not an exec-form JSON array: $entrypoint"

export PORT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log "ENTRYPOINT ${argv[*]}   (in $app_dir_in_image, PORT=$PORT)"
start=$(date +%s%N)
(cd "$APP" && MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE=health,info exec "${argv[@]}") > "$WORK/app.log" 2>&1 &
PID=$!

ready=
for _ in $(seq 1 600); do
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/app.log"; die "the process exited before it was ready"; }
  if bash -c "$healthcheck_cmd" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.1
done
[ -n "$ready" ] || { tail -50 "$WORK/app.log"; die "HEALTHCHECK did not pass within 60 s: $healthcheck_cmd"; }
log "HEALTHCHECK passed after $(( ($(date +%s%N) - start) / 1000000 )) ms: $healthcheck_cmd"
grep -q "Started ChainruleApplication" "$WORK/app.log" && log "$(grep -o 'Started ChainruleApplication.*' "$WORK/app.log")"
if grep -qiE "sharing|SharedArchiveFile|CDS" "$WORK/app.log"; then
  grep -iE "sharing|SharedArchiveFile|CDS" "$WORK/app.log" | head -3
  die "the JVM complained about the CDS archive"
fi

body=$(curl -fsS -H 'Content-Type: application/json' -H 'X-Request-Id: run-layered-1' \
  --data-binary @deploy/sample-request.json -D "$WORK/headers" "http://127.0.0.1:$PORT/v1/gradients") \
  || die "POST /v1/gradients failed"
echo "$body" | grep -q '"gradients"' || die "POST /v1/gradients answered without gradients: $body"
grep -qi '^X-Request-Id: run-layered-1' "$WORK/headers" || die "X-Request-Id was not echoed"
log "POST /v1/gradients: 200, $(echo "$body" | head -c 120)..."
info=$(curl -fsS "http://127.0.0.1:$PORT/actuator/info") || die "GET /actuator/info failed"
echo "$info" | grep -q '"version"' || die "/actuator/info has no version: $info"
log "GET /actuator/info: $info"
grep -q 'POST /v1/gradients 200 .*id=run-layered-1' "$WORK/app.log" || die "no request log line for the POST"

kill -TERM "$PID"
status=0; wait "$PID" || status=$?
PID=
# 143 = 128+SIGTERM: the JVM ran its shutdown hooks (graceful shutdown) and exited on the signal
[ "$status" = 0 ] || [ "$status" = 143 ] || { tail -30 "$WORK/app.log"; die "exit status $status after SIGTERM"; }
grep -q "Graceful shutdown complete" "$WORK/app.log" || { tail -20 "$WORK/app.log"; die "no graceful shutdown in the log"; }
log "SIGTERM: graceful shutdown complete (exit $status)"
log "OK"
