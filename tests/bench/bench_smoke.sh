#!/usr/bin/env bash
# The bench scripts still run (issue 5: CI checks only that, never figures):
# each answers --help, and a very short bench/compare of `ours` alone, with
# the binaries under test, completes and prints its table row. Skipped (77)
# where ../shared/bench, which holds the load generator's scripts, is absent.
#   bench_smoke.sh SOURCE_DIR BOOKINGD BOOKINGCTL
set -euo pipefail
source_dir=$1 bookingd=$2 bookingctl=$3
fail() { echo "bench_smoke: $*" >&2; exit 1; }

for script in compare ceilings export login-flood manage-flood double-bookings two-daemons one-endpoint site seed-large scale; do
    bash -n "$source_dir/bench/$script" || fail "bench/$script: syntax error"
    "$source_dir/bench/$script" --help >/dev/null || fail "bench/$script --help failed"
done

shared=$(cd "$source_dir/../shared" 2>/dev/null && pwd || true)
if [[ ! -x $shared/bench/compare ]]; then
    echo "bench_smoke: skipped: ../shared/bench (the load generator) is not beside this checkout"
    exit 77
fi
command -v wrk >/dev/null || fail "wrk is not installed (scripts/setup-deps installs it)"

out=$(BOOKINGD=$bookingd BOOKINGCTL=$bookingctl "$source_dir/bench/compare" \
      --duration 2s --warmup 0 --users 10 --connections 20 --login-connections 2 ours 2>&1) \
    || { echo "$out" >&2; fail "bench/compare ours failed"; }
echo "$out"
for scenario in availability mixed login; do
    grep -q "^| $scenario | ours |" <<<"$out" || fail "no $scenario row for ours in the table"
done
echo "bench_smoke: bench/compare ours ran"
