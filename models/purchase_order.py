# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    # --- serials on purchase lines ---
    serial_missing = fields.Boolean(
        string="Serials Missing",
        compute="_compute_serial_missing",
        store=True,
        help="A line of a serial-tracked product lacks some of its serial numbers.",
    )
    serial_can_import = fields.Boolean(
        compute="_compute_serial_can_import",
        help="Technical: a line of a serial-tracked product has been received.",
    )
    serial_expects_units = fields.Boolean(
        compute="_compute_serial_can_import",
        help="Technical: a line of a serial-tracked product is not received yet.",
    )

    def serial_action_print_labels(self):
        """Open the serial label wizard on the serials of these orders: those
        pre-assigned to their lines and those on their receipts."""
        lots = self.env["stock.lot"].search(
            [("purchase_line_id", "in", self.order_line.ids)]
        )
        lots |= self.picking_ids.move_line_ids.lot_id
        return self.env["stock.serial.label.wizard"]._serial_open_for(lots)

    # --- serials on purchase lines ---
    @api.depends("state", "order_line.serial_tracing_state")
    def _compute_serial_missing(self):
        for order in self:
            order.serial_missing = order.state != "cancel" and any(
                state in ("missing", "partial")
                for state in order.order_line.mapped("serial_tracing_state")
            )

    @api.depends("order_line.qty_received", "order_line.product_id.tracking")
    def _compute_serial_can_import(self):
        for order in self:
            order.serial_expects_units = any(
                line.product_id.tracking == "serial" and not line.qty_received
                for line in order.order_line
            )
            order.serial_can_import = any(
                line.product_id.tracking == "serial" and line.qty_received > 0
                for line in order.order_line
            )

    def button_cancel(self):
        result = super().button_cancel()
        # Nothing will arrive: no planned serial may outlive the order.
        self.order_line._serial_unlink_planned_lots()
        return result

    def unlink(self):
        self.order_line._serial_unlink_planned_lots()
        return super().unlink()

    def action_open_serial_shipping_list(self):
        """Open the import of the vendor's advance shipping list (the serials
        it ships) for this order."""
        action = self.action_open_serial_import()
        action["name"] = _("Import Shipping List")
        action["context"] = dict(action["context"], default_kind="expected")
        return action

    def action_open_serial_import(self):
        """Open the bulk import of serials for units these orders received
        without serial numbers."""
        return self.env["stock.serial.purchase.import"]._get_records_action(
            name=_("Import Serials"),
            target="new",
            view_mode="form",
            context={"default_purchase_order_id": self[:1].id},
        )
