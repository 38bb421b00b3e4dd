#!/usr/bin/env bash
# Odoo's own test suites with this add-on installed and active.
#
# 1. a database from a template of the suites' modules (stock, mrp, purchase_stock,
#    sale_stock, stock_account, mrp_subcontracting, repair, the add-on's depends, demo
#    data) gets the add-on
#    installed; Odoo's at_install and post_install tests of those modules then run on
#    it with the whole registry loaded (scripts/odoo_suites.py), HttpCase tours left
#    out (see README);
# 2. the tests that failed there run again on a copy of the same template WITHOUT the
#    add-on, in the same run;
# 3. a test that fails only with the add-on fails this command, unless it is listed
#    in tests/odoo_suites_expected.txt (the add-on's deliberate strictness, each with
#    its reason; README "Where this add-on is stricter than Odoo").
#
# Options:
#   --modules LIST   comma-separated modules whose tests run (default: the seven above)
#   --only FILE      run only the tests listed in FILE (module/Class.test_method or
#                    module/Class, one a line), e.g. those of the expected list
#   --http           include the HttpCase classes (tours; much slower)
#   --keep-db        keep both databases (names printed)
#   -- ARGS          extra arguments passed to Odoo (e.g. -- --log-level=debug)
# Exits 0 when no test fails only with the add-on outside the expected list.
set -uo pipefail
SUITE_MODULES=stock,mrp,purchase_stock,sale_stock,stock_account,mrp_subcontracting,repair
# The suites' template holds every suite module; the add-on's own test template
# (scripts/test.sh) is another one, keyed by its own module list.
export SST_BASE_MODULES=stock,purchase_stock,mrp,portal,sale_stock,stock_account
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# Both templates live side by side: building this one must not drop the other one
# (common.sh drops every other template after a build, for old Odoo versions and
# dependency lists; the add-on's own template build still clears old ones).
sst_drop_old_templates() { :; }

modules=$SUITE_MODULES only= http=() keep_db=0 odoo_extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --modules) modules=${2:?--modules needs a value}; shift ;;
        --only) only=${2:?--only needs a file}; shift ;;
        --http) http=(--http) ;;
        --keep-db) keep_db=1 ;;
        --) shift; odoo_extra=("$@"); break ;;
        -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
        *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[ -z "$only" ] || only=$(cd "$(dirname "$only")" && pwd)/$(basename "$only")

cd "$SST_ROOT" || exit 1
EXPECTED=$SST_ROOT/tests/odoo_suites_expected.txt
T0=$SECONDS
mkdir -p "$SST_RUN/logs"
sst_odoo_importable || sst_die "python3 cannot import Odoo 18: suites not run"
sst_odoo_setup
sst_pg_start || sst_die "PostgreSQL did not start"
( sst_ensure_template ) || sst_die "template database"
sst_ensure_template
t_tmpl=$((SECONDS - T0))

stamp=$(date +%Y%m%d_%H%M%S)_$$
db_addon=sst_suites_${stamp}_addon
db_native=sst_suites_${stamp}_native
cleanup() {
    if [ "$keep_db" = 0 ]; then
        sst_dropdb "$db_addon" 2>/dev/null
        sst_dropdb "$db_native" 2>/dev/null
    fi
}
trap cleanup EXIT
sst_odoo_cmd

# $1 database, $2 result file, $3 log, $4 optional --only file
run_suites() {
    local only_args=()
    [ -z "${4:-}" ] || only_args=(--only "$4")
    timeout --kill-after=60 "${SST_SUITES_TIMEOUT:-4200}" \
        "$SST_PY" "$SST_ROOT/scripts/odoo_suites.py" --modules "$modules" --result "$2" \
        "${only_args[@]}" "${http[@]}" -- "${SST_ODOO_OPTS[@]}" -d "$1" \
        --http-port "$(sst_free_port)" --log-level=info "${odoo_extra[@]}" >"$3" 2>&1
}

# ------------------------------------------------------------ with the add-on
t1=$SECONDS
sst_copy_db "$SST_TEMPLATE" "$db_addon" || sst_die "createdb $db_addon"
log_install=$SST_RUN/logs/$db_addon.install.log
sst_log "installing $SST_MODULE on $db_addon (log $log_install)"
"${SST_ODOO_CMD[@]}" -d "$db_addon" -i "$SST_MODULE" --stop-after-init --no-http \
    --log-level=warn >"$log_install" 2>&1 \
    || { tail -30 "$log_install" >&2; sst_die "installing $SST_MODULE failed"; }
