# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .common import SerialCase


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

