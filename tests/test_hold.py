# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SerialCase

COUNTED = (
    "stock.lot",
    "stock.move",
    "stock.move.line",
    "stock.scrap",
    "stock.serial.hold.log",
)


@tagged("post_install", "-at_install")
class TestSerialHold(SerialCase):
    """A held serial stays where it is and keeps its status; reservation,
    delivery, consumption and scrap refuse it, naming it and the reason;
    Odoo's own reservation takes other serials. Hold and release are logged."""

    def _counts(self):
        counts = {model: self.env[model].search_count([]) for model in COUNTED}
        counts["reserved"] = sum(
            self.env["stock.quant"].search([]).mapped("reserved_quantity")
        )
        counts["held"] = self.env["stock.lot"].search_count(
            [("serial_on_hold", "=", True)]
        )
        return counts

    def assertRefused(self, pattern, func, *args):
        before = self._counts()
        with self.assertRaisesRegex(UserError, pattern):
            with self.env.cr.savepoint():
                func(*args)
        self.env.invalidate_all()
        self.assertEqual(self._counts(), before, "nothing written")

    # ------------------------------------------------------------------ hold
    def test_hold_and_release_are_logged_in_history_and_chatter(self):
        self._receive(["HO-1"])
        lot = self._lots(["HO-1"])
        # history is ordered by date: the receipt an hour ago, not this second
        self.env.cr.execute(
            "UPDATE stock_move_line SET date = date - interval '1 hour' "
            "WHERE lot_id = %s",
            [lot.id],
        )
        lot.action_serial_hold("  Water damage suspected ")
        self.assertTrue(lot.serial_on_hold)
        self.assertEqual(lot.serial_hold_reason, "Water damage suspected")
        self.assertEqual(lot.serial_hold_user_id, self.env.user)
        self.assertEqual(lot.serial_status, "received", "status kept")
        self.assertEqual(
            lot, self.env["stock.lot"].search([("serial_on_hold", "=", True)])
        )
        hold = lot.serial_history_ids[0]
        self.assertEqual(hold.move_type, "hold")
        self.assertEqual(hold.reference, "Water damage suspected")
        self.assertEqual(hold.user_id, self.env.user)
        self.assertEqual(hold.location_id, self.stock)
        self.assertIn("Put on hold: Water damage suspected", lot.message_ids[0].body)

        lot.action_serial_release()
        self.assertFalse(lot.serial_on_hold)
        self.assertFalse(lot.serial_hold_reason)
        lot.invalidate_recordset()
        self.assertEqual(
            lot.serial_history_ids.mapped("move_type"), ["release", "hold", "receive"]
        )
        self.assertIn("Hold released", lot.message_ids[0].body)
        self.assertEqual(lot.serial_status, "received")
        # the status is still derived from moves only
        lot._serial_recompute_status()
        self.assertEqual(lot.serial_status, "received")

    def test_hold_refused_for_serials_not_in_stock_nothing_written(self):
        self._receive(["HN-1", "HN-2", "HN-3"])
        lots = self._lots(["HN-1", "HN-2", "HN-3"])
        self._deliver(lots[0])
        lots[2].action_serial_hold("QC")
        self.assertRefused(
            r"HN-1: not in stock \(Shipped\)(.|\n)*HN-3: already on hold \(QC\)",
            lots.action_serial_hold,
            "Check",
        )
        self.assertFalse(lots[1].serial_on_hold, "the good one is not held either")
        self.assertRefused("reason", lots[1].action_serial_hold, " ")
        self.assertRefused("not on hold: HN-2", lots[1:].action_serial_release)

    def test_only_serial_managers_hold(self):
        self._receive(["HM-1"])
        lot = self._lots(["HM-1"])
        user = new_test_user(
            self.env, "hold_stock_user", groups="stock.group_stock_user"
        )
        with self.assertRaises(AccessError):
            lot.with_user(user).action_serial_hold("QC")
        self.assertFalse(lot.serial_on_hold)

    def test_hold_wizard_from_list_actions(self):
        self._receive(["HW-1", "HW-2"])
        lots = self._lots(["HW-1", "HW-2"])
        wizard = (
            self.env["stock.serial.hold"]
            .with_context(active_model="stock.lot", active_ids=lots.ids)
            .create({"reason": "Recall check"})
        )
        self.assertEqual(wizard.lot_ids, lots)
        wizard.action_hold()
        self.assertEqual(lots.mapped("serial_hold_reason"), ["Recall check"] * 2)

    # ------------------------------------------------------------- reservation
    def test_check_availability_skips_held_serials(self):
        self._receive(["HR-1", "HR-2", "HR-3"])
        held = self._lots(["HR-2"])
        held.action_serial_hold("Inspection")
        picking = self._delivery(2)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(
            sorted(picking.move_ids.move_line_ids.lot_id.mapped("name")),
            ["HR-1", "HR-3"],
        )
        # asking for all three: only two are reservable
        picking3 = self._delivery(3)
        self.assertEqual(picking3.move_ids.quantity, 0)
        picking.do_unreserve()
        picking3.action_assign()
        self.assertEqual(picking3.move_ids.quantity, 2)
        self.assertNotIn(held, picking3.move_ids.move_line_ids.lot_id)
        held.action_serial_release()
        picking.action_assign()
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, held)

    def test_reserving_a_held_serial_by_hand_is_refused(self):
        self._receive(["HX-1", "HX-2"])
        held = self._lots(["HX-1"])
        held.action_serial_hold("Customer complaint")
        picking = self._delivery(1, assign=False)
        move = picking.move_ids
        self.assertRefused(
            "HX-1 is on hold: Customer complaint",
            self.env["stock.move.line"].create,
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": self.product.id,
                "lot_id": held.id,
                "quantity": 1,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_loc.id,
            },
        )

    def test_reserving_held_serials_in_a_batch_is_refused(self):
        """Lines created by the hundred are reserved in one write: a held
        serial among the copies is refused all the same, by name."""
        names = [f"HB-{i}" for i in range(1, 5)]
        self._receive(names)
        lots = self._lots(names)
        lots[2].action_serial_hold("Returned by QA")
        picking = self._delivery(4, assign=False)
        move = picking.move_ids
        vals = [
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": self.product.id,
                "lot_id": lot.id,
                "quantity": 1,
                "location_id": self.stock.id,
                "location_dest_id": self.customer_loc.id,
            }
            for lot in lots
        ]
        self.assertRefused(
            "HB-3 is on hold: Returned by QA",
            self.env["stock.move.line"].create,
            vals,
        )

    # -------------------------------------------------- operations that leave
    def test_delivery_of_a_serial_held_after_reservation_is_refused(self):
        self._receive(["HD-1"])
        lot = self._lots(["HD-1"])
        picking = self._delivery(1)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, lot)
        lot.action_serial_hold("Wrong firmware")
        picking.move_ids.picked = True
        self.assertRefused("HD-1 is on hold: Wrong firmware", picking.button_validate)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(lot.serial_status, "received")

    def test_scrap_of_a_held_serial_is_refused(self):
        self._receive(["HS-1"])
        lot = self._lots(["HS-1"])
        lot.action_serial_hold("Evidence for the insurer")
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "lot_id": lot.id,
                "scrap_qty": 1,
                "location_id": self.stock.id,
            }
        )
        self.assertRefused("HS-1 is on hold: Evidence for the insurer", scrap.do_scrap)
        self.assertRefused("HS-1 is on hold", scrap.action_validate)

    def test_consumption_of_a_held_component_is_refused(self):
        cell = self._serial_product("Hold Cell", "HCELL")
        pack = self._serial_product("Hold Pack", "HPACK")
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": pack.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": cell.id})],
            }
        )
        self._receive(["HC-1"], product=cell)
        component = self._lots(["HC-1"], cell)
        production = self.env["mrp.production"].create(
            {"product_id": pack.id, "product_qty": 1, "bom_id": bom.id}
        )
        production.action_confirm()
        production.action_assign()
        self.assertEqual(production.move_raw_ids.move_line_ids.lot_id, component)
        component.action_serial_hold("Cell batch under review")
        production.lot_producing_id = self.env["stock.lot"].create(
            {"name": "HP-1", "product_id": pack.id}
        )
        production.qty_producing = 1
        production.move_raw_ids.picked = True
        self.assertRefused(
            "HC-1 is on hold: Cell batch under review", production.button_mark_done
        )
        self.assertEqual(component.serial_status, "received")

    def test_inventory_adjustment_may_still_count_a_held_serial(self):
        self._receive(["HI-1"])
        lot = self._lots(["HI-1"])
        lot.action_serial_hold("Lost?")
        quant = self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("location_id", "=", self.stock.id)]
        )
        quant.with_context(inventory_mode=True).inventory_quantity = 0
        quant.action_apply_inventory()
        self.assertEqual(lot.serial_status, "written_off")
        self.assertEqual(lot.serial_history_ids[0].move_type, "adjust_out")

    def test_pick_mode_refuses_a_held_serial(self):
        self._receive(["HP-1", "HP-2"])
        self._lots(["HP-1"]).action_serial_hold("Dented box")
        picking = self._delivery(1)
        wizard = self._entry(picking.move_ids)
        self.assertEqual(wizard.mode, "remove")
        _lots, refused = wizard._serial_pick_lookup(["HP-1", "HP-2"])
        self.assertEqual(refused, {"HP-1": "is on hold: Dented box"})
        self.assertEqual(list(_lots), ["HP-2"])