t_install=$((SECONDS - t1))

t1=$SECONDS
res_addon=$SST_RUN/logs/$db_addon.json
log_addon=$SST_RUN/logs/$db_addon.log
sst_log "Odoo's tests of $modules with $SST_MODULE (log $log_addon)"
run_suites "$db_addon" "$res_addon" "$log_addon" "$only"
rc=$?
t_addon=$((SECONDS - t1))
[ -f "$res_addon" ] || { tail -40 "$log_addon" >&2; sst_die "suite run crashed (exit $rc)"; }

# ------------------------------------------------------------ without it, failures only
failed_addon=$SST_RUN/logs/$db_addon.failed
"$SST_PY" -c 'import json, sys; print("\n".join(sorted(json.load(open(sys.argv[1]))["failed"])))' \
    "$res_addon" | sed '/^$/d' >"$failed_addon"
res_native=$SST_RUN/logs/$db_native.json
t1=$SECONDS
if [ -s "$failed_addon" ]; then
    log_native=$SST_RUN/logs/$db_native.log
    sst_log "$(grep -c . "$failed_addon") failed; again without $SST_MODULE (log $log_native)"
    sst_copy_db "$SST_TEMPLATE" "$db_native" || sst_die "createdb $db_native"
    run_suites "$db_native" "$res_native" "$log_native" "$failed_addon"
    rc=$?
    [ -f "$res_native" ] || { tail -40 "$log_native" >&2; sst_die "native run crashed (exit $rc)"; }
else
    echo '{"run": 0, "skipped": 0, "failed": {}}' >"$res_native"
fi
t_native=$((SECONDS - t1))

# ------------------------------------------------------------ compare
"$SST_PY" - "$res_addon" "$res_native" "$EXPECTED" \
    "tmpl ${t_tmpl}s, install ${t_install}s, with add-on ${t_addon}s, without ${t_native}s, total $((SECONDS - T0))s" <<'EOF'
import json, re, sys
addon, native = (json.load(open(p)) for p in sys.argv[1:3])
expected = {}
for n, line in enumerate(open(sys.argv[3]), 1):
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    tid, _, reason = line.strip().partition(" ")
    if not re.match(r"^\w+/\w+(\.\w+)?$", tid) or not reason.strip():
        sys.exit(f"{sys.argv[3]}:{n}: expected 'module/Class.test_method  reason'")
    expected[tid] = reason.strip()
def listed(tid):
    return tid in expected or tid.split(".", 1)[0] in expected
only_addon = sorted(set(addon["failed"]) - set(native["failed"]))
both = sorted(set(addon["failed"]) & set(native["failed"]))
unexpected = [t for t in only_addon if not listed(t)]
deliberate = [t for t in only_addon if listed(t)]
def covers(tid, ids):
    return any(i == tid or i.startswith(tid + ".") for i in ids)
# listed tests that ran here and passed: the list should lose them
stale = sorted(
    t for t in expected if covers(t, addon.get("ran", ())) and not covers(t, only_addon)
)
if both:
    print(f"\nFailing without the add-on too ({len(both)}; not ours):")
    for t in both:
        print(f"  {t}")
if deliberate:
    print(f"\nFailing only with the add-on, deliberate ({len(deliberate)}):")
    for t in deliberate:
        print(f"  {t}  -- {expected.get(t) or expected[t.split('.', 1)[0]]}")
if stale:
    print(f"\nListed as deliberate but not failing in this run ({len(stale)}):")
    for t in stale:
        print(f"  {t}")
if unexpected:
    print(f"\nFAILING ONLY WITH THE ADD-ON ({len(unexpected)}):")
    for t in unexpected:
        print(f"  {t}: {addon['failed'][t]}")
print(f"\nsuites: {addon['run']} tests run with the add-on ({addon['skipped']} skipped), "
      f"{len(addon['failed'])} failed, {len(both)} of them without the add-on too, "
      f"{len(deliberate)} deliberate, {len(unexpected)} failing only with the add-on "
      f"[{sys.argv[4]}]")
sys.exit(1 if unexpected or not addon["run"] else 0)
EOF
rc=$?
if [ "$keep_db" = 1 ]; then
    sst_log "kept databases $db_addon and $db_native (scripts/pg.sh dropdb NAME)"
fi
exit $rc
