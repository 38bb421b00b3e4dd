# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialCountTour(HttpCase):
    def test_scan_a_count_and_apply_it(self):
        product = self.env["product.product"].create(
            {"name": "Count Widget", "is_storable": True, "tracking": "serial"}
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        stock = warehouse.lot_stock_id
        shelf = self.env["stock.location"].create(
            {"name": "Count Shelf", "location_id": stock.id}
        )
        lots = self.env["stock.lot"].create(
            [{"name": f"CNT-{i:04d}", "product_id": product.id} for i in range(1, 6)]
        )
        for lot in lots:
            self.env["stock.quant"]._update_available_quantity(
                product, stock if lot.name == "CNT-0005" else shelf, 1, lot_id=lot
            )
        count = self.env["stock.serial.count"].create({"location_id": shelf.id})
        self.start_tour(
            f"/odoo/action-stock_serial_tracking.action_stock_serial_count/{count.id}",
            "stock_serial_tracking_count_tour",
            login="admin",
        )
        self.assertEqual(count.state, "applied")
        by_name = {lot.name: lot for lot in lots}
        self.assertEqual(
            {line.name: line.result for line in count.line_ids},
            {
                "CNT-0001": "found",
                "CNT-0002": "missing",
                "CNT-0003": "missing",
                "CNT-0004": "missing",
                "CNT-0005": "elsewhere",
                "CNT-0404": "unknown",
            },
        )
        elsewhere = count.line_ids.filtered(lambda ln: ln.name == "CNT-0005")
        self.assertEqual(elsewhere.booked_location_id, stock, "shown as where")
        moved = by_name["CNT-0005"]
        self.assertEqual(moved.location_id, shelf, "booked elsewhere: moved here")
        self.assertEqual(moved.serial_history_ids[0].move_type, "move")
        self.assertEqual(moved.serial_history_ids[0].reference, count.name)
        gone = by_name["CNT-0002"]
        self.assertEqual(gone.serial_status, "written_off")
        self.assertEqual(gone.serial_history_ids[0].move_type, "adjust_out")
        self.assertEqual(gone.serial_history_ids[0].reference, count.name)
        self.assertEqual(by_name["CNT-0003"].location_id, shelf, "left as it was")
        self.assertFalse(
            self.env["stock.lot"].search([("name", "=", "CNT-0404")]),
            "an unknown serial is only added when the user says so",
        )
