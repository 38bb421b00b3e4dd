from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialCategoryDefaults(SerialCase):
    """Category defaults: inheritance down the category tree and to products,
    override on the product, revert to the category's value."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categ = cls.env["product.category"].create({"name": "Serial Tools"})
        cls.sub = cls.env["product.category"].create(
            {"name": "Drills", "parent_id": cls.categ.id}
        )
        cls.drill = cls._serial_product("Drill", "DR", categ_id=cls.sub.id)
        cls.saw = cls._serial_product("Saw", "SAW", categ_id=cls.categ.id)

    def test_new_category_and_product_take_defaults(self):
        self.assertTrue(self.categ.serial_required_receipt)
        self.assertTrue(self.categ.serial_required_sale)
        self.assertFalse(self.categ.serial_format)
        self.assertTrue(self.drill.serial_required_sale)
        self.assertFalse(self.drill.serial_warranty_months_custom)

    def test_category_change_reaches_subcategories_and_products(self):
        self.categ.write(
            {
                "serial_auto_generate": True,
                "serial_format": "[[CODE]]-[[INCNUM,NONE,4,1]]",
                "serial_warranty_months": 24,
                "serial_required_delivery": False,
            }
        )
        self.assertTrue(self.categ.serial_format_custom)
        self.assertFalse(self.sub.serial_format_custom)
        for record in (self.sub, self.drill, self.saw):
            self.assertEqual(record.serial_format, "[[CODE]]-[[INCNUM,NONE,4,1]]")
            self.assertEqual(record.serial_warranty_months, 24)
            self.assertFalse(record.serial_required_delivery)
            self.assertTrue(record.serial_auto_generate)
        # one format, each product its own numbers
        self.assertEqual(self.drill._serial_next_names(1), ["DR-0001"])
        self.assertEqual(self.saw._serial_next_names(1), ["SAW-0001"])

    def test_product_override_survives_category_change_and_reverts(self):
        self.drill.serial_warranty_months = 6
        self.assertTrue(self.drill.serial_warranty_months_custom)
        self.categ.serial_warranty_months = 12
        self.assertEqual(self.drill.serial_warranty_months, 6)
        self.assertEqual(self.saw.serial_warranty_months, 12)
        self.drill.product_tmpl_id.action_serial_use_category(
            ["serial_warranty_months"]
        )
        self.assertFalse(self.drill.serial_warranty_months_custom)
        self.assertEqual(self.drill.serial_warranty_months, 12)

    def test_writing_the_inherited_value_is_no_override(self):
        self.categ.serial_warranty_months = 12
        self.saw.serial_warranty_months = 12
        self.assertFalse(self.saw.serial_warranty_months_custom)
        self.categ.serial_warranty_months = 3
        self.assertEqual(self.saw.serial_warranty_months, 3)

    def test_subcategory_override_and_revert(self):
        self.sub.serial_warranty_months = 36
        self.categ.serial_warranty_months = 12
        self.assertEqual(self.drill.serial_warranty_months, 36)
        self.assertEqual(self.saw.serial_warranty_months, 12)
        self.sub.action_serial_use_parent()
        self.assertEqual(self.sub.serial_warranty_months, 12)
        self.assertEqual(self.drill.serial_warranty_months, 12)

    def test_moving_product_to_other_category(self):
        other = self.env["product.category"].create(
            {"name": "Warranted", "serial_warranty_months": 18}
        )
        self.assertTrue(other.serial_warranty_months_custom)
        self.saw.categ_id = other
        self.assertEqual(self.saw.serial_warranty_months, 18)

    def test_created_with_own_value_is_an_override(self):
        self.categ.serial_warranty_months = 12
        product = self._serial_product(
            "Hammer", "HM", categ_id=self.categ.id, serial_warranty_months=1
        )
        self.assertTrue(product.serial_warranty_months_custom)
        self.categ.serial_warranty_months = 9
        self.assertEqual(product.serial_warranty_months, 1)

    def test_product_form_shows_source_override_and_revert(self):
        self.categ.serial_warranty_months = 12
        with Form(self.saw.product_tmpl_id) as form:
            self.assertEqual(form.serial_warranty_months, 12)
            self.assertFalse(form.serial_warranty_months_custom)
            form.serial_warranty_months = 4
            self.assertTrue(form.serial_warranty_months_custom)
        self.assertTrue(self.saw.serial_warranty_months_custom)
        with Form(self.saw.product_tmpl_id) as form:
            form.serial_warranty_months_custom = False
            self.assertEqual(form.serial_warranty_months, 12)
        self.assertEqual(self.saw.serial_warranty_months, 12)
        self.assertFalse(self.saw.serial_warranty_months_custom)

    def test_new_product_form_takes_category_values(self):
        self.categ.write(
            {"serial_warranty_months": 12, "serial_required_receipt": False}
        )
        form = Form(self.env["product.template"])
        form.name = "Grinder"
        form.categ_id = self.categ
        self.assertEqual(form.serial_warranty_months, 12)
        template = form.save()
        self.assertFalse(template.serial_required_receipt)
        self.assertFalse(template.serial_required_receipt_custom)
        self.categ.serial_required_receipt = True
        self.assertTrue(template.serial_required_receipt)

    def _stored_formats(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM product_category WHERE serial_format IS NOT NULL"
        )
        categories = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            "SELECT count(*) FROM product_template WHERE serial_format IS NOT NULL"
        )
        return categories, self.env.cr.fetchone()[0]

    def test_invalid_category_format_refused_naming_it(self):
        before = self._stored_formats()
        with self.assertRaises(ValidationError) as caught:
            self.categ.serial_format = "SN-[[NOPE]]"
        self.assertIn("category Serial Tools is invalid", str(caught.exception))
        self.assertEqual(self._stored_formats(), before)

    def test_auto_numbering_without_format_refused(self):
        with self.assertRaisesRegex(ValidationError, "Serial Tools.*no serial format"):
            self.categ.serial_auto_generate = True

    def test_negative_warranty_refused(self):
        with self.assertRaisesRegex(ValidationError, "Serial Tools"):
            self.categ.serial_warranty_months = -1
