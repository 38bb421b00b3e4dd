# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user

from .common import SerialCase


class TestSerialRelocation(SerialCase):
    """Serials of company A relocated to company B: two transfers linked by one
    relocation, two linked serial records, each company seeing its own side."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Serial Company B"})
        cls.warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.user_a = new_test_user(
            cls.env,
            login="reloc_user_a",
            groups="stock.group_stock_user,base.group_multi_company",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.user_ab = new_test_user(
            cls.env,
            login="reloc_user_ab",
            groups="stock.group_stock_user,base.group_multi_company",
            company_id=cls.company.id,
            company_ids=[cls.company.id, cls.company_b.id],
        )
        cls.user_b = new_test_user(
            cls.env,
            login="reloc_user_b",
            groups="stock.group_stock_user,base.group_multi_company",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )

    def setUp(self):
        super().setUp()
        self._receive(["RL-001", "RL-002", "RL-003"])

    def _relocation(self, names, user=None, **values):
        user = user or self.user_ab
        form = Form(self.env["stock.serial.relocation"].with_user(user))
        form.dest_company_id = values.pop("dest_company", self.company_b)
        form.product_id = self.product
        form.serial_text = "\n".join(names)
        return form.save()

    def _lots_b(self, names):
        return (
            self.env["stock.lot"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_b.id),
                    ("product_id", "=", self.product.id),
                    ("name", "in", names),
                ]
            )
        )

    def _counts(self):
        return (
            self.env["stock.picking"].sudo().search_count([]),
            self.env["stock.lot"].sudo().search_count([]),
            self.env["stock.move"].sudo().search_count([]),
        )

    def test_relocate_ships_in_a_and_receives_in_b(self):
        relocation = self._relocation(["RL-001", "RL-002"])
        relocation.action_relocate()
        self.assertEqual(relocation.state, "done")
        out, incoming = (
            relocation.sudo().out_picking_id,
            relocation.sudo().in_picking_id,
        )
        self.assertEqual((out.state, out.company_id), ("done", self.company))
        self.assertEqual(
            (incoming.state, incoming.company_id), ("done", self.company_b)
        )
        self.assertEqual(out.serial_relocation_id, relocation)
        self.assertEqual(incoming.serial_relocation_id, relocation)
        lots_a = self._lots(["RL-001", "RL-002"]).filtered(
            lambda lot: lot.company_id == self.company
        )
        lots_b = self._lots_b(["RL-001", "RL-002"])
        self.assertEqual(len(lots_b), 2)
        self.assertEqual(set(lots_a.mapped("serial_status")), {"shipped"})
        self.assertEqual(lots_a.customer_id, self.company_b.partner_id)
        self.assertEqual(set(lots_b.mapped("serial_status")), {"received"})
        self.assertEqual(lots_b.supplier_id, self.company.partner_id)
        self.assertEqual(lots_b.serial_origin_lot_id, lots_a)
        quants = lots_b.quant_ids.filtered(lambda q: q.quantity > 0)
        self.assertEqual(quants.location_id, self.warehouse_b.lot_stock_id)
        # one history for the unit, both sides in order
        lot_a = lots_a.filtered(lambda lot: lot.name == "RL-001")
        rows = lot_a._serial_unit_history_rows()
        self.assertEqual(rows.mapped("move_type"), ["receive", "ship", "receive"])
        self.assertEqual(
            rows.mapped("company_id"), self.company | self.company | self.company_b
        )
        lot_b = lots_b.filtered(lambda lot: lot.name == "RL-001")
        self.assertEqual(lot_b._serial_unit_history_rows(), rows)
        self.assertIn(out.name, lot_b.serial_unit_history)
        self.assertIn(incoming.name, lot_a.serial_unit_history)
        # the third serial stays in A
        self.assertEqual(self._lots(["RL-003"]).serial_status, "received")

    def test_each_company_sees_its_own_side_and_the_link(self):
        relocation = self._relocation(["RL-001"])
        relocation.action_relocate()
        Lot_a = self.env["stock.lot"].with_user(self.user_a)
        Lot_b = self.env["stock.lot"].with_user(self.user_b)
        found_a = Lot_a.search([("name", "=", "RL-001")])
        found_b = Lot_b.search([("name", "=", "RL-001")])
        self.assertEqual(found_a.company_id, self.company)
        self.assertEqual(found_b.company_id, self.company_b)
        self.assertEqual(found_a.serial_status, "shipped")
        self.assertEqual(found_b.serial_status, "received")
        # the unit's history in both companies is on each side's serial
        out_name = relocation.sudo().out_picking_id.name
        in_name = relocation.sudo().in_picking_id.name
        self.assertIn(out_name, found_b.serial_unit_history)
        self.assertIn(in_name, found_a.serial_unit_history)
        # the link: both read the relocation and its name
        as_b = relocation.with_user(self.user_b)
        self.assertEqual(as_b.name, relocation.name)
        self.assertEqual(
            self.env["stock.serial.relocation"].with_user(self.user_b).search([]),
            relocation,
        )
        # and no more of the other company
        with self.assertRaises(AccessError):
            relocation.sudo().out_picking_id.with_user(self.user_b).read(["name"])
        with self.assertRaises(AccessError):
            found_a.with_user(self.user_b).read(["name"])
        self.assertFalse(
            self.env["stock.picking"]
            .with_user(self.user_b)
            .search([("company_id", "=", self.company.id)])
        )

    def test_uniqueness_holds_in_both_companies(self):
        self._relocation(["RL-001"]).action_relocate()
        for company in (self.company, self.company_b):
            with (
                self.subTest(company=company.name),
                self.assertRaisesRegex(ValidationError, "RL-001"),
                self.env.cr.savepoint(),
            ):
                self.env["stock.lot"].sudo().create(
                    {
                        "name": "RL-001",
                        "product_id": self.product.id,
                        "company_id": company.id,
                    }
                )

    def test_serial_not_at_source_refused_nothing_written(self):
        self._deliver(self._lots(["RL-003"]))
        before = self._counts()
        relocation = self._relocation(["RL-001", "RL-003", "NOPE-9"])
        with self.assertRaisesRegex(UserError, "RL-003: not in stock") as caught:
            relocation.action_relocate()
        self.assertIn("NOPE-9: not in stock", str(caught.exception))
        self.assertNotIn("RL-001", str(caught.exception))
        self.assertEqual(relocation.state, "draft")
        self.assertEqual(self._counts(), before)
        self.assertEqual(self._lots(["RL-001"]).serial_status, "received")

    def test_company_without_warehouse_refused(self):
        company_c = self.env["res.company"].create({"name": "Serial Company C"})
        self.env["stock.warehouse"].search(
            [("company_id", "=", company_c.id)]
        ).active = False
        self.user_ab.company_ids += company_c
        before = self._counts()
        relocation = self._relocation(["RL-001"], dest_company=company_c)
        with self.assertRaisesRegex(UserError, "Serial Company C has no warehouse"):
            relocation.action_relocate()
        self.assertEqual(self._counts(), before)

    def test_user_without_the_receiving_company_refused(self):
        relocation = (
            self.env["stock.serial.relocation"]
            .with_user(self.user_a)
            .sudo()
            .create(
                {
                    "dest_company_id": self.company_b.id,
                    "product_id": self.product.id,
                    "serial_text": "RL-001",
                }
            )
            .sudo(False)
        )
        with self.assertRaisesRegex(UserError, "access to company Serial Company B"):
            relocation.action_relocate()
        self.assertEqual(self._lots(["RL-001"]).serial_status, "received")

    def test_user_of_the_receiving_company_cannot_pull_serials(self):
        relocation = (
            self.env["stock.serial.relocation"]
            .with_user(self.user_b)
            .create(
                {
                    "company_id": self.company.id,
                    "dest_company_id": self.company_b.id,
                    "product_id": self.product.id,
                    "serial_text": "RL-001",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "access to company My Company"):
            relocation.action_relocate()
        self.assertEqual(self._lots(["RL-001"]).serial_status, "received")
        self.assertFalse(self._lots_b(["RL-001"]))

    def test_name_of_another_unit_in_b_refused(self):
        self._lots(["RL-002"]).company_id = self.company
        self.env["stock.lot"].sudo().create(
            {
                "name": "RL-002",
                "product_id": self.product.id,
                "company_id": self.company_b.id,
            }
        )
        before = self._counts()
        relocation = self._relocation(["RL-001", "RL-002"])
        with self.assertRaisesRegex(
            UserError, "RL-002: already exists in company Serial Company B"
        ):
            relocation.action_relocate()
        self.assertEqual(self._counts(), before)
        self.assertFalse(self._lots_b(["RL-001"]))
        self.assertEqual(self._lots(["RL-001"]).serial_status, "received")

    def test_relocate_back_to_the_first_company(self):
        self._relocation(["RL-001"]).action_relocate()
        form = Form(self.env["stock.serial.relocation"].with_user(self.user_ab))
        form.company_id = self.company_b
        form.dest_company_id = self.company
        form.product_id = self.product
        form.serial_text = "RL-001"
        back = form.save()
        back.with_company(self.company_b).action_relocate()
        lot_a = self._lots(["RL-001"]).filtered(
            lambda lot: lot.company_id == self.company
        )
        lot_b = self._lots_b(["RL-001"])
        self.assertEqual(back.dest_lot_ids, lot_a, "the unit's own record comes back")
        # back in A as a return from company B (In Stock, "Returned")
        self.assertEqual(lot_a.serial_status, "returned")
        self.assertTrue(lot_a.quant_ids.filtered(lambda q: q.quantity > 0))
        self.assertEqual(lot_b.serial_status, "shipped")
        self.assertEqual(lot_b.customer_id, self.company.partner_id)
        self.assertEqual(
            lot_a._serial_unit_history_rows().mapped("move_type"),
            ["receive", "ship", "receive", "ship", "return"],
        )
