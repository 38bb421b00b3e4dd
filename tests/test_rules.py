import psycopg2

from odoo import sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SerialCase, commit_while_waiting


@tagged("post_install", "-at_install")
class TestSerialRules(SerialCase):
    def test_names_are_trimmed(self):
        lot = self.env["stock.lot"].create(
            {"name": "  TRIM-1 \t", "product_id": self.product.id}
        )
        self.assertEqual(lot.name, "TRIM-1")

    def test_format_rules_name_the_serials(self):
        with self.assertRaisesRegex(ValidationError, r'BAD#1.*"#"'):
            self.env["stock.lot"].create(
                {"name": "BAD#1", "product_id": self.product.id}
            )
        with self.assertRaisesRegex(ValidationError, "is empty"):
            self.env["stock.lot"].create({"name": "   ", "product_id": self.product.id})
        self.company.serial_max_length = 5
        with self.assertRaisesRegex(ValidationError, "LONGNAME.*longer than 5"):
            self.env["stock.lot"].create(
                {"name": "LONGNAME", "product_id": self.product.id}
            )
        self.assertFalse(
            self.env["stock.lot"].search([("name", "in", ["BAD#1", "LONGNAME"])])
        )

    def test_allowed_chars_setting(self):
        self.company.serial_allowed_chars = "0-9"
        with self.assertRaisesRegex(ValidationError, "A1"):
            self.env["stock.lot"].create({"name": "A1", "product_id": self.product.id})
        lot = self.env["stock.lot"].create(
            {"name": "123", "product_id": self.product.id}
        )
        self.assertEqual(lot.name, "123")
        with self.assertRaises(ValidationError):
            self.company.serial_allowed_chars = "Z-A"

    def test_lot_tracked_products_keep_odoo_rules(self):
        lot = self.env["stock.lot"].create(
            {"name": "LOT#WITH#HASH", "product_id": self.lot_product.id}
        )
        self.assertTrue(lot)

    def test_unique_per_product(self):
        self.env["stock.lot"].create({"name": "UNI-1", "product_id": self.product.id})
        with self.assertRaisesRegex(ValidationError, "UNI-1"):
            self.env["stock.lot"].create(
                {"name": "UNI-1", "product_id": self.product.id}
            )
        other = self.env["stock.lot"].create(
            {"name": "UNI-1", "product_id": self.product2.id}
        )
        self.assertTrue(other, "product scope: another product may reuse the name")

    def test_unique_company_scope(self):
        self.env["stock.lot"].create({"name": "CO-1", "product_id": self.product.id})
        self.company.serial_unique_scope = "company"
        with (
            self.assertRaisesRegex(ValidationError, "CO-1"),
            mute_logger("odoo.sql_db"),
        ):
            with self.env.cr.savepoint():
                self.env["stock.lot"].create(
                    {"name": "CO-1", "product_id": self.product2.id}
                )

    def test_company_scope_refused_when_duplicates_exist(self):
        self.env["stock.lot"].create({"name": "DUP-1", "product_id": self.product.id})
        self.env["stock.lot"].create({"name": "DUP-1", "product_id": self.product2.id})
        with self.assertRaisesRegex(ValidationError, "DUP-1"):
            self.company.serial_unique_scope = "company"

    def test_company_scope_is_a_database_constraint(self):
        self.company.serial_unique_scope = "company"
        self.env["stock.lot"].create({"name": "DB-1", "product_id": self.product.id})
        self.env.flush_all()
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    """
                    INSERT INTO stock_lot (name, product_id, company_id,
                                           serial_scope_company_id)
                    VALUES ('DB-1', %s, %s, %s)
                    """,
                    [self.product2.id, self.company.id, self.company.id],
                )

    def test_fractional_quantity_refused(self):
        self.product.serial_required_receipt = False
        # refused where it is entered (the demand of a transfer, confirmed)...
        with self.assertRaisesRegex(UserError, "(?s)whole units.*1.5"):
            self._picking(
                self.warehouse.in_type_id,
                self.supplier_loc,
                self.stock,
                self.product,
                1.5,
            )
        # ...and where it is done
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 2
        )
        picking.move_ids.quantity = 2.5
        picking.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "whole number.*2.5"):
            picking.button_validate()
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self.product.qty_available, 0)

    def test_serial_line_must_be_one_unit(self):
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 2
        )
        self._set_lines(picking, ["TWO-UNITS"], quantity=2)
        with self.assertRaisesRegex(UserError, r"TWO-UNITS \(2\)"):
            picking.button_validate()
        self.assertFalse(self._lots(["TWO-UNITS"]))

    def test_no_reuse_of_shipped_serial(self):
        self._receive(["RE-1"])
        lot = self._lots(["RE-1"])
        self._deliver(lot)
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 1
        )
        self._set_lines(picking, lot)
        with self.assertRaisesRegex(UserError, r"RE-1 \(Shipped\)"):
            picking.button_validate()
        self.assertEqual(lot.serial_status, "shipped")

    def test_no_receiving_twice(self):
        self._receive(["TWICE-1"])
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 1
        )
        self._set_lines(picking, ["TWICE-1"])
        with self.assertRaisesRegex(UserError, "TWICE-1.*WH/Stock"):
            picking.button_validate()

    def test_serial_leaves_only_from_where_it_is(self):
        self._receive(["WHERE-1"], destination=self.shelf)
        lot = self._lots(["WHERE-1"])
        other = self.env["stock.location"].create(
            {"name": "Other", "location_id": self.stock.id, "usage": "internal"}
        )
        picking = self._picking(
            self.warehouse.int_type_id, other, self.stock, self.product, 1
        )
        self._set_lines(picking, lot)
        with self.assertRaisesRegex(UserError, "WHERE-1 is not in .*Other.*Shelf S1"):
            picking.button_validate()
        self.assertEqual(lot.location_id, self.shelf)

    def test_serial_required_on_receipt_by_default(self):
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 1
        )
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        with self.assertRaises(UserError):
            picking.button_validate()

    def test_serial_optional_on_receipt_and_delivery(self):
        self.product.serial_required_receipt = False
        self.product.serial_required_delivery = False
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 2
        )
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        self._validate(picking)
        self.assertEqual(self.product.qty_available, 2)
        out = self._picking(
            self.warehouse.out_type_id, self.stock, self.customer_loc, self.product, 1
        )
        out.action_assign()
        out.move_ids.quantity = 1
        out.move_ids.picked = True
        self._validate(out)
        self.assertEqual(self.product.qty_available, 1)

    def test_other_company_serial_refused(self):
        company_b = self.env["res.company"].create({"name": "Serial Co B"})
        product_b = self.env["product.product"].create(
            {
                "name": "B widget",
                "is_storable": True,
                "tracking": "serial",
                "company_id": company_b.id,
            }
        )
        lot_b = self.env["stock.lot"].create(
            {"name": "B-1", "product_id": product_b.id, "company_id": company_b.id}
        )
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 1
        )
        with self.assertRaises(UserError):
            self._set_lines(picking, lot_b)
            picking.button_validate()


