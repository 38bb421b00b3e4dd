from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialNumbering(SerialCase):
    def test_spec_example(self):
        self.product.serial_format = "SN-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4,1]]"
        with freeze_time("2026-11-05"):
            names = self.product._serial_next_names(2)
        self.assertEqual(names, ["SN-202611-0001", "SN-202611-0002"])

    def test_monthly_reset_and_code(self):
        self.product.serial_format = "[[CODE]]-[[YY]][[MONTH]]-[[INCNUM,MONTHLY,3,1]]"
        with freeze_time("2026-01-31"):
            self.assertEqual(self.product._serial_next_names(1), ["SW-2601-001"])
        with freeze_time("2026-02-01"):
            self.assertEqual(self.product._serial_next_names(1), ["SW-2602-001"])
        with freeze_time("2026-01-31"):
            self.assertEqual(self.product._serial_next_names(1), ["SW-2601-002"])

    def test_start_and_existing_names_skipped(self):
        self.product.serial_format = "K-[[INCNUM,NONE,2,7]]"
        self.env["stock.lot"].create({"name": "K-08", "product_id": self.product2.id})
        self.assertEqual(self.product._serial_next_names(3), ["K-07", "K-09", "K-10"])

    def test_preview_does_not_consume(self):
        self.product.serial_format = "P-[[INCNUM,NONE,3,1]]"
        template = self.product.product_tmpl_id
        template.invalidate_recordset(["serial_format_preview"])
        self.assertEqual(template.serial_format_preview, "P-001")
        template.invalidate_recordset(["serial_format_preview"])
        self.assertEqual(template.serial_format_preview, "P-001")
        self.assertEqual(self.product._serial_next_names(1), ["P-001"])
        template.invalidate_recordset(["serial_format_preview"])
        self.assertEqual(template.serial_format_preview, "P-002")

    def test_invalid_template_refused_with_reason(self):
        with self.assertRaisesRegex(ValidationError, "FOO"):
            self.product.serial_format = "X-[[FOO]]-[[INCNUM,NONE,3,1]]"
        with self.assertRaisesRegex(ValidationError, "INCNUM"):
            self.product.serial_format = "X-[[YEAR]]"
        with self.assertRaisesRegex(ValidationError, "INCNUM"):
            self.product.serial_format = "[[INCNUM,NONE,3,1]][[INCNUM,NONE,3,1]]"
        with self.assertRaises(ValidationError):
            self.product.write({"serial_auto_generate": True, "serial_format": False})

    def test_form_validates_format(self):
        form = Form(self.product.product_tmpl_id)
        form.serial_format = "Z-[[YEAR]]-[[INCNUM,YEARLY,4,1]]"
        form.save()
        self.assertEqual(self.product.serial_format, "Z-[[YEAR]]-[[INCNUM,YEARLY,4,1]]")

    def test_code_token_needs_reference(self):
        product = self._serial_product("No ref", False)
        product.serial_format = "[[CODE]]-[[INCNUM,NONE,3,1]]"
        with self.assertRaisesRegex(UserError, "CODE"):
            product._serial_next_names(1)

    def test_counters_are_per_product(self):
        self.product.serial_format = "A-[[INCNUM,NONE,1,1]]"
        self.product2.serial_format = "B-[[INCNUM,NONE,1,1]]"
        self.assertEqual(self.product._serial_next_names(2), ["A-1", "A-2"])
        self.assertEqual(self.product2._serial_next_names(1), ["B-1"])
        self.assertEqual(self.product._serial_next_names(1), ["A-3"])
        self.assertEqual(self.product._serial_next_names(0), [])
