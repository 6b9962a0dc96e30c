#!/usr/bin/env bash
# The load test: 1,000 seeded learners, a mixed load of pages and writes, on SQLite or
# PostgreSQL. See docs/BENCHMARKS.md ("Web app under load") for what it measures and why.
#
#   bash bench/load.sh sqlite      # or: bash bench/load.sh postgres
#
# It builds the release binary and the tools under bench/ (into $CARGO_TARGET_DIR, default
# /tmp/bench-target), makes a fresh database (a temporary SQLite file, or a new database on the
# test server of scripts/start-test-postgres.sh), seeds it with `autodidact seed-load`, serves
# it on 127.0.0.1, and then measures:
#   1. latency at a fixed rate (RATE, default 500 req/s) with bench/src/bin/loadgen.rs, an
#      open-loop generator that charges each request from the time it was due;
#   2. the ceiling: the highest rate of STEPS (then refined between the last pass and the first
#      failure) whose p99 stays under 100 ms with no failed request;
#   3. wrk's closed-loop maximum with bench/mix.lua, the same mix;
#   4. resident memory (VmRSS) idle after start, at peak under the ceiling rate, idle after;
#   5. the same ceiling, wrk run and idle memory for an empty axum handler (bench/src/bin/hello.rs).
# Environment: LEARNERS (1000), PUBLIC (10000 public curricula besides theirs, for /explore), RATE (500), DURATION (15 s), STEP_DURATION (10 s), STEPS,
# WRK_CONNECTIONS (64), PORT (18080), KEEP=1 to keep the database and files, NICE=-10 to run
# the server, the load tools and the PostgreSQL backends serving the load database ahead of
# other work on a shared machine (needs root).
set -euo pipefail

# ---------------------------------------------------------------------------------------------
# The mix: one route a line, `WEIGHT METHOD PATH [BODY]`. Placeholders come from the learner's
# line of the sessions file: {follow} {curriculum} {item} {csrf} {token} {handle} {upstream}, and
# {today} {n}.
# Add a route as it lands by adding a line; weight 0 leaves a route out.
MIX='
30 GET  /
15 GET  /curricula/{curriculum}
20 GET  /follows/{follow}/board
10 GET  /follows/{follow}
5  GET  /settings
20 POST /logs item={follow}%3A{item}&duration=45&kind=learn&date={pastday}&note=load+test&csrf={csrf}
4  GET  /explore
2  GET  /explore?q=deep+learning&sort=recent
4  GET  /@{handle}
2  GET  /curricula/{upstream}/upstream
'
# ---------------------------------------------------------------------------------------------

backend=${1:-sqlite}
case "$backend" in sqlite | postgres) ;; *)
  echo "usage: bash bench/load.sh [sqlite|postgres]" >&2
  exit 2
  ;;
esac
LEARNERS=${LEARNERS:-1000}
PUBLIC=${PUBLIC:-10000}
RATE=${RATE:-500}
DURATION=${DURATION:-15}
STEP_DURATION=${STEP_DURATION:-10}
STEPS=${STEPS:-"100 200 300 400 500 750 1000 1500 2000 3000 4000 6000 8000 12000 16000 24000 32000"}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
PORT=${PORT:-18080}
HELLO_PORT=$((PORT + 10))
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/autodidact-load.XXXXXX)
bin=$CARGO_TARGET_DIR/release/autodidact
loadgen=$CARGO_TARGET_DIR/release/loadgen
hello=$CARGO_TARGET_DIR/release/hello
server_pid='' hello_pid='' pg_admin='' pg_db=''
prio=()
[ -n "${NICE:-}" ] && prio=(nice -n "$NICE")

say() { printf '\n== %s\n' "$*"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }

cleanup() {
  local status=$?
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; }
  [ -n "$hello_pid" ] && { kill "$hello_pid" 2>/dev/null && wait "$hello_pid" 2>/dev/null || true; }
  if [ "${KEEP:-0}" != 1 ]; then
    [ -n "$pg_db" ] && psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1
    rm -rf "$work"
  else
    echo "kept: $work ${pg_db:+and database $pg_db}"
  fi
  exit "$status"
}
trap cleanup EXIT

say "building (release, target $CARGO_TARGET_DIR)"
(cd "$root" && cargo build --release --quiet -p autodidact_cli)
cargo build --release --quiet --manifest-path "$root/bench/Cargo.toml"
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || {
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
}; }

printf '%s\n' "$MIX" >"$work/mix.txt"
routes=$(grep -v '^[[:space:]]*\(#\|$\)' "$work/mix.txt" | awk '$1 > 0 { printf "%s%s %s (%s)", sep, $2, $3, $1; sep=", " }')

case "$backend" in
sqlite)
  url="sqlite://$work/load.db"
  ;;
postgres)
  eval "$(bash "$root/scripts/start-test-postgres.sh")"
  pg_admin=$AUTODIDACT_TEST_POSTGRES
  pg_db="autodidact_load_$(date +%s)_$$"
  psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
  url="${pg_admin%/*}/$pg_db"
  ;;
