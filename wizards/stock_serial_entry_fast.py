# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import float_compare

from ..models.fast_clone import read_rows

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
        """Issue 6: reuse the move's lines that already are what the wizard
        would create.

        Picking serials: replacing a reserved line by an identical new one
        unreserves and reserves the serial again, one quant at a time.
        Typing serials (receipts): the move already has one line per unit
        without serial; deleting and creating thousands of lines costs
        seconds. The lines among ``lines`` that are exactly what ``vals_list``
        asks for (same move, product, unit, company, places, serial, package,
        owner, one unit, no destination package, no typed name yet) are kept
        and get the typed name if any; the caller then marks the move picked.
        Return (kept lines, the values still to create).
        """
        kept = self.env["stock.move.line"]
        if self.env.context.get("serial_no_fast_path"):
            return kept, vals_list
        # the lines' own values in one query (attribute access per line and
        # field costs seconds for thousands of lines)
        columns = [*KEPT_FIELDS, "quantity", "result_package_id", "lot_name"]
        rounding = self.product_id.uom_id.rounding
        by_key = {}
        for row in sorted(read_rows(lines, columns), key=lambda row: row["id"]):
            if (
                row["result_package_id"]
                or row["lot_name"]
                or float_compare(row["quantity"], 1, precision_rounding=rounding) != 0
            ):
                continue
            key = tuple(row[name] or False for name in KEPT_FIELDS)
            by_key.setdefault(key, []).append(row["id"])
        remaining = []
        kept_ids = []
        names = []  # typed serials (receipts) go on the kept lines
        for vals in vals_list:
            key = tuple(vals.get(name) or False for name in KEPT_FIELDS)
            free = by_key.get(key)
            if (
                free
                and float_compare(vals.get("quantity", 0), 1, precision_digits=6) == 0
                and set(vals) <= {*KEPT_FIELDS, "quantity", "picked", "lot_name"}
            ):
                kept_ids.append(free.pop(0))
                names.append(vals.get("lot_name") or None)
            else:
                remaining.append(vals)
        kept = kept.browse(kept_ids)
        if any(names):
            # one statement for thousands of names (lot_name only labels the
            # line until validation creates the lot)
            self.env.cr.execute(
                """
                UPDATE stock_move_line ml
                   SET lot_name = v.name, write_uid = %s, write_date = %s
                  FROM unnest(%s::int[], %s::varchar[]) AS v(id, name)
                 WHERE ml.id = v.id AND v.name IS NOT NULL
                """,
                [self.env.uid, fields.Datetime.now(), kept.ids, names],
            )
            kept.invalidate_recordset(["lot_name", "write_uid", "write_date"])
            kept.modified(["lot_name"])
        # the caller marks the move picked, hence all its lines, as Odoo does
        # for new lines: picked, dated now
        return kept, remaining
