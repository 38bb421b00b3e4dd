#!/usr/bin/env bash
# Full test suite of stock_serial_tracking (what CI runs through .ci/run):
#   1. plain pytest tests in tests/pure (no Odoo needed)
#   2. the add-on's Odoo tests, in a fresh database copied from a cached template
#   3. Odoo's own test suites with the add-on installed (scripts/odoo_suites.sh)
#   4. linters: ruff + pylint-odoo mandatory checks
# Exits non-zero if anything failed.
#
# Options (a developer's subset; no option = everything, as CI):
#   --pure-only | --odoo-only | --suites-only | --lint-only
#                    run one part only (combinable)
#   --tags SPEC      Odoo --test-tags (default /stock_serial_tracking), e.g.
#                    /stock_serial_tracking:TestStatus or
#                    /stock_serial_tracking:TestStatus.test_receive
#   --keep-db        keep the test database (name printed) for inspection
#   --no-install     do not pip/apt install anything
#   --stop-pg        stop the private PostgreSQL at the end (default when CI=true
#                    and this run started it)
#   -- ARGS          extra arguments passed to odoo (e.g. -- --log-level=info)
# Environment: PGHOST/PGPORT/PGUSER/PGPASSWORD to use an existing PostgreSQL;
#   SST_FORCE_NO_ODOO=1 to behave as if Odoo were not importable.
set -uo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

run_pure=0 run_odoo=0 run_suites=0 run_lint=0 keep_db=0 install=1 stop_pg=0
tags=/$SST_MODULE
odoo_extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --pure-only) run_pure=1 ;;
        --odoo-only) run_odoo=1 ;;
        --suites-only) run_suites=1 ;;
        --lint-only) run_lint=1 ;;
        --tags) tags=${2:?--tags needs a value}; shift ;;
        --tags=*) tags=${1#--tags=} ;;
        --keep-db) keep_db=1 ;;
        --no-install) install=0 ;;
        --stop-pg) stop_pg=1 ;;
        --) shift; odoo_extra=("$@"); break ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ $((run_pure + run_odoo + run_suites + run_lint)) = 0 ]; then
    run_pure=1 run_odoo=1 run_suites=1 run_lint=1
fi

cd "$SST_ROOT" || exit 1
mkdir -p "$SST_RUN/logs"
T0=$SECONDS
declare -A status=()
failed=0
fail() { status[$1]="FAILED${2:+ ($2)}"; failed=1; }

banner() { printf '\n========== %s ==========\n' "$*"; }

