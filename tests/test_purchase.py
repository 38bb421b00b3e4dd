# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from ..lib import parsing
from .common import SerialCase


class PurchaseSerialCase(SerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_product = cls.env["product.product"].create(
            {"name": "Plain Screws", "is_storable": True}
        )

    def _order(self, qty=3, product=None, confirm=False, extra_lines=()):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or self.product).id,
                            "product_qty": qty,
                            "price_unit": 10.0,
                        }
                    )
                ]
                + [
                    Command.create(
                        {"product_id": p.id, "product_qty": q, "price_unit": 1.0}
                    )
                    for p, q in extra_lines
                ],
            }
        )
        if confirm:
            order.button_confirm()
        return order

    def _assign(self, line, names, replace=False):
        """Enter ``names`` in the line's wizard (added to the serials already
        assigned, or replacing them) and apply."""
        action = line.action_open_serial_entry()
        self.assertEqual(action["res_model"], "stock.serial.entry")
        wizard = (
            self.env["stock.serial.entry"].with_context(**action["context"]).create({})
        )
        if replace:
            wizard.action_clear()
        wizard.serial_text = "\n".join(names)
        return wizard.action_apply()

    def _names(self, line):
        return sorted(line.serial_lot_ids.mapped("name"))


@tagged("post_install", "-at_install")
class TestPurchasePreassign(PurchaseSerialCase):
    def test_preassign_via_wizard(self):
        order = self._order(3)
        line = order.order_line
        action = line.action_open_serial_entry()
        wizard_form = Form(
            self.env["stock.serial.entry"].with_context(**action["context"])
        )
        self.assertEqual(wizard_form.target, "purchase_line")
        self.assertEqual(wizard_form.required_count, 3)
        wizard_form.serial_text = "PO-1\nPO-2"
        wizard_form.save().action_apply()
        self.assertEqual(self._names(line), ["PO-1", "PO-2"])
        self.assertEqual(set(line.serial_lot_ids.mapped("serial_status")), {"planned"})
        self.assertEqual(line.serial_lot_ids.product_id, self.product)
        self.assertEqual(line.serial_lot_ids.company_id, order.company_id)
        # Reopening shows the assigned serials; adding completes the line.
        wizard = (
            self.env["stock.serial.entry"]
            .with_context(**line.action_open_serial_entry()["context"])
            .create({"serial_text": "PO-3"})
        )
        self.assertEqual(wizard._names(), ["PO-1", "PO-2"])
        wizard.action_apply()
        self.assertEqual(self._names(line), ["PO-1", "PO-2", "PO-3"])
        self.assertEqual(line.serial_tracing_state, "complete")

    def test_preassign_many_serials_each_with_its_chatter(self):
        """Planned serials made in bulk (copies of the first one's row, issue
        6) are complete serials: line, order, status, one "created" message
        each, and found by name."""
        self.env = self.env(context=dict(self.env.context, tracking_disable=False))
        line = self._order(40).order_line
        names = [f"PO-BULK-{i:03d}" for i in range(40)]
        self._assign(line, names)
        lots = line.serial_lot_ids
        self.assertEqual(sorted(lots.mapped("name")), names)
        self.assertEqual(set(lots.mapped("serial_status")), {"planned"})
        self.assertEqual(lots.purchase_line_id, line)
        self.assertEqual(lots.serial_purchase_order_id, line.order_id)
        self.assertEqual([len(lot.message_ids) for lot in lots], [1] * 40)
        self.assertEqual(self._lots(["PO-BULK-039"]).purchase_line_id, line)

    def test_count_beyond_quantity_refused_writes_nothing(self):
        line = self._order(3).order_line
        with self.assertRaisesRegex(
            ValidationError, "4 serial numbers .* enter at most 3"
        ):
            self._assign(line, ["X-1", "X-2", "X-3", "X-4"])
        self.assertFalse(line.serial_lot_ids)
        self.assertFalse(self._lots(["X-1", "X-2", "X-3", "X-4"]))
        with self.assertRaisesRegex(ValidationError, "at most 3"):
            line._serial_assign_names(["X-1", "X-2", "X-3", "X-4"])
        self.assertFalse(self._lots(["X-1"]))

    def test_tracing_states(self):
        order = self._order(3, extra_lines=[(self.plain_product, 5)])
        line, plain = order.order_line
        self.assertEqual(plain.serial_tracing_state, "none")
        self.assertEqual(line.serial_tracing_state, "missing")
        self.assertTrue(order.serial_missing)
        self.assertIn(
            order, self.env["purchase.order"].search([("serial_missing", "=", True)])
        )
        self._assign(line, ["T-1"])
        self.assertEqual(line.serial_tracing_state, "partial")
        self.assertEqual(line.serial_serial_count, 1)
        self.assertTrue(order.serial_missing)
        self._assign(line, ["T-1", "T-2", "T-3"])
        self.assertEqual(line.serial_tracing_state, "complete")
        self.assertFalse(order.serial_missing)
        self.assertNotIn(
            order, self.env["purchase.order"].search([("serial_missing", "=", True)])
        )
        # Raising the quantity makes the line partial again.
        line.product_qty = 4
        self.assertEqual(line.serial_tracing_state, "partial")
        with self.assertRaisesRegex(UserError, "not tracked by serial"):
            plain.action_open_serial_entry()

    def test_quantity_in_purchase_uom(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        order = self._order(1)
        order.order_line.product_uom = dozen
        self.assertEqual(order.order_line.serial_tracing_state, "missing")
        names = [f"DZ-{i:02d}" for i in range(12)]
        self._assign(order.order_line, names)
        self.assertEqual(order.order_line.serial_tracing_state, "complete")

    def test_lowering_quantity_below_assigned_refused(self):
        line = self._order(3).order_line
        self._assign(line, ["L-1", "L-2", "L-3"])
        with self.assertRaisesRegex(
            ValidationError, "has 3 serial numbers assigned.*lower than 3"
        ):
            line.product_qty = 2
        line.product_qty = 5
        self.assertEqual(line.serial_tracing_state, "partial")

    def test_lowering_quantity_refused_on_confirmed_order(self):
        order = self._order(3, confirm=True)
        line = order.order_line
        self._assign(line, ["LC-1", "LC-2", "LC-3"])
        # Everything done so far reaches the database before the savepoint.
        self.env.flush_all()
        with self.assertRaisesRegex(ValidationError, "lower than 3"):
            line.product_qty = 1
        # A request rolls everything back; here, the savepoint did: read the
        # database, not the cache that still holds the refused value.
        self.env.cr.execute(
            "SELECT product_qty FROM purchase_order_line WHERE id = %s",
            [line.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 3)
        self.env.transaction.clear()
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 3)

    def test_removing_planned_serial_deletes_it(self):
        line = self._order(3).order_line
        self._assign(line, ["R-1", "R-2", "R-3"])
        removed = self._lots(["R-3"])
        wizard = (
            self.env["stock.serial.entry"]
            .with_context(**line.action_open_serial_entry()["context"])
            .create({"remove_name": "R-3"})
        )
        wizard.action_remove_one()
        wizard.action_apply()
        self.assertFalse(removed.exists())
        self.assertEqual(self._names(line), ["R-1", "R-2"])
        line._serial_assign_names([])
        self.assertFalse(self._lots(["R-1", "R-2"]))
        self.assertEqual(line.serial_tracing_state, "missing")

    def test_serial_of_another_line_or_in_stock_refused(self):
        self._receive(["STOCK-1"])
        line_a = self._order(2).order_line
        line_b = self._order(2).order_line
        self._assign(line_a, ["SHARED-1"])
        wizard = (
            self.env["stock.serial.entry"]
            .with_context(**line_b.action_open_serial_entry()["context"])
            .create({"serial_text": "SHARED-1\nSTOCK-1\nNEW-1"})
        )
        wizard.action_add()
        self.assertEqual(wizard._names(), ["NEW-1"])
        self.assertIn(
            "SHARED-1: is already assigned to another purchase line", wizard.report
        )
        self.assertIn("STOCK-1", wizard.report)
        with self.assertRaisesRegex(ValidationError, "SHARED-1"):
            line_b._serial_assign_names(["SHARED-1"])
        self.assertEqual(self._names(line_a), ["SHARED-1"])

    def test_deleting_line_or_order_deletes_planned(self):
        order = self._order(2, extra_lines=[(self.product2, 1)])
        line, line2 = order.order_line
        self._assign(line, ["DEL-1", "DEL-2"])
        self._assign(line2, ["DEL-3"])
        line.unlink()
        self.assertFalse(self._lots(["DEL-1", "DEL-2"]))
        order.button_cancel()
        self.assertFalse(self._lots(["DEL-3"], self.product2))
        order.unlink()
        self.assertFalse(order.exists())

    def test_purchase_user_without_stock_access(self):
        buyer = self.env["res.users"].create(
            {
                "name": "Buyer Only",
                "login": "serial_buyer_only",
                "groups_id": [
                    Command.set([self.env.ref("purchase.group_purchase_user").id])
                ],
            }
        )
        self.assertFalse(buyer.has_group("stock.group_stock_user"))
        order = self._order(3, extra_lines=[(self.product2, 2)])
        line, line2 = order.order_line
        self._assign(line, ["BU-1", "BU-2"])
        self._assign(line2, ["BU-3"])
        as_buyer = order.with_user(buyer)
        as_buyer.order_line[0].product_qty = 4
        with self.assertRaisesRegex(ValidationError, "lower than 2"):
            as_buyer.order_line[0].product_qty = 1
        as_buyer.order_line[1].unlink()
        self.assertFalse(self._lots(["BU-3"], self.product2))
        as_buyer.button_cancel()
        self.assertFalse(self._lots(["BU-1", "BU-2"]))


@tagged("post_install", "-at_install")
class TestPurchaseReceipt(PurchaseSerialCase):
    def test_confirm_receive_fills_and_validation_sets_received(self):
        order = self._order(3)
        line = order.order_line
        self._assign(line, ["RC-1", "RC-2", "RC-3"])
        order.button_confirm()
        picking = order.picking_ids
        self.assertEqual(
            sorted(picking.move_line_ids.lot_id.mapped("name")),
            ["RC-1", "RC-2", "RC-3"],
        )
        self.assertEqual(
            sorted(picking.move_line_ids.mapped("lot_name")), ["RC-1", "RC-2", "RC-3"]
        )
        self.assertEqual(set(picking.move_line_ids.mapped("quantity")), {1})
        # The receipt's entry wizard shows each serial once.
        wizard = self._entry(picking.move_ids)
        self.assertEqual(sorted(wizard._names()), ["RC-1", "RC-2", "RC-3"])
        self._validate(picking)
        lots = line.serial_lot_ids
        self.assertEqual(len(lots), 3)
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})
        self.assertEqual(lots.supplier_id, self.vendor)
        self.assertTrue(all(lots.mapped("received_date")))
        self.assertEqual(line.qty_received, 3)
        self.assertEqual(line.serial_tracing_state, "complete")
        self.assertEqual(self.product.qty_available, 3)

    def test_assign_after_confirmation_fills_open_receipt(self):
        order = self._order(3, confirm=True)
        picking = order.picking_ids
        self.assertFalse(picking.move_line_ids.lot_id)
        self._assign(order.order_line, ["AC-1", "AC-2"])
        self.assertEqual(
            sorted(picking.move_line_ids.lot_id.mapped("name")), ["AC-1", "AC-2"]
        )
        # Replacing a serial takes the old one off the receipt.
        self._assign(order.order_line, ["AC-1", "AC-9"], replace=True)
        self.assertEqual(
            sorted(picking.move_line_ids.lot_id.mapped("name")), ["AC-1", "AC-9"]
        )
        self.assertFalse(self._lots(["AC-2"]))
        self.assertNotIn("AC-2", picking.move_line_ids.mapped("lot_name"))

    def test_partial_receipt_backorder_gets_the_rest(self):
        order = self._order(5)
        line = order.order_line
        names = [f"BO-{i}" for i in range(1, 6)]
        self._assign(line, names)
        order.button_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 3
        received = picking.move_line_ids.lot_id
        self.assertEqual(len(received), 3)
        picking.move_ids.picked = True
        action = picking.button_validate()
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ).save().process()
        self.assertEqual(picking.state, "done")
        self.assertEqual(set(received.mapped("serial_status")), {"received"})
        self.assertEqual(line.qty_received, 3)
        backorder = picking.backorder_ids
        self.assertEqual(len(backorder), 1)
        rest = backorder.move_line_ids.lot_id
        self.assertEqual(
            sorted(rest.mapped("name")),
            sorted(set(names) - set(received.mapped("name"))),
        )
        self.assertEqual(set(rest.mapped("serial_status")), {"planned"})
        # The line is received: its serials are locked.
        with self.assertRaisesRegex(UserError, "already .*received"):
            line.action_open_serial_entry()
        with self.assertRaisesRegex(UserError, "already .*received"):
            line._serial_assign_names(names[:3])
        self._validate(backorder)
        self.assertEqual(set(line.serial_lot_ids.mapped("serial_status")), {"received"})
        self.assertEqual(line.serial_lot_ids.supplier_id, self.vendor)
        self.assertEqual(line.qty_received, 5)
        self.assertEqual(line.serial_tracing_state, "complete")

    def test_partial_receipt_without_backorder_drops_leftover(self):
        order = self._order(3)
        self._assign(order.order_line, ["NB-1", "NB-2", "NB-3"])
        order.button_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        action = picking.button_validate()
        Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ).save().process_cancel_backorder()
        self.assertEqual(self._names(order.order_line), ["NB-1", "NB-2"])
        self.assertFalse(self._lots(["NB-3"]))

    def test_received_serial_cannot_be_renamed(self):
        order = self._order(1)
        self._assign(order.order_line, ["RN-1"])
        order.button_confirm()
        self._validate(order.picking_ids)
        lot = order.order_line.serial_lot_ids
        with self.assertRaisesRegex(UserError, "cannot be renamed: RN-1"):
            lot.name = "RN-2"
        with self.assertRaisesRegex(UserError, "already .*received"):
            order.order_line._serial_assign_names(["RN-2"])

    def test_serials_typed_on_receipt_link_to_line(self):
        order = self._order(2, confirm=True)
        picking = order.picking_ids
        self._entry(picking.move_ids, serial_text="TY-1\nTY-2").action_apply()
        self._validate(picking)
        self.assertEqual(self._names(order.order_line), ["TY-1", "TY-2"])
        self.assertEqual(order.order_line.serial_tracing_state, "complete")

    def test_cancel_order_deletes_planned(self):
        order = self._order(2)
        self._assign(order.order_line, ["CX-1", "CX-2"])
        order.button_confirm()
        picking = order.picking_ids
        self.assertEqual(len(picking.move_line_ids.lot_id), 2)
        order.button_cancel()
        self.assertEqual(picking.state, "cancel")
        self.assertFalse(self._lots(["CX-1", "CX-2"]))
        self.assertFalse(order.order_line.serial_lot_ids)
        self.assertFalse(order.serial_missing)
        with self.assertRaisesRegex(UserError, "cancelled"):
            order.order_line.action_open_serial_entry()


