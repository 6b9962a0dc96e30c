#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the store's tests, and prints the URL to export:
#
#   eval "$(bash scripts/start-test-postgres.sh)"   # sets AUTODIDACT_TEST_POSTGRES
#   cargo test -p autodidact_store
#
# Idempotent: installs Debian's postgresql if missing (as root), reuses a server already
# running on the port, and starts one otherwise. Trust auth on 127.0.0.1 only, fsync off, data
# under /tmp: for tests, never for data you want to keep.
# AUTODIDACT_TEST_PGPORT and AUTODIDACT_TEST_PGDATA override the port and the data directory.
# Progress goes to stderr; stdout is only the export line.
set -euo pipefail

port=${AUTODIDACT_TEST_PGPORT:-55432}
data=${AUTODIDACT_TEST_PGDATA:-/tmp/autodidact-test-pgdata}
url="postgres://postgres@127.0.0.1:${port}/postgres"

log() { printf 'start-test-postgres: %s\n' "$*" >&2; }

newest_bindir() {
  ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 | xargs -r dirname
}
bindir=$(newest_bindir || true)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed; run as root, or: apt-get install -y postgresql"
    exit 1
  fi
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bindir=$(newest_bindir)
fi

# initdb and postgres refuse to run as root: run them as the postgres user.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if as_postgres "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  log "reusing the server already running on port $port"
else
  if [ ! -s "$data/PG_VERSION" ]; then
    log "creating a cluster in $data"
    mkdir -p "$data"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$data"; fi
    as_postgres "$bindir/initdb" -D "$data" -A trust -U postgres >/dev/null
  fi
  log "starting on 127.0.0.1:$port"
  as_postgres "$bindir/pg_ctl" -D "$data" -w -l "$data.log" \
    -o "-p $port -k /tmp -c fsync=off -c listen_addresses=127.0.0.1" start >&2
fi

echo "export AUTODIDACT_TEST_POSTGRES=$url"
