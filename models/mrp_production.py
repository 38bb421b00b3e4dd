# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def serial_action_print_labels(self):
        """Open the serial label wizard on the finished serials of these
        manufacturing orders."""
        lots = self.lot_producing_id | self.move_finished_ids.move_line_ids.lot_id
        lots |= self.env["stock.lot"].search([("production_id", "in", self.ids)])
        lots = lots.filtered(lambda lot: lot.product_id in self.product_id)
        return self.env["stock.serial.label.wizard"]._serial_open_for(lots)
