#!/usr/bin/env bash
# The takeout of the demo learner (a year, 5,000 logs): its size, and how long the server takes
# to read and send it, with the empty axum handler's time from the same run as the baseline;
# and the command line's export and import.
#
#   bash bench/takeout.sh
#
# Builds the release binary and bench/'s tools into $CARGO_TARGET_DIR (default
# /tmp/bench-target). RUNS (default 10) requests each.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}
RUNS=${RUNS:-10}
PORT=${PORT:-18090}
HELLO_PORT=${HELLO_PORT:-18091}

cargo build -q --release --manifest-path "$root/Cargo.toml" -p autodidact_cli
cargo build -q --release --manifest-path "$root/bench/Cargo.toml" --bin hello
bin=$CARGO_TARGET_DIR/release/autodidact
hello=$CARGO_TARGET_DIR/release/hello

work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
url="sqlite://$work/demo.db"
"$bin" demo --database-url "$url" >/dev/null
token=$("$bin" account token --user demo --scope read --database-url "$url" 2>/dev/null)

wait_for() { for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$1/$2" -H "Authorization: Bearer $token" && return; sleep 0.1; done; }
# Median and max of RUNS timings of a URL, in ms, and the body's size.
timings() {
  local url=$1; shift
  for _ in $(seq "$RUNS"); do
    curl -fs -o /dev/null -w '%{time_total} %{size_download}\n' "$@" "$url"
  done | sort -n | awk '{ t[NR] = $1 * 1000; s = $2 } END {
    printf "median %.1f ms, max %.1f ms, %d bytes\n", t[int((NR + 1) / 2)], t[NR], s }'
}

"$bin" serve --bind "127.0.0.1:$PORT" --database-url "$url" --log warn 2>/dev/null &
pids+=($!)
wait_for "$PORT" api/v1/me
"$hello" "127.0.0.1:$HELLO_PORT" 2>/dev/null &
pids+=($!)
wait_for "$HELLO_PORT" ""

echo "GET /api/v1/takeout (demo learner): $(timings "http://127.0.0.1:$PORT/api/v1/takeout" -H "Authorization: Bearer $token")"
echo "GET /api/v1/me (token check + one read): $(timings "http://127.0.0.1:$PORT/api/v1/me" -H "Authorization: Bearer $token")"
echo "empty axum handler, same run:          $(timings "http://127.0.0.1:$HELLO_PORT/")"

start=$(date +%s%N)
for _ in $(seq "$RUNS"); do "$bin" account export --user demo -o "$work/t.json" --force --database-url "$url" 2>/dev/null; done
echo "autodidact account export: $(( ($(date +%s%N) - start) / RUNS / 1000000 )) ms a run (process start included), $(stat -c %s "$work/t.json") bytes"
start=$(date +%s%N)
for n in $(seq 3); do "$bin" account import "$work/t.json" --user "imported$n" --database-url "sqlite://$work/import$n.db" >/dev/null; done
echo "autodidact account import (into a new SQLite file): $(( ($(date +%s%N) - start) / 3 / 1000000 )) ms a run (migrations included)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
