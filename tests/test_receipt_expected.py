# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from ..lib import parsing
from .test_purchase import PurchaseSerialCase


@tagged("post_install", "-at_install")
class TestReceiptExpected(PurchaseSerialCase):
    """A receipt with serials announced by the purchase order: what is scanned
    is checked against them before anything is received."""

    def _announced(self, names, qty=None):
        order = self._order(qty or len(names))
        order.order_line._serial_assign_names(names)
        order.button_confirm()
        return order, order.picking_ids

    def test_all_expected_scanned(self):
        _order, picking = self._announced(["EX-1", "EX-2", "EX-3"])
        action = picking.move_ids.action_open_serial_entry()
        form = Form(self.env["stock.serial.entry"].with_context(**action["context"]))
        self.assertEqual(form.expected_count, 3)
        self.assertEqual(form.missing_count, 3)
        for name in ("EX-3", "EX-1", "EX-2"):
            form.scan_input = name
            self.assertEqual(form.scan_state, "ok")
            self.assertIn("expected: checked", form.scan_message)
        form.scan_input = "EX-1"
        self.assertEqual(form.scan_state, "repeat")
        self.assertEqual((form.matched_count, form.missing_count), (3, 0))
        form.save().action_apply()
        self._validate(picking)
        lots = picking.move_line_ids.lot_id
        self.assertEqual(sorted(lots.mapped("name")), ["EX-1", "EX-2", "EX-3"])
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})

    def test_scans_in_the_dialog_survive_saving(self):
        # the dialog saves the wizard before Apply: what was scanned must stay
        _order, picking = self._announced(["SV-1", "SV-2", "SV-3", "SV-4"])
        action = picking.move_ids.action_open_serial_entry()
        form = Form(self.env["stock.serial.entry"].with_context(**action["context"]))
        form.scan_input = "SV-1"
        form.scan_input = "SV-3"
        form.scan_input = "NEW-9"
        self.assertEqual(form.counter_text, "3 / 4")
        wizard = form.save()
        self.assertEqual(wizard.missing_summary, "SV-2\nSV-4")
        wizard.action_apply()
        lines = picking.move_ids.move_line_ids
        self.assertEqual(
            sorted(ml.lot_id.name or ml.lot_name for ml in lines),
            ["NEW-9", "SV-1", "SV-3"],
            "what was scanned, not the announced list",
        )

    def test_clear_forgets_the_scans(self):
        _order, picking = self._announced(["CL-1", "CL-2"])
        wizard = self._entry(picking.move_ids, serial_text="CL-1")
        wizard.action_add()
        self.assertEqual(wizard.matched_count, 1)
        wizard.action_clear()
        self.assertEqual((wizard.matched_count, wizard.missing_count), (0, 2))

    def test_missing_and_unexpected_before_applying(self):
        order, picking = self._announced(["MS-1", "MS-2", "MS-3", "MS-4"])
        before = self.env["stock.lot"].search_count([])
        wizard = self._entry(picking.move_ids, serial_text="MS-2\nMS-4\nVND-77")
        wizard.action_add()
        self.assertEqual(self.env["stock.lot"].search_count([]), before)
        self.assertEqual(wizard.matched_summary, "MS-2\nMS-4")
        self.assertEqual(wizard.missing_summary, "MS-1\nMS-3")
        self.assertEqual(wizard.unexpected_summary, "VND-77")
        self.assertEqual(
            (wizard.matched_count, wizard.missing_count, wizard.unexpected_count),
            (2, 2, 1),
        )
        self.assertEqual(wizard.counter_text, "3 / 4", "counts what will be received")
        wizard.action_apply()
        result = picking.button_validate()
        # the missing ones are left for a backorder
        self.assertIsInstance(result, dict)
        self.assertEqual(result.get("res_model"), "stock.backorder.confirmation")
        backorder_wizard = Form(
            self.env["stock.backorder.confirmation"].with_context(**result["context"])
        ).save()
        backorder_wizard.process()
        received = picking.move_line_ids.lot_id
        self.assertEqual(sorted(received.mapped("name")), ["MS-2", "MS-4", "VND-77"])
        self.assertEqual(set(received.mapped("serial_status")), {"received"})
        # 4 units ordered, 3 received (VND-77 is one): the backorder of the
        # last unit expects one of the two announced serials still planned
        backorder = order.picking_ids - picking
        self.assertEqual(backorder.move_ids.product_uom_qty, 1)
        self.assertIn(backorder.move_line_ids.lot_id.name, ("MS-1", "MS-3"))
        # one unit is still to come: one announced serial is kept for it
        # (the one on the backorder), the surplus one is deleted
        line = order.order_line
        self.assertEqual(len(line.serial_lot_ids), 4, "no more serials than units")
        self.assertEqual(
            line.serial_lot_ids.filtered(lambda lot: lot.serial_status == "planned"),
            backorder.move_line_ids.lot_id,
        )
        line.product_qty = 5  # the line's quantity can change again

    def test_unexpected_left_out_on_request(self):
        _order, picking = self._announced(["UX-1", "UX-2"])
        wizard = self._entry(picking.move_ids, serial_text="UX-1\nSTRAY-1")
        wizard.action_add()
        wizard.receive_unexpected = False
        wizard.action_apply()
        self.assertEqual(picking.move_ids.move_line_ids.lot_id.mapped("name"), ["UX-1"])
        self.assertFalse(self._lots(["STRAY-1"]), "nothing created for it")

    def test_too_many_scanned_is_refused(self):
        _order, picking = self._announced(["TM-1"])
        wizard = self._entry(picking.move_ids, serial_text="TM-1\nTM-2")
        wizard.action_add()
        with self.assertRaisesRegex(ValidationError, "2 serial numbers entered, 1"):
            wizard.action_apply()

    def test_not_scanning_keeps_the_announced_list(self):
        _order, picking = self._announced(["NS-1", "NS-2"])
        wizard = self._entry(picking.move_ids)
        self.assertEqual(wizard._names(), ["NS-1", "NS-2"])
        wizard.action_apply()
        self._validate(picking)
        self.assertEqual(
            sorted(picking.move_line_ids.lot_id.mapped("name")), ["NS-1", "NS-2"]
        )


