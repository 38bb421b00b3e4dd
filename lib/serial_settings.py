# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The serial settings a product inherits from its category.

Each setting exists under the same name on ``product.category`` and
``product.template``; beside it a boolean ``<setting>_custom`` says that the
record keeps its own value instead of its parent's (the category's parent for a
category, the category for a product). A root category inherits the defaults
below.
"""

# setting -> value of a root category that sets nothing itself
DEFAULTS = {
    "serial_required_receipt": True,
    "serial_required_delivery": True,
    "serial_required_sale": False,
    "serial_auto_generate": False,
    # where auto-numbering applies: "receipt", "production" or "both"
    "serial_auto_generate_scope": "both",
    "serial_format": False,
    "serial_warranty_months": 0,
}
SETTINGS = tuple(DEFAULTS)

# the selection of ``serial_auto_generate_scope`` (category, product, bulk wizard)
AUTO_GENERATE_SCOPES = [
    ("receipt", "Receipts"),
    ("production", "Manufacturing"),
    ("both", "Receipts and Manufacturing"),
]


def auto_numbers(scope, operation):
    """Whether auto-numbering set to ``scope`` applies to ``operation``
    ("receipt" or "production")."""
    return scope in (operation, "both")


def custom_field(setting):
    """Name of the flag that says a record overrides ``setting``."""
    return f"{setting}_custom"


CUSTOM_FIELDS = tuple(custom_field(setting) for setting in SETTINGS)


def normalize(setting, value):
    """The value as the database keeps it: '' and None are no format, None
    is 0 months, booleans are booleans."""
    if setting == "serial_format":
        return (value or "").strip() or False
    if setting == "serial_warranty_months":
        return int(value or 0)
    if setting == "serial_auto_generate_scope":
        return value or DEFAULTS[setting]
    return bool(value)


def same(setting, left, right):
    """Whether two values of ``setting`` are the same setting."""
    return normalize(setting, left) == normalize(setting, right)


def overridden(vals, inherited):
    """The settings of ``vals`` that differ from the ``inherited`` values and
    whose ``_custom`` flag ``vals`` does not set itself: writing a value other
    than the inherited one is overriding it."""
    return [
        setting
        for setting in SETTINGS
        if setting in vals
        and custom_field(setting) not in vals
        and not same(setting, vals[setting], inherited.get(setting))
    ]
