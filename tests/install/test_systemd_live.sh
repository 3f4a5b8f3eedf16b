#!/usr/bin/env bash
# The installed units really run bookingd under systemd, sandbox and all:
# systemd 252 runs as PID 1 of a private PID and mount namespace (its own
# /etc with a bookingd user, /run, /opt, /var/lib and cgroup2 mount; the host
# keeps its own), with a unit path holding only the installed units. Then:
#   - bookingd.service refuses to start while migrations are pending
#     (ExecStartPre) and comes up by itself once they are applied (Restart=);
#   - Type=notify: "active (running)" with Status "serving"; /readyz is 200;
#   - a booking made with bookingctl queues an email that the daemon writes
#     into its StateDirectory (/var/lib/bookingd/mail) despite ProtectSystem=strict;
#   - `systemctl reload` (SIGHUP) and `systemctl stop` (SIGTERM, exit 0);
#   - bookingctl-export.service writes today's CSV into /var/lib/bookingd/exports.
# Runs only where that is possible and harmless: as root, with namespaces and
# cgroup2, and never on a host whose own PID 1 is systemd (the two would share
# the cgroup2 hierarchy); otherwise it is skipped (77).
#   test_systemd_live.sh BUILD_DIR PG_STATE_DIR WORK_DIR
set -uo pipefail

build_dir=$1 pg_state=$2 work=$3
skip() {
    echo "SKIP: $*" >&2
    exit 77
}
[[ $(id -u) -eq 0 ]] || skip "needs root (namespaces, mounts)"
[[ -d /run/systemd/system ]] && skip "this host runs systemd as PID 1; a second one would share its cgroups"
for tool in unshare nsenter runuser curl /lib/systemd/systemd; do
    command -v "$tool" >/dev/null || skip "$tool is missing"
done
unshare --mount sh -c 'mount --make-rprivate / && mount -t cgroup2 none /sys/fs/cgroup' 2>/dev/null ||
    skip "cannot mount cgroup2 in a private mount namespace here"
[[ -f $pg_state/env ]] || {
    echo "FAIL: no PostgreSQL test cluster ($pg_state/env)" >&2
    exit 1
}
# shellcheck disable=SC1091
source "$pg_state/env"

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

rm -rf "$work"
mkdir -p "$work/units"
database=bookingd_live_$$
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt -v ON_ERROR_STOP=1 \
    -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bookingd') THEN CREATE ROLE bookingd LOGIN; END IF; END \$\$" \
    -c "CREATE DATABASE $database OWNER bookingd" >/dev/null || {
    echo "FAIL: cannot create the database $database" >&2
    exit 1
}

