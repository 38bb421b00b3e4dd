#!/usr/bin/env bash
# Regenerate i18n/stock_serial_tracking.pot from the add-on's current sources.
# The add-on is installed from a clean copy of the tracked files into a scratch
# database copied from the test template (Odoo's exporter walks the module folder
# and must not wander into .run/), then Odoo exports the terms.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

sst_odoo_importable || sst_die "no Odoo 18 found (README, Install)"
sst_odoo_setup
sst_pg_start
sst_ensure_template
copy=$(mktemp -d)
trap 'rm -rf "$copy"; sst_dropdb "$db" 2>/dev/null || true' EXIT
mkdir -p "$copy/$SST_MODULE"
git -C "$SST_ROOT" ls-files -z --cached --others --exclude-standard \
    | (cd "$SST_ROOT" && xargs -0 cp --parents -t "$copy/$SST_MODULE")
db=sst_i18n_$$
sst_copy_db "$SST_TEMPLATE" "$db"
# the addons path of the other scripts, with the clean copy for the add-on's link
# (and the stand-ins of scripts/odoo_compat.py, when the Odoo tree needs them)
addons=${SST_ADDONS_PATH/"$SST_RUN/addons"/$copy}
opts=(-c "$SST_RUN/odoo.conf" --addons-path="$addons"
    --data-dir="$SST_DATA_DIR" --no-http --log-level=warn -d "$db")
"$SST_PY" -m odoo "${opts[@]}" -i "$SST_MODULE" --stop-after-init
"$SST_PY" -m odoo "${opts[@]}" --modules="$SST_MODULE" --stop-after-init \
    --i18n-export="$SST_ROOT/i18n/$SST_MODULE.pot"
sst_log "wrote i18n/$SST_MODULE.pot"
