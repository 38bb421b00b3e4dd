# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
from unittest.mock import patch

import openpyxl
import psycopg2

from odoo import SUPERUSER_ID, api, sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..lib import gs1
from .common import SerialCase, commit_while_waiting

GTIN = "09501101020917"
# CT-1 and CT-2 scanned on the shelf they are booked on, CT-3 and CT-4 not,
# CT-5 booked on another shelf, CT-6 delivered: what the count says of each
EVERY_OUTCOME = {
    "CT-1": "found",
    "CT-2": "found",
    "CT-3": "missing",
    "CT-4": "missing",
    "CT-5": "elsewhere",
    "CT-6": "unknown",
}


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
        self.assertEqual(self._results(count), {**EVERY_OUTCOME, "NO-SUCH": "unknown"})
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

    def test_several_users_scan_into_one_count_in_turns(self):
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
        self.assertEqual(
            len(mine.line_ids), 4, "a stock user sees the lines (of their company)"
        )
        self.assertEqual(mine.line_ids.company_id, self.company)

    def test_serial_gone_since_counted_is_refused(self):
        """A serial booked elsewhere that was shipped after it was scanned:
        applying names it and writes nothing."""
        self._setup_stock()
        count = self._count("CT-1\nCT-5")
        lines = {line.name: line for line in count.line_ids}
        self.assertEqual(lines["CT-5"].action, "move")
        self._deliver(self._lots(["CT-5"]))
        before = self._stock_counts()
        with self.assertRaisesRegex(UserError, "CT-5: no longer in stock"):
            count.action_apply()
        self.assertEqual(self._stock_counts(), before)
        self.assertEqual(count.state, "draft")

    def test_scan_one_by_one(self):
        """The scan field sends each scan to action_scan: recorded at once,
        with what the serial turned out to be."""
        self._setup_stock()
        count = self.env["stock.serial.count"].create({"location_id": self.shelf.id})
        answer = count.action_scan(gs1.element_string(GTIN, "CT-1"))
        self.assertEqual(answer["state"], "ok")
        self.assertIn("CT-1 found", answer["message"])
        self.assertEqual(
            self._results(count),
            {"CT-1": "found", "CT-2": "missing", "CT-3": "missing", "CT-4": "missing"},
            "the first scan lists the serials booked here as missing",
        )
        answer = count.action_scan("CT-5")
        self.assertEqual(answer["state"], "ok")
        self.assertIn(self.stock.display_name, answer["message"])
        self.assertIn("moved here", answer["message"])
        answer = count.action_scan("CT-6")
        self.assertIn("left the company", answer["message"])
        self.assertEqual(count.action_scan("CT-1")["state"], "repeat")
        self.assertEqual(count.action_scan("CT-2")["state"], "ok", "missing, found")
        refused = count.action_scan("01" + GTIN)
        self.assertEqual(refused["state"], "refused")
        self.assertIn("AI 21", refused["message"])
        self.assertEqual(self._results(count), EVERY_OUTCOME)
        count.action_cancel()
        with self.assertRaisesRegex(UserError, "already applied or cancelled"):
            count.action_scan("CT-3")

    def test_default_missing_location_from_settings(self):
        settings = self.env["res.config.settings"].create({})
        settings.serial_count_missing_location_id = self.lost
        settings.execute()
        self.assertEqual(self.company.serial_count_missing_location_id, self.lost)
        count = self.env["stock.serial.count"].create({"location_id": self.shelf.id})
        self.assertEqual(count.missing_location_id, self.lost)
        other = self.env["stock.serial.count"].create(
            {"location_id": self.shelf.id, "missing_location_id": False}
        )
        self.assertFalse(other.missing_location_id, "a count may do without")
        # per line: one missing serial written off, the other moved there
        self._setup_stock()
        count.serial_text = "CT-1\nCT-2"
        count.action_add_scans()
        lines = {line.name: line for line in count.line_ids}
        lines["CT-3"].action = "write_off"
        lines["CT-4"].action = "move_missing"
        count.action_apply()
        self.assertEqual(self._lots(["CT-3"]).serial_status, "written_off")
        ct4 = self._lots(["CT-4"])
        self.assertEqual(ct4.location_id, self.lost)
        self.assertEqual(ct4.serial_history_ids[0].move_type, "move")
        self.assertEqual(ct4.serial_history_ids[0].reference, count.name)

    def test_hold_from_count(self):
        self._setup_stock()
        count = self._count("CT-1\nCT-5\nCT-6")
        action = count.action_open_serial_hold()
        self.assertEqual(action["res_model"], "stock.serial.hold")
        wizard_form = Form(
            self.env["stock.serial.hold"].with_context(**action["context"])
        )
        wizard_form.reason = "Count difference, to inspect"
        wizard = wizard_form.save()
        self.assertEqual(
            sorted(wizard.lot_ids.mapped("name")),
            ["CT-2", "CT-3", "CT-4", "CT-5"],
            "the missing serials and the one booked elsewhere",
        )
        wizard.lot_ids -= self._lots(["CT-4"])
        wizard.action_hold()
        held = self.env["stock.lot"].search([("serial_on_hold", "=", True)])
        self.assertEqual(sorted(held.mapped("name")), ["CT-2", "CT-3", "CT-5"])
        self.assertEqual(held[0].serial_hold_reason, "Count difference, to inspect")
        # one line's serial
        line = count.line_ids.filtered(lambda ln: ln.name == "CT-4")
        action = line.action_open_serial_hold()
        self.assertEqual(
            action["context"]["default_lot_ids"], [(6, 0, line.lot_id.ids)]
        )
        # a serial that is not in stock (shipped): refused, naming it, nothing held
        shipped = count.line_ids.filtered(lambda ln: ln.name == "CT-6")
        wizard = (
            self.env["stock.serial.hold"]
            .with_context(**shipped.action_open_serial_hold()["context"])
            .create({"reason": "Suspect"})
        )
        with self.assertRaisesRegex(UserError, "CT-6"):
            wizard.action_hold()
        self.assertFalse(shipped.lot_id.serial_on_hold)
        unknown = self._count("NO-SUCH").line_ids.filtered(
            lambda ln: ln.name == "NO-SUCH"
        )
        with self.assertRaisesRegex(UserError, "NO-SUCH"):
            unknown.action_open_serial_hold()

    def test_result_report_pdf_and_xlsx(self):
        self._setup_stock()
        count = self._count("CT-1\nCT-5\nCT-6\nNO-SUCH")
        action = count.action_export_xlsx()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual(attachment.name, count.name.replace("/", "-") + ".xlsx")
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(attachment.datas))
        )
        self.assertEqual(workbook.sheetnames, ["Summary", "Lines"])
        summary = list(workbook["Summary"].iter_rows(values_only=True))
        self.assertEqual(
            summary[0], ("Product", "Found", "Missing", "Booked Elsewhere", "Unknown")
        )
        self.assertIn(
            (self.product.display_name, "1", "3", "1", "1"),
            [tuple(str(v) for v in row) for row in summary[1:]],
        )
        rows = list(workbook["Lines"].iter_rows(values_only=True))
        self.assertEqual(
            rows[0],
            ("Product", "Serial Number", "Result", "Booked At", "Status", "Action"),
        )
        by_name = {row[1]: row for row in rows[1:]}
        self.assertEqual(
            by_name["CT-5"][2:5],
            ("Booked Elsewhere", self.stock.display_name, "In Stock"),
        )
        self.assertEqual(by_name["CT-6"][2], "Unknown")
        self.assertEqual(by_name["CT-6"][4], "Shipped")
        self.assertEqual(by_name["NO-SUCH"][0], "(no product)")
        self.assertEqual(by_name["CT-3"][2], "Missing")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "stock_serial_tracking.action_report_serial_count", count.ids
            )[0]
            .decode()
        )
        for text in ("CT-1", "CT-3", "CT-5", "NO-SUCH", self.stock.display_name):
            self.assertIn(text, html)
        self.assertIn("Booked Elsewhere", html)

    def _apply_snapshot(self, count):
        """What applying the count stores, without ids and write dates."""
        lots = self.env["stock.lot"].search([("name", "like", "CT-")])
        self.env.flush_all()
        self.env.invalidate_all()
        quants = self.env["stock.quant"].search([("lot_id", "in", lots.ids)])
        lines = self.env["stock.move.line"].search(
            [("lot_id", "in", lots.ids), ("reference", "=", count.name)]
        )
        return (
            sorted(
                (q.lot_id.name, q.location_id.name, q.quantity,
                 q.reserved_quantity, str(q.in_date))
                for q in quants
            ),
            sorted(
                (ml.lot_id.name, ml.location_id.name, ml.location_dest_id.name,
                 ml.quantity, ml.state, ml.picked, ml.move_id.state)
                for ml in lines
            ),
            sorted(
                (lot.name, lot.location_id.name or "", lot.serial_status,
                 lot.serial_history_ids[:1].move_type or "")
                for lot in lots
            ),
        )  # fmt: skip

    def test_fast_apply_stores_what_odoo_stores(self):
        """The internal moves of a count (booked elsewhere, to the missing
        location) take the delivery-like fast path: the same quants, lines,
        locations and history as Odoo's own validation."""
        self._receive(["CT-1", "CT-2", "CT-3", "CT-4"], destination=self.shelf)
        self._receive(["CT-5", "CT-6", "CT-7"])
        snapshots = []
        Line = type(self.env["stock.move.line"])
        original = Line._serial_fast_done_out
        taken = []

        def spy(lines):
            taken.extend(lines.lot_id.mapped("name"))
            return original(lines)

        for context in ({"serial_no_fast_path": True}, {}):
            savepoint = self.env.cr.savepoint()
            count = (
                self.env["stock.serial.count"]
                .with_context(**context)
                .create(
                    {"location_id": self.shelf.id, "missing_location_id": self.lost.id}
                )
            )
            count.serial_text = "CT-1\nCT-5\nCT-6\nCT-7"
            count.action_add_scans()
            lines = {line.name: line for line in count.line_ids}
            lines["CT-2"].action = "move_missing"
            lines["CT-3"].action = "move_missing"
            lines["CT-4"].action = "write_off"
            with patch.object(Line, "_serial_fast_done_out", spy):
                count.action_apply()
            snapshots.append(self._apply_snapshot(count))
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        odoo_way, fast_way = snapshots
        self.assertEqual(
            sorted(taken),
            ["CT-2", "CT-3", "CT-4", "CT-5", "CT-6", "CT-7"],
            "the internal moves and the write-off took the fast path (the "
            "second time only)",
        )
        self.assertEqual(fast_way, odoo_way)
        self.assertIn(("CT-5", self.shelf.name, 1.0, 0.0), [q[:4] for q in fast_way[0]])
        self.assertIn(
            ("CT-2", self.lost.name, "received", "move"),
            [(lot[0], lot[1], lot[2], lot[3]) for lot in fast_way[2]],
        )


