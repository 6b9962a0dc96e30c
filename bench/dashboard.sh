#!/usr/bin/env bash
# The demo learner's pages under load: `autodidact demo` seeds a year of irregular study
# (about 5,000 logs, two curricula, a re-plan, commitments and reviews), the release server
# serves it, and bench/src/bin/loadgen.rs (the open-loop generator of bench/load.sh) asks for
# each of that learner's pages at fixed rates; then an empty axum handler
# (bench/src/bin/hello.rs) at the same rates, the baseline of the same run.
# See docs/BENCHMARKS.md.
#
#   bash bench/dashboard.sh            # SQLite; or: bash bench/dashboard.sh postgres
#
# Environment: PAGES ("/ /dashboard /week"; `{follow}` is the first follow's id, `{handle}`
# the learner's handle, as in `/@{handle}`, `{upstream}` a followed copy with an update, as in
# `/curricula/{upstream}/upstream`), RATES
# ("10 20 40"), DURATION (20 s a rate), WRK_SECONDS (10: each page and the empty handler also
# as fast as they go, with wrk closed-loop on WRK_CONNECTIONS (8) connections; 0 skips it),
# LOGS (5000), PUBLIC (0: public curricula seeded among 100 other learners, for `/explore`),
# PORT (18090), KEEP=1 to keep the database, NICE=-10 to run the server and
# generator ahead of other work.
set -euo pipefail

backend=${1:-sqlite}
case "$backend" in sqlite | postgres) ;; *)
  echo "usage: bash bench/dashboard.sh [sqlite|postgres]" >&2
  exit 2
  ;;
esac
PAGES=${PAGES:-"/ /dashboard /week /follows/{follow} /follows/{follow}/board"}
RATES=${RATES:-"10 20 40"}
DURATION=${DURATION:-20}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-8}
LOGS=${LOGS:-5000}
PORT=${PORT:-18090}
HELLO_PORT=${HELLO_PORT:-18091}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/bench-target}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/autodidact-dashboard.XXXXXX)
bin=$CARGO_TARGET_DIR/release/autodidact
loadgen=$CARGO_TARGET_DIR/release/loadgen
hello=$CARGO_TARGET_DIR/release/hello
server_pid='' hello_pid='' pg_admin='' pg_db=''
prio=()
[ -n "${NICE:-}" ] && prio=(nice -n "$NICE")

say() { printf '\n== %s\n' "$*"; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

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

case "$backend" in
sqlite) url="sqlite://$work/demo.db" ;;
postgres)
  eval "$(bash "$root/scripts/start-test-postgres.sh")"
  pg_admin=$AUTODIDACT_TEST_POSTGRES
  pg_db="autodidact_dash_$(date +%s)_$$"
  psql -q "$pg_admin" -c "CREATE DATABASE $pg_db" >/dev/null
  url="${pg_admin%/*}/$pg_db"
  ;;
esac

if [ "${PUBLIC:-0}" != 0 ]; then
  say "seeding $PUBLIC public curricula among 100 learners"
  "$bin" seed-load --learners 100 --public-curricula "$PUBLIC" --database-url "$url" | tail -n 1
fi

say "seeding the demo learner ($LOGS logs, $backend)"
start=$(date +%s.%N)
demo_out=$("$bin" demo --database-url "$url" --logs "$LOGS")
echo "$demo_out"
echo "seeded in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
handle=$(sed -n 's/.*[Hh]andle:[[:space:]]*\([a-z0-9_-]*\).*/\1/p' <<<"$demo_out" | head -n 1)
password=$(sed -n 's/.*[Pp]assword:[[:space:]]*\([^[:space:]]*\).*/\1/p' <<<"$demo_out" | head -n 1)
[ -n "$handle" ] && [ -n "$password" ] || { echo "the demo did not print a handle and password" >&2; exit 1; }

"${prio[@]}" "$bin" serve --database-url "$url" --bind "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done

