# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSaleSerialTour(HttpCase):
    def test_sell_two_chosen_serials(self):
        product = self.env["product.product"].create(
            {
                "name": "Tour Sale Machine",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 250,
                "invoice_policy": "delivery",
            }
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        lots = self.env["stock.lot"].create(
            [
                {"name": f"TS-{index:03d}", "product_id": product.id}
                for index in range(1, 5)
            ]
        )
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 1, lot_id=lot
            )
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )
        self.start_tour(
            f"/odoo/action-sale.action_quotations/{order.id}",
            "stock_serial_tracking_sale_tour",
            login="admin",
        )
        line = order.order_line
        chosen = lots.filtered(lambda lot: lot.name in ("TS-002", "TS-004"))
        self.assertEqual(order.state, "sale")
        self.assertEqual(line.serial_lot_ids, chosen)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(order.picking_ids.move_line_ids.lot_id, chosen)
        self.assertEqual(set(chosen.mapped("serial_status")), {"shipped"})
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(line.qty_invoiced, 2)
