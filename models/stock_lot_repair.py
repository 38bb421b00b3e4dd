# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A serial under repair. Being repaired is no status of its own: the unit is
still where its status says (in stock, returned by its customer); Odoo's
repair order says it is being worked on. Odoo's repair module already puts
the serial's repair orders on its form (the To Do / Done button)."""

from odoo import _, fields, models
from odoo.exceptions import UserError

# Repair states in which the unit is with the repair shop.
IN_REPAIR_STATES = ("confirmed", "under_repair")


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_in_repair = fields.Boolean(
        string="In Repair",
        compute="_compute_serial_in_repair",
        search="_search_serial_in_repair",
        help="A repair order on this serial is confirmed or under repair.",
    )

    def _serial_lots_in_repair(self, domain=()):
        groups = self.env["repair.order"]._read_group(
            [("lot_id", "!=", False), ("state", "in", IN_REPAIR_STATES), *domain],
            ["lot_id"],
        )
        return {lot.id for (lot,) in groups}

    def _compute_serial_in_repair(self):
        ids = [lot_id for lot_id in self._origin.ids if lot_id]
        in_repair = self._serial_lots_in_repair([("lot_id", "in", ids)]) if ids else ()
        for lot in self:
            lot.serial_in_repair = lot._origin.id in in_repair

    def _search_serial_in_repair(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search on In Repair."))
        inside = (operator == "=") == bool(value)
        return [
            ("id", "in" if inside else "not in", list(self._serial_lots_in_repair()))
        ]
