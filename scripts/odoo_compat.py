"""Stand-ins that let a cut-down Odoo 18 tree (the vendor tarball) install.

That tree holds the dependency closure of the modules this add-on uses, by manifest;
two things outside the closure are still needed, and this script writes stand-ins for
them under OUT_DIR, only when the tree lacks them:

- Module categories. Odoo creates ``ir.module.category`` records from the manifests it
  finds on the addons path, and ``base/data/ir_module_module.xml`` refers to a few
  whose only modules were cut; base would not install. Each gets an uninstallable
  stub module whose manifest declares it.
- Python names that modules of the tree import from modules they do not depend on:
  ``resource`` imports ``WorkIntervals`` from ``hr_work_entry_contract``, ``payment``
  Stripe's country tables from ``payment_stripe``, ``account`` the VAT examples
  ``_ref_vat`` from ``base_vat``. Each stand-in is our own code (for WorkIntervals, our
  implementation of the same idea: intervals whose touching members stay apart; the
  tables are empty, so no country is "Stripe supported" and VAT errors show no
  example), as a plain package without manifest, so Odoo never lists it as a module.
- Cut modules that data of the tree refers to (``payment`` makes a provider record
  for each payment module, with its ``base.module_*`` record and its icon): an
  uninstallable stub module of that name, with a blank image or an empty file for
  each file the data loads from it.

Usage: odoo_compat.py ODOO_ADDONS_DIR OUT_DIR -- exit 0 when something was written
(put OUT_DIR on the addons path), 1 when the tree needs nothing.
"""

import ast
import filecmp
import glob
import os
import re
import shutil
import sys

PREFIX = "module_category_"


def xmlid(parts):
    # odoo/modules/db.py create_categories: 'module_category_' + lowered, '_'-joined
    return PREFIX + "_".join(
        p.strip().lower().replace(" ", "_").replace("&", "and") for p in parts
    )


WORK_INTERVALS = '''"""Stand-in by stock_serial_tracking/scripts/odoo_compat.py."""

from itertools import chain

from odoo.addons.resource.models.utils import Intervals


class WorkIntervals(Intervals):
    """Intervals whose touching members stay apart: (1, 4) and (4, 10) are two
    intervals here, one in ``Intervals``; overlapping members are merged."""

    def __init__(self, intervals=()):
        super().__init__()
        current = None
        for start, stop, recs in sorted(
            (i for i in intervals if i[0] < i[1]), key=lambda i: (i[0], i[1])
        ):
            if current and start < current[1]:
                current = (current[0], max(current[1], stop), current[2] | recs)
                continue
            if current:
                self._items.append(current)
            current = (start, stop, recs)
        if current:
            self._items.append(current)

    def _wrap(self, items):
        result = WorkIntervals()
        result._items = list(items)
        return result

    def __or__(self, other):
        return WorkIntervals(chain(self._items, other._items))

    def __and__(self, other):
        return self._merge(other, False)

    def __sub__(self, other):
        return self._merge(other, True)

    def _merge(self, other, difference):
        # Intervals._merge sorts boundaries so that touching members would merge;
        # here each member is cut by the other's (disjoint, sorted) members.
        others = sorted(other)
        items = []
        for start, stop, recs in self._items:
            if difference:
                cursor = start
                for o_start, o_stop, _recs in others:
                    if o_stop <= cursor or o_start >= stop:
                        continue
                    if o_start > cursor:
                        items.append((cursor, o_start, recs))
                    cursor = max(cursor, o_stop)
                if cursor < stop:
                    items.append((cursor, stop, recs))
            else:
                for o_start, o_stop, _recs in others:
                    if max(start, o_start) < min(stop, o_stop):
                        items.append((max(start, o_start), min(stop, o_stop), recs))
        return self._wrap(items)
'''


STANDINS = {
    # module imported -> (the file that imports it, {path in the module: content})
    "hr_work_entry_contract": (
        "resource/models/resource_calendar.py",
        {"models/hr_work_intervals.py": WORK_INTERVALS},
    ),
    "payment_stripe": (
        "payment/models/res_country.py",
        {"const.py": "COUNTRY_MAPPING = {}\nSUPPORTED_COUNTRIES = set()\n"},
    ),
    "base_vat": (
        "account/models/partner.py",
        {"models/res_partner.py": "_ref_vat = {}\n"},
    ),
}


