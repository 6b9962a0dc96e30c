#!/usr/bin/env bash
# The browser journey: Debian's Chromium driven by playwright-core against a real server on a
# fresh SQLite database. Installs what it needs (never downloads a browser).
# Usage: scripts/browser-test.sh [screenshot-dir]
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; else
    echo "browser-test: install Debian's chromium first (apt-get install chromium)" >&2; exit 1; fi
fi
(cd e2e && npm ci --no-audit --no-fund --silent)

cargo build -q --workspace
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./target/debug/autodidact serve --bind "127.0.0.1:$port" --database-url "sqlite://$work/journey.db" \
  --base-url "http://127.0.0.1:$port" --log warn &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
node e2e/journey.mjs "http://127.0.0.1:$port" "${1:-}"
# Following makes your own copy: the owner's edits, privacy and deletion never reach it.
node e2e/lineage.mjs "http://127.0.0.1:$port" "${1:-}"
# Moving a Trello board in: the report, the hours grid, and progress on the board.
node e2e/import.mjs "http://127.0.0.1:$port" "${1:-}"

# The demo learner on a second database: every chart populated at once.
demo_out=$(./target/debug/autodidact demo --database-url "sqlite://$work/demo.db")
handle=$(sed -n 's/.*[Hh]andle:[[:space:]]*\([a-z0-9_-]*\).*/\1/p' <<<"$demo_out" | head -n 1)
password=$(sed -n 's/.*[Pp]assword:[[:space:]]*\([^[:space:]]*\).*/\1/p' <<<"$demo_out" | head -n 1)
kill $server 2>/dev/null || true
wait $server 2>/dev/null || true
./target/debug/autodidact serve --bind "127.0.0.1:$port" --database-url "sqlite://$work/demo.db" \
  --base-url "http://127.0.0.1:$port" --log warn &
server=$!
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
node e2e/demo.mjs "http://127.0.0.1:$port" "$handle" "$password" "${1:-}"
# The same learner shares their work: the profile opened part by part, a post, and a stranger.
node e2e/profile.mjs "http://127.0.0.1:$port" "$handle" "$password" "${1:-}"
# Sharing, on the same server (sign-ups are throttled per address, so two more learners come
# here): a profile with a project, explore, a fork, the source's update merged with its plan
# impact and nothing of the learner's lost, and the static site opened from the file system.
node e2e/sharing.mjs "http://127.0.0.1:$port" "${1:-}"
