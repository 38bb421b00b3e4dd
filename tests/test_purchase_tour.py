# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPurchaseSerialTour(HttpCase):
    def test_assign_serials_on_po_line(self):
        product = self.env["product.product"].create(
            {
                "name": "Tour PO Widget",
                "default_code": "TPW",
                "is_storable": True,
                "tracking": "serial",
            }
        )
        vendor = self.env["res.partner"].create({"name": "Tour Vendor"})
        order = self.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_qty": 3, "price_unit": 5}
                    )
                ],
            }
        )
        line = order.order_line
        self.assertEqual(line.serial_tracing_state, "missing")
        url = f"/odoo/action-purchase.purchase_rfq/{order.id}"
        self.start_tour(url, "stock_serial_tracking_purchase_tour", login="admin")
        self.assertEqual(line.serial_tracing_state, "complete")
        self.assertEqual(
            sorted(line.serial_lot_ids.mapped("name")),
            ["POT-001", "POT-002", "POT-003"],
        )
        self.assertEqual(set(line.serial_lot_ids.mapped("serial_status")), {"planned"})
