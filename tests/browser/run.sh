#!/usr/bin/env bash
# Browser test of the dashboard: starts the given `stockpile serve` on a free
# 127.0.0.1 port with a throwaway data dir (and demo data when this build has
# `serve --demo`), mints an admin and a viewer token, installs playwright-core
# from package-lock.json (npm ci; no browser download: Debian's chromium is
# used) and runs dashboard.test.mjs in headless Chromium.
# Usage: run.sh /path/to/stockpile [ARTIFACTS_DIR]
# Screenshots land in ARTIFACTS_DIR (default: a temporary directory).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$(realpath "$1")"
artifacts="${2:-$(mktemp -d /tmp/stockpile-browser.XXXXXX)}"
chromium="${CHROMIUM:-/usr/bin/chromium}"
fail() { echo "browser test: $*" >&2; exit 1; }

[ -x "$bin" ] || fail "no stockpile binary at $bin"
[ -x "$chromium" ] || fail "$chromium is missing: run ./scripts/bootstrap (Debian package 'chromium')"
command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are needed"
mkdir -p "$artifacts"

# playwright-core, installed beside the build (not in the source tree) and
# only again when the lock file changes.
work="$artifacts/node"
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/dashboard.test.mjs" "$work/"
if ! cmp -s "$here/package-lock.json" "$work/node_modules/.stockpile-lock" 2>/dev/null; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"
  cp "$here/package-lock.json" "$work/node_modules/.stockpile-lock"
fi

data=$(mktemp -d /tmp/stockpile-browser-data.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
args=(serve --http "127.0.0.1:$port" --data-dir "$data" --log-level warn)
# A short retry policy (3 attempts, 100-400 ms apart), so a failing webhook
# is parked within a second rather than after DESIGN.md's ~1 minute.
if "$bin" serve --help 2>/dev/null | grep -q -- '--retry'; then args+=(--retry 3,100,400); fi
if "$bin" serve --help 2>/dev/null | grep -q -- '--demo'; then args+=(--demo); fi
"$bin" "${args[@]}" >"$artifacts/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$artifacts/serve.log" >&2; fail "serve exited"; }
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || { cat "$artifacts/serve.log" >&2; fail "serve did not come up"; }

admin=$("$bin" token --tenant demo --role admin --data-dir "$data")
viewer=$("$bin" token --tenant demo --role viewer --data-dir "$data")

cd "$work"
BASE_URL="http://127.0.0.1:$port" ADMIN_TOKEN="$admin" VIEWER_TOKEN="$viewer" \
  ARTIFACTS="$artifacts" CHROMIUM="$chromium" timeout 240 node dashboard.test.mjs