# Everything below happens inside the namespace; the host's /etc, /run, /opt
# and /var/lib are untouched.
cat >"$work/inside.sh" <<EOF
set -e
mount --make-rprivate /
cp -a /etc "$work/etc"
echo 'bookingd:x:990:990:bookingd booking engine:/var/lib/bookingd:/usr/sbin/nologin' >>"$work/etc/passwd"
echo 'bookingd:x:990:' >>"$work/etc/group"
mkdir -p "$work/etc/bookingd"
cat >"$work/etc/bookingd/bookingd.toml" <<TOML
[database]
url = "postgresql:///$database?host=/run/pgsock&port=$PGPORT&user=bookingd"
pool_size = 2
[server]
listen = "127.0.0.1:$port"
threads = 2
[auth]
jwt_secret_file = "/etc/bookingd/jwt_secret"
[reminders]
interval = "1h"
TOML
printf '%s' 0123456789abcdef0123456789abcdef01234567 >"$work/etc/bookingd/jwt_secret"
chown root:990 "$work/etc/bookingd/jwt_secret"
chmod 0640 "$work/etc/bookingd/jwt_secret"
mount --bind "$work/etc" /etc
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /opt
mount -t tmpfs tmpfs /var/lib
mkdir /run/pgsock
mount --bind "$PGHOST" /run/pgsock
cmake --install "$build_dir" --prefix /opt/bookingd >"$work/install.log"
cp /opt/bookingd/lib/systemd/system/* "$work/units/"
for target in sysinit basic shutdown multi-user network-online timers sockets paths slices local-fs live; do
    printf '[Unit]\nDefaultDependencies=no\n' >"$work/units/\$target.target"
done
# Drop-ins for the test only: output to files (no journald here), no leak
# checks of a sanitizer build (LeakSanitizer cannot run in the sandbox), a
# shorter restart delay. The units themselves are as installed.
for unit in bookingd.service bookingctl-export.service; do
    mkdir -p "$work/units/\$unit.d"
    printf '[Service]\nStandardOutput=append:/run/%s.log\nStandardError=inherit\nEnvironment=ASAN_OPTIONS=detect_leaks=0\n' "\$unit" \
        >"$work/units/\$unit.d/test.conf"
done
printf 'RestartSec=2s\n' >>"$work/units/bookingd.service.d/test.conf"
umount -R /sys/fs/cgroup 2>/dev/null || true
mount -t cgroup2 none /sys/fs/cgroup
exec env SYSTEMD_UNIT_PATH="$work/units" /lib/systemd/systemd --system --unit=live.target \
    --log-target=console --log-level=notice --show-status=no
EOF
unshare --pid --fork --mount --mount-proc bash "$work/inside.sh" >"$work/systemd.log" 2>&1 &
unshare_pid=$!

init_pid=""
cleanup() {
    [[ -n $init_pid ]] && kill -KILL "$init_pid" 2>/dev/null
    kill "$unshare_pid" 2>/dev/null
    wait "$unshare_pid" 2>/dev/null
    psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1
    rm -rf "$work/etc" # a copy of the host's /etc, shadow included
}
trap cleanup EXIT
inside() { nsenter -t "$init_pid" -m -p "$@"; }
ctl() { inside systemctl --no-pager "$@"; }
prop() { ctl show -p "$2" --value "$1"; }
wait_for() { # SECONDS COMMAND...: until COMMAND succeeds
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

find_init() { init_pid=$(pgrep -P "$unshare_pid" | head -n 1) && [[ -n $init_pid ]] && ctl is-system-running >/dev/null 2>&1; }
wait_for 60 find_init || {
    cat "$work/systemd.log" >&2
    echo "FAIL: systemd did not come up in the namespace" >&2
    exit 1
}

# 1. Pending migrations: ExecStartPre refuses, the unit keeps retrying.
ctl start --no-block bookingd.service
restarting() { [[ $(prop bookingd.service NRestarts) -ge 1 ]]; }
if wait_for 30 restarting; then
    grep -q 'migration(s) pending: run bookingctl db migrate' <(inside cat /run/bookingd.service.log) ||
        fail "the refused start did not name the pending migrations"
    [[ $(prop bookingd.service ActiveState) != active ]] || fail "bookingd is active on an unmigrated database"
else
    fail "with migrations pending, bookingd.service did not fail and restart ($(prop bookingd.service ActiveState))"
fi

# 2. Migrate: the unit comes up by itself, Type=notify reports serving.
bookingctl() { inside runuser -u bookingd -- env ASAN_OPTIONS=detect_leaks=0 /opt/bookingd/bin/bookingctl -q "$@"; }
bookingctl db migrate >/dev/null || fail "bookingctl db migrate failed as user bookingd"
running() { [[ $(prop bookingd.service SubState) == running ]]; }
if wait_for 60 running; then
    [[ $(prop bookingd.service StatusText) == serving ]] || fail "Status is \"$(prop bookingd.service StatusText)\", not serving"
    [[ $(prop bookingd.service MainPID) != 0 ]] || fail "no main PID"
    ready=$(curl -fsS "http://127.0.0.1:$port/readyz") || fail "/readyz did not answer 200"
    [[ $ready == *ready* ]] || fail "/readyz said $ready"
    echo "bookingd.service: refused to start unmigrated, then active (running), Status: serving, /readyz 200"
else
    inside cat /run/bookingd.service.log >&2
    fail "after the migrations bookingd.service did not reach running ($(prop bookingd.service ActiveState))"
fi

# 3. A booking's confirmation email lands in the StateDirectory.
day=$(date -d tomorrow +%F)
bookingctl services add consultation --name Consultation --duration 1h >/dev/null &&
    bookingctl slots add --resource main --start "$day 09:00" --end "$day 17:00" >/dev/null &&
    bookingctl users add --email ann@example.com --name Ann >/dev/null &&
    bookingctl bookings create --user ann@example.com --service consultation --start "$day 10:00" >/dev/null ||
    fail "bookingctl could not make a booking"
spooled() { inside sh -c 'ls /var/lib/bookingd/mail/*.eml' >/dev/null 2>&1; }
if grep -q 'mailer: transport file' <(inside cat /run/bookingd.service.log); then
    wait_for 20 spooled || fail "no email written into /var/lib/bookingd/mail by the sandboxed daemon"
else
    echo "note: this bookingd started no file-transport mailer; the spool is not checked"
fi
[[ $(inside stat -c '%U %a' /var/lib/bookingd/mail) == "bookingd 750" ]] ||
    fail "/var/lib/bookingd/mail is $(inside stat -c '%U %a' /var/lib/bookingd/mail)"

# 4. Reload (SIGHUP) and the export service.
ctl reload bookingd.service || fail "systemctl reload failed"
reloaded() { grep -q 'SIGHUP' <(inside cat /run/bookingd.service.log); }
wait_for 10 reloaded || fail "SIGHUP was not logged after systemctl reload"
ctl start bookingctl-export.service || fail "bookingctl-export.service failed"
[[ $(prop bookingctl-export.service Result) == success ]] || fail "the export service's result is $(prop bookingctl-export.service Result)"
header=$(inside head -n 1 "/var/lib/bookingd/exports/bookings-$(date +%F).csv" 2>&1)
[[ $header == id,status,start,end,* ]] || fail "no CSV export in /var/lib/bookingd/exports: $header"
rows=$(inside sh -c "wc -l < /var/lib/bookingd/exports/bookings-$(date +%F).csv")
[[ $rows -eq 2 ]] || fail "the export has $rows lines, not a header and one booking"

# 5. Stop: SIGTERM, exit 0.
ctl stop bookingd.service
[[ $(prop bookingd.service Result) == success && $(prop bookingd.service ExecMainStatus) == 0 ]] ||
    fail "systemctl stop: result $(prop bookingd.service Result), exit $(prop bookingd.service ExecMainStatus)"
grep -q 'bookingd stopped' <(inside cat /run/bookingd.service.log) || fail "no clean shutdown in the log"

if [[ $failures -gt 0 ]]; then
    echo "--- bookingd.service log" >&2
    inside cat /run/bookingd.service.log >&2
    echo "$failures failure(s); files in $work" >&2
    exit 1
fi
echo "systemd live: bookingd.service and bookingctl-export.service run as installed, sandboxed, under systemd $(/lib/systemd/systemd --version | head -n 1 | cut -d' ' -f2)"
