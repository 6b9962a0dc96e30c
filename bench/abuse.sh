#!/usr/bin/env bash
# Abuse, measured: what a flood of password hashing, slow clients and three times the ceiling
# do to the server's memory and latency. See docs/BENCHMARKS.md ("Abuse and overload").
#
#   bash bench/abuse.sh
#
# It builds the release binary and the tools under bench/ (into $CARGO_TARGET_DIR, default
# /tmp/bench-target), seeds a fresh SQLite database with `autodidact seed-load`, serves it on
# 127.0.0.1, and measures:
#   1. the argon2 flood: SIGNINS wrong-password sign-ins and SIGNUPS sign-ups sent at once
#      (bench/src/bin/flood.rs): their statuses, the server's peak RSS (sampled every 100 ms),
#      `/settings` latency for a signed-in learner during the flood, and the RSS every 10 s
#      for a minute afterwards;
#   2. slowloris: SLOW connections sending a request's headers a byte every 2 s for up to HOLD
#      seconds: how many the server closes and when, and `/settings` latency meanwhile;
#   3. overload: the mix of bench/load.sh at three times the closed-loop ceiling (wrk), open
#      loop (loadgen): the share of answers that are 2xx or 503, the p99 of the accepted ones,
#      and the peak RSS;
#   4. the empty axum handler's closed-loop rate in the same run (bench/src/bin/hello.rs).
# Environment: LEARNERS (200), SIGNINS (2000), SIGNUPS (500), SLOW (200), HOLD (60),
# OVERLOAD_SECONDS (20), PORT (18180), PARTS ("flood slowloris overload hello": which to run),
# SERVE_ARGS (more flags for `autodidact serve`, e.g. "--max-in-flight 16"), KEEP=1 to keep
# the files.
set -euo pipefail

LEARNERS=${LEARNERS:-200}
SIGNINS=${SIGNINS:-2000}
SIGNUPS=${SIGNUPS:-500}
SLOW=${SLOW:-200}
HOLD=${HOLD:-60}
OVERLOAD_SECONDS=${OVERLOAD_SECONDS:-20}
PORT=${PORT:-18180}
PARTS=${PARTS:-"flood slowloris overload hello"}
HELLO_PORT=$((PORT + 10))
part() { [[ " $PARTS " == *" $1 "* ]]; }
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/autodidact-abuse.XXXXXX)
bin=$CARGO_TARGET_DIR/release/autodidact
flood=$CARGO_TARGET_DIR/release/flood
loadgen=$CARGO_TARGET_DIR/release/loadgen
hello=$CARGO_TARGET_DIR/release/hello
server_pid='' hello_pid='' sampler_pid=''

say() { printf '\n== %s\n' "$*"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

cleanup() {
  local status=$?
  for pid in "$sampler_pid" "$server_pid" "$hello_pid"; do
    [ -n "$pid" ] && { kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; }
  done
  if [ "${KEEP:-0}" != 1 ]; then rm -rf "$work"; else echo "kept: $work"; fi
  exit "$status"
}
trap cleanup EXIT

say "building (release, target $CARGO_TARGET_DIR)"
(cd "$root" && cargo build --release --quiet -p autodidact_cli)
cargo build --release --quiet --manifest-path "$root/bench/Cargo.toml"
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || {
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
}; }

url="sqlite://$work/abuse.db"
say "seeding $LEARNERS learners"
"$bin" seed-load --learners "$LEARNERS" --database-url "$url" --sessions-out "$work/sessions.csv" | tail -n 1
IFS=, read -r token _ _ _ _ <"$work/sessions.csv"

wait_for() { # port
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/healthz" && return 0
    curl -fs -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  echo "nothing answers on port $1" >&2
  return 1
}

