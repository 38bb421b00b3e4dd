from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools.misc import file_path

from ..lib import serial_settings
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
        self.assertFalse(self.categ.serial_required_sale)
        self.assertFalse(self.categ.serial_format)
        self.assertFalse(self.drill.serial_required_sale)
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


@tagged("post_install", "-at_install")
class TestSerialMassConfig(SerialCase):
    """The Configure Serial Tracking action on selected products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categ = cls.env["product.category"].create(
            {"name": "Rollout", "serial_warranty_months": 12}
        )
        cls.plain = cls.env["product.template"].create(
            [
                {
                    "name": f"Plain {i:02d}",
                    "default_code": f"PL{i:02d}",
                    "is_storable": True,
                    "categ_id": cls.categ.id,
                }
                for i in range(50)
            ]
        )

    def _wizard(self, templates, **values):
        return (
            self.env["stock.serial.config"]
            .with_context(active_model="product.template", active_ids=templates.ids)
            .create(values)
        )

    def _counts(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FILTER (WHERE tracking = 'serial'),"
            " count(*) FILTER (WHERE serial_format IS NOT NULL),"
            " count(*) FILTER (WHERE is_storable) FROM product_template"
        )
        return self.env.cr.fetchone()

    def test_switch_and_set_without_stock(self):
        wizard = self._wizard(
            self.plain,
            serial_format_mode="set",
            serial_format="[[CODE]]-[[INCNUM,NONE,3,1]]",
            serial_auto_generate_mode="set",
            serial_auto_generate=True,
            serial_required_delivery_mode="set",
            serial_required_delivery=False,
        )
        self.assertEqual(wizard.product_count, 50)
        self.assertFalse(wizard.refusal_count)
        wizard.action_apply()
        self.assertEqual(set(self.plain.mapped("tracking")), {"serial"})
        self.assertTrue(all(self.plain.mapped("serial_auto_generate")))
        self.assertFalse(any(self.plain.mapped("serial_required_delivery")))
        self.assertTrue(all(self.plain.mapped("serial_format_custom")))
        self.assertEqual(set(self.plain.mapped("serial_warranty_months")), {12})
        self.assertEqual(
            self.plain[3].product_variant_id._serial_next_names(1), ["PL03-001"]
        )

    def test_back_to_category(self):
        self.plain[:2].write({"serial_warranty_months": 3})
        self._wizard(self.plain, serial_warranty_months_mode="category").action_apply()
        self.assertEqual(set(self.plain.mapped("serial_warranty_months")), {12})
        self.assertFalse(any(self.plain.mapped("serial_warranty_months_custom")))

    def test_switch_with_stock_lists_uninitialized_and_lots(self):
        stocked = self.plain[0]
        self.env["stock.quant"]._update_available_quantity(
            stocked.product_variant_id, self.stock, 4
        )
        lot_tmpl = self.lot_product.product_tmpl_id
        lot = self.env["stock.lot"].create(
            {"name": "LOT-ONE", "product_id": self.lot_product.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.lot_product, self.stock, 1, lot_id=lot
        )
        wizard = self._wizard(stocked | lot_tmpl)
        notes = {(line.product_tmpl_id, line.kind) for line in wizard.line_ids}
        self.assertIn((stocked, "note"), notes)
        self.assertIn((lot_tmpl, "note"), notes)
        messages = " ".join(wizard.line_ids.mapped("message"))
        self.assertIn("Serials not initialized: 4 units", messages)
        self.assertIn("Tracked by lot with 1 lots", messages)
        self.assertFalse(wizard.refusal_count)
        wizard.action_apply()
        self.assertEqual(stocked.tracking, "serial")
        self.assertEqual(stocked.product_variant_id.serial_uninitialized_qty, 4)
        self.assertEqual(lot.serial_status, "received")

    def test_one_refusal_of_fifty_writes_nothing(self):
        self.env["stock.quant"]._update_available_quantity(
            self.plain[17].product_variant_id, self.stock, 2.5
        )
        before = self._counts()
        wizard = self._wizard(
            self.plain,
            serial_format_mode="set",
            serial_format="[[CODE]]-[[INCNUM,NONE,3,1]]",
        )
        self.assertEqual(wizard.refusal_count, 1)
        message = self._refusal(wizard.action_apply)
        self.assertIn("Plain 17", message)
        self.assertIn("fractional", message)
        self.assertNotIn("Plain 16", message)
        self.assertEqual(self._counts(), before)

    def test_refusals_named(self):
        service = self.env["product.template"].create(
            {"name": "Setup Service", "type": "service"}
        )
        no_code = self.env["product.template"].create(
            {"name": "No Code", "is_storable": True}
        )
        lot_tmpl = self.lot_product.product_tmpl_id
        big_lot = self.env["stock.lot"].create(
            {"name": "LOT-BIG", "product_id": self.lot_product.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.lot_product, self.stock, 5, lot_id=big_lot
        )
        before = self._counts()
        wizard = self._wizard(
            service | no_code | lot_tmpl | self.plain[:3],
            serial_format_mode="set",
            serial_format="[[CODE]]-[[INCNUM,NONE,3,1]]",
        )
        message = self._refusal(wizard.action_apply)
        self.assertIn("Setup Service: A service", message)
        self.assertIn("No Code: The format uses [[CODE]]", message)
        self.assertIn("LOT-BIG", message)
        self.assertNotIn("Plain 00", message)
        self.assertEqual(self._counts(), before)

    def test_invalid_format_refused(self):
        before = self._counts()
        wizard = self._wizard(
            self.plain, serial_format_mode="set", serial_format="SN-[[NOPE]]"
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_apply()
        self.assertIn("[[NOPE]]", str(caught.exception))
        self.assertEqual(self._counts(), before)

    def test_not_storable_used_refused(self):
        consumable = self.env["product.product"].create(
            {"name": "Used Consumable", "is_storable": False}
        )
        picking = self._picking(
            self.env.ref("stock.picking_type_in"),
            self.supplier_loc,
            self.stock,
            consumable,
            1,
        )
        picking.action_confirm()
        picking.move_ids.quantity = 1
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        before = self._counts()
        with self.assertRaises(UserError) as caught:
            self._wizard(consumable.product_tmpl_id).action_apply()
        self.assertIn("Used Consumable", str(caught.exception))
        self.assertEqual(self._counts(), before)


@tagged("post_install", "-at_install")
class TestSerialConfigImport(SerialCase):
    """Every serial setting goes through Odoo's standard import and export,
    with the files of tests/data (the template the README shows)."""

    def _import(self, model, filename):
        path = file_path(f"stock_serial_tracking/tests/data/{filename}")
        with open(path, "rb") as handle:
            content = handle.read()
        header = content.decode().splitlines()[0].split(",")
        wizard = self.env["base_import.import"].create(
            {"res_model": model, "file": content, "file_type": "text/csv"}
        )
        options = {"quoting": '"', "separator": ",", "has_headers": True}
        result = wizard.execute_import(header, header, options)
        self.assertFalse(result["messages"], result["messages"])
        return self.env[model].browse(result["ids"])

    def test_import_categories_then_products(self):
        (category,) = self._import("product.category", "serial_config_categories.csv")
        self.assertEqual(
            category.serial_format, "[[CODE]]-[[YEAR]]-[[INCNUM,YEARLY,5,1]]"
        )
        self.assertEqual(category.serial_warranty_months, 24)
        self.assertFalse(category.serial_required_delivery)
        self.assertTrue(category.serial_auto_generate)
        self.assertTrue(category.serial_format_custom)

        drill, saw, case = self._import(
            "product.template", "serial_config_products.csv"
        )
        self.assertEqual(drill.categ_id, category)
        self.assertEqual(set((drill | saw | case).mapped("tracking")), {"serial"})
        # the same values as the category are inherited, the others overridden
        self.assertFalse(any(drill[f"{s}_custom"] for s in serial_settings.SETTINGS))
        self.assertTrue(saw.serial_warranty_months_custom)
        self.assertEqual(saw.serial_warranty_months, 6)
        self.assertFalse(case.serial_required_receipt)
        self.assertTrue(case.serial_required_receipt_custom)
        self.assertFalse(case.serial_format)
        self.assertTrue(case.serial_format_custom)
        category.serial_warranty_months = 36
        self.assertEqual(drill.serial_warranty_months, 36)
        self.assertEqual(saw.serial_warranty_months, 6)
        self.assertEqual(case.serial_warranty_months, 0)

    def test_import_refuses_invalid_format_naming_the_category(self):
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "product.category",
                "file": b"name,serial_format\nBroken Formats,SN-[[NOPE]]\n",
                "file_type": "text/csv",
            }
        )
        before = self.env["product.category"].search_count([])
        result = wizard.execute_import(
            ["name", "serial_format"],
            ["name", "serial_format"],
            {"quoting": '"', "separator": ",", "has_headers": True},
        )
        self.assertIn("Broken Formats", str(result["messages"]))
        self.assertEqual(self.env["product.category"].search_count([]), before)

    def test_export_round_trip(self):
        category = self.env["product.category"].create(
            {"name": "Export Me", "serial_warranty_months": 12}
        )
        product = self._serial_product(
            "Exported", "EXP", categ_id=category.id, serial_required_receipt=False
        )
        settings = list(serial_settings.SETTINGS)
        custom = list(serial_settings.CUSTOM_FIELDS)
        (row,) = category.export_data(["name", *settings, *custom])["datas"]
        self.assertEqual(row[1 + settings.index("serial_warranty_months")], 12)
        self.assertTrue(
            row[1 + len(settings) + settings.index("serial_warranty_months")]
        )
        (row,) = product.product_tmpl_id.export_data(
            ["default_code", *settings, *custom]
        )["datas"]
        self.assertEqual(row[1 + settings.index("serial_warranty_months")], 12)
        self.assertFalse(row[1 + settings.index("serial_required_receipt")])
        self.assertTrue(
            row[1 + len(settings) + settings.index("serial_required_receipt")]
        )


@tagged("post_install", "-at_install")
class TestSerialReadiness(SerialCase):
    """Inventory > Reporting > Serial Tracking Readiness."""

    def _lines(self, *products):
        action = self.env["stock.serial.readiness"].action_serial_open()
        lines = self.env["stock.serial.readiness"].search(action["domain"])
        templates = self.env["product.product"].concat(*products).product_tmpl_id
        return lines.filtered(lambda line: line.product_tmpl_id in templates)

    def test_each_problem_with_its_fix(self):
        categ = self.env["product.category"].create(
            {"name": "Warranted", "serial_warranty_months": 12}
        )
        stocked = self._serial_product("Stocked", "ST")
        no_code = self._serial_product(
            "No Code",
            False,
            serial_auto_generate=True,
            serial_format="[[CODE]]-[[INCNUM,NONE,3,1]]",
        )
        colliding = self._serial_product(
            "Colliding",
            "CO",
            serial_auto_generate=True,
            serial_format="CO-[[INCNUM,NONE,3,1]]",
        )
        self.env["stock.lot"].create({"name": "CO-001", "product_id": colliding.id})
        unwarranted = self._serial_product(
            "Unwarranted", "UW", categ_id=categ.id, serial_warranty_months=0
        )
        unwarranted.serial_warranty_months_custom = True
        unwarranted.serial_warranty_months = 0
        ready = self._serial_product(
            "Ready",
            "RD",
            serial_auto_generate=True,
            serial_format="RD-[[INCNUM,NONE,3,1]]",
            categ_id=categ.id,
        )
        self.env["stock.quant"]._update_available_quantity(stocked, self.stock, 3)

        lines = self._lines(stocked, no_code, colliding, unwarranted, ready)
        found = {(line.product_tmpl_id.name, line.kind) for line in lines}
        self.assertEqual(
            found,
            {
                ("Stocked", "uninitialized"),
                ("No Code", "invalid_format"),
                ("Colliding", "collision"),
                ("Unwarranted", "warranty"),
            },
        )
        by_kind = {line.kind: line for line in lines}
        self.assertIn("CO-001", by_kind["collision"].detail)
        action = by_kind["uninitialized"].action_serial_fix()
        self.assertEqual(action["res_model"], "stock.serial.entry")
        self.assertEqual(
            by_kind["invalid_format"].action_serial_fix()["res_id"],
            no_code.product_tmpl_id.id,
        )
        by_kind["warranty"].action_serial_fix()
        self.assertEqual(unwarranted.serial_warranty_months, 12)
        self.assertFalse(self._lines(unwarranted))


@tagged("post_install", "-at_install")
class TestSerialConfigTour(HttpCase):
    def test_mass_configuration_from_the_product_list(self):
        templates = self.env["product.template"].create(
            [{"name": f"Tour Config {letter}", "is_storable": True} for letter in "ABC"]
        )
        stock = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", self.env.company.id)], limit=1)
            .lot_stock_id
        )
        self.env["stock.quant"]._update_available_quantity(
            templates[0].product_variant_id, stock, 2
        )
        url = "/odoo/action-stock.product_template_action_product?view_type=list"
        self.start_tour(url, "stock_serial_tracking_config_tour", login="admin")
        self.assertEqual(set(templates.mapped("tracking")), {"serial"})
        self.assertEqual(set(templates.mapped("serial_warranty_months")), {18})
        self.assertEqual(templates[0].product_variant_id.serial_uninitialized_qty, 2)
