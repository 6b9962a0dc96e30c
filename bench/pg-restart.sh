#!/usr/bin/env bash
# PostgreSQL restarted under load: the server stays up on a PostgreSQL database of its own
# cluster, 4 writers post logs through the API, and the cluster is restarted RESTARTS times
# (`pg_ctl restart -m fast`). Every acknowledged write must be there exactly once; requests
# made while the database is away must be answered 503 quickly; writes must be stored again
# soon after it is back, without restarting the app (bench/src/bin/crash.rs, restart mode).
#
#   bash bench/pg-restart.sh            # 5 restarts (needs root: it runs its own cluster)
#
# Environment: RESTARTS (5), WRITERS (4), PROFILE (debug or release), PORT (18680),
# PGPORT (55532).
set -euo pipefail
RESTARTS=${RESTARTS:-5}
WRITERS=${WRITERS:-4}
PROFILE=${PROFILE:-debug}
PORT=${PORT:-18680}
PGPORT=${PGPORT:-55532}
root=$(cd "$(dirname "$0")/.." && pwd)
bench_target=${BENCH_TARGET_DIR:-/tmp/bench-target}
work=$(mktemp -d /tmp/autodidact-pgrestart.XXXXXX)
pgdata=/tmp/autodidact-restart-pgdata-$$
bindir=''
cleanup() {
  [ -n "$bindir" ] && runuser -u postgres -- "$bindir/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work" "$pgdata" "$pgdata.log"
}
trap cleanup EXIT

if [ "$PROFILE" = release ]; then
  (cd "$root" && cargo build --release --quiet -p autodidact_cli)
  bin="${CARGO_TARGET_DIR:-$root/target}/release/autodidact"
else
  (cd "$root" && cargo build --quiet -p autodidact_cli)
  bin="${CARGO_TARGET_DIR:-$root/target}/debug/autodidact"
fi
CARGO_TARGET_DIR=$bench_target cargo build --release --quiet --manifest-path "$root/bench/Cargo.toml" --bin crash

admin=$(AUTODIDACT_TEST_PGPORT=$PGPORT AUTODIDACT_TEST_PGDATA=$pgdata bash "$root/scripts/start-test-postgres.sh" | sed 's/^export AUTODIDACT_TEST_POSTGRES=//')
bindir=$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1 | xargs dirname)
psql -q "$admin" -c "CREATE DATABASE restart_test" >/dev/null
url="${admin%/*}/restart_test"
echo "PostgreSQL restarts: $RESTARTS restarts, $WRITERS writers, $PROFILE build"
"$bench_target/release/crash" --bin "$bin" --work "$work" --cycles "$RESTARTS" --writers "$WRITERS" \
  --port "$PORT" --database-url "$url" \
  --restart "runuser -u postgres -- $bindir/pg_ctl -D $pgdata -w -m fast restart >/dev/null"
