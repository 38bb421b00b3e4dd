# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Which written settings override the inherited ones (lib/serial_settings.py)."""

import pytest

from lib import serial_settings as ss


def test_every_setting_has_a_flag():
    assert ss.CUSTOM_FIELDS == tuple(f"{s}_custom" for s in ss.SETTINGS)
    assert "serial_required_sale" in ss.SETTINGS


@pytest.mark.parametrize(
    ("setting", "left", "right", "same"),
    [
        ("serial_format", "", False, True),
        ("serial_format", None, False, True),
        ("serial_format", " SN-[[CODE]] ", "SN-[[CODE]]", True),
        ("serial_format", "A", "B", False),
        ("serial_warranty_months", None, 0, True),
        ("serial_warranty_months", 12, 0, False),
        ("serial_required_receipt", None, False, True),
        ("serial_required_receipt", 1, True, True),
    ],
)
def test_same(setting, left, right, same):
    assert ss.same(setting, left, right) is same


def test_overridden_only_differing_and_unflagged():
    inherited = dict(ss.DEFAULTS, serial_warranty_months=12)
    vals = {
        "serial_warranty_months": 12,  # same as inherited: still inherits
        "serial_required_receipt": False,  # differs: overrides
        "serial_format": "X-[[INCNUM,NONE,3,1]]",
        "serial_format_custom": False,  # explicit flag wins
        "name": "ignored",
    }
    assert ss.overridden(vals, inherited) == ["serial_required_receipt"]


def test_auto_numbering_scope():
    assert ss.auto_numbers("both", "receipt") and ss.auto_numbers("both", "production")
    assert ss.auto_numbers("receipt", "receipt")
    assert not ss.auto_numbers("receipt", "production")
    assert not ss.auto_numbers("production", "receipt")
    # no value is the default scope (both)
    assert ss.normalize("serial_auto_generate_scope", False) == "both"
