#!/usr/bin/env bash
# bookingd-export (run nightly by bookingctl-export.timer or cron): writes
# EXPORT_DIR/bookings-<today>.csv through `bookingctl export bookings
# --output`, keeps exactly KEEP_DAYS days of dated exports (by the date in
# the name), touches no other file, keeps everything when the export fails,
# and refuses bad settings. bookingctl is a stand-in that records its
# arguments; the real one then shows that those arguments parse.
#   test_export_script.sh SCRIPT BOOKINGCTL WORK_DIR
set -uo pipefail

script=$1 real_bookingctl=$2 work=$3
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

rm -rf "$work"
mkdir -p "$work/exports" "$work/bin"
stub=$work/bin/bookingctl
cat >"$stub" <<'STUB'
#!/bin/sh
# Records its arguments; writes "exported" to the --output file, or fails
# with STUB_EXIT.
printf '%s\n' "$@" >"$STUB_ARGS"
[ "${STUB_EXIT:-0}" -eq 0 ] || { echo "bookingctl: database unreachable" >&2; exit "$STUB_EXIT"; }
while [ $# -gt 0 ]; do
    [ "$1" = --output ] && { echo exported >"$2"; exit 0; }
    shift
done
echo "no --output" >&2
exit 2
STUB
chmod +x "$stub"

day() { date -d "$(date +%F) $1 days" +%F; }
today=$(date +%F)
dir=$work/exports
for offset in -1 -12 -13 -14 -15 -40; do
    echo old >"$dir/bookings-$(day "$offset").csv"
done
echo keep >"$dir/notes.txt"
echo keep >"$dir/bookings-$(day -40).jsonl"

run() { # [NAME=VALUE...] -- [ARGUMENTS for the script...]
    local settings=()
    while [[ $# -gt 0 && $1 != -- ]]; do
        settings+=("$1")
        shift
    done
    shift
    env EXPORT_DIR="$dir" BOOKINGCTL="$stub" STUB_ARGS="$work/args" "${settings[@]}" \
        sh "$script" "$@" >"$work/out" 2>&1
}

# --- a good night: today's file, 14 days kept ---------------------------------
run KEEP_DAYS=14 -- || fail "the export failed: $(cat "$work/out")"
[[ $(cat "$dir/bookings-$today.csv" 2>/dev/null) == exported ]] || fail "bookings-$today.csv was not written"
for offset in -1 -12 -13; do
    [[ -f $dir/bookings-$(day "$offset").csv ]] || fail "bookings-$(day "$offset").csv (within 14 days) was removed"
done
for offset in -14 -15 -40; do
    [[ -f $dir/bookings-$(day "$offset").csv ]] && fail "bookings-$(day "$offset").csv (older than 14 days) was kept"
done
[[ -f $dir/notes.txt && -f $dir/bookings-$(day -40).jsonl ]] || fail "a file that is not a dated CSV export was removed"
[[ -s $work/out ]] && fail "printed something outside a terminal or the journal (cron would mail it): $(cat "$work/out")"
expected_args="--quiet export bookings --format csv --output $dir/bookings-$today.csv"
[[ $(tr '\n' ' ' <"$work/args") == "$expected_args " ]] ||
    fail "bookingctl got \"$(tr '\n' ' ' <"$work/args")\", not \"$expected_args\""

# --- arguments are passed on; the journal gets a line ----------------------------
run JOURNAL_STREAM=8:1 -- --status confirmed || fail "the export with --status failed"
grep -qx -- '--status' "$work/args" && grep -qx confirmed "$work/args" || fail "--status confirmed was not passed to bookingctl"
grep -q "wrote $dir/bookings-$today.csv" "$work/out" || fail "no summary line for the journal: $(cat "$work/out")"

# --- a failed export keeps every older file and returns bookingctl's status --------
echo old >"$dir/bookings-$(day -30).csv"
run STUB_EXIT=1 -- && fail "a failed export exited 0"
[[ -f $dir/bookings-$(day -30).csv ]] || fail "a failed export removed older exports"
grep -q 'failed (bookingctl exit 1)' "$work/out" || fail "a failed export did not say so: $(cat "$work/out")"

# --- bad settings --------------------------------------------------------------------
for setting in KEEP_DAYS=0 KEEP_DAYS=x EXPORT_FORMAT=xlsx EXPORT_DIR=$work/missing; do
    env EXPORT_DIR="$dir" BOOKINGCTL="$stub" STUB_ARGS="$work/args" "$setting" sh "$script" >"$work/out" 2>&1
    status=$?
    [[ $status -eq 2 ]] || fail "$setting: exit $status, not 2"
    [[ -s $work/out ]] || fail "$setting: no message"
done

# --- without BOOKINGCTL: the bookingctl installed beside the script -------------
mkdir -p "$work/prefix/libexec/bookingd" "$work/prefix/bin"
cp "$script" "$work/prefix/libexec/bookingd/bookingd-export"
cp "$stub" "$work/prefix/bin/bookingctl"
rm -f "$dir/bookings-$today.csv"
env -u BOOKINGCTL EXPORT_DIR="$dir" STUB_ARGS="$work/args" sh "$work/prefix/libexec/bookingd/bookingd-export" >"$work/out" 2>&1 ||
    fail "without BOOKINGCTL, the export failed: $(cat "$work/out")"
[[ -f $dir/bookings-$today.csv ]] || fail "without BOOKINGCTL, <prefix>/bin/bookingctl was not used"

# --- the real bookingctl accepts those arguments (it fails only on the database) ---
env EXPORT_DIR="$dir" BOOKINGCTL="$real_bookingctl" BOOKING_CONFIG=/dev/null \
    BOOKING_DATABASE_URL="postgresql:///none?host=$work/no-socket&connect_timeout=2" \
    sh "$script" --status confirmed --from 2026-01-01 >"$work/out" 2>&1
status=$?
[[ $status -eq 1 ]] || fail "with the real bookingctl and no database: exit $status, not 1 (usage or config error?): $(cat "$work/out")"

if [[ $failures -gt 0 ]]; then
    echo "$failures failure(s); the files are in $work" >&2
    exit 1
fi
echo "bookingd-export: dated file written, 14 days kept, other files untouched, failures keep old exports"
