#!/usr/bin/env bash
# Runs every shell example of README.md and docs/*.md as written, against the jar that `./mvnw verify` built, so that
# none of them drifts from what the service does.
#
# An example is a paragraph of an indented code block whose first line starts with `curl ` (fenced blocks are not
# run). Whatever follows it in the same code block, up to the next example, is its documented output. Each example:
#   - runs in its own bash with -e -o pipefail, in an empty scratch directory, with PORT set to the jar's port;
#     it must reach the service as localhost:${PORT:-8080} (a fixed port or another host fails it);
#   - runs every curl with --fail-with-body, so an HTTP status of 400 or more fails it, unless its documented
#     output names a problem type (/problems/...): such an example shows a refusal on purpose;
#   - must print something, must leave no file behind, and must finish within 60 s;
#   - when an output is documented, must print exactly that, line for line, except where a line (or the whole
#     output) is JSON: JSON is compared as values, so that `2.0` and `2`, 0.1's 17-digit spelling or two orders of
#     an object's keys are the same (jq versions differ there), while `true` and `1`, or any other value, differ.
# A code block that runs curl in a paragraph that is not an example fails the run: it would silently not be run.
# Needs curl (7.76+), jq and python3, as the README says.
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

PORT=$port python3 - "$root" "$work" <<'PY'
import glob, json, os, re, subprocess, sys

root, work = sys.argv[1], sys.argv[2]
files = ["README.md"] + sorted(os.path.relpath(f, root) for f in glob.glob(os.path.join(root, "docs", "*.md")))


def code_blocks(path):
    """The indented code blocks of a Markdown file outside fences (also those in list items), as lists of lines
    without the block's own indent."""
    blocks, cur, fence = [], [], False
    for line in open(os.path.join(root, path), encoding="utf-8").read().split("\n") + ["end"]:
        if line.lstrip().startswith("```"):
            fence = not fence
        if not fence and (line.startswith("    ") or (cur and not line.strip())):
            cur.append(line)
            continue
        while cur and not cur[-1].strip():
            cur.pop()
        if cur:
            indent = min(len(line) - len(line.lstrip(" ")) for line in cur if line.strip())
            blocks.append([line[indent:] for line in cur])
        cur = []
    return blocks


def examples(path):
    """(command, documented output or None) for each example of a file; a non-example naming localhost is an error."""
    found, errors = [], []
    for block in code_blocks(path):
        # paragraphs: runs of non-blank lines; an example starts at a paragraph whose first line starts with curl
        starts = [i for i, line in enumerate(block) if line.startswith("curl ") and (i == 0 or not block[i - 1].strip())]
        head = block[:starts[0]] if starts else block
        if any(re.search(r"\bcurl\b", line) for line in head):
            errors.append(f"{path}: a code block runs curl but does not start with it, so it is not run: {head[0]!r}")
        for n, start in enumerate(starts):
            end = starts[n + 1] if n + 1 < len(starts) else len(block)
            lines = block[start:end]
            cut = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
            command, output = lines[:cut], lines[cut:]
            while output and not output[0].strip():
                output.pop(0)
            while output and not output[-1].strip():
                output.pop()
            found.append(("\n".join(command), "\n".join(output) if output else None))
    return found, errors


def json_values(text):
    """The JSON values text is made of, one after another, or None if it is not only JSON."""
    decoder, values, i = json.JSONDecoder(), [], 0
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if i == len(text):
            return values if values else None
        try:
            value, i = decoder.raw_decode(text, i)
        except ValueError:
            return None
        values.append(value)


def same_value(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def same_output(expected, actual):
    expected_lines = [line.rstrip() for line in expected.split("\n")]
    actual_lines = [line.rstrip() for line in actual.rstrip("\n").split("\n")]
    if expected_lines == actual_lines:
        return True
    e, a = json_values(expected), json_values(actual)
    if e is not None and a is not None:
        return len(e) == len(a) and all(same_value(x, y) for x, y in zip(e, a))
    if len(expected_lines) != len(actual_lines):
        return False
    for x, y in zip(expected_lines, actual_lines):
        if x != y:
            vx, vy = json_values(x), json_values(y)
            if vx is None or vy is None or len(vx) != len(vy) or not all(map(same_value, vx, vy)):
                return False
    return True


fixed = re.compile(r"localhost(?!:\$\{PORT:-8080\})|127\.0\.0\.1")
total = passed = checked = 0
per_file = []
problems = []
for path in files:
    found, errors = examples(path)
    problems += errors
    per_file.append(f"{path}: {len(found)}")
    for n, (command, output) in enumerate(found, 1):
        total += 1
        name = f"{path} #{n}"
        first = command.split("\n", 1)[0]
        why = None
        if fixed.search(command):
            why = "reaches the service other than as localhost:${PORT:-8080}"
        else:
            scratch = os.path.join(work, f"example-{total:03d}")
            os.mkdir(scratch)
            refusal = output is not None and "/problems/" in output
            wrapper = "" if refusal else 'curl() { command curl --fail-with-body "$@"; }\n'
            try:
                run = subprocess.run(["bash", "-c", "set -eo pipefail\n" + wrapper + command], cwd=scratch,
                                     capture_output=True, text=True, timeout=60)
                out = run.stdout
                if run.returncode != 0:
                    why = f"exit status {run.returncode}"
                elif not out.strip():
                    why = "printed nothing"
                elif os.listdir(scratch):
                    why = "left files behind: " + ", ".join(sorted(os.listdir(scratch)))
                elif output is not None and not same_output(output, out):
                    why = "printed something else than the documented output"
            except subprocess.TimeoutExpired:
                why, out, run = "took over 60 s", "", None
        if why is None:
            passed += 1
            checked += output is not None
            print(f"readme-examples: PASS {name}{' (output checked)' if output is not None else ''}: {first}")
        else:
            print(f"readme-examples: FAIL {name}: {first}\n    {why}")
            if why.startswith(("exit", "printed", "took")):
                shown = (out + (run.stderr if run else "")).rstrip("\n").split("\n")[:20]
                print("\n".join("    | " + line for line in shown))
            if output is not None and why.startswith("printed something else"):
                print("    documented:\n" + "\n".join("    | " + line for line in output.split("\n")[:20]))
for problem in problems:
    print(f"readme-examples: FAIL {problem}")
print(f"readme-examples: {passed} of {total} examples ran as written, {checked} of them with their documented output "
      f"({', '.join(per_file)})")
sys.exit(0 if passed == total and total > 0 and not problems else 1)
PY