def standins(addons, out):
    wrote = False
    for module, (importer, files) in STANDINS.items():
        path = os.path.join(addons, importer)
        if os.path.isdir(os.path.join(addons, module)) or not os.path.exists(path):
            continue
        with open(path) as f:
            if f"odoo.addons.{module}" not in f.read():
                continue
        for name, content in files.items():
            target = os.path.join(out, module, name)
            folder = os.path.dirname(target)
            while folder != out:
                os.makedirs(folder, exist_ok=True)
                init = os.path.join(folder, "__init__.py")
                if not os.path.exists(init):
                    open(init, "w").close()
                folder = os.path.dirname(folder)
            with open(target, "w") as f:
                f.write(content)
        # "import odoo.addons.payment_stripe as stripe; stripe.const": the package
        # must expose its submodules
        with open(os.path.join(out, module, "__init__.py"), "w") as f:
            subs = sorted({name.split("/")[0].removesuffix(".py") for name in files})
            f.write("".join(f"from . import {sub}\n" for sub in subs))
        wrote = True
    return wrote


def categories(addons, out):
    known = {}
    for manifest in glob.glob(os.path.join(addons, "*", "__manifest__.py")):
        with open(manifest) as f:
            category = ast.literal_eval(f.read()).get("category", "Uncategorized")
        parts = [p.strip() for p in category.split("/")]
        for i in range(1, len(parts) + 1):
            known[xmlid(parts[:i])] = parts[:i]
    data = os.path.join(addons, "base", "data")
    with open(os.path.join(data, "ir_module_category_data.xml")) as f:
        for ident in re.findall(r'id="(module_category_\w+)"', f.read()):
            known.setdefault(ident, None)
    with open(os.path.join(data, "ir_module_module.xml")) as f:
        refs = set(re.findall(r'ref="base\.(module_category_\w+)"', f.read()))
    missing = sorted(refs - set(known))
    if not missing:
        return False
    for n, ident in enumerate(missing):
        words = ident[len(PREFIX) :]
        # the longest known category the missing one extends is its parent
        parents = [
            key
            for key, parts in known.items()
            if parts and words.startswith(key[len(PREFIX) :] + "_")
        ]
        parent = max(parents, key=len) if parents else None
        rest = words[len(parent) - len(PREFIX) + 1 :] if parent else words
        path = (known[parent] if parent else []) + [rest.replace("_", " ").title()]
        stub_module(
            out,
            f"sst_category_stub_{n}",
            name=f"Stub: category {'/'.join(path)}",
            category="/".join(path),
        )
    return True


# the smallest valid PNG: one transparent pixel
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def stub_module(out, module, **manifest):
    folder = os.path.join(out, module)
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, "__init__.py"), "a").close()
    manifest = {"name": module, "installable": False, "license": "LGPL-3", **manifest}
    with open(os.path.join(folder, "__manifest__.py"), "w") as f:
        f.write(repr(manifest))


def data_files(addons, out):
    present = set(os.listdir(addons))
    wrote = False
    for xml in glob.glob(os.path.join(addons, "*", "**", "*.xml"), recursive=True):
        with open(xml, encoding="utf-8", errors="replace") as f:
            text = f.read()
        refs = r'name="module_id" ref="base\.module_([a-z0-9_]+)"'
        for module in set(re.findall(refs, text)):
            if module not in present:
                stub_module(out, module, name=f"Stub: {module}")
                wrote = True
        for module, rest in re.findall(r'file="([a-z0-9_]+)/([^"]+)"', text):
            if module in present:
                continue
            target = os.path.join(out, module, rest)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(BLANK_PNG if rest.endswith(".png") else b"")
            wrote = True
    return wrote


def _same_tree(a, b):
    """True when folders a and b hold the same files with the same bytes."""
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _match, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(
        _same_tree(os.path.join(a, d), os.path.join(b, d)) for d in cmp.common_dirs
    )


def main(addons, out):
    # Tests, the demo server and benchmarks may run at once, each calling this
    # first: build beside the output and swap it in only when it changed, so
    # that no running Odoo ever sees the folder half written or gone.
    build = f"{out}.build-{os.getpid()}"
    shutil.rmtree(build, ignore_errors=True)
    wrote = categories(addons, build)
    wrote = data_files(addons, build) or wrote
    wrote = standins(addons, build) or wrote
    if not wrote:
        shutil.rmtree(build, ignore_errors=True)
        return 1
    if os.path.isdir(out) and _same_tree(build, out):
        shutil.rmtree(build, ignore_errors=True)
        return 0
    old = f"{out}.old-{os.getpid()}"
    if os.path.isdir(out):
        os.rename(out, old)
    os.rename(build, out)
    shutil.rmtree(old, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
