from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    serial_is_reject = fields.Boolean(
        string="Is a Reject Location",
        help="Serials moved into this location get the status 'Rejected'.",
    )
