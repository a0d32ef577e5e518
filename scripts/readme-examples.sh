#!/usr/bin/env bash
# Runs every shell example of README.md as written, against the jar that `./mvnw verify` built, so that none of
# them drifts from what the service does (issue 15: one had a `{...as above...}` placeholder that answered 400).
#
# An example is a paragraph of an indented code block of README.md whose first line starts with `curl ` or `cat > `
# (a paragraph of output, JSON or CSV, is not). Blocks run in order, in one scratch directory (the quick start writes cs224n.json,
# later examples read it), each in its own bash with -e -o pipefail and with `localhost:8080` pointed at the jar.
# Every curl runs with --fail-with-body, so an HTTP status of 400 or more fails its example; an example must also
# print something. Needs curl (7.76+) and jq, as the README says.
#   scripts/readme-examples.sh [JAR]        (default target/chainrule-*.jar; PORT picks the port, default a free one)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jar=${1:-$(ls target/chainrule-*.jar 2>/dev/null | grep -v plain | head -1 || true)}
[[ -n $jar && -f $jar ]] || { echo "readme-examples: no jar: run ./mvnw -B verify (or package) first" >&2; exit 1; }
for tool in curl jq python3; do
  command -v "$tool" >/dev/null || { echo "readme-examples: $tool is not installed (apt-get install $tool)" >&2; exit 1; }
done
work=$(mktemp -d)
pid=""
# (wait reports the killed service's 143: not this script's status, so it must not trip -e)
cleanup() { if [[ -n $pid ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

port=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "readme-examples: port $port is already in use; set PORT to a free port" >&2
  exit 1
fi
java -jar "$jar" --server.port="$port" >"$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  kill -0 "$pid" 2>/dev/null || { tail -20 "$work/service.log" >&2; echo "readme-examples: the jar exited" >&2; pid=""; exit 1; }
  curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness" && break
  sleep 0.5
done

# the examples, one file each, in README order
python3 - "$root/README.md" "$work" <<'PY'
import sys, textwrap
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
blocks, cur, fence = [], [], False
for line in lines + [""]:
    if line.startswith("```"):
        fence = not fence
    # a command and its output are one Markdown code block, split by a blank line: each paragraph is its own block
    if not fence and line.startswith("    ") and line.strip():
        cur.append(line)
        continue
    if cur:
        blocks.append(textwrap.dedent("\n".join(cur)))
    cur = []
n = 0
for b in blocks:
    first = b.lstrip().split("\n", 1)[0]
    if first.startswith("curl ") or first.startswith("cat > "):
        n += 1
        open(f"{sys.argv[2]}/example-{n:02d}.sh", "w", encoding="utf-8").write(b + "\n")
print(n, file=open(f"{sys.argv[2]}/count", "w"))
PY
count=$(cat "$work/count")
[[ $count -gt 0 ]] || { echo "readme-examples: found no examples in README.md" >&2; exit 1; }

failed=0
for f in "$work"/example-*.sh; do
  first=$(head -1 "$f")
  script=$(sed "s#localhost:8080#127.0.0.1:$port#g" "$f")
  if out=$(cd "$work" && bash -c "set -eo pipefail; curl() { command curl --fail-with-body \"\$@\"; }; $script" 2>&1) \
      && [[ -n $out ]]; then
    echo "readme-examples: PASS $(basename "$f"): $first"
  else
    echo "readme-examples: FAIL $(basename "$f"): $first"
    echo "$out" | head -20 | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done
echo "readme-examples: $((count - failed)) of $count README examples ran as written"
[[ $failed -eq 0 ]]
