from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialEntryTour(HttpCase):
    def test_paste_apply_validate(self):
        product = self.env["product.product"].create(
            {"name": "Tour Widget", "is_storable": True, "tracking": "serial"}
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        supplier = self.env.ref("stock.stock_location_suppliers")
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.in_type_id.id,
                "location_id": supplier.id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 3,
                            "product_uom": product.uom_id.id,
                            "location_id": supplier.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        url = f"/odoo/action-stock.action_picking_tree_all/{picking.id}"
        self.start_tour(url, "stock_serial_tracking_entry_tour", login="admin")
        self.assertEqual(picking.state, "done")
        lots = picking.move_line_ids.lot_id
        self.assertEqual(
            sorted(lots.mapped("name")), ["TOUR-001", "TOUR-002", "TOUR-003"]
        )
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})
