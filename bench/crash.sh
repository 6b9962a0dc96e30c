#!/usr/bin/env bash
# The crash test: kill -9 the server at random moments under concurrent API log writes,
# restart it on the same SQLite database, and check that every acknowledged write is there
# exactly once, the running totals equal the logs and the file passes `integrity_check`
# (bench/src/bin/crash.rs). CI runs 100 cycles on the debug build; the benchmark 1,000 on the
# release build:
#
#   CYCLES=100 bash bench/crash.sh                    # as CI does
#   CYCLES=1000 PROFILE=release bash bench/crash.sh   # the benchmark (docs/BENCHMARKS.md)
#
# Environment: CYCLES (100), WRITERS (4), PROFILE (debug or release), PORT (18280), SEED (1),
# SYNCHRONOUS (full, the default, or normal: to measure what durability costs).
set -euo pipefail
CYCLES=${CYCLES:-100}
WRITERS=${WRITERS:-4}
PROFILE=${PROFILE:-debug}
PORT=${PORT:-18280}
SEED=${SEED:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
bench_target=${BENCH_TARGET_DIR:-/tmp/bench-target}
work=$(mktemp -d /tmp/autodidact-crash.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ "$PROFILE" = release ]; then
  (cd "$root" && cargo build --release --quiet -p autodidact_cli)
  bin="${CARGO_TARGET_DIR:-$root/target}/release/autodidact"
else
  (cd "$root" && cargo build --quiet -p autodidact_cli)
  bin="${CARGO_TARGET_DIR:-$root/target}/debug/autodidact"
fi
CARGO_TARGET_DIR=$bench_target cargo build --release --quiet --manifest-path "$root/bench/Cargo.toml" --bin crash
echo "crash test: $CYCLES cycles, $WRITERS writers, $PROFILE build"
"$bench_target/release/crash" --bin "$bin" --work "$work" --cycles "$CYCLES" --writers "$WRITERS" \
  --port "$PORT" --seed "$SEED" --synchronous "${SYNCHRONOUS:-full}"
