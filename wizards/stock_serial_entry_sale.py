# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The entry wizard on a sale order line: Pick mode from the stock of the
order's warehouse; applying makes the picked serials the line's chosen ones.
Every Pick mode (sale line or transfer) refuses serials another sale line
chose."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockSerialEntry(models.TransientModel):
    _inherit = "stock.serial.entry"

    target = fields.Selection(
        selection_add=[("sale", "Sale Order Line")],
        ondelete={"sale": "cascade"},
    )
    sale_line_id = fields.Many2one("sale.order.line", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if values.get("sale_line_id"):
            line = self.env["sale.order.line"].browse(values["sale_line_id"])
            values.update(
                product_id=line.product_id.id,
                company_id=line.company_id.id,
                mode="remove",
                target="sale",
                count_is_maximum=True,
                location_id=line.order_id.warehouse_id.lot_stock_id.id,
                required_count=line._serial_required_count(),
                lot_ids=[(6, 0, line.sudo().serial_lot_ids.ids)],
            )
        return values

    def _serial_check_count(self):
        if self.target != "sale":
            return super()._serial_check_count()
        if self.entered_count > self.required_count:
            raise ValidationError(
                self.env._(
                    "%(entered)s serial numbers for a line of %(required)s units: "
                    "choose at most %(required)s.",
                    entered=self.entered_count,
                    required=self.required_count,
                )
            )
        return None

    def _serial_apply_methods(self):
        return {**super()._serial_apply_methods(), "sale": self._serial_apply_sale}

    def _serial_apply_sale(self):
        line = self.sale_line_id
        self._serial_check_lots_here(self.lot_ids)
        others = self._serial_take_over_reservations(self.lot_ids)
        line._serial_assign_lots(self.lot_ids)
        others -= line._serial_open_moves()
        if others:
            # the documents whose reserved serial was taken reserve another unit
            others._action_assign()
        return True

    # ------------------------------------------------------------------
    # Pick mode: serials chosen on a sale line are that line's
    # ------------------------------------------------------------------
    def _serial_own_sale_line(self):
        """The sale line this wizard works for, if any."""
        if self.target == "sale":
            return self.sale_line_id
        if self.move_id:
            return self.move_id._serial_sale_line()
        return self.env["sale.order.line"]

    def _serial_on_hand_domain(self):
        domain = super()._serial_on_hand_domain()
        return domain + [
            "|",
            ("serial_sale_chosen", "=", False),
            ("sale_line_id", "=", self._serial_own_sale_line().id),
        ]

    def _serial_reserved_elsewhere(self, lot_ids_by_name):
        refused = super()._serial_reserved_elsewhere(lot_ids_by_name)
        own = self._serial_own_sale_line()
        if self.target == "sale" and refused:
            # the line's own open deliveries carry its chosen serials: they
            # are no other document
            own_moves = own._serial_open_moves()
            picked_elsewhere = (
                self.env["stock.move.line"]
                .search(
                    [
                        ("lot_id", "in", list(lot_ids_by_name.values())),
                        ("state", "not in", ("done", "cancel")),
                        ("picked", "=", True),
                        ("move_id", "not in", own_moves.ids),
                    ]
                )
                .lot_id.ids
            )
            refused = {
                name: reason
                for name, reason in refused.items()
                if lot_ids_by_name.get(name) in picked_elsewhere
            }
        lots = (
            self.env["stock.lot"]
            .sudo()
            .browse(
                [
                    lot_id
                    for name, lot_id in lot_ids_by_name.items()
                    if name not in refused
                ]
            )
        )
        for lot in lots:
            if lot.serial_sale_chosen and lot.sale_line_id != own:
                refused[lot.name] = self.env._(
                    "is chosen for sale order %(order)s",
                    order=lot.sale_line_id.order_id.name,
                )
        return refused
