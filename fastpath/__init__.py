# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Set-based versions of a few of Odoo's per-record loops, for thousands of
serials at once.

This package holds no model. It is the machinery the models' fast paths share,
and the rules every fast path follows:

1. **Same result.** A fast path stores exactly what Odoo's own code stores for
   the records it takes (same rows, same columns, same chatter). Each one has a
   test in ``tests/test_performance_equivalence.py`` that runs the operation
   once through Odoo's code and once through the fast path and compares every
   stored column.
2. **One guard.** :mod:`.guard` declares, per fast path, every Odoo method whose
   effect the path reproduces. ``guard.allowed(records, path)`` is False, and
   the caller runs Odoo's code, when fast paths are switched off (context key
   ``serial_no_fast_path``, or the system parameter
   ``stock_serial_tracking.fast_paths`` set to ``False``), or when a module
   other than the ones this add-on was checked against defines any of those
   methods anywhere in the models' class hierarchies: its code would be
   skipped.
3. **Copies only of what the ORM would store.** :mod:`.clone` copies rows
   (``INSERT ... SELECT``) that differ in one column; it refuses models whose
   stored fields depend on that column or get per-record defaults from an
   unknown module, copies many2many links, and does the ORM's bookkeeping of a
   create (caches, dependent computes, constraints).
4. **Raw writes are the ORM's.** A fast path that writes with SQL invalidates
   the cache and calls ``modified()`` on what it wrote, so that computed fields
   of any module that depend on it are recomputed.
"""

from . import guard  # noqa: F401
from .clone import (  # noqa: F401
    clone_columns,
    clone_records,
    own_message_ids,
    read_rows,
    write_values,
)
from .company import check_company_batched  # noqa: F401