say "signing in as $handle"
jar=$work/cookies.txt
anon=$(curl -fs -c "$jar" "http://127.0.0.1:$PORT/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
curl -fs -o /dev/null -b "$jar" -c "$jar" -H 'Sec-Fetch-Site: same-origin' \
  --data-urlencode "login=$handle" --data-urlencode "password=$password" --data-urlencode "csrf=$anon" \
  "http://127.0.0.1:$PORT/signin"
token=$(awk '$6 == "autodidact_session" { print $7 }' "$jar")
[ -n "$token" ] || { echo "sign-in failed" >&2; exit 1; }
csrf=$(curl -fs -b "autodidact_session=$token" "http://127.0.0.1:$PORT/settings" |
  sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
printf '%s,%s,0,0,x\n' "$token" "$csrf" >"$work/sessions.csv"
follow=$(curl -fs -b "autodidact_session=$token" "http://127.0.0.1:$PORT/dashboard" |
  sed -n 's|.*href="/follows/\([0-9]*\)".*|\1|p' | head -n 1)
# `{upstream}`: the demo learner's copy of a public curriculum (PUBLIC must be set), followed,
# whose source then gains an item, so that `/curricula/{upstream}/upstream` is the merge
# preview with its plan impact.
upstream=''
if [[ "$PAGES" == *"{upstream}"* ]]; then
  src=$(curl -fs -b "autodidact_session=$token" "http://127.0.0.1:$PORT/explore" |
    sed -n 's|.*<h3><a href="/curricula/\([0-9]*\)".*|\1|p' | head -n 1)
  [ -n "$src" ] || { echo "no public curriculum to copy: set PUBLIC" >&2; exit 1; }
  loc=$(curl -s -o /dev/null -w '%{redirect_url}' -b "autodidact_session=$token" -H 'Sec-Fetch-Site: same-origin' \
    --data-urlencode "csrf=$csrf" "http://127.0.0.1:$PORT/curricula/$src/fork")
  upstream=${loc##*/}
  curl -fs -o /dev/null -b "autodidact_session=$token" -H 'Sec-Fetch-Site: same-origin' \
    --data-urlencode "csrf=$csrf" --data-urlencode "hours_per_week=10" --data-urlencode "start=$(date +%F)" \
    "http://127.0.0.1:$PORT/curricula/$upstream/follow"
  added=$'\n[[phases.items]]\nid = "added-upstream"\nkind = "practice"\ntitle = "Added upstream"\nhours = 6\n'
  sql="UPDATE curricula SET source = source || '$added', version = version + 1 WHERE id = $src"
  case "$backend" in
  sqlite) sqlite3 "$work/demo.db" "$sql" ;;
  postgres) psql -q "$url" -c "$sql" >/dev/null ;;
  esac
  curl -fs -b "autodidact_session=$token" "http://127.0.0.1:$PORT/curricula/$upstream" | grep -q 'id="update-available"' ||
    { echo "the copy $upstream shows no update" >&2; exit 1; }
fi
sleep 1
echo "idle RSS: $(rss_mb "$server_pid") MB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# One page at the given rates: `measure PORT PID PATH MIX-FILE`, a row a rate.
measure() {
  local port=$1 pid=$2 path=$3 mix=$4 rate out line row
  printf '1 GET %s\n' "$path" >"$mix"
  for rate in $RATES; do
    out=$("${prio[@]}" "$loadgen" --url "http://127.0.0.1:$port" --rate "$rate" --duration "$DURATION" \
      --warmup 2 --pid "$pid" --mix "$mix" --sessions "$work/sessions.csv")
    line=$(grep '^RESULT' <<<"$out")
    row=$(printf '%-28s %4s req/s: p50 %6s ms  p90 %6s ms  p99 %6s ms  max %6s ms  ok %s failed %s' \
      "$path" "$rate" "$(field p50 "$line")" "$(field p90 "$line")" "$(field p99 "$line")" \
      "$(field max "$line")" "$(field ok "$line")" "$(field failed "$line")")
    echo "$row"
    summary+="$row"$'\n'
  done
}

# One page as fast as it goes: wrk, closed loop, WRK_CONNECTIONS connections, `closed PORT PATH`.
closed() {
  local rps
  rps=$("${prio[@]}" wrk -t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" -H "Cookie: autodidact_session=$token" \
    "http://127.0.0.1:$1$2" | awk '/Requests\/sec/ { print $2 } /Non-2xx/ { print "non-2xx:" $NF }' | paste -sd' ')
  printf '%-28s closed loop (wrk, %s connections, %s s): %s req/s\n' "$2" "$WRK_CONNECTIONS" "$WRK_SECONDS" "$rps"
}

summary=''
for page in $PAGES; do
  path=${page//\{follow\}/$follow}
  path=${path//\{handle\}/$handle}
  path=${path//\{upstream\}/$upstream}
  bytes=$(curl -fs -b "autodidact_session=$token" "http://127.0.0.1:$PORT$path" | wc -c)
  wire=$(curl -fs -H 'Accept-Encoding: br' -b "autodidact_session=$token" "http://127.0.0.1:$PORT$path" | wc -c)
  say "GET $path as the demo learner ($bytes bytes of HTML, $wire with brotli), $DURATION s a rate"
  measure "$PORT" "$server_pid" "$path" "$work/mix.txt"
  if [ "$WRK_SECONDS" != 0 ]; then
    row=$(closed "$PORT" "$path")
    echo "$row"
    summary+="$row"$'\n'
  fi
done
rss_after=$(rss_mb "$server_pid")

say "baseline: an empty axum handler (bench/src/bin/hello.rs), the same rates"
"${prio[@]}" "$hello" "127.0.0.1:$HELLO_PORT" 2>/dev/null &
hello_pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$HELLO_PORT/" && break; sleep 0.1; done
measure "$HELLO_PORT" "$hello_pid" / "$work/hello-mix.txt"
if [ "$WRK_SECONDS" != 0 ]; then
  row=$(closed "$HELLO_PORT" /)
  echo "$row"
  summary+="empty handler: $row"$'\n'
fi

say "summary: the demo learner's pages ($LOGS logs, $backend), then the empty handler"
printf '%s' "$summary"
echo "RSS after: $rss_after MB; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