# This machine is trusted as a proxy: the flood's requests each name their own address, so the
# password hashing, not the per-address throttles, is what the flood meets.
# shellcheck disable=SC2086
"$bin" serve --database-url "$url" --bind "127.0.0.1:$PORT" --log warn --trusted-proxies 127.0.0.1 \
  ${SERVE_ARGS:-} >"$work/serve.log" 2>&1 &
server_pid=$!
wait_for "$PORT"
sleep 1
idle=$(rss_mb "$server_pid")
echo "idle RSS: $idle MB"
# What a part not run leaves in the summary.
flood_line='' flood_peak='-' after=(- - - - - -) slow_line='' over_line='' rate=0 ceiling=0 good='-'
ok=0 shed=0 sent=0 after_overload='-' hello_rate='-'
: >"$work/settings-flood.txt" >"$work/settings-slow.txt"

# Samples the server's RSS (kB) every 100 ms into a file, until killed.
sample_rss() {
  while :; do
    awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status" >>"$1" 2>/dev/null || return 0
    sleep 0.1
  done
}
peak_mb() { sort -n "$1" | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }'; }
# `/settings` for a signed-in learner, N times a second apart in the background: the latencies
# (ms) into a file.
probe_settings() { # file count
  for _ in $(seq 1 "$2"); do
    curl -s -o /dev/null -w '%{time_total}\n' -b "autodidact_session=$token" \
      "http://127.0.0.1:$PORT/settings" | awk '{ printf "%.1f\n", $1 * 1000 }' >>"$1"
    sleep 1
  done
}
summary_ms() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "none"; exit }
  printf "median %.1f ms, max %.1f ms (%d probes)", v[int((NR + 1) / 2)], v[NR], NR }'; }

# ---------------------------------------------------------------------------------------------
if part flood; then
  say "1. the argon2 flood: $SIGNINS wrong sign-ins and $SIGNUPS sign-ups at once"
  : >"$work/rss-flood.txt"
  sample_rss "$work/rss-flood.txt" &
  sampler_pid=$!
  probe_settings "$work/settings-flood.txt" 10 &
  probe_pid=$!
  flood_out=$("$flood" signins --url "http://127.0.0.1:$PORT" --count "$SIGNINS" --signups "$SIGNUPS" --concurrency 500)
  echo "$flood_out"
  wait "$probe_pid" || true
  kill "$sampler_pid" 2>/dev/null && wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=''
  flood_peak=$(peak_mb "$work/rss-flood.txt")
  echo "peak RSS during the flood: $flood_peak MB"
  echo "/settings during the flood: $(summary_ms "$work/settings-flood.txt")"
  after=()
  for s in 10 20 30 40 50 60; do
    sleep 10
    after+=("$(rss_mb "$server_pid")")
    echo "  RSS ${s} s after: ${after[-1]} MB"
  done
  flood_line=$(grep '^RESULT' <<<"$flood_out")

fi
# ---------------------------------------------------------------------------------------------
if part slowloris; then
  say "2. slowloris: $SLOW connections sending a byte every 2 s for up to $HOLD s"
  : >"$work/settings-slow.txt"
  probe_settings "$work/settings-slow.txt" 15 &
  probe_pid=$!
  slow_out=$("$flood" slowloris --url "http://127.0.0.1:$PORT" --count "$SLOW" --hold "$HOLD")
  echo "$slow_out"
  wait "$probe_pid" || true
  echo "/settings meanwhile: $(summary_ms "$work/settings-slow.txt")"
  slow_line=$(grep '^RESULT' <<<"$slow_out")

fi
# ---------------------------------------------------------------------------------------------
if part overload; then
  say "3. overload: three times the ceiling"
  cat >"$work/mix.txt" <<'MIX'
