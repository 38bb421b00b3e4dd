from odoo import fields, models

from .stock_lot import SERIAL_STATUSES
from .stock_serial_count import COUNT_RESULTS, LINE_ACTIONS


class StockSerialCountLine(models.Model):
    _name = "stock.serial.count.line"
    _description = "Serial Count Line"
    _order = "result, sequence, id"

    count_id = fields.Many2one(
        "stock.serial.count", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="count_id.company_id", store=True)
    name = fields.Char(string="Serial Number", required=True, readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial", readonly=True)
    product_id = fields.Many2one(
        "product.product",
        domain="[('tracking', '=', 'serial')]",
        help="For an unknown serial: the product it is added to.",
    )
    result = fields.Selection(COUNT_RESULTS, required=True, readonly=True)
    serial_status = fields.Selection(SERIAL_STATUSES, string="Status", readonly=True)
    booked_location_id = fields.Many2one(
        "stock.location", string="Booked At", readonly=True
    )
    action = fields.Selection(LINE_ACTIONS, required=True, default="none")
    sequence = fields.Integer(readonly=True)

    _sql_constraints = [
        (
            "count_name_uniq",
            "UNIQUE (count_id, name)",
            "A serial is counted once per count.",
        ),
    ]
