# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def serial_action_print_labels(self):
        """Open the serial label wizard on the serials of these transfers."""
        lots = self.move_line_ids.lot_id
        return self.env["stock.serial.label.wizard"]._serial_open_for(lots)

    def _get_lot_move_lines_for_sanity_check(
        self, none_done_picking_ids, separate_pickings=True
    ):
        # Products that do not require serials on this side may be validated
        # without them (serials assigned later).
        lines = super()._get_lot_move_lines_for_sanity_check(
            none_done_picking_ids, separate_pickings
        )
        return lines.filtered(lambda ml: not ml._serial_lot_optional())
