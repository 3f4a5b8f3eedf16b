#!/usr/bin/env bash
# run.sh FUZZER SEED_CORPUS WORK_DIR SECONDS
# Runs one libFuzzer target for SECONDS on its seeds (read only) plus the
# inputs it found before in WORK_DIR/corpus (where new ones go). A crash, leak,
# timeout or sanitizer report fails the run; the input is kept in
# WORK_DIR/artifacts/ and its path printed.
set -uo pipefail
fuzzer=$1 seeds=$2 work=$3 seconds=$4
mkdir -p "$work/corpus" "$work/artifacts"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -error_exitcode=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds" 2>&1 | tail -n 40
status=${PIPESTATUS[0]}
if [[ $status -ne 0 ]]; then
    echo "run.sh: $(basename "$fuzzer") failed (exit $status); reproduce with: $fuzzer $work/artifacts/<file>" >&2
fi
exit "$status"