@tagged("post_install", "-at_install")
class TestSerialConcurrency(SerialCase):
    """Two transactions inserting the same serial: only one may commit."""

    INSERT = (
        "INSERT INTO stock_lot (name, product_id, company_id, "
        "serial_scope_company_id) VALUES (%s, %s, %s, %s)"
    )

    def _race(self, first_values, second_values):
        """Insert from two connections at once; return what happened to the
        second insert."""
        dbname = self.env.cr.dbname
        outcome = {}

        def second_worker():
            with sql_db.db_connect(dbname).cursor() as cr2:
                try:
                    cr2.execute(self.INSERT, second_values)
                    cr2.commit()  # pylint: disable=invalid-commit
                    outcome["second"] = "committed"
                except psycopg2.IntegrityError:
                    cr2.rollback()
                    outcome["second"] = "refused"

        try:
            with sql_db.db_connect(dbname).cursor() as cr1, mute_logger("odoo.sql_db"):
                cr1.execute(self.INSERT, first_values)
                # The second insert waits on our uncommitted row, and fails
                # once it is committed.
                commit_while_waiting(
                    self, cr1, second_worker, "the second insert must wait"
                )
        finally:
            with sql_db.db_connect(dbname).cursor() as cr:
                cr.execute(
                    "DELETE FROM stock_lot WHERE name IN %s",
                    [(first_values[0], second_values[0])],
                )
                cr.commit()  # pylint: disable=invalid-commit
        return outcome.get("second")

    def _committed_products(self):
        # The test transaction's data is invisible to other connections: use
        # products committed at install.
        products = self.env["product.product"].search(
            [("create_date", "<", self.env.cr.now())], limit=2
        )
        self.assertEqual(len(products), 2)
        return products

    def test_same_product_concurrent_inserts(self):
        product = self._committed_products()[0]
        values = ["RACE-PRODUCT", product.id, self.company.id, None]
        self.assertEqual(self._race(values, values), "refused")

    def test_company_scope_concurrent_inserts(self):
        first, second = self._committed_products()
        company = self.company.id
        result = self._race(
            ["RACE-CO", first.id, company, company],
            ["RACE-CO", second.id, company, company],
        )
        self.assertEqual(result, "refused")

    def test_other_products_do_not_block_in_product_scope(self):
        first, second = self._committed_products()
        dbname = self.env.cr.dbname
        try:
            with sql_db.db_connect(dbname).cursor() as cr1:
                cr1.execute(self.INSERT, ["RACE-FREE", first.id, self.company.id, None])
                cr1.execute(
                    self.INSERT, ["RACE-FREE", second.id, self.company.id, None]
                )
                cr1.commit()  # pylint: disable=invalid-commit
            with sql_db.db_connect(dbname).cursor() as cr:
                cr.execute("SELECT product_id FROM stock_lot WHERE name = 'RACE-FREE'")
                committed = sorted(row[0] for row in cr.fetchall())
            self.assertEqual(
                committed,
                sorted([first.id, second.id]),
                "the same name for two products: both committed",
            )
        finally:
            with sql_db.db_connect(dbname).cursor() as cr:
                cr.execute("DELETE FROM stock_lot WHERE name = 'RACE-FREE'")
                cr.commit()  # pylint: disable=invalid-commit


