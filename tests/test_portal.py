from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialPortal(SerialCase, HttpCase):
    """Two customers with a portal user each: each sees its own serials at
    /my/serials, never the other's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Corp", "is_company": True})
        cls.acme_site = Partner.create(
            {"name": "Acme Site", "parent_id": cls.acme.id, "type": "delivery"}
        )
        cls.globex = Partner.create({"name": "Globex Inc", "is_company": True})
        cls.portal_a = cls._portal_user("portal_serial_a", "Anna Acme", cls.acme)
        cls.portal_b = cls._portal_user("portal_serial_b", "Bert Globex", cls.globex)
        cls.product.serial_warranty_months = 24

    @classmethod
    def _portal_user(cls, login, name, company_partner):
        contact = cls.env["res.partner"].create(
            {"name": name, "parent_id": company_partner.id, "email": f"{login}@ex.com"}
        )
        return (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "login": login,
                    "password": login,
                    "partner_id": contact.id,
                    "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
                }
            )
        )

    def setUp(self):
        super().setUp()
        self._receive(["PS-A-001", "PS-A-002", "PS-B-001", "PS-STOCK-1"])
        # To a delivery address of Acme, and to Acme itself.
        self._deliver(self._lots(["PS-A-001"]), self.acme_site)
        self._deliver(self._lots(["PS-A-002"]), self.acme)
        self._deliver(self._lots(["PS-B-001"]), self.globex)

    def _page(self, login, url="/my/serials"):
        self.authenticate(login, login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_each_customer_sees_only_its_serials(self):
        html = self._page("portal_serial_a")
        self.assertIn('<li class="breadcrumb-item active">Serial Numbers</li>', html)
        self.assertIn("Warranty Until", html)
        self.assertIn("PS-A-001", html)
        self.assertIn("PS-A-002", html)
        self.assertIn("Serial Widget", html)
        self.assertNotIn("PS-B-001", html)
        self.assertNotIn("PS-STOCK-1", html)
        lot = self._lots(["PS-A-001"])
        self.assertTrue(lot.warranty_end_date)
        self.assertIn("Under warranty", html)

        html = self._page("portal_serial_b")
        self.assertIn("PS-B-001", html)
        self.assertNotIn("PS-A-001", html)
        self.assertNotIn("PS-A-002", html)
        self.assertNotIn("PS-STOCK-1", html)

    def test_search(self):
        html = self._page("portal_serial_a", "/my/serials?search=A-002")
        self.assertIn("PS-A-002", html)
        self.assertNotIn("PS-A-001", html)
        # Searching another customer's serial finds nothing.
        html = self._page("portal_serial_a", "/my/serials?search=PS-B-001")
        self.assertNotIn("PS-B-001</span>", html)
        self.assertIn("No serial number matches your search.", html)

    def test_home_counter(self):
        self.authenticate("portal_serial_a", "portal_serial_a")
        result = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["serial_count"]}
        )
        self.assertEqual(result["serial_count"], 2)
        self.authenticate("portal_serial_b", "portal_serial_b")
        result = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["serial_count"]}
        )
        self.assertEqual(result["serial_count"], 1)

    def test_returned_serial_leaves_the_list(self):
        lot = self._lots(["PS-A-002"])
        self._return(self._delivery_of(lot))
        html = self._page("portal_serial_a")
        self.assertIn("PS-A-001", html)
        self.assertNotIn("PS-A-002", html)

    def test_portal_user_cannot_read_serials(self):
        lot = self._lots(["PS-A-001"])
        # Odoo's subcontracting lets portal users read the serials of the
        # products they subcontract, by a record rule: a customer sees none
        self.assertFalse(self.env["stock.lot"].with_user(self.portal_a).search([]))
        with self.assertRaises(AccessError):
            lot.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.env["stock.serial.history"].with_user(self.portal_a).search([])

    def test_portal_tour(self):
        self.start_tour(
            "/my/serials", "stock_serial_tracking_portal_tour", login="portal_serial_a"
        )