@tagged("post_install", "-at_install")
class TestShippingList(PurchaseSerialCase):
    """The vendor's advance shipping list, imported before the goods arrive."""

    def _import(self, order, rows):
        data = parsing.write_csv(["Order Reference", "Product", "Serial Number"], rows)
        action = order.action_open_serial_shipping_list()
        wizard = (
            self.env["stock.serial.purchase.import"]
            .with_context(**action["context"])
            .create(
                {"upload_file": base64.b64encode(data), "upload_filename": "asn.csv"}
            )
        )
        self.assertEqual(wizard.kind, "expected")
        wizard.action_import()
        return wizard

    def test_shipping_list_announces_then_scan_checks(self):
        order = self._order(3, confirm=True)
        wizard = self._import(
            order, [[order.name, "SW", "ASN-1"], [order.name, "SW", "ASN-2"]]
        )
        self.assertEqual(wizard.state, "done", wizard.report)
        line = order.order_line
        self.assertEqual(sorted(line.serial_lot_ids.mapped("name")), ["ASN-1", "ASN-2"])
        self.assertEqual(set(line.serial_lot_ids.mapped("serial_status")), {"planned"})
        self.assertEqual(line.serial_tracing_state, "partial")
        # imported again with one more: the two already announced are kept
        wizard = self._import(
            order,
            [[order.name, "SW", "ASN-1"], [order.name, "SW", "ASN-2"],
             [order.name, "SW", "ASN-3"]],
        )  # fmt: skip
        self.assertEqual(wizard.state, "done", wizard.report)
        self.assertEqual(len(line.serial_lot_ids), 3)
        picking = order.picking_ids
        entry = self._entry(picking.move_ids, serial_text="ASN-3\nASN-1")
        self.assertEqual(entry.expected_count, 3)
        entry.action_add()
        self.assertEqual(entry.missing_summary, "ASN-2")

    def test_shipping_list_errors_write_nothing(self):
        order = self._order(2, confirm=True)
        other = self._order(1, confirm=True)
        before = self.env["stock.lot"].search_count([])
        wizard = self._import(
            order,
            [[order.name, "SW", "X-1"], [order.name, "SW", "X-2"],
             [order.name, "SW", "X-3"], [order.name, "SW", "X#4"],
             ["PO-NOPE", "SW", "X-5"]],
        )  # fmt: skip
        self.assertEqual(wizard.state, "error")
        self.assertIn("no unit of [SW] Serial Widget left to expect serial number X-3",
                      wizard.report)  # fmt: skip
        self.assertIn("X#4", wizard.report)
        self.assertIn("unknown purchase order PO-NOPE", wizard.report)
        self.assertEqual(self.env["stock.lot"].search_count([]), before)
        self.assertFalse(
            order.order_line.serial_lot_ids | other.order_line.serial_lot_ids
        )