@tagged("post_install", "-at_install")
class TestSerialCountConcurrency(TransactionCase):
    """Two users scanning into one count at the same time, each in their own
    transaction (as two browsers): both batches are kept, each serial once."""

    def _env(self, cr, uid, context=None):
        # the registry is handed over: another thread may not look it up
        # while the test runner holds the registries' lock
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, uid, context or {})

    def _committed(self, func):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            env = self._env(cr, SUPERUSER_ID, {"tracking_disable": True})
            result = func(env)
            cr.commit()  # pylint: disable=invalid-commit
            return result

    def test_two_users_scanning_at_once_lose_nothing(self):
        def setup(env):
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            location = env["stock.location"].create(
                {"name": "Race Shelf", "location_id": warehouse.lot_stock_id.id}
            )
            count = env["stock.serial.count"].create({"location_id": location.id})
            return location.id, count.id

        location_id, count_id = self._committed(setup)
        first = [f"RACE-{i:04d}" for i in range(0, 300)]
        second = [f"RACE-{i:04d}" for i in range(200, 500)]
        admin = self.env.ref("base.user_admin").id
        outcome = {}

        def second_user():
            with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
                env = self._env(cr, admin)
                count = env["stock.serial.count"].browse(count_id)

                def scan():
                    count.serial_text = "\n".join(second)
                    count.action_add_scans()

                # what the server does with a request that failed to
                # serialize (odoo.service.model.retrying, which cannot run in
                # a thread of the test runner: it looks the registry up again)
                outcome["retries"] = 0
                for _attempt in range(5):
                    try:
                        scan()
                        env.flush_all()
                        cr.commit()  # pylint: disable=invalid-commit
                        outcome["second"] = "committed"
                        return
                    except psycopg2.errors.SerializationFailure:
                        cr.rollback()
                        env.invalidate_all()
                        outcome["retries"] += 1

        try:
            with (
                sql_db.db_connect(self.env.cr.dbname).cursor() as cr1,
                mute_logger("odoo.sql_db"),
            ):
                env = self._env(cr1, SUPERUSER_ID)
                count = env["stock.serial.count"].browse(count_id)
                count.serial_text = "\n".join(first)
                count.action_add_scans()
                env.flush_all()
                # the second user's scans wait for the first user's, then
                # are replayed on top of them
                worker = commit_while_waiting(
                    self, cr1, second_user, "the second batch must wait", timeout=60
                )
                self.assertFalse(worker.is_alive())
            self.assertEqual(outcome.get("second"), "committed")
            self.assertGreaterEqual(
                outcome["retries"], 1, "the second batch met the first one, replayed"
            )

            def read(env):
                env.cr.execute(
                    "SELECT name, result, create_uid FROM stock_serial_count_line "
                    "WHERE count_id = %s",
                    [count_id],
                )
                return env.cr.fetchall()

            rows = self._committed(read)
            names = [row[0] for row in rows]
            self.assertEqual(len(names), len(set(names)), "each serial once")
            self.assertEqual(sorted(names), sorted(set(first) | set(second)))
            self.assertEqual({row[1] for row in rows}, {"unknown"})
            self.assertEqual(
                {row[2] for row in rows if row[0] >= "RACE-0300"},
                {admin},
                "the second user's own scans",
            )
        finally:

            def cleanup(env):
                env.cr.execute(
                    "DELETE FROM stock_serial_count WHERE id = %s", [count_id]
                )
                env.cr.execute(
                    "DELETE FROM mail_message WHERE model = 'stock.serial.count' "
                    "AND res_id = %s",
                    [count_id],
                )
                env.cr.execute(
                    "DELETE FROM stock_location WHERE id = %s", [location_id]
                )

            self._committed(cleanup)
