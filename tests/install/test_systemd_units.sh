#!/usr/bin/env bash
# The installed systemd files are valid and the service is well sandboxed:
# - `systemd-analyze verify` accepts every unit (no running systemd needed),
#   with the commands they name resolved inside the staged install and the
#   man pages of Documentation= looked up in it;
# - `systemd-analyze security --offline` rates bookingd.service and the
#   export service at most MAX_EXPOSURE (and the level is printed);
# - systemd-sysusers and systemd-tmpfiles, run on a scratch root, create the
#   bookingd user (home /var/lib/bookingd, no login shell) and its directories.
#   test_systemd_units.sh STAGE WORK_DIR     (STAGE: DESTDIR of a /usr install)
set -uo pipefail

stage=$1 work=$2
max_exposure=2.0
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

command -v systemd-analyze >/dev/null || {
    echo "SKIP: systemd-analyze is not installed (apt-get install systemd)" >&2
    exit 77
}
units_dir=$stage/usr/lib/systemd/system
units=(bookingd.service bookingctl-export.service bookingctl-export.timer)
for unit in "${units[@]}"; do
    [[ -f $units_dir/$unit ]] || {
        echo "FAIL: $unit is not installed in $units_dir" >&2
        exit 1
    }
done

rm -rf "$work"
mkdir -p "$work/units"

# --- verify ---------------------------------------------------------------------
# The units name /usr/bin/bookingctl etc.; verify checks that those commands
# exist, so point them (and only them) into the stage. bookingd may not be
# built yet (daemon/ optional): then a stand-in takes its place.
bookingd=$stage/usr/sbin/bookingd
if [[ ! -x $bookingd ]]; then
    bookingd=$work/bookingd-stand-in
    printf '#!/bin/sh\n' >"$bookingd"
    chmod +x "$bookingd"
    echo "note: bookingd is not built; verifying with a stand-in for /usr/sbin/bookingd"
fi
for unit in "${units[@]}"; do
    sed -e "s|/usr/bin/bookingctl|$stage/usr/bin/bookingctl|g" \
        -e "s|/usr/sbin/bookingd|$bookingd|g" \
        -e "s|/usr/libexec/bookingd/|$stage/usr/libexec/bookingd/|g" \
        "$units_dir/$unit" >"$work/units/$unit"
done
(
    cd "$work/units" &&
        MANPATH=$stage/usr/share/man: SYSTEMD_LOG_COLOR=0 \
            systemd-analyze verify --man=yes "${units[@]}"
) >"$work/verify.log" 2>&1
status=$?
if [[ $status -ne 0 || -s $work/verify.log ]]; then
    cat "$work/verify.log" >&2
    fail "systemd-analyze verify (exit $status) complained"
else
    echo "systemd-analyze verify: ${units[*]}: no complaints"
fi

# --- security -------------------------------------------------------------------
for unit in bookingd.service bookingctl-export.service; do
    report=$(cd "$work/units" && systemd-analyze security --offline=yes --no-pager "$unit" 2>&1)
    level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p' <<<"$report")
    if [[ -z $level ]]; then
        echo "$report" >&2
        fail "systemd-analyze security printed no exposure level for $unit"
        continue
    fi
    echo "systemd-analyze security: $unit: exposure level $level (at most $max_exposure allowed)"
    grep '✗' <<<"$report" | sed 's/^/    /'
    if awk -v a="${level%% *}" -v b="$max_exposure" 'BEGIN { exit !(a > b) }'; then
        fail "$unit: exposure level ${level%% *} is over $max_exposure"
    fi
done

# --- sysusers.d and tmpfiles.d ------------------------------------------------------
if [[ $(id -u) -ne 0 ]]; then
    echo "note: not root; the sysusers.d and tmpfiles.d snippets are not applied"
else
    root=$work/root
    mkdir -p "$root/etc"
    systemd-sysusers --root="$root" "$stage/usr/lib/sysusers.d/bookingd.conf" >"$work/sysusers.log" 2>&1 ||
        fail "systemd-sysusers failed: $(cat "$work/sysusers.log")"
    entry=$(grep '^bookingd:' "$root/etc/passwd")
    IFS=: read -r _ _ uid gid _ home shell <<<"$entry"
    [[ $home == /var/lib/bookingd && $shell == /usr/sbin/nologin ]] ||
        fail "sysusers: the bookingd user is \"$entry\", not a system user at /var/lib/bookingd without a shell"
    [[ -n $uid && $uid -lt 1000 ]] || fail "sysusers: bookingd's uid $uid is not a system uid"
    systemd-tmpfiles --root="$root" --create "$stage/usr/lib/tmpfiles.d/bookingd.conf" >"$work/tmpfiles.log" 2>&1 ||
        fail "systemd-tmpfiles failed: $(cat "$work/tmpfiles.log")"
    for dir in /var/lib/bookingd /var/lib/bookingd/mail /var/lib/bookingd/exports; do
        got=$(stat -c '%u:%g %a' "$root$dir" 2>/dev/null)
        [[ $got == "$uid:$gid 750" ]] || fail "tmpfiles: $dir is \"$got\", not owned by bookingd with mode 750"
    done
    # The directories the units write to are the ones tmpfiles creates and
    # that mail.spool_dir names by default.
    grep -q '^StateDirectory=bookingd bookingd/mail$' "$units_dir/bookingd.service" ||
        fail "bookingd.service does not declare /var/lib/bookingd/mail as a state directory"
    [[ $failures -eq 0 ]] && echo "sysusers.d/tmpfiles.d: user bookingd ($uid:$gid) and /var/lib/bookingd/{mail,exports} created"
fi

if [[ $failures -gt 0 ]]; then
    echo "$failures failure(s); the files are in $work" >&2
    exit 1
fi
