from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialSecurity(SerialCase):
    def test_groups_follow_inventory_groups(self):
        user = self.stock_user
        self.assertTrue(user.has_group("stock_serial_tracking.group_serial_user"))
        self.assertFalse(user.has_group("stock_serial_tracking.group_serial_manager"))
        manager = new_test_user(
            self.env, "serial_stock_mgr", groups="stock.group_stock_manager"
        )
        self.assertTrue(manager.has_group("stock_serial_tracking.group_serial_manager"))

    def test_portal_sees_nothing(self):
        self._receive(["SEC-1"])
        portal = new_test_user(self.env, "serial_portal", groups="base.group_portal")
        # Odoo's subcontracting lets portal users read the serials of the
        # products they subcontract, by a record rule: others see none
        self.assertFalse(self.env["stock.lot"].with_user(portal).search([]))
        with self.assertRaises(AccessError):
            self._lots(["SEC-1"]).with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            self.env["stock.serial.history"].with_user(portal).search([])
        with self.assertRaises(AccessError):
            self.env["stock.serial.entry"].with_user(portal).create(
                {"product_id": self.product.id}
            )

    def test_subcontractor_on_the_portal_sees_no_customer(self):
        """Odoo's subcontracting shows a subcontractor on the portal the
        serials of the products it builds: not whom they were shipped to."""
        subcontractor = self.env["res.partner"].create({"name": "Portal Builder"})
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": self.product.product_tmpl_id.id,
                "type": "subcontract",
                "subcontractor_ids": [(4, subcontractor.id)],
            }
        )
        portal = new_test_user(
            self.env,
            "serial_portal_builder",
            groups="base.group_portal",
            partner_id=subcontractor.id,
        )
        lots = self._ship(["SEC-9"])
        seen = self.env["stock.lot"].with_user(portal).search([])
        self.assertEqual(seen, lots, "Odoo's subcontracting rule")
        self.assertEqual(seen.read(["name"])[0]["name"], "SEC-9")
        for field in (
            "customer_id",
            "shipped_date",
            "sale_line_id",
            "serial_hold_reason",
            "serial_reject_reason",
        ):
            with self.assertRaises(AccessError, msg=field):
                seen.read([field])

    def test_history_is_read_only(self):
        self._receive(["SEC-2"])
        user = new_test_user(self.env, "serial_ro", groups="stock.group_stock_manager")
        history = self._lots(["SEC-2"]).serial_history_ids.with_user(user)
        self.assertTrue(history)
        with self.assertRaises(AccessError):
            history.write({"quantity": 5})
        with self.assertRaises(AccessError):
            history.unlink()

    def test_history_per_company(self):
        self._receive(["SEC-3"])
        company_b = self.env["res.company"].create({"name": "Serial Co Other"})
        user_b = new_test_user(
            self.env,
            "serial_b",
            groups="stock.group_stock_user",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        lot = self._lots(["SEC-3"])
        rows = (
            self.env["stock.serial.history"]
            .with_user(user_b)
            .search([("lot_id", "=", lot.id)])
        )
        self.assertFalse(rows)
        self.assertTrue(
            self.env["stock.serial.history"].search([("lot_id", "=", lot.id)])
        )

    def test_settings_belong_to_managers(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.stock_user).create(
                {"serial_unique_scope": "company"}
            )
