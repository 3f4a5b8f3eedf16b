#!/usr/bin/env bash
# The booking site in a real browser: a fresh database in the test cluster
# (the ctest fixture `postgres`), the SMTP sink (fixture `smtp`), a bookingd of
# its own serving the site, and Debian's chromium driven by puppeteer-core
# (site.test.mjs). Screenshots of every step go to $SCREENSHOTS.
#
#   run.sh BOOKINGD BOOKINGCTL PG_STATE_DIR SMTP_STATE_DIR OUTPUT_DIR
set -euo pipefail
[[ $# -eq 5 ]] || { echo "usage: $0 BOOKINGD BOOKINGCTL PG_STATE SMTP_STATE OUTPUT_DIR" >&2; exit 2; }
BOOKINGD=$1 BOOKINGCTL=$2 PG_STATE=$3 SMTP_STATE=$4 OUT=$5
HERE=$(cd "$(dirname "$0")" && pwd)

die() { echo "browser tests: $*" >&2; exit 1; }
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing (apt-get install chromium: scripts/setup-deps)"
command -v node >/dev/null || die "node is missing (apt-get install nodejs npm: scripts/setup-deps)"
if [[ ! -d $HERE/node_modules/puppeteer-core || ! -d $HERE/node_modules/axe-core ]]; then
    (cd "$HERE" && npm ci --no-audit --no-fund) || die "npm ci failed in $HERE"
fi

[[ -f $PG_STATE/env ]] || die "no test cluster ($PG_STATE/env): run through ctest"
[[ -f $SMTP_STATE/env ]] || die "no SMTP sink ($SMTP_STATE/env): run through ctest"
# shellcheck disable=SC1091
source "$PG_STATE/env"
# shellcheck disable=SC1091
source "$SMTP_STATE/env"
export PGHOST PGPORT PGUSER

work=$(mktemp -d /tmp/bookingd-browser.XXXXXX)
db="browser_$$_$RANDOM"
daemon_pid=
# bookingd is to exit 0 on SIGTERM; anything else fails the run, with its log.
cleanup() {
    local rc=$? daemon_rc=0
    if [[ -n $daemon_pid ]] && kill "$daemon_pid" 2>/dev/null; then
        wait "$daemon_pid" 2>/dev/null || daemon_rc=$?
        if [[ $daemon_rc -ne 0 ]]; then
            echo "browser tests: bookingd exited with status $daemon_rc on SIGTERM; its log:" >&2
            if grep -q "ERROR: [A-Za-z]*Sanitizer" "$work/bookingd.log"; then
                # the report's first lines: what went wrong and where
                sed -n '/ERROR: [A-Za-z]*Sanitizer/,$p' "$work/bookingd.log" | head -n 30 >&2
            else
                tail -n 80 "$work/bookingd.log" >&2
            fi
            [[ $rc -ne 0 ]] || rc=1
        fi
    fi
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
    exit "$rc"
}
trap cleanup EXIT

url="postgresql://$PGUSER@/$db?host=$PGHOST&port=$PGPORT"
psql -q -d postgres -c "CREATE DATABASE $db" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
domain="browser-$$.test"   # the customers' email domain: their messages land in SMTP_DIR/$domain
cat >"$work/bookingd.toml" <<TOML
[database]
url = "$url"
pool_size = 4
[server]
listen = "127.0.0.1:$port"
threads = 2
[auth]
jwt_secret = "browser-tests-secret-0123456789abcdefghij"
[business]
name = "Riverside Physio"
time_zone = "Europe/London"
[mail]
transport = "smtp"
from = "Riverside Physio <bookings@example.com>"
retry_base = "1s"
[mail.smtp]
host = "127.0.0.1"
port = $SMTP_PORT
[reminders]
enabled = false
[site]
public_url = "http://127.0.0.1:$port"
[log]
level = "warn"
TOML
"$BOOKINGCTL" --config "$work/bookingd.toml" db migrate >/dev/null
psql -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
INSERT INTO services (code, name, duration_minutes, buffer_minutes, description) VALUES
  ('assessment', 'First assessment', 60, 0, 'A full assessment of your problem and a plan to treat it.'),
  ('follow-up', 'Follow-up treatment', 30, 0, 'Treatment and exercises, for returning patients.'),
  ('xss', '<img src=x onerror=alert(1)>', 30, 0, '<b>not bold</b>');
UPDATE resources SET name = 'Alex' WHERE code = 'main';
INSERT INTO slots (resource_id, starts_at, ends_at)
SELECT r.id, (d::date + time '09:00') AT TIME ZONE 'Europe/London',
       (d::date + time '17:00') AT TIME ZONE 'Europe/London'
  FROM resources r,
       generate_series((now() AT TIME ZONE 'Europe/London')::date + 1,
                       (now() AT TIME ZONE 'Europe/London')::date + 40, interval '1 day') d
 WHERE r.code = 'main' AND extract(isodow FROM d) < 6;
SQL

"$BOOKINGD" --config "$work/bookingd.toml" >"$work/bookingd.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 200); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/bookingd.log" >&2; die "bookingd exited"; }
    sleep 0.1
done

mkdir -p "$OUT"
find "$OUT" -maxdepth 1 -name '*.png' -delete   # this run's screenshots only
status=0
BASE_URL="http://127.0.0.1:$port" MAIL_DIR="$SMTP_DIR/$domain" MAIL_DOMAIN="$domain" \
    SMTP_SINK="$HERE/../support/smtp_sink.py" \
    SCREENSHOTS="$OUT" DATABASE="$db" node "$HERE/site.test.mjs" || status=$?
if [[ $status -ne 0 ]]; then
    echo "--- bookingd log ---" >&2
    tail -n 50 "$work/bookingd.log" >&2
fi
exit $status
