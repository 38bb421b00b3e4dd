"""Run Odoo's own test suites of some modules on a database, every module's code loaded.

Odoo runs a module's ``at_install`` tests while it loads that module, when the
registry holds only the modules loaded so far: an add-on that depends on ``stock``
would not be active during ``stock``'s tests. This runner loads the whole registry
first (nothing installed or updated, no test run during the load), then runs the
``at_install`` tests of the given modules followed by their ``post_install`` ones,
the way Odoo's runner runs them (``odoo.tests.loader``: same test cases, same order,
same result class), with Odoo's test mode switched on only then.

HttpCase classes need the HTTP server and a browser; they are left out unless
``--http`` is given (then the server is started on ``--http-port`` first).

Usage::

    odoo_suites.py --modules stock,mrp --result out.json [--only ids.txt] [--http]
        -- ODOO_OPTIONS (-c, --addons-path, --data-dir, -d DB, --log-level, ...)

``--only`` restricts the run to the tests listed in a file, one id a line:
``module/Class.test_method`` or ``module/Class`` (the whole class). The result file
gets ``{"run": N, "skipped": N, "failed": {id: first line of the error}, "ran": [id]}``;
an error in a class's ``setUpClass`` is reported as ``module/Class``.
"""

import argparse
import json
import logging
import re
import sys
import threading

_logger = logging.getLogger("odoo.addons.stock_serial_tracking.suites")

# unittest's stand-in for a class or module fixture that failed:
# "setUpClass (odoo.addons.stock.tests.test_move.StockMove)"
HOLDER_RE = re.compile(r"^\w+ \(odoo\.addons\.(\w+)\.tests\.(?:[\w.]+\.)?(\w+)\)$")


def test_id(test):
    """``module/Class.method`` of a test, ``module/Class`` of a class fixture."""
    from unittest import case

    while isinstance(test, case._SubTest):
        test = test.test_case
    if isinstance(test, case.TestCase):
        module = test.__class__.__module__.split(".")[2]
        return f"{module}/{test.__class__.__name__}.{test._testMethodName}"
    match = HOLDER_RE.match(str(test))
    if match:
        return f"{match[1]}/{match[2]}"
    return str(test)


def stub_test_mimetypes():
    """``account``'s tests import a helper from ``test_mimetypes``, a test module the
    vendor's cut-down Odoo tree does not ship; the suites import ``account``'s tests
    (through ``stock_account``'s) but never run them."""
    import importlib.util
    import types
    import unittest

    if importlib.util.find_spec("odoo.addons.test_mimetypes"):
        return

    def contents(extension):
        raise unittest.SkipTest("test_mimetypes is not in this Odoo tree")

    names = [
        "odoo.addons.test_mimetypes",
        "odoo.addons.test_mimetypes.tests",
        "odoo.addons.test_mimetypes.tests.test_guess_mimetypes",
    ]
    for name in names:
        sys.modules[name] = types.ModuleType(name)
        sys.modules[name].__path__ = []
    sys.modules[names[-1]].contents = contents


def wanted(tid, only):
    return only is None or tid in only or tid.split(".", 1)[0] in only


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", required=True)
    parser.add_argument("--result", required=True)
    parser.add_argument("--only")
    parser.add_argument("--http", action="store_true")
    args, odoo_args = parser.parse_known_args()
    if odoo_args[:1] == ["--"]:
        odoo_args = odoo_args[1:]

    import odoo
    from odoo.modules.registry import Registry
    from odoo.tests import HttpCase, loader
    from odoo.tests.result import OdooTestResult
    from odoo.tests.suite import OdooSuite
    from odoo.tests.tag_selector import TagsSelector
    from odoo.tools import config

    config.parse_config(odoo_args, setup_logging=True)
    modules = [m for m in args.modules.split(",") if m]
    only = None
    if args.only:
        with open(args.only) as f:
            only = {line.split()[0] for line in f if line.strip()}

    failed = {}
    ran = set()

    class Result(OdooTestResult):
        def _record(self, test, err):
            lines = str(err[1]).strip().splitlines()
            message = lines[0][:300] if lines else err[0].__name__
            failed.setdefault(test_id(test), message)

        def startTest(self, test):
            super().startTest(test)
            ran.add(test_id(test))

        def addError(self, test, err):
            super().addError(test, err)
            self._record(test, err)

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self._record(test, err)

    dbname = config["db_name"]
    threading.current_thread().dbname = dbname
    odoo.service.server.load_server_wide_modules()
    registry = Registry.new(dbname)
    stub_test_mimetypes()
    # test mode from here on only: Odoo would run at_install tests during the load
    config["test_enable"] = True
    config["test_tags"] = ",".join(f"/{m}" for m in modules)
    if args.http:
        odoo.service.server.server = odoo.service.server.ThreadedServer(odoo.http.root)
        odoo.service.server.server.http_spawn()

    selector = TagsSelector(config["test_tags"])
    suites = []
    for position in ("at_install", "post_install"):
        position_tag = TagsSelector(position)
        tests = [
            test
            for module in modules
            for test_module in loader.get_test_modules(module)
            for test in loader.get_module_test_cases(test_module)
            if position_tag.check(test)
            and selector.check(test)
            and (args.http or not isinstance(test, HttpCase))
            and wanted(test_id(test), only)
        ]
        suites.append(OdooSuite(sorted(tests, key=lambda t: t.test_sequence)))
    if args.http and any(suite.has_http_case() for suite in suites):
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["ir.qweb"]._pregenerate_assets_bundles()

    from odoo.modules import module as odoo_module

    result = Result()
    odoo_module.current_test = True
    threading.current_thread().testing = True
    try:
        for suite in suites:
            suite(result)
    finally:
        threading.current_thread().testing = False
        odoo_module.current_test = False
    skipped = result.skipped
    _logger.info("%s", result)
    with open(args.result, "w") as f:
        json.dump(
            {
                "run": result.testsRun,
                "skipped": skipped,
                "failed": failed,
                "ran": sorted(ran),
            },
            f,
            indent=1,
            sort_keys=True,
        )
    if args.http:
        odoo.service.server.server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
