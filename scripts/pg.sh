#!/usr/bin/env bash
# Manage the private PostgreSQL cluster of this project (.run/pg).
#   scripts/pg.sh start    start it (idempotent) and print the connection settings
#   scripts/pg.sh stop     stop it
#   scripts/pg.sh status   is it running, on which port
#   scripts/pg.sh env      print export lines: eval "$(scripts/pg.sh env)"; psql -l
#   scripts/pg.sh psql ... run psql as the odoo role
#   scripts/pg.sh dropdb NAME...  drop databases and their Odoo filestore (e.g. kept
#                          test databases: psql -l lists them as sst_test_*)
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-status}" in
    start)
        sst_pg_start
        echo "PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER"
        ;;
    stop)
        sst_pg_stop
        ;;
    status)
        sst_pg_init_vars
        if sst_pg_external; then
            echo "external PostgreSQL: PGHOST=$PGHOST PGPORT=${PGPORT:-5432}"
        elif port=$(sst_pg_running_port); then
            echo "running: data $SST_PG_DATA, port $port, socket $SST_PG_SOCK"
        else
            echo "stopped (data $SST_PG_DATA)"
            exit 3
        fi
        ;;
    env)
        sst_pg_start 2>/dev/null
        echo "export PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER"
        ;;
    psql)
        shift
        sst_pg_start
        exec "$SST_PG_BIN/psql" -d postgres "$@"
        ;;
    dropdb)
        shift
        [ $# -gt 0 ] || sst_die "usage: scripts/pg.sh dropdb NAME..."
        sst_pg_start
        for db in "$@"; do sst_dropdb "$db"; done
        ;;
    *)
        sed -n '2,9p' "$0" >&2
        exit 2
        ;;
esac
