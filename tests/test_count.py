# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..lib import gs1
from .common import SerialCase

GTIN = "09501101020917"


@tagged("post_install", "-at_install")
class TestSerialCount(SerialCase):
    """Serial counts: what is scanned at a location against the books, found /
    missing / booked elsewhere / unknown, applied as one operation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.barcode = GTIN
        cls.lost = cls.env["stock.location"].create(
            {"name": "Missing", "location_id": cls.stock.id, "usage": "internal"}
        )

    def _stock_counts(self):
        return (
            self.env["stock.lot"].search_count([]),
            self.env["stock.move"].search_count([]),
            self.env["stock.move.line"].search_count([]),
            sorted(
                (q.lot_id.id, q.location_id.id, q.quantity)
                for q in self.env["stock.quant"].search([("quantity", "!=", 0)])
            ),
        )

    def _setup_stock(self):
        self._receive(["CT-1", "CT-2", "CT-3", "CT-4"], destination=self.shelf)
        self._receive(["CT-5", "CT-6"])
        self._deliver(self._lots(["CT-6"]))

    def _count(self, text):
        count = self.env["stock.serial.count"].create(
            {"location_id": self.shelf.id, "missing_location_id": self.lost.id}
        )
        count.serial_text = text
        count.action_add_scans()
        return count

    def _results(self, count):
        return {line.name: line.result for line in count.line_ids}

    def test_every_outcome_and_nothing_changes_before_apply(self):
        self._setup_stock()
        before = self._stock_counts()
        code = gs1.element_string(GTIN, "CT-1")
        count = self._count(f"{code}\nCT-2\nCT-5\nCT-6\nNO-SUCH\nCT-2")
        self.assertEqual(
            self._results(count),
            {
                "CT-1": "found",
                "CT-2": "found",
                "CT-3": "missing",
                "CT-4": "missing",
                "CT-5": "elsewhere",
                "CT-6": "unknown",
                "NO-SUCH": "unknown",
            },
        )
        self.assertEqual(
            (count.found_count, count.missing_count, count.elsewhere_count),
            (2, 2, 1),
        )
        lines = {line.name: line for line in count.line_ids}
        self.assertEqual(lines["CT-5"].booked_location_id, self.stock)
        self.assertEqual(lines["CT-5"].action, "move", "moved here by default")
        self.assertEqual(lines["CT-6"].serial_status, "shipped")
        self.assertFalse(lines["NO-SUCH"].lot_id)
        self.assertFalse(count.serial_text, "scans taken")
        self.assertEqual(self._stock_counts(), before, "nothing changes yet")
        # scanning a missing serial later turns it into found
        count.serial_text = "CT-3"
        count.action_add_scans()
        self.assertEqual(self._results(count)["CT-3"], "found")

    def test_apply_moves_adds_and_writes_off(self):
        self._setup_stock()
        count = self._count("CT-1\nCT-5\nNEW-1")
        lines = {line.name: line for line in count.line_ids}
        lines["CT-2"].action = "write_off"
        lines["CT-3"].action = "move_missing"
        lines["NEW-1"].write({"action": "add", "product_id": self.product.id})
        count.action_apply()
        self.assertEqual(count.state, "applied")
        ct2, ct3, ct4, ct5 = (self._lots([n]) for n in ("CT-2", "CT-3", "CT-4", "CT-5"))
        new = self._lots(["NEW-1"])
        self.assertEqual(ct5.location_id, self.shelf)
        self.assertEqual(ct5.serial_history_ids[0].move_type, "move")
        self.assertEqual(ct5.serial_history_ids[0].reference, count.name)
        self.assertEqual(ct2.serial_status, "written_off")
        self.assertEqual(ct2.serial_history_ids[0].move_type, "adjust_out")
        self.assertEqual(ct3.location_id, self.lost)
        self.assertEqual(ct4.location_id, self.shelf, "its line said nothing")
        self.assertEqual(new.location_id, self.shelf)
        self.assertEqual(new.serial_status, "received")
        self.assertEqual(new.serial_history_ids[0].move_type, "adjust_in")
        # applied once only
        before = self._stock_counts()
        with self.assertRaisesRegex(UserError, "already applied"):
            count.action_apply()
        with self.assertRaisesRegex(UserError, "already applied"):
            count.action_add_scans()
        self.assertEqual(self._stock_counts(), before)

    def test_bad_input_writes_nothing(self):
        self._setup_stock()
        other = self.env["res.company"].create({"name": "Other Count Co"})
        other_stock = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", other.id)], limit=1)
            .lot_stock_id
        )
        n = self.env["stock.serial.count"].search_count([])
        with self.assertRaisesRegex(ValidationError, "belongs to Other Count Co"):
            with self.env.cr.savepoint():
                self.env["stock.serial.count"].create({"location_id": other_stock.id})
        self.assertEqual(self.env["stock.serial.count"].search_count([]), n)
        count = self._count("CT-1\nNEW-2\nCT-6")
        lines = {line.name: line for line in count.line_ids}
        lines["NEW-2"].action = "add"
        lines["CT-6"].action = "add"
        lines["CT-2"].action = "move_missing"
        count.missing_location_id = False
        before = self._stock_counts()
        with self.assertRaisesRegex(UserError, r"NEW-2(.|\n)*CT-6.*Shipped(.|\n)*CT-2"):
            count.action_apply()
        self.assertEqual(self._stock_counts(), before)
        self.assertEqual(count.state, "draft")
        count.serial_text = "CT-9\n01" + GTIN  # a GS1 code without serial
        with self.assertRaisesRegex(UserError, "cannot be counted(.|\n)*AI 21"):
            count.action_add_scans()
        count.action_cancel()
        self.assertEqual(count.state, "cancel")
        self.assertEqual(
            self._stock_counts(), before, "a cancelled count moved nothing"
        )

    def test_several_users_scan_into_one_count(self):
        self._setup_stock()
        count = self._count("CT-1")
        other = new_test_user(self.env, "count_user_2", groups="stock.group_stock_user")
        mine = count.with_user(other)
        mine.serial_text = "CT-2\nCT-1\nCT-3"
        mine.action_add_scans()
        count.serial_text = "CT-4"
        count.action_add_scans()
        self.assertEqual(
            sorted(n for n, r in self._results(count).items() if r == "found"),
            ["CT-1", "CT-2", "CT-3", "CT-4"],
        )
        self.assertEqual(len(count.line_ids), 4, "one line per serial")
