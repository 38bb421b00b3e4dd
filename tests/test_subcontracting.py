# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Subcontracting: the subcontractor builds the serials, the receipt records
them; the components sent to the subcontractor are consumed by its MO."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialSubcontracting(SerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subcontractor = cls.env["res.partner"].create(
            {"name": "Frame Works Ltd", "company_id": cls.company.id}
        )
        cls.subcontract_loc = cls.subcontractor.with_company(
            cls.company
        ).property_stock_subcontractor
        cls.motor = cls._serial_product("Scooter Motor", "MOT")
        cls.frame = cls.env["product.product"].create(
            {"name": "Scooter Frame", "is_storable": True}
        )
        cls.scooter = cls._serial_product("E-Scooter", "ESC")
        cls.bom_scooter = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.scooter.product_tmpl_id.id,
                "product_qty": 1,
                "type": "subcontract",
                "subcontractor_ids": [Command.link(cls.subcontractor.id)],
                "bom_line_ids": [
                    Command.create({"product_id": cls.frame.id, "product_qty": 1}),
                ],
            }
        )

    def _subcontract_receipt(self, qty, product=None):
        picking = self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            self.stock,
            product or self.scooter,
            qty,
            self.subcontractor,
        )
        self.assertTrue(picking.move_ids.is_subcontract)
        return picking

    def _resupply(self, lots):
        """Send these component serials to the subcontractor."""
        picking = self._picking(
            self.warehouse.subcontracting_resupply_type_id,
            self.stock,
            self.subcontract_loc,
            lots.product_id,
            len(lots),
            self.subcontractor,
        )
        picking.action_assign()
        wizard = self._entry(picking.move_ids)
        wizard.lot_ids = lots
        wizard.action_apply()
        return self._validate(picking)

    def _with_motor(self):
        """The scooter's subcontracting BoM also takes one serial motor."""
        self.bom_scooter.bom_line_ids = [
            Command.create({"product_id": self.motor.id, "product_qty": 1})
        ]

    def _record_components(self, receipt, finished_name, motor):
        """Odoo's Record Components of the receipt, for one finished unit."""
        production = self._components_form(receipt, finished_name, motor)
        production.subcontracting_record_component()
        return production

    def _components_form(self, receipt, finished_name, motor):
        """The subcontracting order of Record Components, filled in and saved
        for one finished unit (not recorded yet)."""
        action = receipt.action_record_components()
        production = self.env["mrp.production"].browse(action["res_id"])
        form = Form(
            production.with_context(**action["context"]), view=action["view_id"]
        )
        form.qty_producing = 1
        form.lot_producing_id = self.env["stock.lot"].create(
            {"name": finished_name, "product_id": self.scooter.id}
        )
        for index in range(len(form.move_line_raw_ids)):
            with form.move_line_raw_ids.edit(index) as line:
                if line.product_id == self.motor:
                    line.lot_id = motor
        return form.save()

    def test_finished_serials_entered_on_receipt(self):
        """The receipt's entry wizard names the units the subcontractor built:
        one subcontracting MO per serial, the subcontractor as supplier, the
        history showing the build then the receipt."""
        receipt = self._subcontract_receipt(3)
        wizard = self._entry(receipt.move_ids, serial_text="ESC-1\nESC-2\nESC-3")
        self.assertEqual(wizard.mode, "add")
        wizard.action_apply()
        self._validate(receipt)

        scooters = self._lots(["ESC-1", "ESC-2", "ESC-3"], self.scooter)
        self.assertEqual(len(scooters), 3)
        productions = receipt.move_ids.move_orig_ids.production_id
        self.assertEqual(len(productions), 3)
        self.assertEqual(set(productions.mapped("state")), {"done"})
        for scooter in scooters:
            self.assertEqual(scooter.serial_status, "received")
            self.assertEqual(scooter.supplier_id, self.subcontractor)
            self.assertIn(scooter.production_id, productions)
            self.assertEqual(scooter.production_id.subcontractor_id, self.subcontractor)
            self.assertEqual(
                scooter.quant_ids.filtered(lambda q: q.quantity > 0).location_id,
                self.stock,
            )
            history = self.env["stock.serial.history"].search(
                [("lot_id", "=", scooter.id)], order="date, id"
            )
            self.assertEqual(history.mapped("move_type"), ["build", "receive"])
            self.assertEqual(history[-1].picking_id, receipt)

    def test_receipt_by_a_manufacturing_user(self):
        """A Manufacturing user (no manager rights) enters and validates the
        receipt: Odoo's subcontracting writes its orders while validating,
        so an Inventory user without manufacturing rights cannot."""
        user_env = self.env(user=self.mrp_user)
        receipt = self._subcontract_receipt(2).with_env(user_env)
        action = receipt.move_ids.action_open_serial_entry()
        user_env["stock.serial.entry"].with_context(**action["context"]).create(
            {"serial_text": "ESC-U1\nESC-U2"}
        ).action_apply()
        self.assertIs(receipt.button_validate(), True)
        scooters = self._lots(["ESC-U1", "ESC-U2"], self.scooter).with_env(user_env)
        self.assertEqual(scooters.mapped("serial_status"), ["received"] * 2)
        self.assertEqual(scooters.supplier_id, self.subcontractor)
        self.assertEqual(len(scooters.production_id), 2)

    def test_components_at_subcontractor_consumed_and_traced(self):
        """Motors sent to the subcontractor are consumed by its MOs; the
        genealogy and the trace follow through the subcontractor."""
        self._with_motor()
        self._receive(["MOT-1", "MOT-2"], self.motor)
        motors = self._lots(["MOT-1", "MOT-2"], self.motor)
        self._resupply(motors)
        self.assertEqual(
            motors.quant_ids.filtered(lambda q: q.quantity > 0).location_id,
            self.subcontract_loc,
        )

        receipt = self._subcontract_receipt(2)
        self.assertEqual(receipt.display_action_record_components, "mandatory")
        first = self._record_components(receipt, "ESC-10", motors[0])
        second = self._record_components(receipt, "ESC-11", motors[1])
        self._validate(receipt)

        scooters = self._lots(["ESC-10", "ESC-11"], self.scooter)
        self.assertEqual((first | second).mapped("state"), ["done", "done"])
        for motor, production in zip(motors, (first, second), strict=True):
            self.assertEqual(motor.serial_status, "consumed")
            self.assertEqual(motor.consumed_production_id, production)
            self.assertEqual(motor.serial_parent_lot_ids, production.lot_producing_id)
            self.assertEqual(
                production.lot_producing_id.serial_component_lot_ids, motor
            )
            self.assertEqual(
                production.lot_producing_id.supplier_id, self.subcontractor
            )
        motor_history = self.env["stock.serial.history"].search(
            [("lot_id", "=", motors[0].id)], order="date, id"
        )
        self.assertEqual(
            motor_history.mapped("move_type"), ["receive", "move", "consume"]
        )

        # the trace from the motors reaches the scooters, and past them the
        # customer who bought one
        self._deliver(scooters[0])
        trace = self._trace(motors[0], extra_lot_ids=[Command.set(motors[1].ids)])
        reached = trace.line_ids.lot_id
        self.assertLessEqual(scooters, reached)
        shipped = trace.line_ids.filtered(lambda line: line.lot_id == scooters[0])
        self.assertEqual(shipped.customer_id, self.customer)

    def test_component_not_at_subcontractor_refused(self):
        """A component serial still in our stock cannot be recorded as used by
        the subcontractor: the refusal names it and nothing is done."""
        self._with_motor()
        self._receive(["MOT-7"], self.motor)
        motor = self._lots(["MOT-7"], self.motor)
        receipt = self._subcontract_receipt(1)
        production = self._components_form(receipt, "ESC-70", motor)
        self.assertRefused(
            UserError,
            "MOT-7 is not in .*Subcontracting",
            production.subcontracting_record_component,
        )
        self.assertFalse(production.subcontracting_has_been_recorded)
        # sent, recorded, then brought back before the receipt: its
        # validation refuses it all the same
        self._resupply(motor)
        production.subcontracting_record_component()
        back = self._picking(
            self.warehouse.int_type_id,
            self.subcontract_loc,
            self.stock,
            self.motor,
            1,
        )
        back.action_assign()
        self._set_lines(back, [motor])
        self._validate(back)
        self.assertRefused(UserError, "MOT-7 is not in", receipt.button_validate)
        self.assertEqual(receipt.state, "assigned")
        self.assertNotEqual(production.state, "done")
        self.assertEqual(motor.serial_status, "received")
        self.assertEqual(
            motor.quant_ids.filtered(lambda q: q.quantity > 0).location_id, self.stock
        )

    def test_lot_components_keep_odoo_rules(self):
        """Only serials are held to where they are: a component tracked by
        lot is recorded as Odoo lets it, from stock the subcontractor has."""
        self.bom_scooter.bom_line_ids = [
            Command.create({"product_id": self.lot_product.id, "product_qty": 1})
        ]
        powder = self.env["stock.lot"].create(
            {"name": "PWD-1", "product_id": self.lot_product.id}
        )
        receipt = self._subcontract_receipt(1)
        action = receipt.action_record_components()
        production = self.env["mrp.production"].browse(action["res_id"])
        form = Form(
            production.with_context(**action["context"]), view=action["view_id"]
        )
        form.qty_producing = 1
        form.lot_producing_id = self.env["stock.lot"].create(
            {"name": "ESC-90", "product_id": self.scooter.id}
        )
        for index in range(len(form.move_line_raw_ids)):
            with form.move_line_raw_ids.edit(index) as line:
                if line.product_id == self.lot_product:
                    line.lot_id = powder
        form.save().subcontracting_record_component()
        self._validate(receipt)
        self.assertEqual(production.state, "done")

    def test_purchase_preassigned_serials_fill_subcontract_receipt(self):
        """Serials typed on the subcontracting PO line fill its receipt."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.subcontractor.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.scooter.id,
                            "product_qty": 2,
                            "price_unit": 100,
                        }
                    )
                ],
            }
        )
        line = order.order_line
        action = line.action_open_serial_entry()
        self.env["stock.serial.entry"].with_context(**action["context"]).create(
            {"serial_text": "ESC-P1\nESC-P2"}
        ).action_apply()
        order.button_confirm()
        receipt = order.picking_ids
        self.assertTrue(receipt.move_ids.is_subcontract)
        self.assertEqual(
            sorted(receipt.move_ids.move_line_ids.lot_id.mapped("name")),
            ["ESC-P1", "ESC-P2"],
        )
        receipt.move_ids.picked = True
        self._validate(receipt)
        scooters = self._lots(["ESC-P1", "ESC-P2"], self.scooter)
        self.assertEqual(scooters.mapped("serial_status"), ["received"] * 2)
        self.assertEqual(scooters.supplier_id, self.subcontractor)
        self.assertEqual(scooters.purchase_line_id, line)
