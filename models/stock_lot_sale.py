# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Serials and sales: the sale order line a serial is chosen for or sold on.

A serial chosen on a line (``serial_sale_chosen``) is left alone by Odoo's
reservation and by the other documents until that line delivers it. Once
delivered the line stays, naming the line it was sold on; a return from the
customer clears it (the sale of that unit is undone, its history keeps both
moves).
"""

from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sale Order Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        ondelete="set null",
        help="The sale order line this serial was chosen for (while in stock) "
        "or sold on (once delivered).",
    )
    serial_sale_chosen = fields.Boolean(
        string="Chosen for Sale",
        readonly=True,
        copy=False,
        index=True,
        help="Chosen on its sale order line and not yet delivered: no other "
        "document reserves or picks it.",
    )
    serial_sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        related="sale_line_id.order_id",
        store=True,
        index="btree_not_null",
    )

    def _serial_sale_reserved(self):
        """The serials of self that a sale line chose and did not deliver yet."""
        return self.filtered(lambda lot: lot.sale_line_id and lot.serial_sale_chosen)

    def action_serial_open_sale_order(self):
        self.ensure_one()
        return self.serial_sale_order_id._get_records_action()
