from odoo import fields, models

HOLD_ACTIONS = [("hold", "On Hold"), ("release", "Hold Released")]


class StockSerialHoldLog(models.Model):
    """One row per hold or release of a serial. Holds are not stock moves, so
    the serial history (a view over done moves) reads these rows beside them."""

    _name = "stock.serial.hold.log"
    _description = "Serial Number Hold Log"
    _order = "date desc, id desc"
    _log_access = True

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    action = fields.Selection(HOLD_ACTIONS, required=True, readonly=True)
    reason = fields.Text(readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, required=True, readonly=True
    )
    location_id = fields.Many2one(
        "stock.location",
        readonly=True,
        help="Where the serial was when it was held or released.",
    )
