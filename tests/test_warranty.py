from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestWarranty(SerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.serial_warranty_months = 12

    def _set_shipped_on(self, lots, when):
        """Date the delivery of these serials back (and their receipt before
        it), then recompute them as after any operation (the SQL path)."""
        lines = self.env["stock.move.line"].search(
            [("lot_id", "in", lots.ids), ("state", "=", "done")]
        )
        shipped = lines.filtered(lambda ml: ml.location_dest_id.usage == "customer")
        self.assertTrue(shipped)
        (lines - shipped).write({"date": when - timedelta(days=1)})
        shipped.write({"date": when})
        lots._serial_recompute_status()
        self.assertEqual(set(lots.mapped("serial_status")), {"shipped"})

    def test_warranty_from_shipped_date(self):
        lot = self._ship(["W-001"])
        self.assertEqual(lot.serial_status, "shipped")
        self.assertTrue(lot.shipped_date)
        expected = lot.shipped_date.date() + relativedelta(months=12)
        self.assertEqual(lot.warranty_end_date, expected)
        self.assertTrue(lot.serial_under_warranty)

    def test_not_shipped_no_warranty(self):
        self._receive(["W-010"])
        lot = self._lots(["W-010"])
        self.assertFalse(lot.warranty_end_date)
        self.assertFalse(lot.serial_under_warranty)

    def test_product_without_warranty(self):
        self.product.serial_warranty_months = 0
        lot = self._ship(["W-020"])
        self.assertTrue(lot.shipped_date)
        self.assertFalse(lot.warranty_end_date)
        self.assertFalse(lot.serial_under_warranty)

    def test_negative_warranty_refused(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.product.serial_warranty_months = -1

    def test_month_ends(self):
        """SQL (after operations) and ORM (product change) agree with
        relativedelta: a shorter month clamps to its last day."""
        lot = self._ship(["W-100"])
        cases = [
            (datetime(2023, 1, 31, 10, 0), 1, date(2023, 2, 28)),
            (datetime(2024, 1, 31, 23, 30), 1, date(2024, 2, 29)),
            (datetime(2024, 2, 29, 8, 0), 12, date(2025, 2, 28)),
            (datetime(2024, 2, 29, 8, 0), 48, date(2028, 2, 29)),
            (datetime(2024, 3, 31, 8, 0), 1, date(2024, 4, 30)),
            (datetime(2024, 8, 31, 8, 0), 6, date(2025, 2, 28)),
            (datetime(2024, 12, 31, 8, 0), 2, date(2025, 2, 28)),
            (datetime(2025, 5, 15, 8, 0), 25, date(2027, 6, 15)),
        ]
        for shipped, months, expected in cases:
            with self.subTest(shipped=shipped, months=months):
                self.product.serial_warranty_months = months
                self._set_shipped_on(lot, shipped)
                self.assertEqual(lot.shipped_date, shipped)
                self.assertEqual(lot.warranty_end_date, expected, "SQL path")
                self.assertEqual(
                    shipped.date() + relativedelta(months=months), expected
                )
                # ORM path: the product's warranty changes.
                self.product.serial_warranty_months = 0
                self.assertFalse(lot.warranty_end_date)
                self.product.serial_warranty_months = months
                self.assertEqual(lot.warranty_end_date, expected, "ORM path")

    def test_reship_after_return_recomputes(self):
        lot = self._ship(["W-200"])
        self._set_shipped_on(lot, datetime(2020, 1, 15, 9, 0))
        self.assertEqual(lot.warranty_end_date, date(2021, 1, 15))
        self.assertFalse(lot.serial_under_warranty)
        self._return(self._delivery_of(lot))
        self.assertEqual(lot.serial_status, "returned")
        self.assertEqual(lot.warranty_end_date, date(2021, 1, 15), "kept on return")
        self._deliver(lot)
        self.assertEqual(lot.serial_status, "shipped")
        today = fields.Date.context_today(lot)
        self.assertGreater(lot.shipped_date, datetime(2020, 1, 16))
        self.assertEqual(
            lot.warranty_end_date, lot.shipped_date.date() + relativedelta(months=12)
        )
        self.assertGreater(lot.warranty_end_date, today)
        self.assertTrue(lot.serial_under_warranty)

    def test_search_under_warranty(self):
        current, old = self._ship(["W-301", "W-302"]).sorted("name")
        self._set_shipped_on(old, datetime.now() - timedelta(days=800))
        self._receive(["W-303"])
        in_stock = self._lots(["W-303"])
        ours = current | old | in_stock
        Lot = self.env["stock.lot"]
        scope = [("id", "in", ours.ids)]
        self.assertEqual(
            Lot.search(scope + [("serial_under_warranty", "=", True)]), current
        )
        self.assertEqual(
            Lot.search(scope + [("serial_under_warranty", "=", False)]), old | in_stock
        )
        self.assertEqual(
            Lot.search(scope + [("serial_under_warranty", "!=", True)]), old | in_stock
        )
        today = fields.Date.context_today(Lot)
        # The "Warranty Expired" filter of the serial list.
        self.assertEqual(Lot.search(scope + [("warranty_end_date", "<", today)]), old)
        # An end date of today is still under warranty.
        self.env.cr.execute(
            "UPDATE stock_lot SET warranty_end_date = %s WHERE id = %s", [today, old.id]
        )
        Lot.invalidate_model(["warranty_end_date"])
        self.assertTrue(old.serial_under_warranty)
        self.assertEqual(
            Lot.search(scope + [("serial_under_warranty", "=", True)]), current | old
        )
