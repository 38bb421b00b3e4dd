# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.osv import expression


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        # Only while a move looks for stock to reserve (context set by
        # stock.move): serials a sale line chose stay invisible to the moves
        # of every other line, so Check Availability takes other units.
        domain = super()._get_gather_domain(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )
        if (
            "serial_sale_line_id" in self.env.context
            and product_id.tracking == "serial"
        ):
            domain = expression.AND([domain, self._serial_sale_free_domain()])
        return domain

    def _serial_sale_free_domain(self):
        line_id = self.env.context.get("serial_sale_line_id") or False
        return [
            "|",
            ("lot_id", "=", False),
            "|",
            ("lot_id.serial_sale_chosen", "=", False),
            ("lot_id.sale_line_id", "=", line_id),
        ]

    def _gather(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
        qty=0,
    ):
        quants = super()._gather(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            qty=qty,
        )
        if (
            "serial_sale_line_id" in self.env.context
            and product_id.tracking == "serial"
        ):
            # a reservation from a cache of quants skips the domain above
            line_id = self.env.context["serial_sale_line_id"]
            quants = quants.filtered(
                lambda q: (
                    not q.lot_id.serial_sale_chosen
                    or q.lot_id.sale_line_id.id == line_id
                )
            )
        return quants
