from odoo import api, fields, models


class StockSerialHold(models.TransientModel):
    _name = "stock.serial.hold"
    _description = "Put Serial Numbers on Hold"

    lot_ids = fields.Many2many("stock.lot", string="Serial Numbers", required=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # opened from the serial list's Actions menu
        if (
            "lot_ids" in fields_list
            and not values.get("lot_ids")
            and self.env.context.get("active_model") == "stock.lot"
        ):
            values["lot_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    def action_hold(self):
        self.ensure_one()
        self.lot_ids.action_serial_hold(self.reason)
        return {"type": "ir.actions.act_window_close"}
