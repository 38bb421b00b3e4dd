# shellcheck shell=bash
# Shared helpers for scripts/run.sh, scripts/test.sh and scripts/pg.sh.
# Source it; do not execute it.
#
# PostgreSQL: unless PGHOST is set in the environment, a private PostgreSQL 15 cluster
# lives in <project>/.run/pg (data/, sock/, server.log), listening on 127.0.0.1 and a
# unix socket in .run/pg/sock, port 5439 by default (SST_PG_PORT; another free port is
# picked if that one is taken). PostgreSQL refuses to run as root: as root the cluster
# runs as the system user "sst" (created if missing). Odoo connects as the role "odoo"
# (CREATEDB, trust auth). With PGHOST/PGPORT/PGUSER/PGPASSWORD set, that server is used
# as is and nothing is started.

SST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SST_RUN=${SST_RUN:-$SST_ROOT/.run}
SST_MODULE=stock_serial_tracking
SST_PY=${SST_PYTHON:-python3}
SST_PG_BIN=${SST_PG_BIN:-/usr/lib/postgresql/15/bin}
SST_OS_USER=${SST_OS_USER:-sst}
SST_PG_ROLE=${SST_PG_ROLE:-odoo}
SST_PG_ADMIN=sstadmin
SST_DATA_DIR=${SST_DATA_DIR:-$SST_RUN/odoo-data}
# Modules every test database starts from (the add-on's own depends are added).
SST_BASE_MODULES=${SST_BASE_MODULES:-stock,purchase_stock,mrp,portal}

sst_log() { printf '[sst] %s\n' "$*" >&2; }
sst_die() { printf '[sst] FATAL: %s\n' "$*" >&2; exit 1; }

sst_hash() { printf '%s' "$*" | sha1sum | cut -c1-10; }