@tagged("post_install", "-at_install")
class TestSerialOdooWays(SerialCase):
    """Ways Odoo itself puts units in stock or brings them back, that the rules
    must let through: stock known only as quants, corrections of a move."""

    def test_serial_leaves_from_untracked_stock(self):
        """Stock put there without a serial (an import, another module) is on
        hand: a serial named on it leaves, as Odoo lets it."""
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 1)
        lot = self.env["stock.lot"].create(
            {"name": "QU-1", "product_id": self.product.id}
        )
        picking = self._picking(
            self.warehouse.out_type_id, self.stock, self.customer_loc, self.product, 1
        )
        self._set_lines(picking, lot)
        self._validate(picking)
        self.assertEqual(lot.serial_status, "shipped")
        here = self.product.with_context(location=self.stock.id)
        self.assertEqual(here.qty_available, 0)

    def test_untracked_stock_counts_once(self):
        """One untracked unit lets one serial leave, not two."""
        self.env["stock.quant"]._update_available_quantity(self.product, self.stock, 1)
        lots = self.env["stock.lot"].create(
            [{"name": name, "product_id": self.product.id} for name in ("QU-2", "QU-3")]
        )
        picking = self._picking(
            self.warehouse.out_type_id, self.stock, self.customer_loc, self.product, 2
        )
        self._set_lines(picking, lots)
        with self.assertRaisesRegex(UserError, r"QU-3 is not in WH/Stock"):
            picking.button_validate()

    def test_serial_back_from_the_vendor_it_was_returned_to(self):
        """A repair or replacement of the same unit comes back from the vendor
        it was returned to under its own serial; its history keeps both."""
        receipt = self._receive(["VR-1"])
        lot = self._lots(["VR-1"])
        self._return(receipt)
        self.assertEqual(lot.serial_status, "vendor_returned")
        again = self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            self.stock,
            self.product,
            1,
            self.vendor,
        )
        self._set_lines(again, lot)
        self._validate(again)
        lot.invalidate_recordset()
        self.assertEqual(lot.serial_status, "received")
        self.assertEqual(
            lot.serial_history_ids.mapped("move_type"),
            ["receive", "vendor_return", "receive"],
        )

    def test_serial_back_from_another_vendor_refused(self):
        receipt = self._receive(["VR-2"])
        lot = self._lots(["VR-2"])
        self._return(receipt)
        other = self.env["res.partner"].create({"name": "Other Vendor"})
        again = self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            self.stock,
            self.product,
            1,
            other,
        )
        self._set_lines(again, lot)
        with self.assertRaisesRegex(UserError, r"VR-2 \(Returned to Vendor\)"):
            again.button_validate()
