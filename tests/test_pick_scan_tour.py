# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

from .common import confirmed_transfer


@tagged("post_install", "-at_install")
class TestPickScanTour(HttpCase):
    def _delivery(self, prefix):
        product = self.env["product.product"].create(
            {"name": "Scan Router", "is_storable": True, "tracking": "serial"}
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        stock = warehouse.lot_stock_id
        lots = self.env["stock.lot"].create(
            [
                {"name": f"{prefix}-{i:04d}", "product_id": product.id}
                for i in range(1, 5)
            ]
        )
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(
                product, stock, 1, lot_id=lot
            )
        picking = confirmed_transfer(
            self.env,
            warehouse.out_type_id,
            stock,
            self.env.ref("stock.stock_location_customers"),
            product,
            2,
            self.env["res.partner"].create({"name": "Scan Co"}),
        )
        picking.action_assign()
        return picking, stock

    def test_scan_into_delivery(self):
        picking, stock = self._delivery("SCAN")
        reserved = picking.move_line_ids.lot_id
        self.assertEqual(reserved.mapped("name"), ["SCAN-0001", "SCAN-0002"])
        url = f"/odoo/action-stock.action_picking_tree_all/{picking.id}"
        self.start_tour(url, "stock_serial_tracking_pick_scan_tour", login="admin")
        self.assertEqual(picking.state, "done")
        shipped = picking.move_line_ids.lot_id
        self.assertEqual(sorted(shipped.mapped("name")), ["SCAN-0003", "SCAN-0004"])
        self.assertEqual(set(shipped.mapped("serial_status")), {"shipped"})
        self.assertNotIn("shipped", reserved.mapped("serial_status"))
        self.assertFalse(reserved.customer_id)
        self.assertEqual(
            reserved.quant_ids.filtered(lambda q: q.quantity > 0).location_id, stock
        )

    def test_scan_on_the_delivery_form(self):
        picking, _stock = self._delivery("FORM")
        url = f"/odoo/action-stock.action_picking_tree_all/{picking.id}"
        self.start_tour(url, "stock_serial_tracking_form_scan_tour", login="admin")
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            sorted(picking.move_line_ids.lot_id.mapped("name")),
            ["FORM-0003", "FORM-0004"],
        )
