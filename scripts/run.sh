#!/usr/bin/env bash
# Serve Odoo 18 with this add-on on http://localhost:8069 (login admin / admin).
#
# Starts the project's private PostgreSQL (.run/pg) unless PGHOST is set, creates the
# database sst_demo with demo data and stock_serial_tracking installed if it is not
# there yet, then runs the server in the foreground (Ctrl-C stops it).
#
# Options:
#   --update        upgrade the add-on (-u) before serving, after you changed its code
#   --reset         drop sst_demo and create it again
#   --db NAME       another database name (default sst_demo, or $SST_DEMO_DB)
#   --port N        HTTP port (default 8069, or $SST_HTTP_PORT)
#   -- ARGS         extra odoo arguments, e.g. -- --dev=xml,reload
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

db=${SST_DEMO_DB:-sst_demo}
port=${SST_HTTP_PORT:-8069}
update=0 reset=0
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --update) update=1 ;;
        --reset) reset=1 ;;
        --db) db=${2:?}; shift ;;
        --port) port=${2:?}; shift ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

sst_odoo_importable || sst_die "no Odoo 18: python3 cannot import it, SST_ODOO_SRC is not set and ../shared/vendor has no tarball (README, Install)"
sst_odoo_setup
sst_odoo_cmd
sst_pg_start
sst_port_free "$port" || sst_die "port $port is in use (another Odoo?); try --port N"

if [ "$reset" = 1 ] && sst_db_exists "$db"; then
    sst_log "dropping database $db"
    sst_dropdb "$db"
fi

installed() {
    [ "$(sst_psql -d "$db" -tAc "SELECT state FROM ir_module_module
                                   WHERE name = '$SST_MODULE'" 2>/dev/null)" = installed ]
}

install_args=()
if ! sst_db_exists "$db"; then
    sst_ensure_template
    sst_log "creating database $db from $SST_TEMPLATE (demo data)"
    sst_copy_db "$SST_TEMPLATE" "$db" || sst_die "cannot create database $db"
    install_args=(-i "$SST_MODULE")
elif ! installed; then
    install_args=(-i "$SST_MODULE")
elif [ "$update" = 1 ]; then
    install_args=(-u "$SST_MODULE")
fi
if [ ${#install_args[@]} -gt 0 ]; then
    sst_log "${install_args[0]} $SST_MODULE in $db"
    "${SST_ODOO_CMD[@]}" -d "$db" "${install_args[@]}" --stop-after-init --no-http \
        --log-level=warn || sst_die "installing $SST_MODULE in $db failed (see above)"
fi

cat <<EOF

  Odoo is starting on  http://localhost:$port/odoo   (database $db)
  Login: admin   Password: admin
  Stop with Ctrl-C. After changing the add-on's code: scripts/run.sh --update

EOF
exec "${SST_ODOO_CMD[@]}" -d "$db" --db-filter="^${db}\$" --http-port="$port" \
    --max-cron-threads=1 "${extra[@]}"
