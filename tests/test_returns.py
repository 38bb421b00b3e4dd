from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestCustomerReturns(SerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Corp", "is_company": True})
        cls.acme_buyer = Partner.create({"name": "Ann Buyer", "parent_id": cls.acme.id})
        cls.acme_site = Partner.create(
            {"name": "Acme Site", "parent_id": cls.acme.id, "type": "delivery"}
        )
        cls.globex = Partner.create({"name": "Globex Inc", "is_company": True})
        cls.manager = new_test_user(
            cls.env,
            login="serial_return_manager",
            name="Mona Manager",
            groups="stock.group_stock_manager",
        )

    def _return_picking(self, partner, names, product=None):
        """An incoming transfer from the customer location (not made by the
        return wizard) with these serials on its lines."""
        product = product or self.product
        picking = self._picking(
            self.warehouse.in_type_id,
            self.customer_loc,
            self.stock,
            product,
            len(names),
            partner,
        )
        lots = {lot.name: lot for lot in self._lots(names, product)}
        return self._set_lines(picking, [lots.get(name, name) for name in names])

    def test_return_wizard_same_customer(self):
        lot = self._ship(["R-001"], self.acme)
        self._return(self._delivery_of(lot))
        self.assertEqual(lot.serial_status, "returned")

    def test_commercial_entity_contacts_allowed(self):
        """Shipped to one contact of Acme, returned by another contact or by
        the company itself: same commercial entity."""
        lots = self._ship(["R-010", "R-011"], self.acme_site)
        self.assertEqual(lots.customer_id, self.acme_site)
        self._validate(self._return_picking(self.acme_buyer, ["R-010"]))
        self._validate(self._return_picking(self.acme, ["R-011"]))
        self.assertEqual(set(lots.mapped("serial_status")), {"returned"})

    def test_refused_return_names_serial_and_customer(self):
        lot = self._ship(["R-020"], self.acme)
        picking = self._return_picking(self.globex, ["R-020"])
        message = self._refusal(picking.button_validate)
        self.assertIn("R-020", message)
        self.assertIn("Acme Corp", message)
        self.assertIn("Globex Inc", message)
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(lot.serial_status, "shipped")
        self.assertEqual(lot.customer_id, self.acme)

    def test_refused_through_return_wizard(self):
        """The return wizard's picking is checked at validation too."""
        lot = self._ship(["R-030"], self.acme)
        picking = self._return(self._delivery_of(lot), validate=False)
        self.assertEqual(picking.partner_id, self.acme, "Odoo copies the customer")
        picking.partner_id = self.globex
        with self.assertRaises(UserError) as caught:
            picking.button_validate()
        self.assertIn("R-030 was shipped to Acme Corp", str(caught.exception))
        self.assertEqual(lot.serial_status, "shipped")

    def test_refused_unknown_and_never_shipped(self):
        self._receive(["R-040"])
        picking = self._return_picking(self.acme, ["R-040", "R-041"])
        # R-040 is in stock: the reuse rule refuses it as well.
        message = self._refusal(picking.button_validate)
        self.assertIn("R-040 was never shipped to a customer", message)
        self.assertIn("R-041 is not a known serial number", message)
        self.assertFalse(self._lots(["R-041"]))

    def test_return_without_customer_refused(self):
        self._ship(["R-050"], self.acme)
        picking = self._return_picking(self.env["res.partner"], ["R-050"])
        with self.assertRaises(UserError) as caught:
            picking.button_validate()
        self.assertIn("names no customer", str(caught.exception))
        self.assertIn("R-050 was shipped to Acme Corp", str(caught.exception))

    def test_return_of_delivery_without_customer(self):
        """Odoo's Return of the delivery that shipped the serial brings it
        back even when that delivery named no customer."""
        self._receive(["R-055"])
        lot = self._lots(["R-055"])
        delivery = self._picking(
            self.warehouse.out_type_id, self.stock, self.customer_loc, self.product, 1
        )
        delivery.action_assign()
        self.assertEqual(delivery.move_ids.move_line_ids.lot_id, lot)
        delivery.move_ids.picked = True
        self._validate(delivery)
        self._return(delivery)
        self.assertEqual(lot.serial_status, "returned")
        self.assertEqual(lot.location_id, self.stock)

    def test_return_naming_nobody_of_serial_shipped_to_nobody(self):
        """A serial shipped without a customer comes back on a transfer from
        the customer location that names none either."""
        self._receive(["R-056"])
        lot = self._lots(["R-056"])
        delivery = self._picking(
            self.warehouse.out_type_id, self.stock, self.customer_loc, self.product, 1
        )
        delivery.action_assign()
        delivery.move_ids.picked = True
        self._validate(delivery)
        self.assertFalse(lot.customer_id)
        self._validate(self._return_picking(self.env["res.partner"], ["R-056"]))
        self.assertEqual(lot.serial_status, "returned")

    def test_manager_override_logged(self):
        lots = self._ship(["R-060", "R-061"], self.acme)
        picking = self._return_picking(self.globex, ["R-060", "R-061", "R-062"])
        self.assertTrue(picking.serial_is_customer_return)
        reason = "Globex bought them second hand, approved by sales"
        picking.with_user(self.manager).write({"serial_return_override_reason": reason})
        self.assertEqual(picking.sudo().serial_return_override_user_id, self.manager)
        # Anyone may validate once the manager accepted it.
        self._validate(picking.with_user(self.stock_user))
        returned = self._lots(["R-060", "R-061", "R-062"])
        self.assertEqual(len(returned), 3, "the unknown serial was created")
        self.assertEqual(set(returned.mapped("serial_status")), {"returned"})
        for lot in returned:
            logged = lot.message_ids.filtered(lambda m: reason in (m.body or ""))
            self.assertEqual(len(logged), 1, lot.name)
            self.assertIn("Mona Manager", logged.body)
            self.assertIn(picking.name, logged.body)
        logged = lots[0].message_ids.filtered(lambda m: reason in (m.body or ""))
        self.assertIn("Acme Corp", logged.body)
        # The next shipment goes to Globex: it is Globex's now.
        self._deliver(lots[0], self.globex)
        self.assertEqual(lots[0].customer_id, self.globex)

    def test_override_only_for_managers(self):
        self._ship(["R-070"], self.acme)
        picking = self._return_picking(self.globex, ["R-070"])
        with self.assertRaises(AccessError):
            picking.with_user(self.stock_user).write(
                {"serial_return_override_reason": "I say so"}
            )
        # A reason given by someone who is not (or no longer) a serial manager
        # does not count.
        picking.sudo().write({"serial_return_override_reason": "I say so"})
        picking.sudo().serial_return_override_user_id = self.stock_user
        self.assertFalse(picking._serial_return_override())
        with self.assertRaises(UserError):
            picking.button_validate()
        # Clearing the reason clears who gave it.
        picking.with_user(self.manager).write({"serial_return_override_reason": " "})
        self.assertFalse(picking.sudo().serial_return_override_reason)
        self.assertFalse(picking.sudo().serial_return_override_user_id)
