#!/usr/bin/env bash
# Benchmarks of stock_serial_tracking against native Odoo 18 (see README "Benchmarks").
#
#   bench/run.sh [--rebuild] [--build-big] [-- RUN.PY OPTIONS]
#
# Databases (in the project's PostgreSQL, see scripts/common.sh), created when missing:
#   sst_bench_native  copy of the test template (stock, purchase_stock, mrp, demo data)
#                     WITHOUT this add-on: the "native" path
#   sst_bench         the same copy WITH this add-on installed (upgraded by itself when
#                     the add-on's files change)
#   sst_bench_big     copy of sst_bench + 1,000,000 serials (set-based SQL), built once
#                     and kept; only created when a case needs it (paste, search)
# Every case runs in its own process; these databases are not changed by the benchmarks
# (cases that commit each step, as the UI's requests do, run on a disposable copy).
# --rebuild drops and recreates all three.
# Options after -- go to bench/run.py (e.g. --cases receipt --n 1000 --output f.md).
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"

rebuild=0 build_big=0 big_n=${SST_BENCH_BIG_N:-1000000}
run_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rebuild) rebuild=1 ;;
        --build-big) build_big=1 ;;
        --) shift; run_args=("$@"); break ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) run_args+=("$1") ;;
    esac
    shift
done

sst_odoo_ready

BENCH=sst_bench NATIVE=sst_bench_native BIG=sst_bench_big
code_hash() {  # the add-on's code and data files
    (cd "$SST_ROOT" && find . -path ./.run -prune -o -path ./.git -prune -o \
        \( -name '*.py' -o -name '*.xml' -o -name '*.csv' \) -print \
        | grep -v -e '^./bench/' -e '^./tests/' | sort | xargs cat | sha1sum | cut -c1-12)
}
stamp() { echo "$SST_RUN/bench-$1.stamp"; }

if [ "$rebuild" = 1 ]; then
    for db in $BENCH $NATIVE $BIG; do sst_dropdb "$db"; rm -f "$(stamp "$db")"; done
fi
if ! sst_db_exists $NATIVE; then
    sst_log "creating $NATIVE (template copy, without the add-on)"
    sst_copy_db "$SST_TEMPLATE" $NATIVE
fi
update_addon() {  # $1 database
    local db=$1 log=$SST_RUN/logs/bench-$1.log
    sst_log "installing/upgrading the add-on in $db (log: $log)"
    "${SST_ODOO_CMD[@]}" -d "$db" -i "$SST_MODULE" -u "$SST_MODULE" --stop-after-init \
        --no-http --log-level=warn >"$log" 2>&1 || {
        tail -15 "$log"
        sst_log "WARNING: upgrading the add-on in $db failed; benchmarking what it has"
        return 0
    }
    code_hash >"$(stamp "$db")"
}
if ! sst_db_exists $BENCH; then
    sst_copy_db "$SST_TEMPLATE" $BENCH
    update_addon $BENCH
elif [ "$(cat "$(stamp $BENCH)" 2>/dev/null)" != "$(code_hash)" ]; then
    update_addon $BENCH
fi

needs_big=0
if [ "$build_big" = 1 ] || ! printf '%s\n' "${run_args[@]}" | grep -q -- '--cases' \
    || printf '%s\n' "${run_args[@]}" | grep -qE 'paste|search'; then
    needs_big=1
fi
if [ "$needs_big" = 1 ]; then
    if ! sst_db_exists $BIG; then
        t0=$SECONDS
        sst_log "building $BIG: $big_n serials (once; a few minutes, ~1 GB)"
        sst_copy_db $BENCH $BIG
        "$SST_PY" bench/run.py --build-big --n "$big_n" --db $BIG \
            --config "$SST_RUN/odoo.conf" --addons-path "$SST_ADDONS_PATH" \
            --data-dir "$SST_DATA_DIR" || { sst_dropdb $BIG; sst_die "building $BIG"; }
        sst_psql -d $BIG -qc "VACUUM ANALYZE stock_lot, stock_quant"
        code_hash >"$(stamp $BIG)"
        sst_log "$BIG built in $((SECONDS - t0))s," \
            "$(sst_psql -tAc "SELECT pg_size_pretty(pg_database_size('$BIG'))")"
    elif [ "$(cat "$(stamp $BIG)" 2>/dev/null)" != "$(code_hash)" ]; then
        update_addon $BIG
    fi
fi

exec "$SST_PY" bench/run.py --db $BENCH --native-db $NATIVE --big-db $BIG \
    --config "$SST_RUN/odoo.conf" --addons-path "$SST_ADDONS_PATH" \
    --data-dir "$SST_DATA_DIR" "${run_args[@]}"
