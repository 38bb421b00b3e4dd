from odoo import Command
from odoo.tests import tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialStatus(SerialCase):
    def test_receipt_sets_received_supplier_and_date(self):
        picking = self._receive(["ST-001", "ST-002"])
        lots = self._lots(["ST-001", "ST-002"])
        self.assertEqual(len(lots), 2)
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})
        self.assertEqual(lots.supplier_id, self.vendor)
        self.assertTrue(all(lots.mapped("received_date")))
        self.assertEqual(set(lots.mapped("serial_availability")), {"available"})
        self.assertEqual(lots.serial_history_ids.mapped("move_type"), ["receive"] * 2)
        self.assertEqual(lots[0].serial_history_ids.reference, picking.name)

    def test_new_serial_is_planned_and_lot_products_have_no_status(self):
        lot = self.env["stock.lot"].create(
            {"name": "PLAN-1", "product_id": self.product.id}
        )
        self.assertEqual(lot.serial_status, "planned")
        self.assertEqual(lot.serial_availability, "out")
        batch = self.env["stock.lot"].create(
            {"name": "BATCH-1", "product_id": self.lot_product.id}
        )
        self.assertFalse(batch.serial_status)

    def test_delivery_sets_shipped_and_customer(self):
        self._receive(["ST-010", "ST-011"])
        lots = self._lots(["ST-010"])
        picking = self._deliver(lots)
        self.assertEqual(lots.serial_status, "shipped")
        self.assertEqual(lots.customer_id, self.customer)
        self.assertTrue(lots.shipped_date)
        self.assertEqual(lots.serial_availability, "out")
        history = lots.serial_history_ids
        self.assertEqual(history.mapped("move_type"), ["ship", "receive"])
        self.assertEqual(history[0].reference, picking.name)
        self.assertEqual(history[0].partner_id, self.customer)
        self.assertEqual(history[0].location_dest_id, self.customer_loc)
        self.assertEqual(self._lots(["ST-011"]).serial_status, "received")

    def test_internal_transfer_keeps_status(self):
        self._receive(["ST-020"])
        lot = self._lots(["ST-020"])
        picking = self._picking(
            self.warehouse.int_type_id, self.stock, self.shelf, self.product, 1
        )
        picking.action_assign()
        wizard = self._entry(picking.move_ids)
        self.assertEqual(wizard.mode, "remove")
        wizard.lot_ids = lot
        wizard.action_apply()
        self._validate(picking)
        self.assertEqual(lot.serial_status, "received")
        self.assertEqual(lot.location_id, self.shelf)
        self.assertEqual(lot.serial_history_ids[0].move_type, "move")

    def test_reservation_gives_reserved_availability(self):
        self._receive(["ST-030"])
        lot = self._lots(["ST-030"])
        picking = self._delivery(1)
        self.assertEqual(lot.serial_availability, "reserved")
        reserved = self.env["stock.lot"].search(
            [
                ("serial_availability", "=", "reserved"),
                ("product_id", "=", self.product.id),
            ]
        )
        self.assertEqual(reserved, lot)
        picking.action_cancel()
        lot.invalidate_recordset(["serial_availability"])
        self.assertEqual(lot.serial_availability, "available")
        self.assertEqual(lot.serial_status, "received", "cancelling changes nothing")

    def test_customer_return_sets_returned(self):
        self._receive(["ST-040"])
        lot = self._lots(["ST-040"])
        return_picking = self._return(self._deliver(lot), validate=False)
        self.assertEqual(return_picking.move_line_ids.lot_id, lot, "Odoo pre-fills it")
        self._validate(return_picking)
        self.assertEqual(lot.serial_status, "returned")
        self.assertEqual(lot.customer_id, self.customer, "still who it was sold to")
        self.assertEqual(lot.serial_history_ids[0].move_type, "return")
        # A returned serial can be shipped again.
        self._deliver(lot)
        self.assertEqual(lot.serial_status, "shipped")

    def test_vendor_return(self):
        receipt = self._receive(["ST-050"])
        lot = self._lots(["ST-050"])
        self._return(receipt)
        self.assertEqual(lot.serial_status, "vendor_returned")
        self.assertEqual(lot.serial_history_ids[0].move_type, "vendor_return")

    def test_scrap_writes_off(self):
        self._receive(["ST-060"])
        lot = self._lots(["ST-060"])
        scrap = self._scrap(lot)
        scrap.action_validate()
        self.assertEqual(lot.serial_status, "written_off")
        self.assertEqual(lot.serial_history_ids[0].move_type, "scrap")

    def test_reject_moves_to_reject_location(self):
        self._receive(["ST-070"])
        lot = self._lots(["ST-070"])
        lot.action_reject("Cracked housing")
        self.assertEqual(lot.serial_status, "rejected")
        self.assertTrue(lot.location_id.serial_is_reject)
        self.assertEqual(lot.location_id, self.company.serial_reject_location_id)
        self.assertEqual(lot.serial_reject_reason, "Cracked housing")
        self.assertEqual(lot.serial_history_ids[0].move_type, "reject")
        self.assertIn("Cracked housing", lot.message_ids[0].body)

    def test_reject_wizard_and_reject_refused_when_not_in_stock(self):
        lot = self.env["stock.lot"].create(
            {"name": "ST-071", "product_id": self.product.id}
        )
        wizard = self.env["stock.serial.reject"].create(
            {"lot_ids": [Command.set(lot.ids)], "reason": "bad"}
        )
        with self.assertRaisesRegex(Exception, "ST-071"):
            wizard.action_reject()
        self.assertEqual(lot.serial_status, "planned")

    def test_inventory_adjustment_in_and_out(self):
        wizard = self.env["stock.serial.entry"].create(
            {
                "target": "inventory",
                "mode": "add",
                "product_id": self.product.id,
                "location_id": self.stock.id,
                "serial_text": "ADJ-1\nADJ-2",
            }
        )
        wizard.action_apply()
        lots = self._lots(["ADJ-1", "ADJ-2"])
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})
        self.assertEqual(lots[0].serial_history_ids.move_type, "adjust_in")
        self.assertEqual(
            self.product.with_context(location=self.stock.id).qty_available, 2
        )
        out = self.env["stock.serial.entry"].create(
            {
                "target": "inventory",
                "mode": "remove",
                "product_id": self.product.id,
                "location_id": self.stock.id,
                "lot_ids": [Command.set(lots[:1].ids)],
            }
        )
        out.action_apply()
        self.assertEqual(lots[0].serial_status, "written_off")
        self.assertEqual(lots[0].serial_history_ids[0].move_type, "adjust_out")
        self.assertEqual(lots[1].serial_status, "received")

    def test_switching_tracking_gives_and_keeps_status(self):
        product = self.env["product.product"].create(
            {"name": "Later Serial", "is_storable": True, "tracking": "lot"}
        )
        lot = self.env["stock.lot"].create({"name": "LS-1", "product_id": product.id})
        self.assertFalse(lot.serial_status)
        product.tracking = "serial"
        self.assertEqual(lot.serial_status, "planned")
        product.tracking = "none"
        self.assertTrue(lot.exists(), "turning tracking off never deletes serials")
        self.assertEqual(lot.serial_status, "planned")

    def test_unscrap_brings_serial_back_in_stock(self):
        """A scrap made by mistake is undone by moving the unit back from the
        scrap location: in stock again, both moves in its history."""
        self._receive(["ST-061"])
        lot = self._lots(["ST-061"])
        scrap = self._scrap(lot)
        scrap.action_validate()
        move = self.env["stock.move"].create(
            {
                "name": "Unscrap",
                "product_id": self.product.id,
                "product_uom": self.product.uom_id.id,
                "product_uom_qty": 1,
                "location_id": scrap.scrap_location_id.id,
                "location_dest_id": self.stock.id,
                "picked": True,
                "move_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "lot_id": lot.id,
                            "quantity": 1,
                            "location_id": scrap.scrap_location_id.id,
                            "location_dest_id": self.stock.id,
                        }
                    )
                ],
            }
        )
        move._action_confirm()
        move._action_done()
        lot.invalidate_recordset()
        self.assertEqual(move.state, "done")
        self.assertEqual(lot.serial_status, "received")
        self.assertEqual(lot.location_id, self.stock)
        self.assertEqual(lot.serial_history_ids[1].move_type, "scrap")

    def test_stock_without_done_move_is_in_stock(self):
        """Stock Odoo has on hand only as a quant (put there by an import or
        another module's code) leaves like any other."""
        lot = self.env["stock.lot"].create(
            {"name": "ST-070", "product_id": self.product.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.stock, 1, lot_id=lot
        )
        self.assertEqual(lot.serial_availability, "available")
        self._deliver(lot)
        self.assertEqual(lot.serial_status, "shipped")