sst_free_port() {
    "$SST_PY" - <<'EOF'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

sst_port_free() {  # $1 port -> 0 if nothing listens on 127.0.0.1:$1
    "$SST_PY" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
# like the servers: a port with connections in TIME_WAIT is free
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

# ---------------------------------------------------------------- odoo detection
# Odoo 18 comes from, in this order: what python3 imports already; SST_ODOO_SRC (an Odoo
# 18 source folder, or a .tar.gz of one); the pristine tarball in ../shared/vendor/. A
# tarball is unpacked under .run/odoo/ and its requirements installed with pip once; the
# scripts then put that tree on PYTHONPATH. SST_FORCE_NO_ODOO=1 pretends there is none.
SST_VENDOR_DIR=${SST_VENDOR_DIR:-$SST_ROOT/../shared/vendor}

sst_odoo_imports() {
    timeout 60 "$SST_PY" -c 'import odoo, odoo.release as r; assert r.version_info[0] == 18' \
        >/dev/null 2>&1
}

# The folder of an Odoo source tree inside $1 (or $1 itself).
sst_odoo_tree_in() {
    local d
    for d in "$1" "$1"/*/; do
        d=${d%/}
        if [ -f "$d/odoo/release.py" ] && [ -d "$d/odoo/addons" ]; then
            printf '%s\n' "$d"
            return 0
        fi
    done
    return 1
}

# Unpack tarball $1 under .run/odoo/ (once per tarball content); prints the tree.
sst_odoo_unpack() {
    local tarball=$1 sum dest tree lockfd name sums
    [ -f "$tarball" ] || sst_die "no such Odoo tarball: $tarball"
    name=$(basename "$tarball")
    sums=$(dirname "$tarball")/SHA256SUMS
    if [ -f "$sums" ] && grep -q " $name\$" "$sums"; then
        (cd "$(dirname "$tarball")" && grep " $name\$" SHA256SUMS | sha256sum --quiet -c -) >&2 \
            || sst_die "$tarball does not match its SHA256SUMS"
    fi
    sum=$(sha256sum "$tarball" | cut -c1-16)
    dest=$SST_RUN/odoo/$sum
    mkdir -p "$SST_RUN/odoo"
    exec {lockfd}>>"$SST_RUN/odoo/unpack.lock"
    flock -x "$lockfd"
    if [ ! -f "$dest/.unpacked" ]; then
        sst_log "unpacking $name into $dest"
        rm -rf "$dest" "$dest.tmp"
        mkdir -p "$dest.tmp"
        tar -xzf "$tarball" -C "$dest.tmp" || sst_die "cannot unpack $tarball"
        mv "$dest.tmp" "$dest"
        touch "$dest/.unpacked"
    fi
    flock -u "$lockfd"
    exec {lockfd}>&-
    tree=$(sst_odoo_tree_in "$dest") || sst_die "$tarball holds no Odoo source tree"
    printf '%s\n' "$tree"
}

# pip-install the requirements of Odoo tree $1 (once; a stamp in the tree remembers).
# The fixes are the vendor README's: psycopg2/python-ldap build from source, some old
# sdists need setuptools<70 without build isolation, cbor2 5.4.2 does not build.
sst_odoo_requirements() {
    local tree=$1 stamp=$1/.sst-requirements-ok req
    [ -f "$stamp" ] && return 0
    [ -f "$tree/requirements.txt" ] || return 0
    mkdir -p "$SST_RUN/logs"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        local pkgs=() p
        for p in libpq-dev libldap2-dev libsasl2-dev; do
            dpkg -s "$p" >/dev/null 2>&1 || pkgs+=("$p")
        done
        if [ ${#pkgs[@]} -gt 0 ]; then
            sst_log "apt-get install ${pkgs[*]} (to build Odoo's psycopg2 and python-ldap)"
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                --no-install-recommends "${pkgs[@]}"; } >"$SST_RUN/logs/apt-odoo.log" 2>&1 \
                || sst_log "apt-get failed, see $SST_RUN/logs/apt-odoo.log"
        fi
    fi
    req=$SST_RUN/odoo/requirements-fixed.txt
    sed -E 's/^cbor2==5\.4\.2/cbor2==5.4.6/' "$tree/requirements.txt" >"$req"
    sst_log "installing Odoo's Python requirements (once; log $SST_RUN/logs/pip-odoo.log)"
    { "$SST_PY" -m pip install -q --disable-pip-version-check 'setuptools<70' wheel \
        && "$SST_PY" -m pip install -q --disable-pip-version-check --no-build-isolation \
            -r "$req"; } >"$SST_RUN/logs/pip-odoo.log" 2>&1 \
        || { tail -30 "$SST_RUN/logs/pip-odoo.log" >&2
             sst_die "pip could not install Odoo's requirements"; }
    touch "$stamp"
}

# Make Odoo 18 importable (see above). Returns 1 when no Odoo can be found at all.
sst_odoo_importable() {
    [ -z "${SST_FORCE_NO_ODOO:-}" ] || return 1
    if [ -z "${SST_ODOO_SRC:-}" ] && sst_odoo_imports; then
        return 0
    fi
    local src=${SST_ODOO_SRC:-} tree
    if [ -z "$src" ]; then
        src=$(find "$SST_VENDOR_DIR" -maxdepth 1 -name 'odoo-18*.tar.gz' 2>/dev/null \
            | sort | tail -n 1)
        [ -n "$src" ] || return 1
    fi
    case "$src" in
        *.tar.gz|*.tgz) tree=$(sst_odoo_unpack "$src") || return 1 ;;
        *) tree=$(sst_odoo_tree_in "$src") \
            || sst_die "SST_ODOO_SRC=$src holds no Odoo source tree" ;;
    esac
    tree=$(cd "$tree" && pwd)
    export PYTHONPATH=$tree${PYTHONPATH:+:$PYTHONPATH}
    sst_odoo_imports || sst_odoo_requirements "$tree"
    sst_odoo_imports || sst_die "Odoo from $tree does not import with $SST_PY"
    sst_log "Odoo 18 from $tree"
}

# .run/addons/stock_serial_tracking -> project root: the add-on under its real name,
# whatever the clone's folder is called.
sst_addons_link() {
    mkdir -p "$SST_RUN/addons"
    local link="$SST_RUN/addons/$SST_MODULE"
    if [ "$(readlink "$link" 2>/dev/null)" != "$SST_ROOT" ]; then
        rm -f "$link"
        ln -s "$SST_ROOT" "$link"
    fi
}

# Sets SST_ODOO_ADDONS (odoo's own addons dir), SST_ODOO_VERSION, SST_ADDONS_PATH and
# the addons symlink .run/addons/stock_serial_tracking -> project root.
sst_odoo_setup() {
    local info
    info=$("$SST_PY" -c '
import os, odoo, odoo.release as r
print(os.path.join(os.path.dirname(os.path.abspath(odoo.__file__)), "addons"))
print(r.version)') || sst_die "cannot import odoo with $SST_PY"
    SST_ODOO_ADDONS=$(sed -n 1p <<<"$info")
    SST_ODOO_VERSION=$(sed -n 2p <<<"$info")
    mkdir -p "$SST_DATA_DIR"
    sst_addons_link
    SST_ADDONS_PATH="$SST_ODOO_ADDONS,$SST_RUN/addons"
    # A cut-down tree (the vendor tarball) lacks a few things outside its modules'
    # declared dependencies; scripts/odoo_compat.py writes stand-ins (see there).
    if "$SST_PY" "$SST_ROOT/scripts/odoo_compat.py" "$SST_ODOO_ADDONS" \
        "$SST_RUN/odoo-compat"; then
        SST_ADDONS_PATH+=",$SST_RUN/odoo-compat"
    fi
    # An empty config file keeps a developer's ~/.odoorc out of our runs.
    [ -f "$SST_RUN/odoo.conf" ] || printf '[options]\n' >"$SST_RUN/odoo.conf"
}

# Common odoo command line (database connection comes from the PG* environment).
# SST_ODOO_CMD: odoo server command; SST_ODOO_OPTS: its options (for subcommands).
sst_odoo_cmd() {
    SST_ODOO_OPTS=(-c "$SST_RUN/odoo.conf"
        --addons-path="$SST_ADDONS_PATH" --data-dir="$SST_DATA_DIR"
        --http-interface=127.0.0.1 --workers=0 --max-cron-threads=0)
    SST_ODOO_CMD=("$SST_PY" -m odoo "${SST_ODOO_OPTS[@]}")
}

# Modules the template holds: SST_BASE_MODULES + the add-on's manifest depends.
sst_template_modules() {
    "$SST_PY" - "$SST_ROOT/__manifest__.py" "$SST_BASE_MODULES" <<'EOF'
import ast, sys
mods = [m for m in sys.argv[2].split(",") if m]
try:
    with open(sys.argv[1]) as f:
        manifest = ast.literal_eval(f.read())
    mods += manifest.get("depends", [])
except Exception:
    pass
print(",".join(sorted(set(mods))))
EOF
}

# ---------------------------------------------------------------- postgresql
sst_pg_external() { [ -n "${SST_PG_EXTERNAL:-}" ]; }

# Decide the cluster location; as root, make sure the "sst" user exists and can reach it.
sst_pg_init_vars() {
    if [ -n "${SST_PG_INIT_DONE:-}" ]; then return 0; fi
    SST_PG_INIT_DONE=1
    if [ -n "${PGHOST:-}" ] && [ -z "${SST_PG_PRIVATE:-}" ]; then
        SST_PG_EXTERNAL=1
        return 0
    fi
    SST_PG_DIR=${SST_PG_DIR:-$SST_RUN/pg}
    if [ "$(id -u)" = 0 ]; then
        if ! id "$SST_OS_USER" >/dev/null 2>&1; then
            sst_log "creating system user $SST_OS_USER to run PostgreSQL"
            useradd --system --no-create-home --shell /usr/sbin/nologin "$SST_OS_USER" \
                || sst_die "cannot create user $SST_OS_USER"
        fi
        mkdir -p "$SST_RUN"
        # The sst user must be able to reach the data dir; a clone under /root is not.
        if ! (cd / && runuser -u "$SST_OS_USER" -- test -x "$SST_RUN"); then
            SST_PG_DIR=/var/tmp/sst-pg-$(sst_hash "$SST_ROOT")
            [ -d "$SST_PG_DIR/data" ] \
                || sst_log "$SST_RUN is not reachable by $SST_OS_USER; cluster in $SST_PG_DIR"
        fi
    fi
    SST_PG_DATA=$SST_PG_DIR/data
    SST_PG_SOCK=$SST_PG_DIR/sock
    # unix socket paths are limited to 107 bytes
    if [ ${#SST_PG_SOCK} -gt 80 ]; then
        SST_PG_SOCK=/tmp/sst-sock-$(sst_hash "$SST_PG_DIR")
    fi
}

sst_as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        (cd / && runuser -u "$SST_OS_USER" -- "$@")
    else
        "$@"
    fi
}

sst_pg_running_port() {  # prints the port of our running cluster, fails if not running
    sst_as_pg_owner "$SST_PG_BIN/pg_ctl" status -D "$SST_PG_DATA" >/dev/null 2>&1 || return 1
    sed -n 4p "$SST_PG_DATA/postmaster.pid"
}

# Start the private cluster if needed (idempotent, safe to run concurrently) and export
# PGHOST/PGPORT/PGUSER for psql, createdb and Odoo.
sst_pg_start() {
    sst_pg_init_vars
    if sst_pg_external; then
        sst_log "using PostgreSQL from the environment: PGHOST=$PGHOST PGPORT=${PGPORT:-5432}"
        return 0
    fi
    [ -x "$SST_PG_BIN/pg_ctl" ] || sst_die "PostgreSQL binaries not found in $SST_PG_BIN (set SST_PG_BIN)"
    mkdir -p "$SST_PG_DIR"
    [ "$(id -u)" != 0 ] || chown "$SST_OS_USER" "$SST_PG_DIR"
    local lockfd port
    exec {lockfd}>>"$SST_PG_DIR/pg.lock"
    flock -x "$lockfd"
    if [ ! -f "$SST_PG_DATA/PG_VERSION" ]; then
        sst_log "initialising private PostgreSQL cluster in $SST_PG_DATA"
        rm -rf "$SST_PG_DATA"
        sst_as_pg_owner "$SST_PG_BIN/initdb" -D "$SST_PG_DATA" -U "$SST_PG_ADMIN" \
            --auth=trust -E UTF8 --locale=C >"$SST_PG_DIR/initdb.log" 2>&1 \
            || { cat "$SST_PG_DIR/initdb.log" >&2; sst_die "initdb failed"; }
        # A throwaway development cluster: durability is not worth the disk waits.
        cat >>"$SST_PG_DATA/postgresql.conf" <<'EOF'

# stock_serial_tracking dev/test cluster (scripts/common.sh)
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
EOF
    fi
    if ! port=$(sst_pg_running_port); then
        port=${SST_PG_PORT:-5439}
        if ! sst_pg_port_free_for_us "$port"; then
            port=$(sst_free_port)
            sst_log "port ${SST_PG_PORT:-5439} is taken, the private cluster uses $port"
        fi
        mkdir -p "$SST_PG_SOCK"
        [ "$(id -u)" != 0 ] || chown "$SST_OS_USER" "$SST_PG_SOCK"
        sst_log "starting PostgreSQL (port $port, socket $SST_PG_SOCK)"
        # setsid + no inherited stdio: the server must not hold the caller's pipes open.
        sst_as_pg_owner setsid "$SST_PG_BIN/pg_ctl" start -w -t 60 -D "$SST_PG_DATA" \
            -l "$SST_PG_DIR/server.log" \
            -o "-p $port -k $SST_PG_SOCK -c listen_addresses=127.0.0.1" \
            </dev/null >/dev/null 2>&1 \
            || { tail -20 "$SST_PG_DIR/server.log" >&2; sst_die "PostgreSQL did not start"; }
        SST_PG_STARTED_HERE=1
    fi
    export PGHOST=$SST_PG_SOCK PGPORT=$port
    if ! PGUSER=$SST_PG_ADMIN "$SST_PG_BIN/psql" -d postgres -tAc \
        "SELECT 1 FROM pg_roles WHERE rolname = '$SST_PG_ROLE'" | grep -q 1; then
        PGUSER=$SST_PG_ADMIN "$SST_PG_BIN/psql" -q -d postgres -c \
            "CREATE ROLE $SST_PG_ROLE LOGIN CREATEDB" || sst_die "cannot create role $SST_PG_ROLE"
    fi
    export PGUSER=$SST_PG_ROLE
    unset PGPASSWORD PGDATABASE
    flock -u "$lockfd"
    exec {lockfd}>&-
}

sst_pg_port_free_for_us() { sst_port_free "$1"; }

sst_pg_stop() {
    sst_pg_init_vars
    sst_pg_external && return 0
    if sst_pg_running_port >/dev/null; then
        sst_log "stopping PostgreSQL ($SST_PG_DATA)"
        sst_as_pg_owner "$SST_PG_BIN/pg_ctl" stop -D "$SST_PG_DATA" -m fast -w >/dev/null
    fi
}

sst_psql() { "$SST_PG_BIN/psql" -X -v ON_ERROR_STOP=1 -d postgres "$@"; }

sst_db_exists() {
    [ "$(sst_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

sst_dropdb() {  # drop a database we created, and its filestore
    "$SST_PG_BIN/dropdb" --if-exists --force "$1" || sst_log "could not drop database $1"
    rm -rf "${SST_DATA_DIR:?}/filestore/$1"
}

# Copy a database (with its filestore, hard-linked: Odoo never rewrites stored files).
sst_copy_db() {  # $1 source $2 target
    "$SST_PG_BIN/createdb" -T "$1" "$2" || return 1
    if [ -d "$SST_DATA_DIR/filestore/$1" ]; then
        mkdir -p "$SST_DATA_DIR/filestore"
        cp -al "$SST_DATA_DIR/filestore/$1" "$SST_DATA_DIR/filestore/$2"
    fi
}

# Log lines Odoo writes at ERROR or CRITICAL level.
sst_error_lines() {  # $1 log file
    grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$1" || true
}

# Drop leftovers of template builds whose process is gone (killed runs).
sst_drop_stale_builds() {  # $1 template name
    local db pid
    for db in $(sst_psql -tAc "SELECT datname FROM pg_database
                               WHERE datname LIKE '${1}\\_build\\_%'"); do
        pid=${db##*_}
        if [[ "$pid" =~ ^[0-9]+$ ]] && ! kill -0 "$pid" 2>/dev/null; then
            sst_log "dropping stale template build $db"
            sst_dropdb "$db"
        fi
    done
}

# Templates of other Odoo versions / dependency lists are dead weight once a new one
# exists; one still being copied from is in use and DROP DATABASE refuses it.
sst_drop_old_templates() {  # $1 template to keep
    local db
    for db in $(sst_psql -tAc "SELECT datname FROM pg_database
                               WHERE datname ~ '^sst_template_[0-9a-f]{10}$'
                                 AND datname <> '$1'"); do
        if "$SST_PG_BIN/dropdb" "$db" 2>/dev/null; then
            rm -rf "${SST_DATA_DIR:?}/filestore/$db" "$SST_DATA_DIR/$db.lock"
            sst_log "dropped old template $db"
        fi
    done
}

# What a script driving its own Odoo (bench/) does first: in SST_ROOT, Odoo set
# up, PostgreSQL running, the template built (SST_TEMPLATE set in this shell),
# SST_ODOO_CMD ready, the log folder there; exits when one of them fails.
sst_odoo_ready() {
    cd "$SST_ROOT" || exit 1
    sst_odoo_importable || sst_die "no Odoo 18 found (README, Install)"
    sst_odoo_setup
    sst_pg_start
    ( sst_ensure_template ) || sst_die "template database"
    sst_ensure_template  # cheap now; sets SST_TEMPLATE in this shell
    mkdir -p "$SST_RUN/logs"
    sst_odoo_cmd
}

# Build (once per Odoo version and module list) the template database holding
# SST_BASE_MODULES + depends with demo data. Sets SST_TEMPLATE.
sst_ensure_template() {
    local mods key tmp lockfd log rc
    mods=$(sst_template_modules)
    # bump the last field when the way templates are built changes
    key=$(sst_hash "$SST_ODOO_VERSION|$SST_ODOO_ADDONS|$mods|demo|assets")
    SST_TEMPLATE=sst_template_$key
    sst_db_exists "$SST_TEMPLATE" && return 0
    # The lock lives beside the filestore: template builds share the data dir.
    mkdir -p "$SST_DATA_DIR"
    exec {lockfd}>>"$SST_DATA_DIR/$SST_TEMPLATE.lock"
    if ! flock -n "$lockfd"; then
        sst_log "another run is building $SST_TEMPLATE, waiting for it"
        flock "$lockfd"
    fi
    if ! sst_db_exists "$SST_TEMPLATE"; then
        tmp=${SST_TEMPLATE}_build_$$
        log=$SST_RUN/logs/$SST_TEMPLATE.log
        mkdir -p "$SST_RUN/logs"
        sst_log "building template database $SST_TEMPLATE ($mods, with demo data);" \
            "takes several minutes, done once per Odoo version. Log: $log"
        sst_drop_stale_builds "$SST_TEMPLATE"
        local t0=$SECONDS
        sst_odoo_cmd
        rc=0
        "${SST_ODOO_CMD[@]}" -d "$tmp" -i "$mods" --stop-after-init --no-http \
            --log-level=info >"$log" 2>&1 || rc=$?
        if [ "$rc" = 0 ]; then
            # Asset bundles take ~30s to build before the first HttpCase; unchanged
            # bundles are then reused by every test database.
            "$SST_PY" -m odoo shell "${SST_ODOO_OPTS[@]}" -d "$tmp" --no-http \
                --log-level=info >>"$log" 2>&1 \
                <<<"env['ir.qweb']._pregenerate_assets_bundles(); env.cr.commit()" \
                || rc=$?
        fi
        if [ "$rc" != 0 ] || [ -n "$(sst_error_lines "$log")" ]; then
            tail -40 "$log" >&2
            sst_dropdb "$tmp"
            sst_die "template build failed (rc=$rc), see $log"
        fi
        # filestore first: the template must be complete once its name is visible
        rm -rf "${SST_DATA_DIR:?}/filestore/$SST_TEMPLATE"
        if [ -d "$SST_DATA_DIR/filestore/$tmp" ]; then
            mv "$SST_DATA_DIR/filestore/$tmp" "$SST_DATA_DIR/filestore/$SST_TEMPLATE"
        fi
        if ! sst_psql -qc "ALTER DATABASE \"$tmp\" RENAME TO \"$SST_TEMPLATE\""; then
            sst_dropdb "$tmp"
            sst_db_exists "$SST_TEMPLATE" || sst_die "cannot rename $tmp"
        fi
        sst_log "template $SST_TEMPLATE built in $((SECONDS - t0))s"
        sst_drop_old_templates "$SST_TEMPLATE"
    fi
    flock -u "$lockfd"
    exec {lockfd}>&-
}
