# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSerialScanTour(HttpCase):
    def test_scan_opens_serial(self):
        product = self.env["product.product"].create(
            {"name": "Scan Widget", "is_storable": True, "tracking": "serial"}
        )
        self.env["stock.lot"].create(
            [
                {"name": f"SN-TOUR-{index:04d}", "product_id": product.id}
                for index in range(1, 4)
            ]
        )
        self.start_tour(
            "/odoo/action-stock.action_production_lot_form",
            "stock_serial_tracking_scan_tour",
            login="admin",
        )
