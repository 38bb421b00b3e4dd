# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

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
        self.assertEqual(
            set(self._lots(["MS-1", "MS-3"]).mapped("serial_status")), {"planned"}
        )
        self.assertEqual(
            sorted(order.order_line.serial_lot_ids.mapped("name")),
            ["MS-1", "MS-2", "MS-3", "MS-4", "VND-77"],
        )

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