# ------------------------------------------------------------------ dependencies
ensure_deps() {
    local pyok=1
    # runtime (requirements.txt) and tests/lint (requirements-dev.txt); pip only when
    # a requirement is missing or at another version: offline-friendly
    local reqs=(-r requirements.txt -r requirements-dev.txt)
    "$SST_PY" - requirements.txt requirements-dev.txt <<'EOF' || pyok=0
import re, sys
from importlib.metadata import PackageNotFoundError, version
bad = []
for line in (line for path in sys.argv[1:] for line in open(path)):
    line = line.split("#", 1)[0].split(";", 1)[0].strip()
    m = re.match(r"([A-Za-z0-9._-]+)(?:\[.*\])?\s*(?:==\s*([^,\s]+))?", line)
    if not line or not m:
        continue
    try:
        installed = version(m[1])
        if m[2] and installed != m[2]:
            bad.append(line)
    except PackageNotFoundError:
        bad.append(line)
if bad:
    print("[sst] requirements not satisfied:", ", ".join(bad), file=sys.stderr)
    sys.exit(1)
EOF
    if [ "$pyok" = 0 ]; then
        if [ "$install" = 1 ]; then
            banner "pip install ${reqs[*]}"
            "$SST_PY" -m pip install -q --disable-pip-version-check "${reqs[@]}" \
                || sst_log "pip install ${reqs[*]} failed"
        else
            sst_log "python test dependencies missing (pip install ${reqs[*]})"
        fi
    fi
    if [ "$run_odoo" = 1 ]; then
        local missing=()
        command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 \
            || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
        command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
        command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
        # CJK serials print blank on labels without a font that has their glyphs
        fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
        if [ ${#missing[@]} -gt 0 ]; then
            if [ "$install" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
                banner "apt-get install ${missing[*]}"
                export DEBIAN_FRONTEND=noninteractive
                { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
                    "${missing[@]}"; } >"$SST_RUN/logs/apt.log" 2>&1 \
                    || sst_log "apt-get install ${missing[*]} failed, see $SST_RUN/logs/apt.log"
            else
                sst_log "missing system packages: ${missing[*]} (tours/PDF tests may fail)"
            fi
        fi
    fi
}

# ------------------------------------------------------------------ pure tests
run_pure_tests() {
    banner "pytest tests/pure"
    local ntests rc=0
    ntests=$(find tests/pure -name 'test_*.py' -o -name '*_test.py' 2>/dev/null | wc -l)
    "$SST_PY" -m pytest tests/pure -q || rc=$?
    if [ "$rc" = 0 ]; then
        status[pure]=ok
    elif [ "$rc" = 5 ] && [ "$ntests" = 0 ]; then
        status[pure]="ok (no tests yet)"
    else
        fail pure "pytest exit code $rc"
    fi
}

# ------------------------------------------------------------------ odoo tests
odoo_summary="odoo: not run"
odoo_db=

drop_test_db() {
    if [ -n "$odoo_db" ] && [ "$keep_db" = 0 ]; then
        sst_dropdb "$odoo_db"
    fi
}

run_odoo_tests() {
    banner "Odoo tests ($tags)"
    if ! sst_odoo_importable; then
        echo "python3 cannot import Odoo 18${SST_FORCE_NO_ODOO:+ (SST_FORCE_NO_ODOO is set)}"
        status[odoo]="SKIPPED"
        odoo_summary="!!!!! ODOO NOT IMPORTABLE: Odoo tests SKIPPED !!!!!"
        return
    fi
    if ! "$SST_PY" -c 'import websocket' 2>/dev/null; then
        fail odoo "websocket-client missing: Odoo would silently skip the tours"
        return
    fi
    sst_odoo_setup
    sst_pg_start || { fail odoo "PostgreSQL"; return; }
    local t_tmpl=$SECONDS
    ( sst_ensure_template ) || { fail odoo "template database"; return; }
    sst_ensure_template  # cheap now; sets SST_TEMPLATE in this shell
    t_tmpl=$((SECONDS - t_tmpl))

    odoo_db=sst_test_$(date +%Y%m%d_%H%M%S)_$$
    trap drop_test_db EXIT
    sst_copy_db "$SST_TEMPLATE" "$odoo_db" || { fail odoo "createdb from template"; return; }
    local port log rc=0 t_run=$SECONDS
    port=$(sst_free_port)
    log=$SST_RUN/logs/$odoo_db.log
    sst_log "database $odoo_db (from $SST_TEMPLATE), http port $port, log $log"
    sst_odoo_cmd
    timeout --kill-after=60 "${SST_ODOO_TIMEOUT:-4800}" \
        "${SST_ODOO_CMD[@]}" -d "$odoo_db" -i "$SST_MODULE" --test-tags "$tags" \
        --stop-after-init --http-port "$port" --log-level=test "${odoo_extra[@]}" \
        2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    t_run=$((SECONDS - t_run))

    # Odoo ends a test run with "<F> failed, <E> error(s) of <N> tests when loading
    # database '<db>'" (odoo/service/server.py, OdooTestResult.__str__).
    local line nfail=0 nerr=0 nrun=0 nskip errors
    line=$(grep -E '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading database' \
        "$log" | tail -n 1)
    if [[ "$line" =~ ([0-9]+)\ failed,\ ([0-9]+)\ error\(s\)\ of\ ([0-9]+)\ tests ]]; then
        nfail=${BASH_REMATCH[1]} nerr=${BASH_REMATCH[2]} nrun=${BASH_REMATCH[3]}
    fi
    nskip=$(grep -cE ' INFO \S+ odoo\.addons\.\S+: skipped ' "$log")
    errors=$(sst_error_lines "$log")
    odoo_summary="odoo: $((nrun - nfail - nerr)) passed, $((nfail + nerr)) failed"
    local why=()
    [ "$rc" = 0 ] || why+=("odoo exit code $rc")
    [ -n "$line" ] || why+=("no test report in the log")
    [ "$nrun" -gt 0 ] || why+=("0 tests ran")
    [ "$((nfail + nerr))" = 0 ] || why+=("$nfail failed, $nerr errors")
    [ -z "$errors" ] || why+=("$(grep -c . <<<"$errors") ERROR/CRITICAL log lines")
    if [ ${#why[@]} -gt 0 ]; then
        fail odoo "$(IFS=';'; echo "${why[*]}")"
        if [ -n "$errors" ]; then
            printf '\n---------- ERROR/CRITICAL lines of %s ----------\n' "$log"
            grep -E ' (ERROR|CRITICAL) ' <<<"$errors" | cut -c1-300
        fi
    else
        status[odoo]=ok
    fi
    [ "$nskip" = 0 ] || status[odoo]+=" ($nskip skipped)"
    status[odoo]+=" [template ${t_tmpl}s, run ${t_run}s]"
    [ "$keep_db" = 0 ] || sst_log "kept database $odoo_db (drop it: scripts/pg.sh dropdb $odoo_db)"
}

# ------------------------------------------------------------------ odoo's suites
run_suites_tests() {
    banner "Odoo's own suites with the add-on (scripts/odoo_suites.sh)"
    if ! sst_odoo_importable; then
        status[suites]="SKIPPED (Odoo not importable)"
        return
    fi
    local out=$SST_RUN/logs/odoo_suites.out rc t=$SECONDS line
    bash scripts/odoo_suites.sh 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    line=$(grep -E '^suites: ' "$out" | tail -n 1)
    line=${line#suites: }
    if [ "$rc" = 0 ]; then
        status[suites]="ok (${line:-no summary})"
    else
        fail suites "exit code $rc${line:+: $line}"
    fi
    status[suites]+=" [$((SECONDS - t))s]"
}

# ------------------------------------------------------------------ linters
run_lint() {
    banner "ruff"
    local rc=0
    "$SST_PY" -m ruff check . || rc=$?
    [ "$rc" = 0 ] && status[ruff]=ok || fail ruff "exit code $rc"
    banner "pylint-odoo (mandatory checks)"
    rc=0
    # pylint lints the add-on as the package it is (its folder name need not match)
    sst_addons_link
    "$SST_PY" -m pylint --rcfile=.pylintrc "$SST_RUN/addons/$SST_MODULE" || rc=$?
    [ "$rc" = 0 ] && status[pylint]=ok || fail pylint "exit code $rc"
}

# ------------------------------------------------------------------ main
ensure_deps
[ "$run_pure" = 1 ] && run_pure_tests
[ "$run_odoo" = 1 ] && run_odoo_tests
[ "$run_suites" = 1 ] && run_suites_tests
[ "$run_lint" = 1 ] && run_lint
drop_test_db
odoo_db=
trap - EXIT
if [ "$stop_pg" = 1 ] || { [ "${CI:-}" = true ] && [ -n "${SST_PG_STARTED_HERE:-}" ]; }; then
    sst_pg_stop
fi

banner "summary ($((SECONDS - T0))s)"
for part in pure odoo suites ruff pylint; do
    [ -n "${status[$part]:-}" ] && printf '%-9s %s\n' "[$part]" "${status[$part]}"
done
[ "$run_odoo" = 1 ] && echo "$odoo_summary"
if [ "$failed" != 0 ]; then
    echo "RESULT: FAILED"
    exit 1
fi
echo "RESULT: OK"
