from odoo import Command
from odoo.tests import tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestAutofill(SerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auto = cls._serial_product(
            "Auto Router",
            "AR",
            serial_auto_generate=True,
            serial_format="AF-[[CODE]]-[[INCNUM,NONE,4,1]]",
        )

    def test_receipt_filled_from_format(self):
        picking = self._receipt(3, self.auto)
        lines = picking.move_line_ids
        self.assertEqual(len(lines), 3)
        self.assertEqual(
            sorted(lines.mapped("lot_name")),
            ["AF-AR-0001", "AF-AR-0002", "AF-AR-0003"],
        )
        self.assertFalse(any(lines.mapped("picked")), "the user still validates")
        self._validate(picking)
        lots = picking.move_line_ids.lot_id
        self.assertEqual(len(lots), 3)
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})
        # The next receipt continues the numbering.
        self.assertEqual(
            self._receipt(1, self.auto).move_line_ids.lot_name, "AF-AR-0004"
        )

    def test_other_products_untouched(self):
        picking = self._receipt(2, self.product)
        self.assertFalse(self._entry(picking.move_ids).autofill_note)
        self.assertEqual(len(picking.move_line_ids), 2)
        self.assertFalse(any(picking.move_line_ids.mapped("lot_name")))
        self.assertFalse(picking.move_line_ids.lot_id)

    def test_user_replaces_with_wizard(self):
        picking = self._receipt(2, self.auto)
        move = picking.move_ids
        wizard = self._entry(move)
        self.assertEqual(wizard.entered_count, 2, "the wizard shows the filled names")
        # and says where they came from
        self.assertIn("2 of these serial numbers were filled in", wizard.autofill_note)
        self.assertEqual(wizard.serial_names.split("\n"), ["AF-AR-0001", "AF-AR-0002"])
        wizard.action_clear()
        wizard.serial_text = "MINE-1\nMINE-2"
        wizard.action_apply()
        self.assertEqual(
            sorted(move.move_line_ids.mapped(lambda ml: ml.lot_id.name or ml.lot_name)),
            ["MINE-1", "MINE-2"],
        )
        self.assertFalse(self._entry(move).autofill_note, "the user's own serials")
        self._validate(picking)
        self.assertEqual(
            sorted(move.move_line_ids.lot_id.mapped("name")), ["MINE-1", "MINE-2"]
        )
        self.assertFalse(self._lots(["AF-AR-0001", "AF-AR-0002"], self.auto))

    def test_lines_with_a_serial_are_kept(self):
        picking = self._receipt(3, self.auto)
        lines = picking.move_line_ids.sorted("id")
        lines[0].lot_name = "TYPED-1"
        lines[1:].lot_name = False
        picking.move_ids._serial_autofill_from_template()
        self.assertEqual(lines[0].lot_name, "TYPED-1")
        self.assertEqual(lines[1:].mapped("lot_name"), ["AF-AR-0004", "AF-AR-0005"])
        # Assigning again fills nothing more.
        picking.move_ids._serial_autofill_from_template()
        self.assertEqual(
            lines.mapped("lot_name"), ["TYPED-1", "AF-AR-0004", "AF-AR-0005"]
        )

    def test_purchase_preassigned_untouched(self):
        line_model = self.env["purchase.order.line"]
        if "serial_lot_ids" not in line_model._fields or not hasattr(
            line_model, "_serial_assign_names"
        ):
            self.skipTest("purchase pre-assignment (C7) is not there yet")
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create({"product_id": self.auto.id, "product_qty": 4})
                ],
            }
        )
        po_line = order.order_line
        action = po_line.action_open_serial_entry()
        wizard = self.env["stock.serial.entry"].with_context(**action["context"])
        wizard.create({"serial_text": "PRE-1\nPRE-2"}).action_apply()
        order.button_confirm()
        lines = order.picking_ids.move_line_ids
        names = sorted(lines.mapped(lambda ml: ml.lot_id.name or ml.lot_name))
        self.assertEqual(names, ["AF-AR-0001", "AF-AR-0002", "PRE-1", "PRE-2"])

    def test_manufacturing_order_of_one_unit(self):
        production = self.env["mrp.production"].create(
            {
                "product_id": self.auto.id,
                "product_qty": 1,
                "product_uom_id": self.auto.uom_id.id,
            }
        )
        production.action_confirm()
        lot = production.lot_producing_id
        self.assertEqual(lot.name, "AF-AR-0001")
        self.assertEqual(production.qty_producing, 1)
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        self.assertEqual(lot.serial_status, "received")
        self.assertEqual(lot.production_id, production)

    def test_manufacturing_order_of_another_product(self):
        production = self.env["mrp.production"].create(
            {"product_id": self.product.id, "product_qty": 1}
        )
        production.action_confirm()
        self.assertFalse(production.lot_producing_id)
