"""Bad input through the public contract (SPEC "Bad input"): every case is
refused with a UserError/ValidationError that names the serial, and nothing is
written (lots, move lines, moves, quants and scraps counted before and after).
"""

import psycopg2

from odoo import sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.stock_lot import UNIQUE_INDEX
from .common import SerialCase, transfer_vals

COUNTED = ("stock.lot", "stock.move.line", "stock.move", "stock.quant", "stock.scrap")


@tagged("post_install", "-at_install")
class TestBadInput(SerialCase):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _counts(self):
        self.env.flush_all()
        counts = {}
        for model in COUNTED:
            self.env.cr.execute(f"SELECT COUNT(*) FROM {self.env[model]._table}")  # noqa: S608 pylint: disable=sql-injection
            counts[model] = self.env.cr.fetchone()[0]
        return counts

    def _out_line(self, lot_name=None, lot=None, product=None):
        """A delivery of one unit whose line names a serial as given."""
        product = product or self.product
        picking = self._picking(
            self.warehouse.out_type_id, self.stock, self.customer_loc, product, 1
        )
        self._set_lines(picking, [lot or lot_name])
        return picking

    # ------------------------------------------------------------------
    # duplicates of the same product, on create and rename
    # ------------------------------------------------------------------
    def test_duplicate_name_on_create_is_named(self):
        Lot = self.env["stock.lot"]
        Lot.create({"name": "DUP-A", "product_id": self.product.id})
        self.assertRefused(
            ValidationError,
            r"already exist.*DUP-A \(.*Serial Widget",
            lambda: Lot.create({"name": "DUP-A", "product_id": self.product.id}),
        )
        # trimmed first: the same name with spaces is the same name
        self.assertRefused(
            ValidationError,
            "DUP-A",
            lambda: Lot.create({"name": " DUP-A ", "product_id": self.product.id}),
        )

    def test_duplicate_name_inside_one_batch_is_named(self):
        vals = [
            {"name": name, "product_id": self.product.id}
            for name in ("B-1", "B-2", "B-1")
        ]
        self.assertRefused(
            ValidationError,
            r"twice.*B-1",
            lambda: self.env["stock.lot"].create(vals),
        )
        # the bulk path that receipts use checks the same, before copying
        self.assertRefused(
            ValidationError,
            r"twice.*B-1",
            lambda: self.env["stock.lot"]._serial_fast_create(vals),
        )

    def test_duplicate_of_a_lot_without_company_is_named(self):
        Lot = self.env["stock.lot"]
        Lot.create(
            {"name": "SHARED-1", "product_id": self.product.id, "company_id": False}
        )
        self.assertRefused(
            ValidationError,
            "SHARED-1",
            lambda: Lot.create(
                {
                    "name": "SHARED-1",
                    "product_id": self.product.id,
                    "company_id": self.company.id,
                }
            ),
        )

    def test_lot_tracked_duplicates_are_named_too(self):
        Lot = self.env["stock.lot"]
        Lot.create({"name": "POWDER-1", "product_id": self.lot_product.id})
        self.assertRefused(
            ValidationError,
            "POWDER-1",
            lambda: Lot.create({"name": "POWDER-1", "product_id": self.lot_product.id}),
        )

    def test_rename_to_a_taken_name_is_named(self):
        Lot = self.env["stock.lot"]
        Lot.create({"name": "REN-1", "product_id": self.product.id})
        lot = Lot.create({"name": "REN-2", "product_id": self.product.id})
        self.assertRefused(
            ValidationError, "REN-1", lambda: lot.write({"name": "REN-1"})
        )
        lot.invalidate_recordset()
        self.assertEqual(lot.name, "REN-2")
        # two serials renamed to one name
        other = Lot.create({"name": "REN-3", "product_id": self.product.id})
        self.assertRefused(
            ValidationError, "REN-9", lambda: (lot | other).write({"name": "REN-9"})
        )

    def test_rename_to_an_invalid_name_writes_nothing(self):
        lot = self.env["stock.lot"].create(
            {"name": "GOOD-1", "product_id": self.product.id}
        )
        self.assertRefused(
            ValidationError, r"BAD#1.*\"#\"", lambda: lot.write({"name": "BAD#1"})
        )
        self.assertRefused(
            ValidationError, "is empty", lambda: lot.write({"name": " "})
        )
        self.env.cr.execute("SELECT name FROM stock_lot WHERE id = %s", [lot.id])
        self.assertEqual(self.env.cr.fetchone()[0], "GOOD-1")

    # ------------------------------------------------------------------
    # the database index: last line of defence, on every PostgreSQL
    # ------------------------------------------------------------------
    def test_unique_index_needs_no_postgresql_15(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [UNIQUE_INDEX]
        )
        definition = self.env.cr.fetchone()[0]
        self.assertIn("UNIQUE", definition)
        self.assertIn("COALESCE(company_id, 0)", definition)
        self.assertNotIn("NULLS NOT DISTINCT", definition)
        # two lots without a company: refused by the index itself
        insert = (
            "INSERT INTO stock_lot (name, product_id, company_id) "
            "VALUES ('RAW-1', %s, NULL)"
        )
        self.env.cr.execute(insert, [self.product.id])
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env.cr.execute(insert, [self.product.id])

    # ------------------------------------------------------------------
    # odd characters
    # ------------------------------------------------------------------
    def test_look_alike_characters_are_named(self):
        self.assertRefused(
            ValidationError,
            "U\\+0421 CYRILLIC CAPITAL LETTER ES",
            lambda: self.env["stock.lot"].create(
                {"name": "SN-\u0421-1", "product_id": self.product.id}
            ),
        )

    def test_nul_character_is_refused_not_a_database_error(self):
        for product in (self.product, self.lot_product):
            self.assertRefused(
                ValidationError,
                "U\\+0000 NULL",
                lambda product=product: self.env["stock.lot"].create(
                    {"name": "SN\x001", "product_id": product.id}
                ),
            )
        lot = self.env["stock.lot"].create(
            {"name": "NUL-OK", "product_id": self.lot_product.id}
        )
        self.assertRefused(
            ValidationError, "U\\+0000 NULL", lambda: lot.write({"name": "NUL\x00"})
        )

    # ------------------------------------------------------------------
    # fractional quantities
    # ------------------------------------------------------------------
    def test_fractional_demand_refused_when_confirmed(self):
        picking = self.env["stock.picking"].create(
            transfer_vals(
                self.warehouse.in_type_id,
                self.supplier_loc,
                self.stock,
                self.product,
                2.5,
            )
        )
        self.assertRefused(
            UserError,
            rf"{picking.name}, .*Serial Widget: 2.5",
            picking.action_confirm,
        )
        self.assertEqual(picking.state, "draft")

    def test_fractional_quantity_refused_before_the_wizard_opens(self):
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 3
        )
        picking.move_ids.quantity = 2.5
        self.assertRefused(
            UserError,
            rf"{picking.name}, .*Serial Widget: 2.5",
            picking.move_ids.action_open_serial_entry,
        )

    # ------------------------------------------------------------------
    # files
    # ------------------------------------------------------------------
    def test_file_with_an_unknown_header_does_not_take_it_for_a_serial(self):
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 2
        )
        for header in ("Seriennummer", "Nummer"):
            wizard = self._upload(
                picking.move_ids, "serials.csv", f"{header}\nFH-1\nFH-2\n".encode()
            )
            self.assertEqual(wizard._names(), ["FH-1", "FH-2"])

    def test_file_whose_columns_cannot_be_identified_is_refused(self):
        picking = self._picking(
            self.warehouse.in_type_id, self.supplier_loc, self.stock, self.product, 2
        )
        data = b"Reference;Product;Quantity\nWH/IN/1;Widget;2\nWH/IN/2;Gadget;1\n"
        self.assertRefused(
            UserError,
            '"Reference", "Product", "Quantity"',
            lambda: self._upload(picking.move_ids, "export.csv", data),
        )

    # ------------------------------------------------------------------
    # deliveries: serial of another product, unknown serial
    # ------------------------------------------------------------------
    def test_unknown_serial_on_a_delivery_line_is_named(self):
        self._receive(["IN-1"])
        picking = self._out_line(lot_name="NOPE-1")
        self.assertRefused(
            UserError, "NOPE-1.*not a known serial", picking.button_validate
        )
        self.assertEqual(picking.state, "assigned")

    def test_serial_of_another_product_on_a_delivery_line_is_named(self):
        self._receive(["GAD-1"], product=self.product2)
        self._receive(["WID-1"])
        picking = self._out_line(lot_name="GAD-1")
        self.assertRefused(
            UserError,
            "GAD-1.*serial number of .*Serial Gadget",
            picking.button_validate,
        )
        gadget = self._lots(["GAD-1"], self.product2)
        with self.assertRaisesRegex(ValidationError, "GAD-1"):
            self._out_line(lot=gadget)

    # ------------------------------------------------------------------
    # scrap: checked before the scrap's move exists
    # ------------------------------------------------------------------
    def test_scrap_of_a_shipped_serial_writes_nothing(self):
        self._receive(["SCR-1"])
        lot = self._lots(["SCR-1"])
        self._deliver(lot)
        scrap = self._scrap(lot)
        self.assertRefused(UserError, "SCR-1.*Shipped", scrap.action_validate)
        self.assertRefused(UserError, "SCR-1.*Shipped", scrap.do_scrap)
        self.assertEqual(scrap.state, "draft")
        self.assertFalse(scrap.move_ids)

    def test_scrap_from_where_the_serial_is_not_writes_nothing(self):
        self._receive(["SCR-2"], destination=self.shelf)
        lot = self._lots(["SCR-2"])
        other = self.env["stock.location"].create(
            {"name": "Bin B", "location_id": self.stock.id, "usage": "internal"}
        )
        scrap = self._scrap(lot, location=other)
        self.assertRefused(UserError, "SCR-2.*Bin B.*Shelf S1", scrap.action_validate)
        # from where it is: done
        result = self._scrap(lot, location=self.shelf).action_validate()
        self.assertIs(result, True, result)
        self.assertEqual(lot.serial_status, "written_off")

    def test_scrap_of_two_units_of_one_serial_writes_nothing(self):
        self._receive(["SCR-3"])
        lot = self._lots(["SCR-3"])
        scrap = self._scrap(lot, qty=2)
        self.assertRefused(UserError, "SCR-3.*exactly one unit", scrap.action_validate)
        self.assertEqual(lot.serial_status, "received")


