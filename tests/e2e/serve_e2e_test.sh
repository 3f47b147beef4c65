#!/usr/bin/env bash
# End-to-end: the real `stockpile serve` binary on 127.0.0.1 — health,
# metrics, OpenAPI, auth with a token from `stockpile token`, problem+json on
# bad input, graceful SIGTERM, and a restart that keeps the data dir's secret.
# Usage: serve_e2e_test.sh /path/to/stockpile
set -euo pipefail
bin="$1"
dir=$(mktemp -d)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
pid=""
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start() {
  "$bin" serve --http "127.0.0.1:$port" --data-dir "$dir" --log-level warn >"$dir/out" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$dir/out" >&2
  fail "server did not come up"
}

start
[ "$(curl -s "http://127.0.0.1:$port/health")" = '{"status":"ok"}' ] || fail "health"
# (Captured first: grep -q closing the pipe early would fail curl under pipefail.)
openapi=$(curl -s "http://127.0.0.1:$port/openapi.json")
grep -q '"openapi"' <<<"$openapi" || fail "openapi"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/events")
[ "$code" = 401 ] || fail "no token gave $code"
token=$("$bin" token --tenant demo --role viewer --data-dir "$dir")
body=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/events")
[ "$body" = '{"items":[],"next":null}' ] || fail "events: $body"
ctype=$(curl -s -o /dev/null -w '%{content_type}' -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/events?limit=x")
[ "$ctype" = "application/problem+json" ] || fail "bad limit content type: $ctype"
metrics=$(curl -s "http://127.0.0.1:$port/metrics")
grep -qF 'stockpile_http_requests_total{method="GET",route="/api/v1/events",status="200"} 1' \
  <<<"$metrics" || fail "metrics"

kill -TERM "$pid"
wait "$pid" || fail "serve exited non-zero after SIGTERM"
pid=""

# The same data dir: the secret survives, so the old token still works.
start
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/v1/events")
[ "$code" = 200 ] || fail "token after restart gave $code"
kill -TERM "$pid"; wait "$pid"; pid=""
echo "serve e2e: ok"