esac

say "seeding $LEARNERS learners ($backend)"
# Seeding is not measured: on SQLite it commits without waiting for each fsync.
seed_url=$url
[ "$backend" = sqlite ] && seed_url="$url?synchronous=normal"
seed_line=$("$bin" seed-load --learners "$LEARNERS" --database-url "$seed_url" \
  --public-curricula "$PUBLIC" --sessions-out "$work/sessions.csv" | tail -n 1)
echo "$seed_line"
if [ "$backend" = sqlite ]; then
  echo "database file: $(du -m "$work/load.db" | cut -f1) MB"
fi

wait_for() { # port
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.1
  done
  echo "nothing answers on port $1" >&2
  return 1
}

"${prio[@]}" "$bin" serve --database-url "$url" --bind "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
server_pid=$!
wait_for "$PORT"

say "routes in the mix: $routes"
IFS=, read -r token csrf follow curriculum item handle upstream <"$work/sessions.csv"
fill() {
  sed -e "s/{token}/$token/g; s/{csrf}/$csrf/g; s/{follow}/$follow/g" \
    -e "s/{curriculum}/$curriculum/g; s/{item}/$item/g; s/{handle}/${handle:-}/g" \
    -e "s/{upstream}/${upstream:-}/g" \
    -e "s/{today}/$(date -u +%F)/g; s/{pastday}/$(date -u +%F)/g; s/{n}/0/g" <<<"$1"
}
while read -r weight method path body; do
  [ -z "$weight" ] || [ "${weight:0:1}" = '#' ] || [ "$weight" = 0 ] && continue
  args=(-s -o /dev/null -w '%{http_code}' -b "autodidact_session=$token")
  [ "$method" = POST ] && args+=(-H 'Sec-Fetch-Site: same-origin' --data "$(fill "$body")")
  code=$(curl "${args[@]}" "http://127.0.0.1:$PORT$(fill "$path")")
  note=''
  [ "$code" -ge 400 ] && note='  <-- fails: missing route or wrong form? fix the mix at the top'
  printf '  %-4s %-45s %s%s\n' "$method" "$path" "$code" "$note"
done <"$work/mix.txt"

sleep 2
idle_rss=$(rss_mb "$server_pid")
echo "idle RSS after start: $idle_rss MB"
echo "load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)${NICE:+ (server and tools at nice $NICE)}"

# With NICE, the PostgreSQL backends of the load database get the same priority as the server
# (called before each measurement: the pool may have opened connections since).
boost_postgres() {
  [ -n "${NICE:-}" ] && [ -n "$pg_db" ] || return 0
  pids=$(psql -At "$pg_admin" -c "SELECT pid FROM pg_stat_activity WHERE datname = '$pg_db'")
  [ -n "$pids" ] && renice -n "$NICE" -p $pids >/dev/null 2>&1 || true
}

run_loadgen() { # port rate duration pid mix [sessions]
  boost_postgres
  "${prio[@]}" "$loadgen" --url "http://127.0.0.1:$1" --rate "$2" --duration "$3" --warmup 2 --pid "$4" \
    --mix "$5" ${6:+--sessions "$6"}
}

# Steps up the rate until p99 reaches 100 ms or a request fails (or the generator cannot keep
# the rate), then bisects twice between the last pass and the first failure. Sets `best` and
# `best_line`.
find_ceiling() { # port pid mix [sessions]
  best=0 best_line='' local_fail=''
  for rate in $STEPS; do
    out=$(run_loadgen "$1" "$rate" "$STEP_DURATION" "$2" "$3" "${4:-}")
    line=$(grep '^RESULT' <<<"$out")
    if ! passes "$line"; then # once more: one stall of a shared machine is not a ceiling
      printf '  %6s req/s: fail  p99 %7s ms, trying again\n' "$rate" "$(field p99 "$line")"
      out=$(run_loadgen "$1" "$rate" "$STEP_DURATION" "$2" "$3" "${4:-}")
      line=$(grep '^RESULT' <<<"$out")
    fi
    if passes "$line"; then
      best=$rate best_line=$line
      printf '  %6s req/s: pass  p50 %6s ms  p99 %7s ms  throughput %s\n' "$rate" \
        "$(field p50 "$line")" "$(field p99 "$line")" "$(field throughput "$line")"
    else
      local_fail=$rate
      printf '  %6s req/s: FAIL  p50 %6s ms  p99 %7s ms  throughput %s  failed %s  late %s\n' \
        "$rate" "$(field p50 "$line")" "$(field p99 "$line")" "$(field throughput "$line")" \
        "$(field failed "$line")" "$(field late "$line")"
      grep 'sample failure' <<<"$out" | head -n 3 || true
      break
    fi
  done
  [ -z "$local_fail" ] && return 0
  lo=$best hi=$local_fail
  for _ in 1 2; do
    mid=$(((lo + hi) / 2))
    [ "$mid" -le "$lo" ] && break
    out=$(run_loadgen "$1" "$mid" "$STEP_DURATION" "$2" "$3" "${4:-}")
    line=$(grep '^RESULT' <<<"$out")
    if passes "$line"; then
      lo=$mid best=$mid best_line=$line
      printf '  %6s req/s: pass  p50 %6s ms  p99 %7s ms\n' "$mid" "$(field p50 "$line")" "$(field p99 "$line")"
    else
      hi=$mid
      printf '  %6s req/s: FAIL  p50 %6s ms  p99 %7s ms  failed %s\n' "$mid" "$(field p50 "$line")" \
        "$(field p99 "$line")" "$(field failed "$line")"
    fi
  done
}
passes() { # RESULT line: p99 < 100 ms, nothing failed, and at least 95% of the rate achieved
  [ -n "$1" ] && awk -v p99="$(field p99 "$1")" -v failed="$(field failed "$1")" \
    -v tp="$(field throughput "$1")" -v rate="$(field rate "$1")" \
    'BEGIN { exit !(p99 < 100 && failed == 0 && tp >= 0.95 * rate) }'
}

