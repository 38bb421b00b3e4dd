# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialRepair(SerialCase):
    """Repair orders on serials: the unit's history (sent to repair,
    repaired), parts fitted and taken out (history, status, genealogy now and
    as it was), the In Repair filter, and parts refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._battery_pack()

    # ------------------------------------------------------------------ helpers
    def _built_pack(self, cell_name):
        """A pack built from a new cell: (pack, cell)."""
        self._receive([cell_name], product=self.cell)
        cell = self._lots([cell_name], self.cell)
        return self._produce(self._mo(self.pack), cell), cell

    def _repair(self, unit, add=(), remove=(), remove_type="recycle"):
        """A repair order on ``unit`` entered in its form, fitting the serials
        ``add`` and taking out the serials ``remove``, confirmed."""
        parts = [(lot, "add") for lot in add] + [(lot, remove_type) for lot in remove]
        form = Form(self.env["repair.order"])
        form.product_id = unit.product_id
        form.lot_id = unit
        for lot, line_type in parts:
            with form.move_ids.new() as line:
                line.repair_line_type = line_type
                line.product_id = lot.product_id
                line.product_uom_qty = 1
        repair = form.save()
        self.assertIs(repair.action_validate(), True, "the unit is in stock")
        self.assertEqual(repair.state, "confirmed")
        # the serial of each part, as its Serial Numbers column sets it
        for (lot, _line_type), move in zip(
            parts, repair.move_ids.sorted("id"), strict=True
        ):
            move.lot_ids = lot
        return repair

    # ------------------------------------------------------------------ swap
    def test_swap_a_component(self):
        """The pack's cell is replaced: the old one goes back to stock, the
        new one is inside the pack; the trace shows the pack as it is now
        and, asked for, as it was."""
        pack, old = self._built_pack("CELL-OLD")
        self._receive(["CELL-NEW"], product=self.cell)
        new = self._lots(["CELL-NEW"], self.cell)
        self.assertEqual(pack.serial_component_lot_ids, old)

        repair = self._repair(pack, add=new, remove=old)
        # sent to repair: in the unit's history from its confirmation
        self.assertIn("repair_sent", self._history_types(pack))
        sent = pack.serial_history_ids.filtered(lambda h: h.move_type == "repair_sent")
        self.assertEqual(sent.repair_id, repair)
        self.assertEqual(sent.reference, repair.name)
        self.assertEqual(sent.action_open_document()["res_model"], "repair.order")
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")

        # history of the three serials, newest first
        pack_types = self._history_types(pack)
        self.assertEqual(pack_types[0], "repair")
        self.assertEqual(sorted(pack_types), ["build", "repair", "repair_sent"])
        self.assertEqual(
            self._history_types(old), ["repair_remove", "consume", "receive"]
        )
        self.assertEqual(self._history_types(new), ["repair_add", "receive"])
        # the genealogy says which repair fitted the new part; the old one
        # went in by the order that built the pack
        self.assertEqual(new.serial_fitted_repair_id, repair)
        self.assertFalse(old.serial_fitted_repair_id)
        for lot in pack | old | new:
            row = lot.serial_history_ids[0]
            self.assertEqual(row.repair_id, repair, lot.name)
            action = row.action_open_document()
            self.assertEqual(
                (action["res_model"], action["res_id"]), ("repair.order", repair.id)
            )

        # statuses: the unit keeps its own, the parts say where they are
        self.assertEqual(pack.serial_status, "received")
        self.assertEqual(old.serial_status, "received", "back in stock")
        self.assertEqual(old.location_id, self.stock)
        self.assertEqual(new.serial_status, "consumed", "inside the pack")

        # genealogy now, both ways
        for lot in pack | old | new:
            lot.invalidate_recordset()
        self.assertEqual(pack.serial_component_lot_ids, new)
        self.assertEqual(pack.serial_component_all_lot_ids, new)
        self.assertEqual(new.serial_parent_lot_ids, pack)
        self.assertFalse(old.serial_parent_lot_ids, "no longer inside the pack")
        self.assertFalse(old.serial_has_genealogy)

        # the trace: as it is now ...
        trace = self._trace(pack, "up")
        self.assertEqual(self._levels(trace), {pack.name: 0, "CELL-NEW": 1})
        line = trace.line_ids.filtered(lambda li: li.lot_id == new)
        self.assertEqual(line.repair_id, repair, "fitted by the repair")
        self.assertFalse(line.production_id)
        self.assertEqual(
            (line.last_move_type, line.document_model, line.document_res_id),
            ("repair_add", "repair.order", repair.id),
        )
        self.assertEqual(self._levels(self._trace(old, "down")), {"CELL-OLD": 0})
        # ... and as it was, the part taken out marked with its repair
        trace = self._trace(pack, "up", include_removed=True)
        self.assertEqual(
            self._levels(trace), {pack.name: 0, "CELL-NEW": 1, "CELL-OLD": 1}
        )
        removed = trace.line_ids.filtered(lambda li: li.lot_id == old)
        self.assertEqual(removed.removed_repair_id, repair)
        self.assertEqual(removed.production_id, pack.production_id, "built in by it")
        self.assertFalse(
            trace.line_ids.filtered(lambda li: li.lot_id == new).removed_repair_id
        )
        trace = self._trace(old, "down", include_removed=True)
        self.assertEqual(self._levels(trace), {"CELL-OLD": 0, pack.name: 1})

        # the part taken out may be built into something else
        other = self._produce(self._mo(self.pack), old)
        old.invalidate_recordset()
        self.assertEqual(old.serial_parent_lot_ids, other)
        self.assertEqual(old.serial_status, "consumed")

    def test_swap_by_a_stock_user(self):
        """The same swap entered by a plain Inventory user."""
        pack, old = self._built_pack("CELL-U1")
        self._receive(["CELL-U2"], product=self.cell)
        new = self._lots(["CELL-U2"], self.cell)
        self.env = self.env(user=self.stock_user)
        pack, old, new = (lot.with_env(self.env) for lot in (pack, old, new))
        repair = self._repair(pack, add=new, remove=old)
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(self._history_types(pack)[0], "repair")
        self.assertEqual(pack.serial_component_lot_ids, new)
        self.assertEqual(
            (old.serial_status, new.serial_status), ("received", "consumed")
        )

    def test_swap_a_sub_assembly(self):
        """Two levels: the bike's pack is replaced; the old pack keeps its
        cell, and the trace through the bike follows the new pack only."""
        bike_product = self._serial_product("E-Bike", "EB")
        self._bom(bike_product, [(self.pack, 1)])
        old_pack, old_cell = self._built_pack("CELL-1")
        new_pack, new_cell = self._built_pack("CELL-2")
        production = self._mo(bike_product)
        production.action_generate_serial()
        bike = self._produce(production, old_pack)
        self.assertEqual(bike.serial_component_all_lot_ids, old_pack | old_cell)

        repair = self._repair(bike, add=new_pack, remove=old_pack)
        repair.action_repair_start()
        repair.action_repair_end()
        for lot in bike | old_pack | old_cell | new_pack | new_cell:
            lot.invalidate_recordset()
        self.assertEqual(bike.serial_component_lot_ids, new_pack)
        self.assertEqual(bike.serial_component_all_lot_ids, new_pack | new_cell)
        self.assertEqual(old_pack.serial_status, "received")
        self.assertEqual(old_pack.serial_component_lot_ids, old_cell, "kept its cell")
        self.assertEqual(old_cell.serial_parent_all_lot_ids, old_pack)
        self.assertEqual(new_cell.serial_parent_all_lot_ids, new_pack | bike)
        trace = self._trace(new_cell, "down")
        self.assertEqual(
            self._levels(trace), {"CELL-2": 0, new_pack.name: 1, bike.name: 2}
        )
        trace = self._trace(old_cell, "down", include_removed=True)
        self.assertEqual(
            self._levels(trace), {"CELL-1": 0, old_pack.name: 1, bike.name: 2}
        )
        line = trace.line_ids.filtered(lambda li: li.lot_id == bike)
        self.assertEqual(line.removed_repair_id, repair)

    def test_part_taken_out_and_scrapped_is_written_off(self):
        pack, cell = self._built_pack("CELL-S")
        repair = self._repair(pack, remove=cell, remove_type="remove")
        self.assertTrue(repair.parts_location_id.scrap_location)
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(cell.serial_status, "written_off")
        self.assertEqual(self._history_types(cell)[0], "repair_remove")
        self.assertEqual(pack.serial_status, "received")
        pack.invalidate_recordset()
        self.assertFalse(pack.serial_component_lot_ids, "the pack has no cell now")
        self.assertFalse(pack.serial_has_genealogy)
        # scrapped by mistake: it comes back out of the scrap location, as a
        # scrapped serial does
        back = self._picking(
            self.warehouse.int_type_id,
            repair.parts_location_id,
            self.stock,
            self.cell,
            1,
        )
        self._set_lines(back, [cell])
        self._validate(back)
        self.assertEqual(cell.serial_status, "received")

    def test_repair_of_a_rejected_unit(self):
        """A rejected unit repaired out of the reject location is in stock
        again; one repaired into it is rejected."""
        pack, _cell = self._built_pack("CELL-R")
        pack.action_reject("Does not charge")
        reject = self.company.serial_reject_location_id
        self.assertEqual(pack.serial_status, "rejected")
        form = Form(self.env["repair.order"])
        form.product_id = pack.product_id
        form.lot_id = pack
        repair = form.save()
        # where the unit is and goes (in the form with multi-locations only)
        repair.write(
            {
                "location_id": reject.id,
                "product_location_src_id": reject.id,
                "product_location_dest_id": self.stock.id,
            }
        )
        repair.action_validate()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(self._history_types(pack)[0], "repair")
        self.assertEqual(pack.serial_status, "received")
        self.assertEqual(pack.serial_availability, "available")
        again = repair.copy(
            {
                "lot_id": pack.id,
                "location_id": self.stock.id,
                "product_location_src_id": self.stock.id,
                "product_location_dest_id": reject.id,
            }
        )
        again.action_validate()
        again.action_repair_start()
        again.action_repair_end()
        self.assertEqual(pack.serial_status, "rejected")

    def test_refit_after_removal(self):
        """A part taken out and fitted back by a later repair is inside again."""
        pack, cell = self._built_pack("CELL-R")
        self.assertEqual(cell.consumed_production_id, pack.production_id)
        first = self._repair(pack, remove=cell)
        first.action_repair_start()
        first.action_repair_end()
        self.assertEqual(cell.serial_status, "received")
        second = self._repair(pack, add=cell)
        second.action_repair_start()
        second.action_repair_end()
        self.assertEqual(cell.serial_status, "consumed")
        # in by the repair now, not by the order that built the pack
        self.assertFalse(cell.consumed_production_id)
        self.assertEqual(cell.serial_fitted_repair_id, second)
        for lot in pack | cell:
            lot.invalidate_recordset()
        self.assertEqual(pack.serial_component_lot_ids, cell)
        self.assertEqual(cell.serial_parent_lot_ids, pack)
        line = self._trace(pack, "up").line_ids.filtered(lambda li: li.lot_id == cell)
        self.assertEqual(line.repair_id, second)
        self.assertFalse(line.removed_repair_id)

    # ------------------------------------------------------------------ in repair
    def test_in_repair_filter(self):
        pack, _cell = self._built_pack("CELL-F")
        Lot = self.env["stock.lot"]
        in_repair = [("serial_in_repair", "=", True)]
        self.assertNotIn(pack, Lot.search(in_repair))
        repair = self._repair(pack)
        self.assertTrue(pack.serial_in_repair)
        self.assertIn(pack, Lot.search(in_repair))
        self.assertNotIn(pack, Lot.search([("serial_in_repair", "=", False)]))
        repair.action_repair_start()
        self.assertIn(pack, Lot.search(in_repair), "under repair")
        repair.action_repair_end()
        pack.invalidate_recordset()
        self.assertFalse(pack.serial_in_repair, "repaired")
        self.assertNotIn(pack, Lot.search(in_repair))
        self.assertIn(pack, Lot.search([("serial_in_repair", "!=", True)]))
        # the filter of the serial list
        search = self.env.ref("stock_serial_tracking.view_stock_lot_search_serial")
        self.assertIn('name="serial_in_repair"', search.arch)

    def test_repairs_confirmed_before_install_get_their_sent_row(self):
        """Orders confirmed before the add-on kept no sent date: the upgrade
        dates them at their creation, so the unit still shows them."""
        pack, _cell = self._built_pack("CELL-I")
        repair = self._repair(pack)
        draft = self.env["repair.order"].create(
            {"product_id": pack.product_id.id, "lot_id": pack.id}
        )
        (repair | draft).serial_sent_date = False
        self.env.flush_all()
        self.assertNotIn("repair_sent", self._history_types(pack))
        self.env["repair.order"].init()
        self.env.invalidate_all()
        self.assertEqual(repair.serial_sent_date, repair.create_date)
        self.assertFalse(draft.serial_sent_date, "never confirmed")
        self.assertEqual(self._history_types(pack).count("repair_sent"), 1)

    # ------------------------------------------------------------------ bad input
    def test_repair_of_a_unit_elsewhere_is_refused(self):
        """The repaired serial must be where the repair takes it from: the
        refusal names it and where it is, before anything moves."""
        pack, _cell = self._built_pack("CELL-E")
        repair = self._repair(pack)
        repair.action_repair_start()
        self._deliver(pack)
        self.assertRefused(
            UserError,
            f"{pack.name} is not in .*{repair.name}.*Shipped",
            repair.action_repair_end,
        )
        self.assertEqual(repair.state, "under_repair")

    def test_fitting_a_shipped_serial_is_refused(self):
        pack, _cell = self._built_pack("CELL-P")
        self._receive(["CELL-GONE"], product=self.cell)
        shipped = self._lots(["CELL-GONE"], self.cell)
        self._deliver(shipped)
        self.assertEqual(shipped.serial_status, "shipped")
        repair = self._repair(pack, add=shipped)
        repair.action_repair_start()
        self.assertRefused(
            UserError, r"CELL-GONE \(Shipped\)", repair.action_repair_end
        )
        self.assertEqual(repair.state, "under_repair")
        self.assertFalse(repair.move_id, "no move of the unit")
        self.assertEqual(shipped.serial_status, "shipped")

    def test_fitting_a_serial_from_elsewhere_is_refused(self):
        pack, _cell = self._built_pack("CELL-Q")
        elsewhere = self.env["stock.location"].create(
            {
                "name": "Returns Bay",
                "location_id": self.warehouse.view_location_id.id,
                "usage": "internal",
            }
        )
        self._receive(["CELL-AWAY"], product=self.cell, destination=elsewhere)
        away = self._lots(["CELL-AWAY"], self.cell)
        # inside another pack: consumed
        used, inside = self._built_pack("CELL-IN")
        repair = self._repair(pack, add=away | inside)
        repair.action_repair_start()
        message = self._refusal(repair.action_repair_end)
        self.assertIn("CELL-IN (Consumed)", message)
        self.assertRegex(
            message, r"CELL-AWAY is not in .*Stock \(it is at: .*Returns Bay\)"
        )
        self.assertEqual(away.location_id, elsewhere)
        self.assertEqual(used.serial_component_lot_ids, inside)

    def test_taking_out_a_part_of_another_unit_is_refused(self):
        pack, _cell = self._built_pack("CELL-A")
        other, foreign = self._built_pack("CELL-B")
        repair = self._repair(pack, remove=foreign)
        repair.action_repair_start()
        self.assertRefused(
            UserError,
            rf"not inside {pack.name} .*CELL-B \(Consumed, {other.name}\)",
            repair.action_repair_end,
        )
        self.assertEqual(foreign.serial_status, "consumed")
        self.assertEqual(other.serial_component_lot_ids, foreign)
