# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Plain pytest setup for the pure logic in ``lib/`` (no Odoo needed).

The repository root is put on ``sys.path`` so that the tests import ``lib`` as
a top-level package, without importing the add-on's ``__init__`` (which
imports odoo). ``stock_serial_tracking.lib`` also works: an empty package
``stock_serial_tracking`` pointing at the repository root is registered, so
that its ``__init__`` is never run either.
"""

import io
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if "stock_serial_tracking" not in sys.modules:
    _package = types.ModuleType("stock_serial_tracking")
    _package.__path__ = [str(ROOT)]
    sys.modules["stock_serial_tracking"] = _package


def _xlsx_bytes(rows, sheets=None):
    """Build an .xlsx in memory: ``rows`` on the first sheet, then ``sheets``."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for title, extra_rows in (sheets or {}).items():
        extra = workbook.create_sheet(title)
        for row in extra_rows:
            extra.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def make_xlsx():
    """Factory fixture: ``make_xlsx(rows, sheets=None) -> bytes``."""
    return _xlsx_bytes
