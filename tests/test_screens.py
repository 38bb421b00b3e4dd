# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import SerialCase, confirmed_transfer


@tagged("post_install", "-at_install")
class TestEverydayScreens(SerialCase):
    """The screens as a user meets them: what a field shows, what a wizard
    starts with, one menu and one button per purpose."""

    def _arch(self, model, view_type, user=None):
        env = self.env(user=user) if user else self.env
        views = env[model].get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_serial_form_shows_the_purchase_order(self):
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_qty": 1})
                ],
            }
        )
        lot = self.env["stock.lot"].create(
            {
                "name": "PO-SHOWN-1",
                "product_id": self.product.id,
                "purchase_line_id": order.order_line.id,
            }
        )
        self.assertEqual(lot.serial_purchase_order_id, order)
        arch = self._arch("stock.lot", "form")
        shown = arch.xpath("//field[@name='serial_purchase_order_id']")
        self.assertEqual(len(shown), 1)
        self.assertEqual(shown[0].get("invisible"), "not purchase_line_id")
        (line_field,) = arch.xpath("//field[@name='purchase_line_id']")
        self.assertEqual(line_field.get("invisible"), "1")

    def test_serial_form_one_button_and_field_per_fact(self):
        arch = self._arch("stock.lot", "form")
        (traceability,) = arch.xpath("//button[@icon='oi-arrow-up']")
        self.assertEqual(traceability.get("invisible"), "serial_is_serial")
        self.assertTrue(arch.xpath("//button[@name='action_serial_trace']"))
        (purchases,) = arch.xpath("//button[@name='action_view_po']")
        self.assertIn(
            "(serial_is_serial and purchase_line_id)", purchases.get("invisible")
        )
        (partner,) = arch.xpath("//field[@name='last_delivery_partner_id']")
        self.assertIn("serial_is_serial", partner.get("invisible"))
        self.assertTrue(arch.xpath("//field[@name='customer_id']"))

    def test_products_menu_has_one_serial_list(self):
        self.assertFalse(
            self.env.ref(
                "stock_serial_tracking.menu_stock_serial_list", raise_if_not_found=False
            )
        )
        menus = self.env["ir.ui.menu"].search(
            [("parent_id", "=", self.env.ref("stock.menu_stock_inventory_control").id)]
        )
        lot_menus = menus.filtered(
            lambda menu: menu.action and menu.action.res_model == "stock.lot"
        )
        self.assertEqual(
            lot_menus, self.env.ref("stock.menu_action_production_lot_form")
        )

    def test_serial_list_groups_by_location(self):
        for user in (self.stock_user, self.env.ref("base.user_admin")):
            arch = self._arch("stock.lot", "search", user=user)
            by_location = [
                node
                for node in arch.xpath("//filter[@context]")
                if "'group_by': 'location_id'" in node.get("context")
            ]
            self.assertEqual(len(by_location), 1, user.login)


@tagged("post_install", "-at_install")
class TestRejectRelease(SerialCase):
    """A rejected serial reads as rejected (not available), its status bar
    shows the path it took, and a serial manager can take it back to stock."""

    def _rejected(self, name):
        self._receive([name])
        lot = self._lots([name])
        self.assertEqual(lot.serial_availability, "available")
        lot.action_reject("Scratched housing")
        return lot

    def test_rejected_serial_is_not_available(self):
        lot = self._rejected("RJ-001")
        self.assertEqual(lot.serial_status, "rejected")
        self.assertEqual(lot.serial_availability, "out")
        Lot = self.env["stock.lot"]
        self.assertNotIn(lot, Lot.search([("serial_availability", "=", "available")]))
        self.assertIn(lot, Lot.search([("serial_availability", "=", "out")]))

    def test_status_path_is_the_path_taken(self):
        planned = self.env["stock.lot"].create(
            {"name": "RJ-010", "product_id": self.product.id}
        )
        self.assertEqual(planned.serial_status_path, "planned")
        lot = self._rejected("RJ-011")
        self.assertEqual(lot.serial_status_path, "received,rejected")
        lots = self._ship(["RJ-012"])
        self.assertEqual(lots.serial_status_path, "received,shipped")

    def test_manager_releases_a_rejected_serial_to_stock(self):
        lot = self._rejected("RJ-020")
        reject_location = lot.location_id
        with self.assertRaises(AccessError):
            lot.with_user(self.stock_user).action_serial_release_reject()
        self.assertEqual(lot.location_id, reject_location)
        lot.action_serial_release_reject()
        self.assertEqual(lot.serial_status, "received")
        self.assertEqual(lot.serial_availability, "available")
        self.assertEqual(lot.location_id, self.stock)
        self.assertFalse(lot.serial_reject_reason)
        latest = lot.serial_history_ids[0]
        self.assertEqual(
            (latest.location_id, latest.location_dest_id), (reject_location, self.stock)
        )
        self.assertIn("Released from reject", lot.message_ids[0].body)
        self.assertIn("Scratched housing", lot.message_ids[0].body)
        # a status met twice shows where it was met last
        self.assertEqual(lot.serial_status_path, "rejected,received")

    def test_release_refused_for_serials_not_rejected(self):
        self._receive(["RJ-030"])
        in_stock = self._lots(["RJ-030"])
        rejected = self._rejected("RJ-031")
        message = self._refusal((in_stock | rejected).action_serial_release_reject)
        self.assertIn("RJ-030", message)
        self.assertNotIn("RJ-031", message)
        # nothing moved: the rejected one waits in the reject location
        self.assertEqual(rejected.serial_status, "rejected")
        self.assertEqual(in_stock.location_id, self.stock)


@tagged("post_install", "-at_install")
class TestRejectReleaseTour(HttpCase):
    def test_release_from_the_serial_form(self):
        product = self.env["product.product"].create(
            {"name": "Tour Reject", "is_storable": True, "tracking": "serial"}
        )
        lot = self.env["stock.lot"].create(
            {"name": "RJ-TOUR-1", "product_id": product.id}
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        stock = warehouse.lot_stock_id
        receipt = confirmed_transfer(
            self.env,
            warehouse.in_type_id,
            self.env.ref("stock.stock_location_suppliers"),
            stock,
            product,
            1,
        )
        receipt.move_ids.move_line_ids.write({"lot_id": lot.id, "picked": True})
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(lot.serial_status, "received")
        lot.action_reject("Dented case")
        self.start_tour(
            f"/odoo/action-stock.action_production_lot_form/{lot.id}",
            "stock_serial_tracking_reject_release_tour",
            login="admin",
        )
        self.assertEqual(lot.serial_status, "received")
        self.assertEqual(lot.location_id, stock)
