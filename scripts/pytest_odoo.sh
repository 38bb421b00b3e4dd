#!/usr/bin/env bash
# The add-on's Odoo tests through pytest (pytest-odoo, requirements-dev.txt), on a
# database that already has the add-on installed: one file, class or test at a time,
# without installing anything first. The quick loop; CI keeps Odoo's own runner.
#
#   scripts/pytest_odoo.sh DB tests/test_status.py
#   scripts/pytest_odoo.sh DB tests/test_status.py::TestSerialStatus::test_vendor_return
#   scripts/pytest_odoo.sh DB tests/test_returns.py -k refused -x
#
# DB: the database printed by `scripts/test.sh --odoo-only --keep-db --tags ...`
# (a copy of the test template with the add-on installed), or `scripts/run.sh --db
# NAME` (demo data). Python changes are picked up at once; a change to fields, views
# or data files needs `scripts/run.sh --update --db DB` (or a new --keep-db database).
# Each test runs in a transaction that is rolled back, as under Odoo's runner.
# HttpCase tests (tours) are skipped unless --odoo-http is given.
set -euo pipefail
# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
db=${1:?usage: scripts/pytest_odoo.sh DB [PYTEST ARGS...]}
shift
sst_odoo_importable || sst_die "no Odoo 18 found (see CONTRIBUTING.md)"
sst_odoo_setup
sst_pg_start || sst_die "PostgreSQL did not start"
# pytest-odoo imports the tests as odoo.addons.<folder name>: run from the link that
# carries the module's name, whatever this checkout's folder is called.
cd "$SST_RUN/addons/$SST_MODULE"
exec "$SST_PY" -m pytest -p no:cacheprovider \
    --odoo-database="$db" --odoo-config="$SST_RUN/odoo.conf" \
    --odoo-addons-path="$SST_ADDONS_PATH" --odoo-extra="data-dir=$SST_DATA_DIR" \
    "$@"
