# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import subprocess

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged

from .common import SerialCase


class SaleSerialCase(SerialCase):
    """Four serials of ``product`` in stock (SO-001 to SO-004), and helpers
    to order, choose serials on a line, deliver and invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.write({"list_price": 100, "invoice_policy": "delivery"})

    def setUp(self):
        super().setUp()
        self.names = ["SO-001", "SO-002", "SO-003", "SO-004"]
        self._receive(self.names)
        self.lots = {lot.name: lot for lot in self._lots(self.names)}

    def _order(self, qty=2, product=None):
        product = product or self.product
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                ],
            }
        )

    def _choose(self, line, names):
        action = line.action_open_serial_entry()
        self.assertEqual(action["res_model"], "stock.serial.entry")
        wizard = self.env["stock.serial.entry"].with_context(**action["context"])
        wizard = wizard.create({"serial_text": "\n".join(names)})
        self.assertEqual(wizard.mode, "remove", "a sale line picks from stock")
        self.assertEqual(wizard.location_id, self.warehouse.lot_stock_id)
        return wizard.action_apply()

    def _delivered_lots(self, picking):
        return picking.move_line_ids.filtered("picked").lot_id


class TestSaleChosenSerials(SaleSerialCase):
    def test_delivery_ships_the_chosen_serials(self):
        order = self._order(2)
        line = order.order_line
        self.assertEqual(line.serial_tracing_state, "missing")
        self._choose(line, ["SO-004"])
        self.assertEqual(line.serial_tracing_state, "partial")
        self._choose(line, ["SO-004", "SO-003"])
        self.assertEqual(line.serial_tracing_state, "complete")
        self.assertEqual(set(line.serial_lot_ids.mapped("name")), {"SO-003", "SO-004"})
        self.assertTrue(all(line.serial_lot_ids.mapped("serial_sale_chosen")))
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(
            set(picking.move_line_ids.lot_id.mapped("name")), {"SO-003", "SO-004"}
        )
        self.assertTrue(all(picking.move_line_ids.mapped("picked")))
        self._validate(picking)
        lots = self.lots["SO-003"] | self.lots["SO-004"]
        self.assertEqual(lots.sale_line_id, line)
        self.assertEqual(lots.serial_sale_order_id, order)
        self.assertFalse(any(lots.mapped("serial_sale_chosen")))
        self.assertEqual(set(lots.mapped("serial_status")), {"shipped"})
        self.assertEqual(line.qty_delivered, 2)

    def test_other_orders_check_availability_skips_chosen(self):
        first = self._order(2)
        self._choose(first.order_line, ["SO-001", "SO-002"])
        other = self._order(2)
        other.action_confirm()
        reserved = other.picking_ids.move_line_ids.lot_id
        self.assertEqual(set(reserved.mapped("name")), {"SO-003", "SO-004"})
        other.picking_ids.do_unreserve()
        other.picking_ids.action_assign()
        reserved = other.picking_ids.move_line_ids.lot_id
        self.assertEqual(set(reserved.mapped("name")), {"SO-003", "SO-004"})
        # nothing else is free: a third order reserves nothing
        third = self._order(1)
        third.action_confirm()
        self.assertFalse(third.picking_ids.move_line_ids)

    def test_transfer_without_order_skips_chosen(self):
        order = self._order(3)
        self._choose(order.order_line, ["SO-001", "SO-002", "SO-004"])
        delivery = self._delivery(2)
        self.assertEqual(delivery.move_line_ids.lot_id, self.lots["SO-003"])
        self.assertEqual(delivery.move_ids.quantity, 1)

    def test_two_step_delivery_ships_the_chosen_serials(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._order(2)
        self._choose(order.order_line, ["SO-002", "SO-004"])
        order.action_confirm()
        pick = order.picking_ids
        self.assertEqual(pick.location_id, self.warehouse.lot_stock_id)
        chosen = self.lots["SO-002"] | self.lots["SO-004"]
        self.assertEqual(pick.move_line_ids.lot_id, chosen)
        self._validate(pick)
        ship = order.picking_ids - pick
        self.assertEqual(len(ship), 1)
        ship.action_assign()
        self.assertEqual(ship.move_line_ids.lot_id, chosen)
        ship.move_line_ids.picked = True
        self._validate(ship)
        self.assertEqual(chosen.sale_line_id, order.order_line)
        self.assertEqual(set(chosen.mapped("serial_status")), {"shipped"})

    def test_choosing_takes_over_odoo_reservation(self):
        other = self._order(4)
        other.action_confirm()
        self.assertEqual(len(other.picking_ids.move_line_ids), 4)
        order = self._order(1)
        self._choose(order.order_line, ["SO-002"])
        self.assertNotIn(self.lots["SO-002"], other.picking_ids.move_line_ids.lot_id)
        self.assertEqual(len(other.picking_ids.move_line_ids), 3)
        order.action_confirm()
        self.assertEqual(order.picking_ids.move_line_ids.lot_id, self.lots["SO-002"])

    def test_choosing_after_confirmation_replaces_the_reservation(self):
        order = self._order(2)
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(len(picking.move_line_ids), 2)
        self._choose(order.order_line, ["SO-004", "SO-003"])
        self.assertEqual(
            set(picking.move_line_ids.lot_id.mapped("name")), {"SO-003", "SO-004"}
        )
        self.assertEqual(len(picking.move_line_ids), 2)
        self._validate(picking)
        self.assertEqual(
            set(self._delivered_lots(picking).mapped("name")), {"SO-003", "SO-004"}
        )

    def test_another_document_cannot_pick_a_chosen_serial(self):
        order = self._order(1)
        self._choose(order.order_line, ["SO-001"])
        other = self._order(1)
        with self.assertRaisesRegex(ValidationError, f"SO-001.*{order.name}"):
            self._choose(other.order_line, ["SO-001"])
        self.assertFalse(other.order_line.serial_lot_ids)
        delivery = self._delivery(1, assign=False)
        with self.assertRaisesRegex(ValidationError, f"SO-001.*{order.name}"):
            self._entry(delivery.move_ids, serial_text="SO-001").action_apply()
        self.assertEqual(self.lots["SO-001"].sale_line_id, order.order_line)

    def test_shipping_another_serial_than_chosen_is_refused(self):
        order = self._order(1)
        self._choose(order.order_line, ["SO-001"])
        order.action_confirm()
        picking = order.picking_ids
        picking.move_line_ids.lot_id = self.lots["SO-002"]
        with self.assertRaisesRegex(UserError, "SO-001.*SO-002"):
            picking.button_validate()
        self.assertEqual(picking.state, "assigned")

    def test_lower_quantity_than_chosen_refused_naming_line(self):
        order = self._order(2)
        self._choose(order.order_line, ["SO-001", "SO-002"])
        form = Form(order)
        with form.order_line.edit(0) as line:
            line.product_uom_qty = 1
        with self.assertRaisesRegex(ValidationError, f"{order.name} / .*Serial Widget"):
            with self.env.cr.savepoint():
                form.save()
        self.env.invalidate_all()
        self.assertEqual(order.order_line.product_uom_qty, 2)

    def test_more_serials_than_units_refused(self):
        order = self._order(1)
        with self.assertRaisesRegex(ValidationError, "at most 1"):
            self._choose(order.order_line, ["SO-001", "SO-002"])
        self.assertFalse(order.order_line.serial_lot_ids)

    def test_unknown_or_absent_serial_refused(self):
        order = self._order(2)
        with self.assertRaisesRegex(ValidationError, "NOPE-1: unknown serial"):
            self._choose(order.order_line, ["SO-001", "NOPE-1"])
        self.assertFalse(order.order_line.serial_lot_ids)

    def test_cancel_releases_the_serials(self):
        order = self._order(2)
        self._choose(order.order_line, ["SO-001", "SO-002"])
        order.action_confirm()
        order._action_cancel()
        lots = self.lots["SO-001"] | self.lots["SO-002"]
        self.assertFalse(lots.sale_line_id)
        self.assertFalse(any(lots.mapped("serial_sale_chosen")))
        other = self._order(4)
        other.action_confirm()
        self.assertEqual(len(other.picking_ids.move_line_ids.lot_id), 4)

    def test_deleting_a_quotation_line_releases_its_serials(self):
        order = self._order(2)
        self._choose(order.order_line, ["SO-001", "SO-002"])
        lots = self.lots["SO-001"] | self.lots["SO-002"]
        self.assertTrue(all(lots.mapped("serial_sale_chosen")))
        order.order_line.unlink()
        self.assertFalse(any(lots.mapped("serial_sale_chosen")))
        other = self._order(4)
        other.action_confirm()
        self.assertEqual(len(other.picking_ids.move_line_ids.lot_id), 4)

    def test_serials_required_on_sale(self):
        self.product.serial_required_sale = True
        order = self._order(2)
        self._choose(order.order_line, ["SO-001"])
        with self.assertRaisesRegex(
            UserError, f"{order.name} / .*Serial Widget: 1 of 2 chosen"
        ):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self._choose(order.order_line, ["SO-001", "SO-002"])
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_not_required_without_the_setting(self):
        order = self._order(2)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self._validate_reserved(order.picking_ids)
        self.assertEqual(len(order.order_line.serial_lot_ids), 2)

    def _validate_reserved(self, picking):
        picking.move_line_ids.picked = True
        return self._validate(picking)


@tagged("post_install", "-at_install")
class TestSaleInvoiceSerials(SaleSerialCase):
    """Odoo's "Display Lots & Serial Numbers on Invoices" shows exactly the
    delivered serials of each invoice line, on the rendered PDF."""

    def setUp(self):
        super().setUp()
        self.env.user.groups_id += self.env.ref("stock_account.group_lot_on_invoice")

    def _invoice_text(self, order):
        invoice = order._create_invoices()
        invoice.action_post()
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.report_invoice_with_payments", invoice.ids)
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        result = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        )
        return invoice, result.stdout.decode()

    def test_invoice_lists_the_delivered_serials(self):
        order = self._order(2)
        self._choose(order.order_line, ["SO-002", "SO-004"])
        order.action_confirm()
        self._validate(order.picking_ids)
        invoice, text = self._invoice_text(order)
        self.assertEqual(
            {value["lot_name"] for value in invoice._get_invoiced_lot_values()},
            {"SO-002", "SO-004"},
        )
        self.assertIn("SO-002", text)
        self.assertIn("SO-004", text)
        self.assertNotIn("SO-001", text)
        self.assertNotIn("SO-003", text)

    def test_invoice_after_return_and_redelivery(self):
        order = self._order(2)
        self._choose(order.order_line, ["SO-001", "SO-002"])
        order.action_confirm()
        delivery = self._validate(order.picking_ids)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        action = wizard.action_create_exchanges()
        returned = self.env["stock.picking"].browse(action["res_id"])
        wizard = self._entry(returned.move_ids)
        wizard.action_clear()  # the customer sends back SO-002, whatever Odoo took
        wizard.serial_text = "SO-002"
        wizard.action_apply()
        self._validate(returned)
        self.assertFalse(self.lots["SO-002"].sale_line_id)
        exchange = order.picking_ids - delivery - returned
        self.assertEqual(len(exchange), 1)
        self.assertEqual(exchange.move_ids.sale_line_id, order.order_line)
        wizard = self._entry(exchange.move_ids, serial_text="SO-003")
        wizard.action_apply()
        self._validate(exchange)
        self.assertEqual(order.order_line.qty_delivered, 2)
        self.assertEqual(
            order.order_line.serial_lot_ids, self.lots["SO-001"] | self.lots["SO-003"]
        )
        _invoice, text = self._invoice_text(order)
        self.assertIn("SO-001", text)
        self.assertIn("SO-003", text)
        self.assertNotIn("SO-002", text)


@tagged("post_install", "-at_install")
class TestSaleSerialPortal(SaleSerialCase, HttpCase):
    """ "My Serial Numbers" links each serial to its sale order."""

    def test_serial_links_to_its_order(self):
        partner = self.env["res.partner"].create(
            {"name": "Portal Buyer", "email": "portal.buyer@example.com"}
        )
        self.env["res.users"].with_context(no_reset_password=True).create(
            {
                "login": "portal_sale_buyer",
                "password": "portal_sale_buyer",
                "partner_id": partner.id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        self.customer = partner
        order = self._order(1)
        self._choose(order.order_line, ["SO-003"])
        order.action_confirm()
        self._validate(order.picking_ids)
        self.authenticate("portal_sale_buyer", "portal_sale_buyer")
        response = self.url_open("/my/serials")
        self.assertEqual(response.status_code, 200)
        self.assertIn("SO-003", response.text)
        self.assertIn(f'href="{order.get_portal_url()}"', response.text)
        self.assertIn(f">{order.name}</a>", response.text)
