#!/usr/bin/env bash
# The API from outside: a real server on a fresh SQLite database with the demo learner and a
# read-write token, then
#   1. e2e/api-ids.mjs: a JavaScript client reads ids through JSON.parse and deletes a log by one;
#   2. schemathesis: every operation of /api/openapi.json fuzzed with all checks but the two
#      that judge validation strictness, bounded in examples and time; any failure (a 5xx
#      above all) fails the run.
# Needs the debug binary (cargo build) and Node.js; installs schemathesis from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=./target/debug/autodidact
port=${AUTODIDACT_API_CHECK_PORT:-18080}
work=$(mktemp -d)
url="sqlite://$work/api.db"
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v st >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check schemathesis >&2
fi

"$bin" demo --database-url "$url" --logs 300 >/dev/null
token=$("$bin" account token --user demo --scope read-write --name api-check --database-url "$url")
"$bin" serve --bind "127.0.0.1:$port" --database-url "$url" --base-url "http://127.0.0.1:$port" \
  >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/api/openapi.json" >/dev/null 2>&1 && break
  sleep 0.1
done

echo "-- a JavaScript client reads ids through JSON.parse"
BASE="http://127.0.0.1:$port" TOKEN="$token" node e2e/api-ids.mjs

echo "-- schemathesis"
# Run from the work directory, so that no stray schemathesis.toml is picked up.
(cd "$work" && timeout 900 st run "http://127.0.0.1:$port/api/openapi.json" \
  -H "Authorization: Bearer $token" \
  --exclude-checks negative_data_rejection,positive_data_acceptance \
  --max-examples 50 --seed 1 --request-timeout 10 --no-color) | tee "$work/schemathesis.txt" | tail -25
if grep -q "Server error" "$work/schemathesis.txt"; then
  echo "api-check: a 5xx answer" >&2
  exit 1
fi
echo "api-check: ok"
