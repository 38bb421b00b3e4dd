# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        missing = self.order_line._serial_missing_required()
        if missing:
            raise UserError(
                self.env._(
                    "These lines need their serial numbers chosen before the "
                    "order is confirmed (Serials Required on Sale):"
                )
                + "\n"
                + "\n".join(
                    self.env._(
                        "- %(line)s: %(count)s of %(required)s chosen",
                        line=line._serial_label(),
                        count=len(line.sudo().serial_lot_ids),
                        required=line._serial_required_count(),
                    )
                    for line in missing
                )
            )
        return super().action_confirm()

    def _action_cancel(self):
        result = super()._action_cancel()
        # a cancelled order keeps none of the units it chose
        self.order_line._serial_release()
        return result
