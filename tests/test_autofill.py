from odoo import Command
from odoo.exceptions import UserError
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

    def _next_name(self, product=None):
        return (product or self.auto)._serial_preview_name()

    def test_to_do_takes_no_number(self):
        picking = self._receipt(3, self.auto)
        lines = picking.move_line_ids
        self.assertEqual(len(lines), 3)
        self.assertFalse(any(lines.mapped("lot_name")), "nothing filled at To Do")
        self.assertEqual(self._next_name(), "AF-AR-0001", "no number taken")
        # a manufacturing order confirmed now gets the first number, no gap
        production = self.env["mrp.production"].create(
            {"product_id": self.auto.id, "product_qty": 1}
        )
        production.action_confirm()
        self.assertEqual(production.lot_producing_id.name, "AF-AR-0001")

    def test_validation_numbers_the_lines(self):
        picking = self._receipt(3, self.auto)
        self._validate(picking)
        lots = picking.move_line_ids.lot_id
        self.assertEqual(
            sorted(lots.mapped("name")), ["AF-AR-0001", "AF-AR-0002", "AF-AR-0003"]
        )
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})
        self.assertEqual(self._next_name(), "AF-AR-0004")

    def test_validation_numbers_only_the_lines_without_serial(self):
        picking = self._receipt(3, self.auto)
        lines = picking.move_line_ids.sorted("id")
        lines[0].lot_name = "TYPED-1"
        self._validate(picking)
        self.assertEqual(
            sorted(picking.move_line_ids.lot_id.mapped("name")),
            ["AF-AR-0001", "AF-AR-0002", "TYPED-1"],
        )

    def test_backorder_lines_keep_their_numbers_for_later(self):
        picking = self._receipt(3, self.auto)
        wizard = self._entry(picking.move_ids, serial_text="V-1", count_is_maximum=True)
        wizard.action_apply()
        result = picking.button_validate()
        if result is not True:  # Odoo asks about the backorder
            self.env[result["res_model"]].with_context(**result["context"]).create(
                {}
            ).process()
        self.assertEqual(picking.move_line_ids.lot_id.mapped("name"), ["V-1"])
        self.assertEqual(self._next_name(), "AF-AR-0001", "backorder not numbered")

    def test_other_products_untouched(self):
        picking = self._receipt(2, self.product)
        wizard = self._entry(picking.move_ids)
        self.assertFalse(wizard.autofill_note)
        self.assertEqual(wizard.input_method, "paste")
        self.assertEqual(len(picking.move_line_ids), 2)
        self.assertFalse(any(picking.move_line_ids.mapped("lot_name")))
        self.assertFalse(picking.move_line_ids.lot_id)

    def test_wizard_previews_and_takes_at_apply(self):
        move = self._receipt(2, self.auto).move_ids
        wizard = self._entry(move)
        self.assertEqual(wizard.input_method, "auto")
        self.assertEqual(wizard.auto_count, 2, "How Many starts at what is missing")
        self.assertIn("takes the next 2 numbers", wizard.autofill_note)
        self.assertIn("AF-AR-0001 … AF-AR-0002", wizard.auto_preview)
        wizard.action_add()
        self.assertEqual(wizard.serial_names.split("\n"), ["AF-AR-0001", "AF-AR-0002"])
        self.assertEqual(self._next_name(), "AF-AR-0001", "a preview takes nothing")
        wizard.action_apply()
        self.assertEqual(
            sorted(move.move_line_ids.mapped("lot_name")), ["AF-AR-0001", "AF-AR-0002"]
        )
        self.assertEqual(self._next_name(), "AF-AR-0003", "taken at Apply")

    def test_apply_on_auto_tab_numbers_what_is_required(self):
        move = self._receipt(2, self.auto).move_ids
        self._entry(move).action_apply()
        self.assertEqual(
            sorted(move.move_line_ids.mapped("lot_name")), ["AF-AR-0001", "AF-AR-0002"]
        )

    def test_replaced_previews_cost_no_number(self):
        picking = self._receipt(2, self.auto)
        move = picking.move_ids
        wizard = self._entry(move)
        wizard.action_add()
        wizard.action_clear()
        wizard.serial_text = "MINE-1\nMINE-2"
        wizard.action_apply()
        self._validate(picking)
        self.assertEqual(
            sorted(move.move_line_ids.lot_id.mapped("name")), ["MINE-1", "MINE-2"]
        )
        self.assertEqual(self._next_name(), "AF-AR-0001", "no gap")

    def test_preview_taken_by_another_user_meanwhile(self):
        move = self._receipt(2, self.auto).move_ids
        wizard = self._entry(move)
        wizard.action_add()
        # another receipt takes the first numbers before this wizard applies
        self.assertEqual(self.auto._serial_next_names(1), ["AF-AR-0001"])
        wizard.action_apply()
        self.assertEqual(
            sorted(move.move_line_ids.mapped("lot_name")), ["AF-AR-0002", "AF-AR-0003"]
        )

    def test_scope_manufacturing_only(self):
        self.auto.serial_auto_generate_scope = "production"
        self.assertTrue(self.auto.serial_auto_generate_scope_custom)
        picking = self._receipt(1, self.auto)
        wizard = self._entry(picking.move_ids)
        self.assertEqual(wizard.input_method, "paste", "receipts are typed")
        self.assertFalse(wizard.autofill_note)
        with self.assertRaisesRegex(UserError, "Auto Router"):
            picking.button_validate()
        production = self.env["mrp.production"].create(
            {"product_id": self.auto.id, "product_qty": 1}
        )
        production.action_confirm()
        self.assertEqual(production.lot_producing_id.name, "AF-AR-0001")

    def test_scope_receipts_only(self):
        self.auto.product_tmpl_id.categ_id.write(
            {"serial_auto_generate_scope": "receipt"}
        )
        self.assertEqual(self.auto.serial_auto_generate_scope, "receipt", "inherited")
        production = self.env["mrp.production"].create(
            {"product_id": self.auto.id, "product_qty": 1}
        )
        production.action_confirm()
        self.assertFalse(production.lot_producing_id)
        self._validate(self._receipt(1, self.auto))
        self.assertEqual(self._next_name(), "AF-AR-0002")

    def test_purchase_preassigned_untouched(self):
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
        picking = order.picking_ids
        self._validate(picking)
        names = sorted(picking.move_line_ids.lot_id.mapped("name"))
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
