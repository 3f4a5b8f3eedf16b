#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the integration and e2e tests.
#
#   pg_cluster.sh start STATE_DIR   create and start a cluster (idempotent)
#   pg_cluster.sh stop STATE_DIR    stop it and remove its files
#
# The cluster lives in a fresh directory under /tmp (mktemp -d): short enough
# for a unix socket path, and reachable by the postgres user when we run as
# root (initdb refuses to run as root). It listens only on a unix socket in
# that directory, trusts local connections and runs without fsync.
# stop keeps the server's log as STATE_DIR/server.log.
# STATE_DIR/env records where it is, as shell assignments:
#   PGHOST (the socket directory), PGPORT, PGUSER, PG_CLUSTER_DIR, PG_DATA, PG_BIN
set -euo pipefail

readonly PORT=5432           # only names the socket file; nothing listens on TCP
readonly SUPERUSER=postgres
readonly START_TIMEOUT=60    # seconds

die() {
    echo "pg_cluster.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start|stop STATE_DIR" >&2
    exit 2
}

find_pg_bin() {
    local candidate
    if candidate=$(command -v initdb 2>/dev/null); then
        dirname "$(readlink -f "$candidate")"
        return
    fi
    for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        if [[ -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
            echo "$candidate"
            return
        fi
    done
    die "initdb not found on PATH nor in /usr/lib/postgresql/*/bin (install postgresql-15: scripts/setup-deps)"
}

# Runs a command as the cluster's owner: the postgres user when we are root.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        if command -v runuser >/dev/null; then
            runuser -u "$SUPERUSER" -- "$@"
        else
            setpriv --reuid="$SUPERUSER" --regid="$SUPERUSER" --init-groups -- "$@"
        fi
    else
        "$@"
    fi
}

# Running means accepting connections: a postmaster that was killed can linger
# as a zombie (no reaper in a container) and still look alive to pg_ctl status.
cluster_running() {
    [[ -f $STATE/env ]] || return 1
    # shellcheck disable=SC1091
    (source "$STATE/env" && [[ -d $PG_DATA ]] &&
        "$PG_BIN/pg_isready" -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres)
}

wait_until_accepting() {
    local deadline=$((SECONDS + START_TIMEOUT))
    while ! "$PG_BIN/pg_isready" -q -h "$CLUSTER_DIR" -p "$PORT" -U "$SUPERUSER" -d postgres; do
        if ((SECONDS >= deadline)); then
            die "the server in $CLUSTER_DIR does not accept connections after ${START_TIMEOUT}s; log: $CLUSTER_DIR/server.log"
        fi
        sleep 0.1
    done
}

start() {
    if cluster_running; then
        echo "pg_cluster.sh: already running ($(grep '^PGHOST=' "$STATE/env"))"
        return 0
    fi
    # A state file without a running server is left over from a crashed run.
    [[ -f $STATE/env ]] && stop_cluster quiet

    PG_BIN=$(find_pg_bin)
    if [[ $(id -u) -eq 0 ]] && ! id "$SUPERUSER" >/dev/null 2>&1; then
        die "running as root, but there is no '$SUPERUSER' user to own the cluster (initdb refuses root); install postgresql-15 or run as another user"
    fi
    mkdir -p "$STATE" || die "cannot create state directory $STATE"

    CLUSTER_DIR=$(mktemp -d /tmp/booking-pg.XXXXXX) || die "mktemp -d under /tmp failed"
    chmod 0755 "$CLUSTER_DIR"
    if [[ $(id -u) -eq 0 ]]; then
        chown "$SUPERUSER:" "$CLUSTER_DIR" || die "cannot hand $CLUSTER_DIR to $SUPERUSER"
    fi
    PG_DATA=$CLUSTER_DIR/data

    if ! as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U "$SUPERUSER" --auth=trust --encoding=UTF8 \
        --locale=C --no-sync >"$CLUSTER_DIR/initdb.log" 2>&1; then
        cat "$CLUSTER_DIR/initdb.log" >&2
        rm -rf "$CLUSTER_DIR"
        die "initdb failed (output above)"
    fi

    as_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null <<EOF

# bookingd tests: unix socket only, speed over durability
listen_addresses = ''
unix_socket_directories = '$CLUSTER_DIR'
port = $PORT
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_min_messages = warning
EOF

    if ! as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$CLUSTER_DIR/server.log" -w -t "$START_TIMEOUT" \
        start >/dev/null; then
        tail -n 30 "$CLUSTER_DIR/server.log" >&2 || true
        as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$CLUSTER_DIR"
        die "pg_ctl start failed (server log above)"
    fi
    wait_until_accepting

    cat >"$STATE/env.tmp" <<EOF
PGHOST=$CLUSTER_DIR
PGPORT=$PORT
PGUSER=$SUPERUSER
PG_CLUSTER_DIR=$CLUSTER_DIR
PG_DATA=$PG_DATA
PG_BIN=$PG_BIN
EOF
    mv "$STATE/env.tmp" "$STATE/env"
    echo "pg_cluster.sh: PostgreSQL running, socket in $CLUSTER_DIR (port $PORT), log $CLUSTER_DIR/server.log"
}

stop_cluster() {
    local quiet=${1:-}
    if [[ ! -f $STATE/env ]]; then
        [[ -n $quiet ]] || echo "pg_cluster.sh: nothing to stop ($STATE/env does not exist)"
        return 0
    fi
    local PGHOST PGPORT PGUSER PG_DATA PG_BIN PG_CLUSTER_DIR
    # shellcheck disable=SC1091
    source "$STATE/env"
    if [[ -d $PG_DATA ]] && as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        if ! as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1; then
            echo "pg_cluster.sh: fast shutdown failed, stopping immediately" >&2
            if ! as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 &&
                "$PG_BIN/pg_isready" -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres; then
                die "cannot stop the server in $PG_DATA (log: $PG_CLUSTER_DIR/server.log)"
            fi
        fi
    fi
    # Keep the server's log for a look after the run; remove only what start created.
    cp -f "$PG_CLUSTER_DIR/server.log" "$STATE/server.log" 2>/dev/null || true
    if [[ $PG_CLUSTER_DIR == /tmp/booking-pg.* ]]; then
        rm -rf "$PG_CLUSTER_DIR"
    fi
    rm -f "$STATE/env"
    [[ -n $quiet ]] || echo "pg_cluster.sh: stopped and removed $PG_CLUSTER_DIR"
}

[[ $# -eq 2 ]] || usage
STATE=$(realpath -m -- "$2")
# The postgres user may not be able to enter the caller's working directory.
cd /tmp
case $1 in
start) start ;;
stop) stop_cluster ;;
*) usage ;;
esac