30 GET  /
15 GET  /curricula/{curriculum}
20 GET  /follows/{follow}/board
10 GET  /follows/{follow}
5  GET  /settings
20 POST /logs item={follow}%3A{item}&duration=45&kind=learn&date={pastday}&note=load+test&csrf={csrf}
MIX
  wrk_out=$(wrk -t2 -c64 -d10s --latency -s "$root/bench/mix.lua" "http://127.0.0.1:$PORT" -- "$work/sessions.csv" "$work/mix.txt")
  ceiling=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' <<<"$wrk_out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$wrk_out")
  echo "closed-loop ceiling (wrk, 64 connections): $ceiling req/s${non2xx:+ ($non2xx answers not 2xx/3xx)}"
  rate=$((ceiling * 3))
  over_out=$("$loadgen" --url "http://127.0.0.1:$PORT" --mix "$work/mix.txt" --sessions "$work/sessions.csv" \
    --rate "$rate" --duration "$OVERLOAD_SECONDS" --warmup 2 --pid "$server_pid" --max-in-flight 4096)
  echo "$over_out" | tail -n 6
  over_line=$(grep '^RESULT' <<<"$over_out")
  sent=$(field sent "$over_line")
  ok=$(field ok "$over_line")
  shed=$(field shed "$over_line")
  good=$(awk -v s="$sent" -v o="$ok" -v d="$shed" 'BEGIN { if (s == 0) print "0"; else printf "%.2f", 100 * (o + d) / s }')
  sleep 5
  after_overload=$(rss_mb "$server_pid")

fi
# ---------------------------------------------------------------------------------------------
if part hello; then
  say "4. the empty axum handler, same run"
  "$hello" "127.0.0.1:$HELLO_PORT" >/dev/null 2>&1 &
  hello_pid=$!
  wait_for "$HELLO_PORT"
  hello_out=$(wrk -t2 -c64 -d10s "http://127.0.0.1:$HELLO_PORT/")
  hello_rate=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' <<<"$hello_out")
  echo "empty handler: $hello_rate req/s"

fi
# ---------------------------------------------------------------------------------------------
say "summary (paste into docs/BENCHMARKS.md)"
printf '| figure | result |\n|---|---|\n'
printf '| idle RSS after start | %s MB |\n' "$idle"
printf '| argon2 flood (%s sign-ins, %s sign-ups at once) | %s s; 401: %s, 303: %s, 429: %s, 503: %s, failed: %s; p99 %s ms |\n' \
  "$SIGNINS" "$SIGNUPS" "$(field seconds "$flood_line")" "$(field s401 "$flood_line")" "$(field s303 "$flood_line")" \
  "$(field s429 "$flood_line")" "$(field s503 "$flood_line")" "$(field failed "$flood_line")" "$(field p99 "$flood_line")"
printf '| RSS: peak during the flood / 10, 30, 60 s after | %s MB / %s, %s, %s MB |\n' \
  "$flood_peak" "${after[0]}" "${after[2]}" "${after[5]}"
printf '| `/settings` during the flood | %s |\n' "$(summary_ms "$work/settings-flood.txt")"
printf '| slowloris (%s connections, up to %s s) | %s closed by the server (median after %s s, last %s s), %s held |\n' \
  "$SLOW" "$HOLD" "$(field closed "$slow_line")" "$(field median_close_s "$slow_line")" \
  "$(field max_close_s "$slow_line")" "$(field held "$slow_line")"
printf '| `/settings` during slowloris | %s |\n' "$(summary_ms "$work/settings-slow.txt")"
printf '| overload: %s req/s (3 × the ceiling of %s) for %s s | %s %% of answers 2xx/3xx or 503 (%s accepted, %s shed, %s other/failed); accepted p99 %s ms; peak RSS %.1f MB, %s MB after |\n' \
  "$rate" "$ceiling" "$OVERLOAD_SECONDS" "$good" "$ok" "$shed" "$((sent - ok - shed))" "$(field p99_ok "$over_line")" \
  "$(awk -v k="$(field rss_peak_kb "$over_line")" 'BEGIN { print k / 1024 }')" "$after_overload"
printf '| empty axum handler, same run (wrk, 64 connections) | %s req/s |\n' "$hello_rate"