say "fixed rate: $RATE req/s for $DURATION s (loadgen)"
fixed=$(run_loadgen "$PORT" "$RATE" "$DURATION" "$server_pid" "$work/mix.txt" "$work/sessions.csv")
echo "$fixed"
fixed_line=$(grep '^RESULT' <<<"$fixed")

say "ceiling: highest rate with p99 < 100 ms ($STEP_DURATION s a step)"
find_ceiling "$PORT" "$server_pid" "$work/mix.txt" "$work/sessions.csv"
app_best=$best app_best_line=$best_line

say "wrk, closed loop: 2 threads, $WRK_CONNECTIONS connections, $DURATION s, same mix"
boost_postgres
wrk_out=$("${prio[@]}" wrk -t2 -c"$WRK_CONNECTIONS" -d"${DURATION}s" --latency -s "$root/bench/mix.lua" \
  "http://127.0.0.1:$PORT" -- "$work/sessions.csv" "$work/mix.txt")
echo "$wrk_out"
app_wrk=$(awk '/^Requests\/sec/ { print $2 }' <<<"$wrk_out")
app_wrk_bad=$(awk '/Non-2xx/ { print $NF }' <<<"$wrk_out")

sleep 3
after_rss=$(rss_mb "$server_pid")
kill "$server_pid" && wait "$server_pid" 2>/dev/null || true
server_pid=''

say "baseline: empty axum handler (bench/src/bin/hello.rs)"
printf '1 GET /\n' >"$work/hello-mix.txt"
"${prio[@]}" "$hello" "127.0.0.1:$HELLO_PORT" 2>/dev/null &
hello_pid=$!
wait_for "$HELLO_PORT"
sleep 1
hello_idle=$(rss_mb "$hello_pid")
find_ceiling "$HELLO_PORT" "$hello_pid" "$work/hello-mix.txt"
hello_best=$best hello_best_line=$best_line
hello_wrk_out=$("${prio[@]}" wrk -t2 -c"$WRK_CONNECTIONS" -d"${DURATION}s" --latency -s "$root/bench/mix.lua" \
  "http://127.0.0.1:$HELLO_PORT" -- - "$work/hello-mix.txt")
echo "wrk: $(grep -E '^Requests/sec' <<<"$hello_wrk_out")"
hello_wrk=$(awk '/^Requests\/sec/ { print $2 }' <<<"$hello_wrk_out")

say "summary: $backend, $LEARNERS learners; mix: $routes"
echo "seed:                       $seed_line"
printf 'at %s req/s:               p50 %s ms, p90 %s ms, p99 %s ms, max %s ms; %s ok, %s failed\n' \
  "$RATE" "$(field p50 "$fixed_line")" "$(field p90 "$fixed_line")" "$(field p99 "$fixed_line")" \
  "$(field max "$fixed_line")" "$(field ok "$fixed_line")" "$(field failed "$fixed_line")"
printf 'ceiling (p99 < 100 ms):     %s req/s (p50 %s ms, p99 %s ms)\n' "$app_best" \
  "$(field p50 "$app_best_line")" "$(field p99 "$app_best_line")"
printf 'wrk closed loop:            %s req/s (non-2xx/3xx: %s)\n' "$app_wrk" "${app_wrk_bad:-0}"
printf 'RSS:                        idle %s MB after start; peak %s MB at %s req/s; idle %s MB after the load\n' \
  "$idle_rss" "$(awk -v k="$(field rss_peak_kb "$app_best_line")" 'BEGIN { printf "%.1f", k / 1024 }')" \
  "$app_best" "$after_rss"
printf 'empty axum handler:         ceiling %s req/s (p99 %s ms), wrk %s req/s, idle RSS %s MB\n' \
  "$hello_best" "$(field p99 "$hello_best_line")" "$hello_wrk" "$hello_idle"
echo "load average at the end:    $(cut -d' ' -f1-3 /proc/loadavg)"
