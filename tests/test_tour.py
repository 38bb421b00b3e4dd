from odoo.tests import HttpCase, tagged

from .common import confirmed_transfer


@tagged("post_install", "-at_install")
class TestSerialEntryTour(HttpCase):
    def _tour_receipt(self, product, qty, partner=None):
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
            partner,
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

    def test_subcontracted_receipt(self):
        """The same entry on a receipt from a subcontractor: the serials typed
        are the units it built, one subcontracting order each."""
        subcontractor = self.env["res.partner"].create(
            {"name": "Tour Subcontractor", "company_id": self.env.company.id}
        )
        product = self.env["product.product"].create(
            {"name": "Tour Frame", "is_storable": True, "tracking": "serial"}
        )
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "type": "subcontract",
                "subcontractor_ids": [(4, subcontractor.id)],
            }
        )
        picking = self._tour_receipt(product, 3, subcontractor)
        self.assertTrue(picking.move_ids.is_subcontract)
        url = f"/odoo/action-stock.action_picking_tree_all/{picking.id}"
        self.start_tour(url, "stock_serial_tracking_entry_tour", login="admin")
        self.assertEqual(picking.state, "done")
        lots = picking.move_line_ids.lot_id
        self.assertEqual(
            sorted(lots.mapped("name")), ["TOUR-001", "TOUR-002", "TOUR-003"]
        )
        self.assertEqual(lots.supplier_id, subcontractor)
        self.assertEqual(len(lots.production_id), 3)
        self.assertEqual(set(lots.production_id.mapped("state")), {"done"})

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
