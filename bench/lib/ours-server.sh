# Sourced by bench/login-flood, bench/double-bookings, bench/one-endpoint and
# bench/scale: a throwaway PostgreSQL cluster and bookingd on it, set up exactly
# as ../shared/bench/compare and its targets/ours.sh do, with 1000 prepared
# users. Defines: url, server_pid, pg_url (the cluster), DATABASE_URL (ours),
# bench (the shared bench directory), out (this run's results directory).
# Everything is stopped and removed on exit. BOOKINGD and BOOKINGCTL choose
# the binaries (default: the release build, built first).
#   ours_server_start NAME     (NAME: the results directory's suffix)
#   ours_server_stop           (stops bookingd and the cluster; also on exit)
#   ours_server_restart [VAR=value...]  (bookingd again on the same database,
#                              with those variables: bench/scale's
#                              BOOKING_AVAILABILITY_CACHE=off)
# bench/seed-large uses the cluster alone:
#   bench_cluster_start NAME   (defines tmp, pgdata, pg_url; removed on exit)
# BENCH_PG_SETTINGS, lines of postgresql.conf, is added to the cluster's
# settings (bench/scale --pg-setting).

ours_server_start() {
    local name=$1
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    local shared=${SHARED_DIR:-$(cd "$root/../shared" 2>/dev/null && pwd || true)}
    bench=$shared/bench
    [[ -x $bench/run ]] || { echo "bench: ../shared/bench not found (set SHARED_DIR)" >&2; exit 1; }
    local cmd
    for cmd in wrk initdb pg_ctl psql curl python3; do
        command -v "$cmd" >/dev/null || { echo "bench: $cmd not found on PATH" >&2; exit 1; }
    done
    ulimit -n 4096 2>/dev/null || true

    # As bench/compare: the release binaries, unless BOOKINGD names others.
    if [[ -z ${BOOKINGD:-} ]]; then
        echo "bench: building the release binaries" >&2
        (cd "$root" && cmake --preset release >/dev/null && cmake --build --preset release >/dev/null)
        export BOOKINGD=$root/build/release/daemon/bookingd BOOKINGCTL=$root/build/release/cli/bookingctl
    fi
    export BOOKINGD BOOKINGCTL=${BOOKINGCTL:-$(dirname "$BOOKINGD")/../cli/bookingctl}
    export PROJECT_DIR=$root SHARED_DIR=$shared BENCH_DIR=$bench

    out=$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$name
    mkdir -p "$out"
    bench_cluster_start "$name"
    psql "$pg_url/postgres" -X -q -c "CREATE DATABASE bench_ours"

    export TARGET_WORK=$tmp/ours SEED_DAYS=60 SMTP_ADDR="" DB_POOL_MAX=8
    export PORT; PORT=$(free_port)
    export JWT_SECRET; JWT_SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
    export DATABASE_URL=$pg_url/bench_ours
    mkdir -p "$TARGET_WORK"
    bash -c 'set -e; source "$1"; target_setup_db' _ "$bench/targets/ours.sh" >"$tmp/setup.log" 2>&1 \
        || { tail -20 "$tmp/setup.log" >&2; exit 1; }
    # A caller's last word on the set-up (bench/one-endpoint --webhook-delay).
    if declare -F ours_before_start >/dev/null; then ours_before_start; fi
    ours_daemon_start
    export BENCH_DATA=$tmp/data.txt
    "$bench/prepare" "$url" --users 1000 >&2
}

ours_daemon_start() {  # [VAR=value...]
    env "$@" bash -c 'source "$1"; target_start' _ "$bench/targets/ours.sh" >>"$out/server.log" 2>&1 &
    server_pid=$!
    url=http://127.0.0.1:$PORT
    local _
    for _ in $(seq 1 300); do curl -fs -o /dev/null "$url/healthz" && break; sleep 0.1; done
    curl -fs -o /dev/null "$url/healthz" || { tail -20 "$out/server.log" >&2; exit 1; }
}

ours_server_restart() {  # [VAR=value...]
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    ours_daemon_start "$@"
}

# The cluster as ../shared/bench/compare makes it.
bench_cluster_start() {
    local name=$1
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-$name.XXXXXX")
    pgdata=$tmp/pg/data server_pid=""
    trap ours_server_stop EXIT
    mkdir -p "$tmp/pg" && chmod 711 "$tmp"
    [[ $(id -u) == 0 ]] && chown postgres: "$tmp/pg"
    local pgport; pgport=$(free_port)
    as_pg initdb -D "$pgdata" -U bench --auth=trust -E UTF8 --no-locale >"$tmp/initdb.log" 2>&1
    cat >>"$pgdata/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pgport
unix_socket_directories = '$tmp/pg'
max_connections = 200
shared_buffers = 128MB
${BENCH_PG_SETTINGS:-}
CONF
    as_pg pg_ctl -D "$pgdata" -l "$tmp/pg/postgres.log" -w -t 60 start >/dev/null
    pg_url=postgresql://bench@127.0.0.1:$pgport
}

ours_server_stop() {
    if [[ -n ${receiver_pid:-} ]]; then kill -TERM "$receiver_pid" 2>/dev/null || true; fi
    if [[ -n ${server_pid:-} ]]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ -f ${pgdata:-}/postmaster.pid ]]; then
        as_pg pg_ctl -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [[ -n ${tmp:-} ]]; then rm -rf "$tmp"; fi
    server_pid="" pgdata="" tmp=""
}

if [[ $(id -u) == 0 ]]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
