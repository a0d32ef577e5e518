#!/usr/bin/env bash
# Checks the deployment files without a Docker engine (none runs in CI):
#   1. Dockerfile lint      — dockerfile-utils (the linter of the Dockerfile language server), from npm
#   2. compose validation   — `docker-compose config` (Debian's docker-compose), default and `scale` profiles
#   3. nginx config test    — `nginx -t` (Debian's nginx) on deploy/nginx/nginx.conf, upstream host mapped to loopback
# Each tool is installed here if missing; a check is skipped, with a message saying why, only if its tool cannot be
# installed. The Kubernetes manifests are checked by DeploymentManifestsTest (in ./mvnw verify), the image's stages by
# scripts/run-layered.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=${CHAINRULE_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/chainrule-tools}
DOCKERFILE_UTILS_VERSION=0.16.3
failed=0 skipped=0 passed=0
say() { echo "check-deploy: $*"; }
pass() { say "PASS $*"; passed=$((passed + 1)); }
fail() { say "FAIL $*"; failed=$((failed + 1)); }
skip() { say "SKIP $*"; skipped=$((skipped + 1)); }

apt_updated=
apt_install() {
  command -v apt-get >/dev/null || return 1
  local sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  if [ -z "$apt_updated" ]; then $sudo apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
  # never start the services the packages bring (nginx would take port 80)
  local policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod +x /usr/sbin/policy-rc.d && policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 || rc=$?
  [ -z "$policy" ] || $sudo rm -f /usr/sbin/policy-rc.d
  return $rc
}

# ---- 1. Dockerfile lint ----
lint="$TOOLS/node_modules/.bin/dockerfile-utils"
if [ ! -x "$lint" ] && command -v npm >/dev/null; then
  say "installing dockerfile-utils@$DOCKERFILE_UTILS_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --silent "dockerfile-utils@$DOCKERFILE_UTILS_VERSION" >/dev/null 2>&1 || true
fi
if [ -x "$lint" ]; then
  if out=$("$lint" lint Dockerfile 2>&1) && [ -z "$out" ]; then
    pass "Dockerfile lint (dockerfile-utils $DOCKERFILE_UTILS_VERSION): no problems"
  else
    echo "$out"; fail "Dockerfile lint (dockerfile-utils)"
  fi
else
  skip "Dockerfile lint: npm could not install dockerfile-utils"
fi

# ---- 2. compose ----
if ! command -v docker-compose >/dev/null; then
  say "installing docker-compose (Debian)"
  apt_install docker-compose || true
fi
if command -v docker-compose >/dev/null; then
  for profile in "" scale; do
    args=(); label="docker-compose.yml"
    [ -z "$profile" ] || { args=(--profile "$profile"); label="docker-compose.yml --profile $profile"; }
    if out=$(docker-compose "${args[@]}" config 2>&1); then
      services=$(docker-compose "${args[@]}" config --services 2>/dev/null | tr '\n' ' ')
      pass "$label is valid ($(docker-compose version --short 2>/dev/null)); services: $services"
      # every chainrule service exits on OutOfMemoryError (and is restarted): one JAVA_TOOL_OPTIONS with the flag each
      want=$(echo "$services" | tr ' ' '\n' | grep -c -E '^(chainrule|replica)$' || true)
      got=$(echo "$out" | grep -c 'JAVA_TOOL_OPTIONS: -XX:+ExitOnOutOfMemoryError' || true)
      if [ "$got" -ge "$want" ] && [ "$want" -ge 1 ]; then
        pass "$label: the JVM exits on OutOfMemoryError in all $want chainrule services"
      else
        fail "$label: JAVA_TOOL_OPTIONS -XX:+ExitOnOutOfMemoryError in $got of $want chainrule services"
      fi
    else
      echo "$out"; fail "$label"
    fi
  done
else
  skip "compose validation: docker-compose could not be installed"
fi

# ---- 3. nginx ----
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  say "installing nginx (Debian; its service is not started)"
  apt_install nginx-light || apt_install nginx || true
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ -x "$NGINX" ]; then
  tmp=$(mktemp -d)
  # compose's DNS name of the replicas does not resolve here: test the config against loopback
  sed 's/server replica:/server 127.0.0.1:/' deploy/nginx/nginx.conf > "$tmp/nginx.conf"
  grep -q 'least_conn;' "$tmp/nginx.conf" || { fail "nginx.conf does not balance by least_conn"; }
  if out=$("$NGINX" -t -p "$tmp" -c "$tmp/nginx.conf" -g "pid $tmp/nginx.pid;" 2>&1); then
    pass "deploy/nginx/nginx.conf: $(echo "$out" | grep -o 'syntax is ok' | head -1), $("$NGINX" -v 2>&1)"
  else
    echo "$out"; fail "deploy/nginx/nginx.conf (nginx -t)"
  fi
  rm -rf "$tmp"
else
  skip "nginx -t: nginx could not be installed"
fi

say "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
