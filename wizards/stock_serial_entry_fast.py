# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.tools import float_compare

# Fields a kept line must already have, as the entry wizard would create it.
KEPT_FIELDS = (
    "move_id",
    "picking_id",
    "product_id",
    "product_uom_id",
    "company_id",
    "location_id",
    "location_dest_id",
    "lot_id",
    "package_id",
    "owner_id",
)


class StockSerialEntry(models.TransientModel):
    _inherit = "stock.serial.entry"

    def _serial_fast_keep_lines(self, lines, vals_list):
        """Issue 6: picking the serials a move already reserved.

        Replacing a reserved line by an identical new one unreserves and
        reserves the serial again, one quant at a time. The lines among
        ``lines`` that are exactly what ``vals_list`` asks for (same serial,
        place, package, owner, one unit, no destination package) are kept and
        marked picked instead; the result is the same lines. Return (kept
        lines, the values still to create).
        """
        kept = self.env["stock.move.line"]
        if self.env.context.get("serial_no_fast_path") or self.mode != "remove":
            return kept, vals_list
        by_key = {}
        for ml in lines:
            if (
                ml.result_package_id
                or not ml.lot_id
                or float_compare(
                    ml.quantity, 1, precision_rounding=ml.product_uom_id.rounding
                )
                != 0
            ):
                continue
            key = tuple(ml[name].id for name in KEPT_FIELDS)
            by_key.setdefault(key, ml)
        remaining = []
        kept_ids = []
        for vals in vals_list:
            key = tuple(vals.get(name) or False for name in KEPT_FIELDS)
            ml = by_key.pop(key, None)
            if (
                ml
                and float_compare(vals.get("quantity", 0), 1, precision_digits=6) == 0
            ):
                kept_ids.append(ml.id)
            else:
                remaining.append(vals)
        kept = kept.browse(kept_ids)
        if kept:
            kept.filtered(lambda ml: not ml.picked).write({"picked": True})
        return kept, remaining
