# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import html
import re

from odoo import Command
from odoo.api import call_kw
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SerialCase

GTIN = "09501101020917"


@tagged("post_install", "-at_install")
class TestScanPick(SerialCase):
    """Pick mode takes serials as they are scanned, pasted or uploaded, and
    what was entered is exactly what leaves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.barcode = GTIN
        cls.outside = cls.env["stock.location"].create(
            {
                "name": "Outside Bin",
                "location_id": cls.warehouse.view_location_id.id,
                "usage": "internal",
            }
        )

    def test_pasted_serials_are_exactly_what_ships(self):
        self._receive(["PK-1", "PK-2", "PK-3", "PK-4"])
        picking = self._delivery(2)
        reserved = picking.move_ids.move_line_ids.lot_id
        self.assertEqual(len(reserved), 2, "Odoo reserved two serials")
        wanted = self._lots(["PK-1", "PK-2", "PK-3", "PK-4"]) - reserved
        wizard = self._entry(picking.move_ids)
        self.assertEqual(wizard.mode, "remove")
        self.assertFalse(wizard.lot_ids, "the reservation is not a pick")
        wizard.serial_text = "\n".join(wanted.mapped("name"))
        wizard.action_apply()
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, wanted)
        self._validate(picking)
        self.assertEqual(set(wanted.mapped("serial_status")), {"shipped"})
        self.assertEqual(set(reserved.mapped("serial_status")), {"received"})
        self.assertEqual(wanted.customer_id, self.customer)
        self.assertFalse(reserved.customer_id)
        self.assertEqual(
            sum(
                self.env["stock.quant"]
                .search([("lot_id", "in", reserved.ids)])
                .mapped("reserved_quantity")
            ),
            0,
            "the released reservation holds nothing",
        )

    def test_reopened_wizard_keeps_what_was_picked(self):
        self._receive(["RO-1", "RO-2", "RO-3"])
        picking = self._delivery(1)
        wizard = self._entry(picking.move_ids, serial_text="RO-3")
        wizard.action_apply()
        again = self._entry(picking.move_ids)
        self.assertEqual(again.lot_ids.mapped("name"), ["RO-3"])

    def test_take_reserved_is_explicit(self):
        self._receive(["TR-1", "TR-2"])
        picking = self._delivery(2)
        wizard = self._entry(picking.move_ids)
        self.assertEqual(wizard.reserved_count, 2)
        with self.assertRaisesRegex(ValidationError, "0 serial numbers entered, 2"):
            wizard.action_apply()
        wizard.action_take_reserved()
        wizard.action_apply()
        self._validate(picking)
        self.assertEqual(
            set(self._lots(["TR-1", "TR-2"]).mapped("serial_status")), {"shipped"}
        )

    def test_each_refusal_names_the_serial_and_writes_nothing(self):
        self._receive(["OK-1", "OK-2", "OK-3"])
        self._receive(["FAR-1"], destination=self.outside)
        self._receive(["GONE-1"])
        self._deliver(self._lots(["GONE-1"]))
        self._receive(["HELD-1"])
        other = self._delivery(1)
        self._entry(other.move_ids, serial_text="HELD-1").action_apply()
        self.env["stock.lot"].create({"name": "PLAN-1", "product_id": self.product.id})
        self._receive(["GADGET-1"], product=self.product2)
        picking = self._delivery(2)
        cases = {
            "NOPE-1": "NOPE-1: unknown serial number",
            "GADGET-1": "GADGET-1: is a serial number of .*Serial Gadget",
            "FAR-1": "FAR-1: is at .*Outside Bin, not in WH/Stock",
            "GONE-1": r"GONE-1: is not in stock \(Shipped\)",
            "PLAN-1": r"PLAN-1: is not in stock \(Planned\)",
            "HELD-1": f"HELD-1: is already picked for {other.name}",
        }
        for name, reason in cases.items():
            with self.subTest(name=name):
                self.assertRefused(
                    ValidationError,
                    reason,
                    lambda text: self._entry(
                        picking.move_ids, serial_text=text
                    ).action_apply(),
                    f"OK-1\n{name}",
                )
                picked = picking.move_ids.move_line_ids.filtered("picked")
                self.assertNotIn("OK-1", picked.lot_id.mapped("name"))
        self.assertRefused(
            ValidationError,
            "entered more than once: OK-1",
            lambda: self._entry(
                picking.move_ids, serial_text="OK-1\nOK-2\nOK-1"
            ).action_apply(),
        )

    def test_add_to_list_reports_and_keeps_the_good_ones(self):
        self._receive(["AL-1", "AL-2"])
        picking = self._delivery(2)
        wizard = self._entry(picking.move_ids, serial_text="AL-1\nAL-9\nAL-1")
        wizard.action_add()
        self.assertEqual(wizard.lot_ids.mapped("name"), ["AL-1"])
        self.assertIn("AL-9: unknown serial number", wizard.report)
        self.assertIn("duplicates removed from the input: AL-1", wizard.report)
        wizard.serial_text = "AL-1\nAL-2"
        wizard.action_add()
        self.assertIn("already in the list: AL-1", wizard.report)
        self.assertEqual(wizard.counter_text, "2 / 2")
        wizard.action_apply()
        self._validate(picking)
        self.assertEqual(
            set(self._lots(["AL-1", "AL-2"]).mapped("serial_status")), {"shipped"}
        )

    def test_scan_field_gives_feedback_per_scan(self):
        self._receive(["SC-1", "SC-2"])
        picking = self._delivery(2)
        action = picking.move_ids.action_open_serial_entry()
        form = Form(self.env["stock.serial.entry"].with_context(**action["context"]))
        form.scan_input = "SC-1"
        self.assertEqual(form.scan_state, "ok")
        self.assertFalse(form.scan_input, "the scan field is emptied for the next scan")
        form.scan_input = "SC-404"
        self.assertEqual(form.scan_state, "refused")
        self.assertIn("SC-404: unknown serial number", form.scan_message)
        form.scan_input = "SC-1"
        self.assertEqual(form.scan_state, "repeat")
        form.scan_input = f"(01){GTIN}(21)SC-2"
        self.assertEqual(form.scan_state, "ok")
        self.assertEqual(form.counter_text, "2 / 2")
        self.assertIn("SC-404", form.scan_log)
        wizard = form.save()
        wizard.action_apply()
        self._validate(picking)
        self.assertEqual(
            set(self._lots(["SC-1", "SC-2"]).mapped("serial_status")), {"shipped"}
        )

    def test_scan_field_in_add_mode(self):
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 2
        )
        action = picking.move_ids.action_open_serial_entry()
        form = Form(self.env["stock.serial.entry"].with_context(**action["context"]))
        form.scan_input = "NEW-1"
        self.assertEqual(form.scan_state, "ok")
        form.scan_input = "NEW-1"
        self.assertEqual(form.scan_state, "repeat")
        form.scan_input = "BAD#1"
        self.assertEqual(form.scan_state, "refused")
        self.assertIn("BAD#1", form.scan_message)
        form.scan_input = f"]d201{GTIN}21NEW-2"
        self.assertEqual(form.scan_state, "ok")
        form.save().action_apply()
        self._validate(picking)
        self.assertEqual(
            set(self._lots(["NEW-1", "NEW-2"]).mapped("serial_status")), {"received"}
        )

    def test_gs1_codes(self):
        self._receive(["G-1", "G-2", "G-3"])
        picking = self._delivery(2)
        before = self._counts()
        wizard = self._entry(
            picking.move_ids, serial_text="(01)00012345678905(21)G-1\nG-2"
        )
        with self.assertRaisesRegex(
            ValidationError, f"has GTIN 00012345678905, but .* has barcode {GTIN}"
        ):
            wizard.action_apply()
        wizard = self._entry(picking.move_ids, serial_text="(01)09501101020918(21)G-1")
        with self.assertRaisesRegex(ValidationError, "not a valid GS1.*check digit"):
            wizard.action_apply()
        self.assertEqual(self._counts(), before)
        wizard = self._entry(
            picking.move_ids,
            serial_text=f"]d201{GTIN}21G-1\x1d10LOT7\n(01){GTIN}(17)261231(21)G-3",
        )
        wizard.action_apply()
        self._validate(picking)
        self.assertEqual(
            picking.move_ids.move_line_ids.lot_id, self._lots(["G-1", "G-3"])
        )

    def test_search_matches_whole_serials(self):
        self._receive(["VND-10", "VND-100", "VND-101"])
        picking = self._delivery(1)
        wizard = self._entry(picking.move_ids, lot_search="VND-10")
        wizard.action_select_all()
        self.assertEqual(wizard.lot_ids.mapped("name"), ["VND-10"])
        wizard.action_clear()
        wizard.lot_search = "VND-10*"
        wizard.action_select_all()
        self.assertEqual(len(wizard.lot_ids), 3)

    def test_component_serial_pasted_on_manufacturing_order(self):
        self._receive(["CMP-1", "CMP-2"])
        finished = self.env["product.product"].create(
            {"name": "Assembly", "is_storable": True}
        )
        production = self._mo(finished, components=[(self.product, 1)])
        production.action_assign()
        wizard = self._entry(production.move_raw_ids, serial_text="CMP-2")
        wizard.action_apply()
        self.assertEqual(production.move_raw_ids.move_line_ids.lot_id.name, "CMP-2")
        production.button_mark_done()
        self.assertEqual(self._lots(["CMP-2"]).serial_status, "consumed")
        self.assertEqual(self._lots(["CMP-1"]).serial_status, "received")

    def test_adjustment_out_by_paste(self):
        self._receive(["ADJ-1", "ADJ-2"])
        wizard = self.env["stock.serial.entry"].create(
            {
                "target": "inventory",
                "mode": "remove",
                "product_id": self.product.id,
                "location_id": self.stock.id,
                "serial_text": "ADJ-2",
            }
        )
        wizard.action_apply()
        self.assertEqual(self._lots(["ADJ-2"]).serial_status, "written_off")
        self.assertEqual(self._lots(["ADJ-1"]).serial_status, "received")

    def test_line_progress_counts_what_was_entered(self):
        self._receive(["LP-1", "LP-2"])
        picking = self._delivery(2)
        move = picking.move_ids
        self.assertEqual(len(move.move_line_ids.lot_id), 2, "reserved")
        self.assertEqual(move.serial_progress, "0 / 2")
        self.assertEqual(move.serial_tracing_state, "missing")
        self._entry(move, serial_text="LP-1\nLP-2").action_apply()
        self.assertEqual(move.serial_progress, "2 / 2")
        self.assertEqual(move.serial_tracing_state, "complete")
        receipt = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 3
        )
        line = receipt.move_ids.move_line_ids[:1]
        line.lot_name = "LP-9"
        self.assertEqual(receipt.move_ids.serial_progress, "1 / 3")
        self.assertEqual(receipt.move_ids.serial_tracing_state, "partial")
        self.assertEqual(self.lot_product.product_tmpl_id.tracking, "lot")

    def test_too_few_serials_say_how_many(self):
        receipt = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 4
        )
        lines = receipt.move_ids.move_line_ids
        self.assertEqual(len(lines), 4)
        for line, name in zip(lines[:3], ("TF-1", "TF-2", "TF-3"), strict=True):
            line.lot_name = name
        receipt.move_ids.picked = True
        with self.assertRaisesRegex(
            UserError, r"3 of 4 serial numbers for \[SW\] Serial Widget on WH/IN/"
        ):
            receipt.button_validate()
        self.assertEqual(receipt.state, "assigned")

    def test_scan_to_open_reads_gs1(self):
        self._receive(["OPEN-1"])
        lot = self._lots(["OPEN-1"])
        Lot = self.env["stock.lot"]
        action = Lot.serial_action_open_by_code(f"]d201{GTIN}21OPEN-1")
        self.assertEqual(action["res_id"], lot.id)
        self.assertEqual(
            Lot.serial_action_open_by_code(f"(01){GTIN}(21)OPEN-1")["res_id"], lot.id
        )
        self.assertFalse(
            Lot.serial_action_open_by_code("(01)00012345678905(21)OPEN-1"),
            "a GS1 code of another product opens nothing",
        )

    def test_scan_on_the_transfer_form(self):
        self._receive(["FS-1", "FS-2", "FS-3"])
        self._receive(["GD-1"], product=self.product2)
        picking = self._picking(
            self.warehouse.out_type_id,
            self.stock,
            self.customer_loc,
            self.product,
            2,
            self.customer,
        )
        picking.action_assign()
        result = picking.serial_action_scan("FS-3")
        self.assertEqual(result["type"], "success", result)
        self.assertIn("FS-3 picked (1 / 2)", result["message"])
        picked = picking.move_line_ids.filtered("picked")
        self.assertEqual(picked.lot_id.mapped("name"), ["FS-3"])
        before = self._counts()
        refused = picking.serial_action_scan("NOPE-9")
        self.assertEqual(refused["type"], "danger")
        self.assertIn("NOPE-9: unknown serial number", refused["message"])
        self.assertIn(
            "GD-1: is a serial number of [SG] Serial Gadget",
            picking.serial_action_scan("GD-1")["message"],
        )
        self.assertIn(
            "matches no product",
            picking.serial_action_scan("(01)00012345678905(21)FS-2")["message"],
        )
        self.assertEqual(self._counts(), before)
        self.assertEqual(picking.serial_action_scan("FS-3")["type"], "warning")
        picking.serial_action_scan(f"(01){GTIN}(21)FS-1")
        self.assertEqual(picking.move_ids.serial_progress, "2 / 2")
        self.assertIn("one too many", picking.serial_action_scan("FS-2")["message"])
        self._validate(picking)
        self.assertEqual(
            sorted(picking.move_line_ids.lot_id.mapped("name")), ["FS-1", "FS-3"]
        )

    def test_scan_on_a_receipt_form(self):
        receipt = self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            self.stock,
            self.product,
            2,
            self.vendor,
        )
        self.assertEqual(receipt.serial_action_scan("RF-1")["type"], "success")
        self.assertEqual(receipt.serial_action_scan("RF-1")["type"], "warning")
        self.assertEqual(receipt.serial_action_scan("RF#2")["type"], "danger")
        receipt.serial_action_scan(f"]d201{GTIN}21RF-2")
        self.assertEqual(receipt.move_ids.serial_progress, "2 / 2")
        self._validate(receipt)
        self.assertEqual(
            set(self._lots(["RF-1", "RF-2"]).mapped("serial_status")), {"received"}
        )

    def test_pick_from_offers_only_serials_on_hand_here(self):
        self._receive(["PF-1", "PF-2"])
        self._deliver(self._lots(["PF-1"]))
        left = self.env["stock.quant"].search(
            [("lot_id.name", "=", "PF-1"), ("location_id", "=", self.stock.id)]
        )
        self.assertEqual(left.quantity, 0, "an empty quant stays behind")
        view = self.env.ref("stock.view_stock_move_line_operation_tree")
        arch = self.env["stock.move.line"].get_view(view.id)["arch"]
        domain_text = re.search(r'name="quant_id"[^>]*domain="([^"]*)"', arch)[1]

        class Parent:
            location_id = self.stock.id

        domain = safe_eval(
            html.unescape(domain_text),
            {"product_id": self.product.id, "parent": Parent},
        )
        offered = self.env["stock.quant"].search(domain)
        self.assertEqual(offered.lot_id.mapped("name"), ["PF-2"])

    def test_uploaded_file_says_which_column_and_picks(self):
        self._receive(["UP-1", "UP-2", "UP-3"])
        picking = self._delivery(2)
        data = b"Product,Serial Number\nSW,UP-3\nSW,UP-1\n"
        wizard = self._upload(picking.move_ids, "picked.csv", data, pick=True)
        self.assertEqual(wizard.upload_note, 'column B ("Serial Number")')
        self.assertEqual(sorted(wizard.lot_ids.mapped("name")), ["UP-1", "UP-3"])
        wizard.action_apply()
        self.assertEqual(
            sorted(picking.move_ids.move_line_ids.lot_id.mapped("name")),
            ["UP-1", "UP-3"],
        )

    def test_nul_character_is_refused_before_anything_is_saved(self):
        picking = self._delivery(1)
        before = self._counts()
        with self.assertRaisesRegex(ValidationError, r"U\+0000 NULL.*on line 2"):
            self._entry(picking.move_ids, serial_text="A-1\nA\x00-2")
        action = picking.move_ids.action_open_serial_entry()
        form = Form(self.env["stock.serial.entry"].with_context(**action["context"]))
        form.scan_input = "B\x00-1"
        self.assertEqual(form.scan_state, "refused")
        self.assertIn("U+0000 NULL", form.scan_message)
        self.assertEqual(self._counts(), before)

    def test_gs1_code_typed_in_a_serial_field(self):
        self._receive(["NS-1"])
        self._receive(["NS-1"], product=self.product2)
        Lot = self.env["stock.lot"]
        found = Lot.name_search(f"(01){GTIN}(21)NS-1")
        self.assertEqual([lot_id for lot_id, _name in found], self._lots(["NS-1"]).ids)
        self.assertFalse(Lot.name_search("(01)00012345678905(21)NS-1"))
        self.assertEqual(len(Lot.name_search("NS-1")), 2, "plain names as before")

    def test_fractional_quantity_since_opening_is_refused_at_apply(self):
        receipt = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 2
        )
        wizard = self._entry(receipt.move_ids, serial_text="FR-1\nFR-2")
        receipt.move_ids.product_uom_qty = 2.5
        self.assertRefused(
            UserError, r"(?s)whole units.*WH/IN/.*: 2\.5 Units", wizard.action_apply
        )

    def test_a_reservation_elsewhere_is_taken_over(self):
        self._receive(["TO-1", "TO-2", "TO-3"])
        first = self._delivery(1)
        held = first.move_ids.move_line_ids.lot_id
        self.assertEqual(held.name, "TO-1", "Odoo reserved the oldest for the first")
        second = self._delivery(1)
        self._entry(second.move_ids, serial_text="TO-1").action_apply()
        self._validate(second)
        self.assertEqual(self._lots(["TO-1"]).serial_status, "shipped")
        # the first delivery reserved another unit instead
        self.assertEqual(first.state, "assigned")
        self.assertEqual(len(first.move_ids.move_line_ids.lot_id), 1)
        self.assertNotEqual(first.move_ids.move_line_ids.lot_id.name, "TO-1")

    def test_numeric_serial_that_starts_like_gs1(self):
        self._receive(["0212345678901234"])
        picking = self._delivery(1)
        self._entry(picking.move_ids, serial_text="0212345678901234").action_apply()
        self.assertEqual(picking.move_ids.move_line_ids.lot_id.name, "0212345678901234")
        lot = self._lots(["0212345678901234"])
        action = self.env["stock.lot"].serial_action_open_by_code("0212345678901234")
        self.assertEqual(action["res_id"], lot.id)

    def test_scan_to_open_through_rpc(self):
        # the web client calls it as a model method, with the code only
        self._receive(["RPC-1"])
        action = call_kw(
            self.env["stock.lot"], "serial_action_open_by_code", ["RPC-1"], {}
        )
        self.assertEqual(action["res_id"], self._lots(["RPC-1"]).id)

    def test_scan_on_a_receipt_with_announced_serials(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_qty": 3,
                            "price_unit": 1,
                        }
                    )
                ],
            }
        )
        order.order_line._serial_assign_names(["AN-1", "AN-2", "AN-3"])
        order.button_confirm()
        receipt = order.picking_ids
        self.assertEqual(receipt.move_ids.serial_progress, "0 / 3", "not arrived yet")
        result = receipt.serial_action_scan("AN-2")
        self.assertEqual(result["type"], "success", result)
        self.assertIn("AN-2 expected: checked (1 / 3)", result["message"])
        self.assertEqual(receipt.serial_action_scan("AN-2")["type"], "warning")
        result = receipt.serial_action_scan("AN-3")
        self.assertIn("(2 / 3)", result["message"])
        result = receipt.button_validate()
        backorder = Form(
            self.env["stock.backorder.confirmation"].with_context(**result["context"])
        ).save()
        backorder.process()
        self.assertEqual(
            sorted(receipt.move_line_ids.lot_id.mapped("name")), ["AN-2", "AN-3"]
        )
        self.assertEqual(self._lots(["AN-1"]).serial_status, "planned")

    def test_a_serial_listed_by_hand_is_checked_by_id(self):
        self._receive(["SAME-1"])
        self._receive(["SAME-1"], product=self.product2)
        picking = self._delivery(1)
        wizard = self._entry(picking.move_ids)
        wizard.lot_ids = self._lots(["SAME-1"], self.product2)
        self.assertRefused(
            ValidationError,
            r"SAME-1: is not a serial of \[SW\] Serial Widget",
            wizard.action_apply,
        )

    def test_select_all_offers_only_what_can_leave(self):
        self._receive(["SA-1", "SA-2", "SA-3"])
        other = self._delivery(1)
        self._entry(other.move_ids, serial_text="SA-1").action_apply()
        self._lots(["SA-2"]).action_serial_hold("inspection")
        picking = self._delivery(1)
        wizard = self._entry(picking.move_ids)
        wizard.action_select_all()
        self.assertEqual(wizard.lot_ids.mapped("name"), ["SA-3"])

    def test_another_companys_serial_is_said_to_be_one(self):
        other = self.env["res.company"].create({"name": "Sister Co"})
        self.env["stock.lot"].create(
            {"name": "SIS-1", "product_id": self.product.id, "company_id": other.id}
        )
        picking = self._delivery(1)
        wizard = self._entry(picking.move_ids, serial_text="SIS-1")
        with self.assertRaisesRegex(
            ValidationError,
            r"SIS-1: is a serial number of another company \(Sister Co\)",
        ):
            wizard.action_apply()
