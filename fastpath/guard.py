# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""When a fast path may run: the one guard all of them ask.

A fast path does in a few statements what Odoo's methods do record by record.
If another module overrides one of those methods, its code would not run for
the records the fast path takes: then the fast path steps aside. PATHS lists,
for each fast path, every method whose effect it reproduces, on every model
involved; the guard looks for definitions of them in the models' class
hierarchies (the MRO Odoo builds from every installed module) by modules
outside KNOWN_MODULES.

KNOWN_MODULES are the modules whose overrides of those methods were read and
are either reproduced by the fast path or never apply to what it takes
(e.g. stock_account's move line ``_action_done`` acts on products valued by
lot, which no fast path takes; mrp_subcontracting's move line ``write`` keeps
a subcontracting order's serial in step with its receipt line, and no fast
path writes the serial of a subcontracted receipt's lines). Adding a module
there means reading its overrides of every method below and extending the
equivalence tests.
"""

MODULE = __name__.split(".")[2]  # stock_serial_tracking

SWITCH_PARAM = f"{MODULE}.fast_paths"
CONTEXT_KEY = "serial_no_fast_path"

KNOWN_MODULES = frozenset(
    {
        None,
        "",
        "base",
        "mail",
        "stock",
        "stock_account",
        "mrp",
        "mrp_subcontracting",
        "purchase_stock",
        MODULE,
    }
)

# How Odoo creates a record and its chatter: copies of a serial skip all of it.
_LOT_CREATE = (
    "create",
    "_create",
    "_prepare_create_values",
    "_add_missing_default_values",
    "default_get",
    "_creation_message",
    "_creation_subtype",
    "_message_auto_subscribe",
    "_message_auto_subscribe_followers",
    "_message_log_batch",
    "_message_create",
    "_track_get_fields",
    "_check_company",
)

PATHS = {
    # serials created in bulk: the first through create(), the others copies
    "lot_create": {
        "stock.lot": _LOT_CREATE,
        "mail.message": ("create", "_create"),
    },
    # move lines created in bulk (reservation, entry wizard): copies of the
    # first
    "line_create": {
        "stock.move.line": ("create", "_create", "_check_company"),
    },
    # move lines deleted in bulk (entry wizard, Unreserve): their serials
    # unreserved in one batch
    "line_unlink": {
        "stock.move.line": ("unlink",),
    },
    # the serials of lines created or deleted in bulk reserved or unreserved
    # in one write per new reserved quantity instead of one quant at a time
    "quant_reserve": {
        "stock.quant": (
            "_update_reserved_quantity",
            "_update_available_quantity",
            "_gather",
            "_get_gather_domain",
            "write",
        ),
    },
    # validating serial lines: quants moved in a few set-based steps instead
    # of stock.move.line._action_done's loop
    "line_done": {
        "stock.move.line": (
            "_action_done",
            "_free_reservation",
            "_synchronize_quant",
            "_prepare_new_lot_vals",
            "_create_and_assign_production_lot",
            "_check_company",
            "write",
        ),
        "stock.quant": (
            "create",
            "_create",
            "write",
            "_update_available_quantity",
            "_update_reserved_quantity",
            "_get_available_quantity",
            "_get_quants_by_products_locations",
            "_gather",
        ),
        "stock.lot": _LOT_CREATE,
        "mail.message": ("create", "_create"),
    },
    # a serial's Odoo location (the one place of its quants in stock)
    # computed in the statement that derives its status
    "lot_location": {
        "stock.lot": ("_compute_single_location",),
    },
    # a move line's serial or typed name set without write() for thousands
    "line_write": {
        "stock.move.line": ("write", "_check_company"),
    },
    # the valued lines of a delivery gathered in one pass
    "out_move_lines": {
        "stock.move": ("_get_out_move_lines",),
    },
    # the push rule of moves alike looked up once per call of _push_apply
    "push_rule": {
        "procurement.group": ("_get_push_rule", "_search_rule"),
        "stock.rule": ("search", "_search", "search_fetch"),
        "stock.move": ("_push_apply",),
    },
    # company consistency checked per (field, company) instead of per record
    "check_company": {
        "stock.lot": ("_check_company",),
        "stock.move.line": ("_check_company",),
    },
    # ... and for moves and manufacturing orders (a mass production's), on
    # their own: an override there leaves serials and lines batched
    "check_company_orders": {
        "stock.move": ("_check_company",),
        "mrp.production": ("_check_company",),
    },
}


def enabled(env):
    """False when fast paths are off: for this call (context key) or for the
    database (system parameter, e.g. to compare with Odoo's own path or to
    rule the add-on out while investigating)."""
    if env.context.get(CONTEXT_KEY):
        return False
    value = env["ir.config_parameter"].sudo().get_param(SWITCH_PARAM, "True")
    return value.strip().lower() not in ("0", "false", "no", "off")


def foreign_overrides(records, path):
    """``(model, method, module)`` of each definition, by a module outside
    KNOWN_MODULES, of a method ``path`` reproduces. ``records`` stands for
    its own model (its class may be a test's subclass); the other models are
    taken from the registry."""
    found = []
    for model_name, methods in PATHS[path].items():
        if records._name == model_name:
            cls = type(records)
        elif model_name in records.env.registry:
            cls = type(records.env[model_name])
        else:
            continue
        for klass in cls.__mro__:
            module = getattr(klass, "_module", None)
            if module in KNOWN_MODULES:
                continue
            found.extend(
                (model_name, method, module)
                for method in methods
                if method in vars(klass)
            )
    return found


def allowed(records, path):
    """True when the fast path ``path`` may run for ``records``."""
    return enabled(records.env) and not foreign_overrides(records, path)
