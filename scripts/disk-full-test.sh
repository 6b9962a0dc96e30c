#!/usr/bin/env bash
# A full disk, for real: the server on a SQLite database in a 3 MB tmpfs, fed API writes until
# the disk is full. Every write then gets 503 with a message (never a 500), reads go on, and
# once the tmpfs is made bigger, writes work again without a restart; the database verifies.
# Needs root (it mounts a tmpfs). CI runs it; by hand: sudo bash scripts/disk-full-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

port=${PORT:-18480}
mnt=$(mktemp -d /tmp/autodidact-full.XXXXXX)
base="http://127.0.0.1:$port"
server=''
cleanup() {
  [ -n "$server" ] && { kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; }
  umount "$mnt" 2>/dev/null || true
  rmdir "$mnt" 2>/dev/null || true
}
trap cleanup EXIT
fail() { echo "disk-full: FAIL: $*" >&2; exit 1; }

cargo build -q -p autodidact_cli
bin=./target/debug/autodidact
mount -t tmpfs -o size=3m tmpfs "$mnt"
url="sqlite://$mnt/full.db"
"$bin" migrate --database-url "$url" >/dev/null 2>&1
"$bin" serve --database-url "$url" --bind "127.0.0.1:$port" --log error >/dev/null 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "$base/healthz" && break; sleep 0.1; done

code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Cookie: autodidact_csrf=t' -H 'Sec-Fetch-Site: same-origin' \
  --data 'csrf=t&handle=full&display_name=Full&email=full%40example.org&password=correct+horse+battery+staple' \
  "$base/signup")
[ "$code" = 303 ] || fail "sign-up answered $code"
token=$("$bin" account token --user full --scope read-write --name full --database-url "$url" 2>/dev/null)

note=$(printf 'x%.0s' $(seq 1 1500))
write() { # n: the status of one log written through the API
  curl -s -o "$mnt.body" -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    --data "{\"minutes\": 1, \"date\": \"$(date -u -d "-$(($1 % 3000)) days" +%F)\", \"note\": \"$1 $note\"}" \
    "$base/api/v1/logs"
}
written=0 n=0
while :; do
  n=$((n + 1))
  status=$(write "$n")
  case "$status" in
    201) written=$((written + 1)) ;;
    503) break ;;
    *) fail "write $n answered $status: $(cat "$mnt.body")" ;;
  esac
  [ "$n" -lt 20000 ] || fail "the disk never filled"
done
grep -q 'no room left' "$mnt.body" || fail "a full disk's 503 does not say so: $(cat "$mnt.body")"
echo "disk-full: the disk filled after $written logs; the next write got 503: $(cat "$mnt.body")"

# Full: writes get 503 (now and then a small one still fits: 201), never anything else; reads
# go on, on every connection of the pool.
refused=0
for i in $(seq 1 20); do
  status=$(write "$((n + i))")
  case "$status" in
    503) refused=$((refused + 1)) ;;
    201) ;;
    *) fail "a write on the full disk answered $status: $(cat "$mnt.body")" ;;
  esac
  for path in /api/v1/me "/api/v1/logs?limit=5" /readyz; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base$path")
    [ "$code" = 200 ] || fail "GET $path on the full disk answered $code"
  done
done
[ "$refused" -ge 10 ] || fail "only $refused of 20 writes on the full disk were refused"
echo "disk-full: of 20 more writes, $refused got 503 and the rest fitted; every read meanwhile got 200"

# Room again: writes work, without a restart.
mount -o remount,size=16m "$mnt"
ok=0
for i in $(seq 1 20); do
  status=$(write "$((n + 100 + i))")
  [ "$status" = 201 ] && ok=$((ok + 1))
done
[ "$ok" = 20 ] || fail "with room again, only $ok of 20 writes were stored"
echo "disk-full: with room again, 20 of 20 writes were stored without a restart"

kill "$server"; wait "$server" 2>/dev/null || true; server=''
"$bin" verify --database-url "$url" | tail -n 1 | grep -qx ok || fail "the database does not verify"
echo "disk-full: ok (the database verifies: integrity, and totals equal to the logs)"