@tagged("post_install", "-at_install")
class TestPurchaseImport(PurchaseSerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loose = cls._serial_product(
            "Loose Widget", "LW", serial_required_receipt=False
        )

    def _received_order(self, qty, product=None):
        order = self._order(qty, product=product or self.loose, confirm=True)
        picking = order.picking_ids
        picking.move_ids.picked = True
        self._validate(picking)
        self.assertFalse(picking.move_line_ids.lot_id)
        return order

    def _wizard(self, rows, filename="serials.csv", order=None):
        if filename.endswith(".xlsx"):
            data = parsing.write_xlsx(
                ["Order Reference", "Product", "Serial Number"], rows
            )
        else:
            data = parsing.write_csv(
                ["Order Reference", "Product", "Serial Number"], rows
            )
        return self.env["stock.serial.purchase.import"].create(
            {
                "upload_file": base64.b64encode(data),
                "upload_filename": filename,
                "purchase_order_id": order and order.id,
            }
        )

    def _untracked(self, product):
        return sum(
            self.env["stock.quant"]
            .search(
                [
                    ("product_id", "=", product.id),
                    ("location_id", "=", self.stock.id),
                    ("lot_id", "=", False),
                ]
            )
            .mapped("quantity")
        )

    def test_import_button_visible_after_receipt(self):
        order = self._order(2, product=self.loose, confirm=True)
        self.assertFalse(order.serial_can_import)
        order.picking_ids.move_ids.picked = True
        self._validate(order.picking_ids)
        self.assertTrue(order.serial_can_import)
        self.assertEqual(order.order_line.serial_tracing_state, "missing")
        action = order.action_open_serial_import()
        self.assertEqual(action["res_model"], "stock.serial.purchase.import")
        self.assertEqual(action["context"]["default_purchase_order_id"], order.id)

    def test_import_good_file_applies(self):
        po1 = self._received_order(3)
        po2 = self._received_order(2)
        wizard = self._wizard(
            [
                (po1.name, "LW", "IMP-1"),
                (po1.name, "Loose Widget", "IMP-2"),
                (po2.name, "[LW] Loose Widget", "IMP-3"),
                (po2.name, "LW", ""),  # rows without serial are skipped
            ]
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.report)
        self.assertEqual(wizard.imported_count, 3)
        lots = self._lots(["IMP-1", "IMP-2", "IMP-3"], self.loose)
        self.assertEqual(len(lots), 3)
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})
        self.assertEqual(lots.supplier_id, self.vendor)
        for lot in lots:
            done_line = self.env["stock.move.line"].search([("lot_id", "=", lot.id)])
            self.assertEqual(lot.received_date, done_line.date)
        self.assertEqual(self._names(po1.order_line), ["IMP-1", "IMP-2"])
        self.assertEqual(self._names(po2.order_line), ["IMP-3"])
        self.assertEqual(po1.order_line.serial_tracing_state, "partial")
        # Stock: same quantity, now partly on serials.
        self.assertEqual(self.loose.qty_available, 5)
        self.assertEqual(self._untracked(self.loose), 2)
        for lot in lots:
            self.assertEqual(lot.product_qty, 1)
            self.assertEqual(lot.location_id, self.stock)
        # The receipt keeps its quantities; its lines now carry the serials.
        move = po1.picking_ids.move_ids
        self.assertEqual(move.quantity, 3)
        self.assertEqual(po1.order_line.qty_received, 3)
        self.assertEqual(
            sorted(move.move_line_ids.lot_id.mapped("name")), ["IMP-1", "IMP-2"]
        )
        self.assertEqual(sum(move.move_line_ids.mapped("quantity")), 3)
        history = lots[0].serial_history_ids
        self.assertEqual(history.mapped("move_type"), ["receive"])
        # The imported serials can be delivered.
        self._deliver(self._lots(["IMP-1"], self.loose))
        self.assertEqual(self._lots(["IMP-1"], self.loose).serial_status, "shipped")

    def test_import_xlsx_names_all_units_of_a_multi_unit_line(self):
        order = self._order(3, product=self.loose, confirm=True)
        picking = order.picking_ids
        # One receipt line of 3 units.
        self._set_lines(picking, [None], quantity=3)
        self._validate(picking)
        self.assertEqual(picking.move_line_ids.mapped("quantity"), [3])
        wizard = self._wizard(
            [(order.name, "LW", name) for name in ("XL-1", "XL-2", "XL-3")],
            filename="serials.xlsx",
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.report)
        self.assertEqual(len(picking.move_line_ids), 3)
        self.assertEqual(set(picking.move_line_ids.mapped("quantity")), {1})
        self.assertEqual(
            sorted(picking.move_line_ids.lot_id.mapped("name")),
            ["XL-1", "XL-2", "XL-3"],
        )
        self.assertEqual(self._untracked(self.loose), 0)
        self.assertEqual(order.order_line.serial_tracing_state, "complete")
        self.assertFalse(order.serial_missing)

    def test_import_bad_rows_applies_nothing_and_reports_each(self):
        po1 = self._received_order(2)
        self._receive(["EXISTING-1"], product=self.loose)
        untracked = self._untracked(self.loose)
        wizard = self._wizard(
            [
                (po1.name, "LW", "OK-1"),  # row 2: fine
                ("P-NOPE", "LW", "OK-2"),  # row 3: unknown order
                (po1.name, "Plain Screws", "OK-3"),  # row 4: not on order
                (po1.name, "LW", "BAD#4"),  # row 5: format
                (po1.name, "LW", "OK-1"),  # row 6: duplicate of row 2
                (po1.name, "LW", "EXISTING-1"),  # row 7: exists
                (po1.name, "LW", "OK-7"),  # row 8: fine (2nd unit)
                (po1.name, "LW", "OK-8"),  # row 9: beyond the 2 units
                ("", "LW", "OK-9"),  # row 10: no order
            ]
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "error")
        report = wizard.report
        self.assertIn("Nothing was imported", report)
        self.assertIn("Row 3: unknown purchase order P-NOPE", report)
        self.assertIn("Row 4: product Plain Screws is not on purchase order", report)
        self.assertIn("Row 5: BAD#4: contains characters that are not allowed", report)
        self.assertIn(
            "Row 6: OK-1 appears more than once in the file (first on row 2)", report
        )
        self.assertIn("Row 7: EXISTING-1 already exists", report)
        self.assertIn("Row 9:", report)
        self.assertIn("no unit is left for serial number OK-8", report)
        self.assertIn("Row 10: the order reference is empty", report)
        self.assertNotIn("Row 2:", report)
        self.assertNotIn("Row 8:", report)
        self.assertFalse(
            self._lots(["OK-1", "OK-2", "OK-3", "OK-7", "OK-8"], self.loose)
        )
        self.assertFalse(po1.picking_ids.move_line_ids.lot_id)
        self.assertEqual(self._untracked(self.loose), untracked)

    def test_import_beyond_units_still_in_stock_refused(self):
        self.loose.serial_required_delivery = False
        order = self._received_order(2)
        out = self._picking(
            self.warehouse.out_type_id, self.stock, self.customer_loc, self.loose, 1
        )
        out.action_assign()
        out.move_ids.picked = True
        self._validate(out)
        wizard = self._wizard(
            [(order.name, "LW", "GONE-1"), (order.name, "LW", "GONE-2")]
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "error")
        self.assertIn("Row 3:", wizard.report)
        self.assertNotIn("Row 2:", wizard.report)
        self.assertFalse(self._lots(["GONE-1", "GONE-2"], self.loose))

    def test_import_wrong_file_refused(self):
        wizard = self.env["stock.serial.purchase.import"].create(
            {
                "upload_file": base64.b64encode(b"order,serial\nP1,SN\n"),
                "upload_filename": "serials.csv",
            }
        )
        with self.assertRaisesRegex(UserError, 'lacks the column.*"Product"'):
            wizard.action_import()
        wizard.upload_filename = "serials.pdf"
        with self.assertRaisesRegex(UserError, "not supported"):
            wizard.action_import()

    def test_template_download(self):
        order = self._received_order(2)
        other = self._received_order(1)
        wizard = self.env["stock.serial.purchase.import"].create(
            {"purchase_order_id": order.id}
        )
        action = wizard.action_download_template_csv()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("field=template_file", action["url"])
        self.assertEqual(wizard.template_filename, "serial_import_template.csv")
        text = base64.b64decode(wizard.template_file).decode("utf-8-sig")
        self.assertEqual(
            text.splitlines(),
            [
                "Order Reference,Product,Serial Number",
                f"{order.name},LW,",
                f"{order.name},LW,",
            ],
        )
        wizard.action_download_template_xlsx()
        self.assertEqual(wizard.template_filename, "serial_import_template.xlsx")
        rows = parsing.read_table(
            "t.xlsx",
            base64.b64decode(wizard.template_file),
            ["Order Reference", "Product", "Serial Number"],
        )
        self.assertEqual(
            [(r["Order Reference"], r["Product"], r["Serial Number"]) for r in rows],
            [(order.name, "LW", ""), (order.name, "LW", "")],
        )
        # Without an order: every order's units awaiting serials.
        wizard_all = self.env["stock.serial.purchase.import"].create({})
        wizard_all.action_download_template_csv()
        text = base64.b64decode(wizard_all.template_file).decode("utf-8-sig")
        self.assertEqual(text.count(f"{order.name},LW,"), 2)
        self.assertEqual(text.count(f"{other.name},LW,"), 1)
        # The filled template imports.
        filled = self._wizard(
            [(order.name, "LW", "TPL-1"), (order.name, "LW", "TPL-2")], order=order
        )
        filled.action_import()
        self.assertEqual(filled.state, "done", filled.report)
        self.assertEqual(order.order_line.serial_tracing_state, "complete")
