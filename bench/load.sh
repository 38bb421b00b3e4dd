#!/usr/bin/env bash
# Load run: Odoo with 8 workers driven by 8 concurrent JSON-RPC clients (README,
# "Benchmarks").
#
#   bench/load.sh [--keep-db] [-- LOAD.PY OPTIONS]
#
# Copies the test template (scripts/common.sh) into the database sst_load, installs
# the add-on, starts Odoo on the project's PostgreSQL with --workers=8 on 127.0.0.1
# (a free port, no cron), runs bench/load.py against it and stops it. sst_load is
# dropped at the end unless --keep-db. Options after -- go to bench/load.py
# (e.g. --rounds 12 --seconds 180 --clients 8). Server log: .run/logs/load-server.log
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"

keep_db=0 workers=${SST_LOAD_WORKERS:-8}
load_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --keep-db) keep_db=1 ;;
        --) shift; load_args=("$@"); break ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) load_args+=("$1") ;;
    esac
    shift
done

sst_odoo_ready

DB=sst_load
LOG=$SST_RUN/logs/load-server.log
sst_dropdb "$DB" 2>/dev/null || true
sst_copy_db "$SST_TEMPLATE" "$DB" || sst_die "copying the template"
sst_log "installing the add-on in $DB"
"${SST_ODOO_CMD[@]}" -d "$DB" -i "$SST_MODULE" --stop-after-init --no-http \
    --log-level=warn >"$SST_RUN/logs/load-install.log" 2>&1 \
    || { tail -20 "$SST_RUN/logs/load-install.log"; sst_die "installing the add-on"; }

# Odoo's prefork server starts its websocket (gevent) process by running
# sys.argv[0] again: with "python -m odoo" that is odoo/__main__.py, which cannot
# run by itself, and the process would be respawned in a loop. Start it through a
# script instead.
launcher=$SST_RUN/odoo-server.py
printf 'from odoo.cli.command import main\nmain()\n' >"$launcher"
server_cmd=("$SST_PY" "$launcher" "${SST_ODOO_OPTS[@]}")

port=$(sst_free_port)
sst_log "starting Odoo with $workers workers on 127.0.0.1:$port (log: $LOG)"
"${server_cmd[@]}" -d "$DB" --db-filter="^$DB\$" --workers="$workers" \
    --max-cron-threads=0 --http-interface=127.0.0.1 --http-port="$port" \
    --limit-time-real=600 --limit-time-cpu=600 --log-level=info >"$LOG" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    [ "$keep_db" = 1 ] || sst_dropdb "$DB"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/web/health" >/dev/null 2>&1; then break; fi
    kill -0 "$server" 2>/dev/null || { tail -20 "$LOG"; sst_die "Odoo did not start"; }
    sleep 1
done

rc=0
"$SST_PY" bench/load.py --url "http://127.0.0.1:$port" --db "$DB" \
    --dsn "dbname=$DB" --server-log "$LOG" "${load_args[@]}" || rc=$?
errors=$(grep -cE ' (ERROR|CRITICAL) ' "$LOG" || true)
sst_log "server log: $errors ERROR/CRITICAL lines ($LOG)"
exit "$rc"
