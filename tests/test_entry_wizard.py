import base64

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialEntryWizard(SerialCase):
    def test_action_context_is_all_the_wizard_needs(self):
        picking = self._receipt(3)
        action = picking.move_ids.action_open_serial_entry()
        self.assertEqual(action["target"], "new")
        wizard_form = Form(
            self.env["stock.serial.entry"].with_context(**action["context"])
        )
        self.assertEqual(wizard_form.product_id, self.product)
        self.assertEqual(wizard_form.mode, "add")
        self.assertEqual(wizard_form.required_count, 3)
        wizard_form.serial_text = "F-1\nF-2\nF-3"
        wizard = wizard_form.save()
        wizard.action_apply()
        self.assertEqual(
            sorted(picking.move_line_ids.mapped("lot_name")), ["F-1", "F-2", "F-3"]
        )

    def test_paste_separators_dedupe_and_report(self):
        picking = self._receipt(4)
        wizard = self._entry(picking.move_ids, serial_text="A-1;A-2\tA-3\nA-1\nA-2\n\n")
        wizard.action_add()
        self.assertEqual(wizard.entered_count, 3)
        self.assertEqual(wizard.counter_text, "3 / 4")
        self.assertIn("2 duplicates removed", wizard.report)
        self.assertIn("A-1", wizard.report)
        self.assertEqual(wizard.summary, "A-1 – A-3 (3)")

    def test_comma_separated_single_line(self):
        picking = self._receipt(3)
        wizard = self._entry(picking.move_ids, serial_text="C-1, C-2,C-3")
        wizard.action_add()
        self.assertEqual(wizard._names(), ["C-1", "C-2", "C-3"])

    def test_invalid_names_listed_with_reasons(self):
        picking = self._receipt(3)
        self._receive(["IN-STOCK-1"])
        wizard = self._entry(
            picking.move_ids, serial_text="OK-1\nBAD#2\nIN-STOCK-1\n" + "X" * 40
        )
        wizard.action_add()
        self.assertEqual(wizard._names(), ["OK-1"])
        self.assertIn("BAD#2", wizard.report)
        self.assertIn("not allowed", wizard.report)
        self.assertIn("IN-STOCK-1: is already in stock", wizard.report)
        self.assertIn("longer than 32", wizard.report)

    def test_apply_refused_when_counts_differ_and_writes_nothing(self):
        picking = self._receipt(3)
        wizard = self._entry(picking.move_ids, serial_text="N-1\nN-2")
        with self.assertRaisesRegex(
            ValidationError, "2 serial numbers entered, 3 required"
        ):
            wizard.action_apply()
        self.assertFalse(picking.move_line_ids.filtered("lot_name"))

    def test_apply_refused_on_invalid_or_duplicate_input(self):
        picking = self._receipt(2)
        wizard = self._entry(picking.move_ids, serial_text="D-1\nD-1")
        with self.assertRaisesRegex(ValidationError, "more than once: D-1"):
            wizard.action_apply()
        wizard = self._entry(picking.move_ids, serial_text="E-1\nE#2")
        with self.assertRaisesRegex(ValidationError, "E#2"):
            wizard.action_apply()
        self.assertFalse(picking.move_line_ids.filtered("lot_name"))

    def test_range_input_and_collapsed_list(self):
        picking = self._receipt(10)
        wizard = self._entry(
            picking.move_ids,
            input_method="range",
            range_prefix="SN-",
            range_start=1,
            range_count=10,
            range_padding=4,
        )
        wizard.action_add()
        self.assertEqual(wizard.summary, "SN-0001 – SN-0010 (10)")
        wizard.remove_name = "SN-0005"
        wizard.action_remove_one()
        self.assertEqual(wizard.summary, "SN-0001 – SN-0004 (4)\nSN-0006 – SN-0010 (5)")
        wizard.action_toggle_show_all()
        self.assertEqual(len(wizard.summary.split("\n")), 9)
        wizard.action_clear()
        self.assertEqual(wizard.entered_count, 0)

    def _wizard_form(self, move):
        action = move.action_open_serial_entry()
        return Form(self.env["stock.serial.entry"].with_context(**action["context"]))

    def test_auto_number_tab_starts_at_what_is_left(self):
        picking = self._receipt(5)
        wizard_form = self._wizard_form(picking.move_ids)
        self.assertEqual(wizard_form.auto_count, 5)
        self._set_lines(picking, ["LEFT-1", "LEFT-2"])
        # reopened with two serials entered: three are left to number
        self.assertEqual(self._wizard_form(picking.move_ids).auto_count, 3)

    def test_range_last_number_follows_the_count_with_a_preview(self):
        picking = self._receipt(30)
        wizard_form = self._wizard_form(picking.move_ids)
        wizard_form.input_method = "range"
        wizard_form.range_prefix = "RG-"
        wizard_form.range_count = 20
        self.assertEqual(wizard_form.range_end, 20)
        self.assertEqual(
            wizard_form.range_preview, "RG-0001 … RG-0020 (20 serial numbers)"
        )
        wizard_form.range_end = 30
        self.assertEqual(wizard_form.range_count, 30)
        wizard_form.range_start = 11
        self.assertEqual(wizard_form.range_end, 40)
        self.assertEqual(
            wizard_form.range_preview, "RG-0011 … RG-0040 (30 serial numbers)"
        )
        wizard = wizard_form.save()
        # count and last number both set: the range is the one previewed
        wizard.action_add()
        self.assertEqual(wizard.summary, "RG-0011 – RG-0040 (30)")

    def test_range_bad_input(self):
        picking = self._receipt(1)
        wizard = self._entry(
            picking.move_ids, input_method="range", range_start=5, range_end=2
        )
        with self.assertRaises(UserError):
            wizard.action_add()

    def test_upload_csv_and_xlsx(self):
        picking = self._receipt(3)
        csv_data = b"Serial,Note\nU-1,a\nU-2,b\nU-3,c\n"
        wizard = self._upload(picking.move_ids, "serials.csv", csv_data)
        self.assertEqual(wizard._names(), ["U-1", "U-2", "U-3"])
        xlsx_data = self._xlsx([value] for value in ("X-1", "X-2", 3))
        wizard = self._upload(picking.move_ids, "serials.xlsx", xlsx_data)
        self.assertEqual(wizard._names(), ["X-1", "X-2", "3"])

    def test_upload_malformed_file(self):
        picking = self._receipt(1)
        wizard = self._entry(
            picking.move_ids,
            input_method="upload",
            upload_file=base64.b64encode(b"not a zip"),
            upload_filename="serials.xlsx",
        )
        with self.assertRaisesRegex(UserError, "xlsx"):
            wizard.action_add()
        wizard.upload_filename = "serials.pdf"
        with self.assertRaisesRegex(UserError, "pdf|\\.txt"):
            wizard.action_add()

    def test_auto_numbering_input(self):
        self.product.serial_format = "AU-[[INCNUM,NONE,3,1]]"
        picking = self._receipt(3)
        wizard = self._entry(picking.move_ids, input_method="auto")
        wizard.action_add()
        self.assertEqual(wizard._names(), ["AU-001", "AU-002", "AU-003"])
        wizard.action_apply()
        self._validate(picking)
        self.assertEqual(
            sorted(self._lots(["AU-001", "AU-002", "AU-003"]).mapped("serial_status")),
            ["received"] * 3,
        )

    def test_remove_mode_select_all_auto_select_and_search(self):
        self._receive(["R-1", "R-2", "R-3", "R-4"])
        out = self._picking(
            self.warehouse.out_type_id, self.stock, self.customer_loc, self.product, 2
        )
        wizard = self._entry(out.move_ids)
        self.assertEqual(wizard.mode, "remove")
        wizard.action_select_all()
        self.assertEqual(len(wizard.lot_ids), 4)
        with self.assertRaisesRegex(
            ValidationError, "4 serial numbers entered, 2 required"
        ):
            wizard.action_apply()
        wizard.action_clear()
        wizard.lot_search = "R-3"
        wizard.action_select_all()
        self.assertEqual(wizard.lot_ids.mapped("name"), ["R-3"])
        wizard.lot_search = False
        wizard.action_auto_select()
        self.assertEqual(len(wizard.lot_ids), 2)
        self.assertIn("R-3", wizard.lot_ids.mapped("name"))
        wizard.action_apply()
        self._validate(out)
        self.assertEqual(set(wizard.lot_ids.mapped("serial_status")), {"shipped"})

    def test_remove_mode_refuses_serial_elsewhere(self):
        self._receive(["EL-1"], destination=self.shelf)
        other = self.env["stock.location"].create(
            {"name": "Bin X", "location_id": self.stock.id, "usage": "internal"}
        )
        self._receive(["EL-2"], destination=other)
        picking = self._picking(
            self.warehouse.int_type_id, other, self.stock, self.product, 1
        )
        wizard = self._entry(picking.move_ids)
        wizard.lot_ids = self._lots(["EL-1"])
        with self.assertRaisesRegex(ValidationError, "EL-1"):
            wizard.action_apply()

    def test_hundred_thousand_pasted_serials(self):
        self._receive(["BIG-000500"])
        text = "\n".join(f"BIG-{i:06d}" for i in range(100000))
        wizard = self.env["stock.serial.entry"].create(
            {
                "target": "inventory",
                "product_id": self.product.id,
                "location_id": self.stock.id,
                "serial_text": text + "\nBIG-000001",
            }
        )
        wizard.action_add()
        self.assertEqual(wizard.entered_count, 99999)
        self.assertIn("BIG-000500: is already in stock", wizard.report)
        self.assertIn("1 duplicates removed", wizard.report)
        self.assertEqual(
            wizard.summary,
            "BIG-000000 – BIG-000499 (500)\nBIG-000501 – BIG-099999 (99499)",
        )

    def test_initial_stock_naming(self):
        product = self.env["product.product"].create(
            {"name": "Legacy", "is_storable": True, "tracking": "none"}
        )
        self.env["stock.quant"]._update_available_quantity(product, self.stock, 3)
        product.tracking = "serial"
        self.assertEqual(product.serial_uninitialized_qty, 3)
        self.assertEqual(product.product_tmpl_id.serial_uninitialized_qty, 3)
        action = product.product_tmpl_id.action_serial_initialize()
        wizard = (
            self.env["stock.serial.entry"]
            .with_context(**action["context"])
            .create(
                {
                    "serial_text": "OLD-1\nOLD-2\nOLD-3\nOLD-4",
                    "location_id": self.stock.id,
                }
            )
        )
        with self.assertRaisesRegex(ValidationError, "3 units without serial"):
            wizard.action_apply()
        wizard = (
            self.env["stock.serial.entry"]
            .with_context(**action["context"])
            .create({"serial_text": "OLD-1\nOLD-2", "location_id": self.stock.id})
        )
        wizard.action_apply()
        product.invalidate_recordset()
        self.assertEqual(product.serial_uninitialized_qty, 1)
        self.assertEqual(product.qty_available, 3)
        lots = self._lots(["OLD-1", "OLD-2"], product)
        self.assertEqual(set(lots.mapped("serial_status")), {"received"})

    def test_wizard_from_manufacturing_component_move(self):
        self._receive(["COMP-1"])
        finished = self.env["product.product"].create(
            {"name": "Assembly", "is_storable": True}
        )
        production = self._mo(finished, components=[(self.product, 1)])
        wizard = self._entry(production.move_raw_ids)
        self.assertEqual(wizard.mode, "remove")
        wizard.lot_ids = self._lots(["COMP-1"])
        wizard.action_apply()
        self.assertEqual(production.move_raw_ids.move_line_ids.lot_id.name, "COMP-1")

    def test_receipt_from_customer_accepts_shipped_serial(self):
        self._receive(["BACK-1"])
        lot = self._lots(["BACK-1"])
        self._deliver(lot)
        picking = self._picking(
            self.warehouse.in_type_id,
            self.customer_loc,
            self.stock,
            self.product,
            1,
            self.customer,
        )
        wizard = self._entry(picking.move_ids, serial_text="BACK-1")
        wizard.action_add()
        self.assertEqual(wizard._names(), ["BACK-1"], wizard.report)
        wizard.action_apply()
        self._validate(picking)
        self.assertEqual(lot.serial_status, "returned")
        # From a vendor, the same shipped serial is refused.
        self._deliver(lot)
        receipt = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 1
        )
        wizard = self._entry(receipt.move_ids, serial_text="BACK-1")
        wizard.action_add()
        self.assertFalse(wizard._names())
        self.assertIn("BACK-1: has left the company", wizard.report)
