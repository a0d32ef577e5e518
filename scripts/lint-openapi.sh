#!/usr/bin/env bash
# Lints the contract (openapi.yaml) with two third-party linters, both pinned and installed from npm on demand:
#   1. Redocly CLI (recommended ruleset, redocly.yaml)  — errors and warnings both fail
#   2. Spectral (spectral:oas ruleset, .spectral.yaml)  — any finding down to a hint fails
# Run by .ci/run after ./mvnw verify. A linter that cannot be installed is a failure, not a skip: CI keeps the
# contract clean only if the linters actually run.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=${CHAINRULE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/chainrule-tools}
REDOCLY_VERSION=2.77.0
SPECTRAL_VERSION=6.16.3
failed=0
say() { echo "lint-openapi: $*"; }

install() { # package@version binary
  local bin="$TOOLS/node_modules/.bin/$2"
  if [ ! -x "$bin" ] || ! grep -q "\"version\": \"${1##*@}\"" "$TOOLS/node_modules/${1%@*}/package.json" 2>/dev/null; then
    command -v npm >/dev/null || { say "FAIL npm is not installed: install Node.js and npm to lint the contract"; exit 1; }
    say "installing $1 into $TOOLS"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --silent "$1" >/dev/null 2>&1 \
      || { say "FAIL npm could not install $1"; exit 1; }
  fi
}

install "@redocly/cli@$REDOCLY_VERSION" redocly
install "@stoplight/spectral-cli@$SPECTRAL_VERSION" spectral

# Redocly fails on errors only by default; a warning is a finding too.
if out=$("$TOOLS/node_modules/.bin/redocly" lint --config redocly.yaml --format=stylish openapi.yaml 2>&1) \
    && ! grep -Eq '^[[:space:]]+[0-9]+:[0-9]+[[:space:]]+(error|warning)' <<<"$out"; then
  say "PASS Redocly $REDOCLY_VERSION: no errors or warnings"
else
  grep -v '[║╔╚]' <<<"$out"; say "FAIL Redocly $REDOCLY_VERSION"; failed=1
fi
if out=$("$TOOLS/node_modules/.bin/spectral" lint --ruleset .spectral.yaml --fail-severity=hint openapi.yaml 2>&1); then
  say "PASS Spectral $SPECTRAL_VERSION (spectral:oas): no findings"
else
  echo "$out"; say "FAIL Spectral $SPECTRAL_VERSION"; failed=1
fi
exit $failed
