from odoo import fields, models


class StockSerialReject(models.TransientModel):
    _name = "stock.serial.reject"
    _description = "Reject Serial Numbers"

    lot_ids = fields.Many2many("stock.lot", string="Serial Numbers", required=True)
    reason = fields.Text(required=True)

    def action_reject(self):
        self.ensure_one()
        self.lot_ids.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