@tagged("post_install", "-at_install")
class TestNumberingConcurrency(SerialCase):
    """Two transactions taking numbers of one counter at once: neither waits
    for the other, and they never get the same number."""

    def test_concurrent_numbers_neither_wait_nor_collide(self):
        # committed at install: visible to the other connections
        template = self.env["product.template"].search(
            [("create_date", "<", self.env.cr.now())], limit=1
        )
        company = self.company
        dbname = self.env.cr.dbname
        period = "concurrency-test"
        taken = {}

        def take(cr, key, count):
            env = self.env(cr=cr)
            draw = env["stock.serial.counter"]._serial_draw(
                template, company, period, 1
            )
            taken[key] = draw(count)

        try:
            with sql_db.db_connect(dbname).cursor() as cr:
                take(cr, "first", 1)  # creates the counter
                cr.commit()  # pylint: disable=invalid-commit
            with (
                sql_db.db_connect(dbname).cursor() as cr1,
                sql_db.db_connect(dbname).cursor() as cr2,
            ):
                take(cr1, "one", 50)  # cr1 keeps its transaction open
                # a wait for cr1 would end in an error after 2 seconds
                cr2.execute("SET LOCAL lock_timeout = '2s'")
                cr2.execute("SET LOCAL statement_timeout = '5s'")
                take(cr2, "two", 50)
                cr2.rollback()
                cr1.rollback()
        finally:
            with sql_db.db_connect(dbname).cursor() as cr:
                env = self.env(cr=cr)
                env["stock.serial.counter"].search(
                    [("period_key", "=", period)]
                ).unlink()
                cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(len(taken["two"]), 50)
        self.assertFalse(set(taken["one"]) & set(taken["two"]))
        # rolled back numbers are not handed out again: gaps, no duplicates
        self.assertNotIn(taken["first"][0], taken["one"] + taken["two"])
