# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Warranty of a serial: from its (last) shipment and its product's months."""

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class StockLot(models.Model):
    _inherit = "stock.lot"

    warranty_end_date = fields.Date(
        compute="_compute_warranty_end_date",
        store=True,
        readonly=True,
        copy=False,
        help="Last day of the warranty: the shipped date plus the product's "
        "warranty months. Set again when the serial is shipped again.",
    )
    serial_under_warranty = fields.Boolean(
        string="Under Warranty",
        compute="_compute_serial_under_warranty",
        search="_search_serial_under_warranty",
    )

    @api.depends("shipped_date", "product_id.product_tmpl_id.serial_warranty_months")
    def _compute_warranty_end_date(self):
        # The shipped date is written by the status statement, which tells
        # the ORM (modified()): this then recomputes the end of the warranty.
        for lot in self:
            months = lot.product_id.product_tmpl_id.serial_warranty_months
            if lot.shipped_date and months > 0:
                lot.warranty_end_date = fields.Date.to_date(
                    lot.shipped_date
                ) + relativedelta(months=months)
            else:
                lot.warranty_end_date = False

    @api.depends("warranty_end_date")
    @api.depends_context("tz")
    def _compute_serial_under_warranty(self):
        today = fields.Date.context_today(self)
        for lot in self:
            lot.serial_under_warranty = bool(
                lot.warranty_end_date and lot.warranty_end_date >= today
            )

    def _search_serial_under_warranty(self, operator, value):
        if operator in ("in", "not in"):
            values = {bool(v) for v in value}
            if len(values) != 1:
                return [(1, "=", 1)] if operator == "in" else [(0, "=", 1)]
            operator, value = ("=" if operator == "in" else "!="), values.pop()
        if operator not in ("=", "!="):
            raise UserError(_("Unsupported search on warranty: %s", operator))
        today = fields.Date.context_today(self)
        if (operator == "=") == bool(value):
            return [("warranty_end_date", ">=", today)]
        return [
            "|",
            ("warranty_end_date", "=", False),
            ("warranty_end_date", "<", today),
        ]
