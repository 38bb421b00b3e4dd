# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def serial_action_print_labels(self):
        """Open the serial label wizard on the serials of these orders: those
        pre-assigned to their lines and those on their receipts."""
        lots = self.env["stock.lot"].search(
            [("purchase_line_id", "in", self.order_line.ids)]
        )
        lots |= self.picking_ids.move_line_ids.lot_id
        return self.env["stock.serial.label.wizard"]._serial_open_for(lots)
