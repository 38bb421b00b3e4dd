from odoo import fields, models
from odoo.exceptions import UserError

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

    def _serial_scan_message(self):
        """What a scanned serial turned out to be, for the scan field."""
        self.ensure_one()
        status = dict(SERIAL_STATUSES).get(self.serial_status, "")
        if self.result == "found":
            return self.env._(
                "%(name)s found (%(product)s)",
                name=self.name,
                product=self.product_id.display_name,
            )
        if self.result == "elsewhere":
            return self.env._(
                "%(name)s is booked at %(where)s (%(status)s): moved here when "
                "the count is applied",
                name=self.name,
                where=self.booked_location_id.display_name,
                status=status,
            )
        if self.lot_id:
            return self.env._(
                "%(name)s left the company (%(status)s): unknown here",
                name=self.name,
                status=status,
            )
        return self.env._("%(name)s is unknown", name=self.name)

    def action_open_serial_hold(self):
        """Put this line's serial on hold (the hold wizard)."""
        self.ensure_one()
        if not self.lot_id:
            raise UserError(
                self.env._(
                    "%(name)s is no serial of this company: it cannot be put on hold.",
                    name=self.name,
                )
            )
        return self.lot_id.action_open_serial_hold()
