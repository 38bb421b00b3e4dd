from odoo.tests import HttpCase, tagged

from .common import confirmed_transfer


@tagged("post_install", "-at_install")
class TestSerialEntryTour(HttpCase):
    def _tour_receipt(self, product, qty):
        """A confirmed receipt of ``qty`` units of ``product``."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        return confirmed_transfer(
            self.env,
            warehouse.in_type_id,
            self.env.ref("stock.stock_location_suppliers"),
            warehouse.lot_stock_id,
            product,
            qty,
        )

    def test_paste_apply_validate(self):
        product = self.env["product.product"].create(
            {"name": "Tour Widget", "is_storable": True, "tracking": "serial"}
        )
        picking = self._tour_receipt(product, 3)
        url = f"/odoo/action-stock.action_picking_tree_all/{picking.id}"
        self.start_tour(url, "stock_serial_tracking_entry_tour", login="admin")
        self.assertEqual(picking.state, "done")
        lots = picking.move_line_ids.lot_id
        self.assertEqual(
            sorted(lots.mapped("name")), ["TOUR-001", "TOUR-002", "TOUR-003"]
        )
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})

    def test_auto_number_tab_previews_and_applies(self):
        product = self.env["product.product"].create(
            {
                "name": "Tour Auto Widget",
                "is_storable": True,
                "tracking": "serial",
                "serial_auto_generate": True,
                "serial_format": "TA-[[INCNUM,NONE,4,1]]",
            }
        )
        picking = self._tour_receipt(product, 2)
        self.assertFalse(any(picking.move_line_ids.mapped("lot_name")))
        url = f"/odoo/action-stock.action_picking_tree_all/{picking.id}"
        self.start_tour(url, "stock_serial_tracking_autonumber_tour", login="admin")
        self.assertEqual(
            sorted(picking.move_line_ids.mapped("lot_name")), ["TA-0001", "TA-0002"]
        )
        self.assertEqual(product._serial_preview_name(), "TA-0003")
