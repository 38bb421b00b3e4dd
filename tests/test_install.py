from odoo.tests import tagged

from odoo.addons.stock_serial_tracking.hooks import post_init_hook

from .common import SerialCase


@tagged("post_install", "-at_install")
class TestSerialInstall(SerialCase):
    def test_backfill_from_history(self):
        """Serials that existed before the add-on get status, partners and dates
        from their done moves, in one pass."""
        receipt = self._receive(["OLD-A", "OLD-B", "OLD-C"])
        delivery = self._deliver(self._lots(["OLD-B"]))
        planned = self.env["stock.lot"].create(
            {"name": "OLD-P", "product_id": self.product.id}
        )
        lots = self._lots(["OLD-A", "OLD-B", "OLD-C", "OLD-P"])
        # What the moves say, read from the moves themselves, not from the
        # fields the hook computes.
        received_on = {ml.lot_id.name: ml.date for ml in receipt.move_line_ids}
        shipped_on = delivery.move_line_ids.date
        no_partner = self.env["res.partner"]
        expected = {
            "OLD-A": ("received", self.vendor, no_partner, received_on["OLD-A"], False),
            "OLD-B": (
                "shipped",
                self.vendor,
                self.customer,
                received_on["OLD-B"],
                shipped_on,
            ),
            "OLD-C": ("received", self.vendor, no_partner, received_on["OLD-C"], False),
            "OLD-P": ("planned", no_partner, no_partner, False, False),
        }
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE stock_lot SET serial_status = NULL, supplier_id = NULL, "
            "customer_id = NULL, received_date = NULL, shipped_date = NULL "
            "WHERE id = ANY(%s)",
            [lots.ids],
        )
        lots.invalidate_recordset()
        self.assertFalse(any(lots.mapped("serial_status")))
        post_init_hook(self.env)
        lots.invalidate_recordset()
        for lot in lots:
            self.assertEqual(
                (
                    lot.serial_status,
                    lot.supplier_id,
                    lot.customer_id,
                    lot.received_date,
                    lot.shipped_date,
                ),
                expected[lot.name],
                lot.name,
            )
        self.assertEqual(planned.serial_status, "planned")
        self.assertTrue(self._lots(["OLD-B"]).shipped_date)

    def test_indexes_exist(self):
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN %s",
            [
                (
                    "stock_lot_serial_name_idx",
                    "stock_move_line_serial_done_idx",
                    # unique per product and company: an index, see init()
                    "stock_lot_serial_product_name_uniq",
                )
            ],
        )
        self.assertEqual(len(self.env.cr.fetchall()), 3)
        self.env.cr.execute(
            "SELECT conname FROM pg_constraint WHERE conname IN %s",
            [("stock_lot_serial_company_name_uniq",)],
        )
        self.assertEqual(len(self.env.cr.fetchall()), 1)

    def test_demo_data(self):
        router = self.env.ref(
            "stock_serial_tracking.product_serial_router", raise_if_not_found=False
        )
        module = self.env["ir.module.module"].search(
            [("name", "=", "stock_serial_tracking")]
        )
        if not module.demo:
            self.skipTest("installed without demo data (--without-demo)")
        self.assertTrue(router, "the demo data is installed")
        self.assertEqual(router.tracking, "serial")
        self.assertTrue(router.serial_auto_generate)
        lots = self.env["stock.lot"].search([("name", "=like", "R500-DEMO-%")])
        statuses = sorted(lots.mapped("serial_status"))
        self.assertEqual(statuses, ["received"] * 3 + ["shipped"] * 2)
        shipped = lots.filtered(lambda lot: lot.serial_status == "shipped")
        self.assertEqual(shipped.customer_id, self.env.ref("base.res_partner_2"))
        self.assertEqual(
            set(lots.mapped("supplier_id")), {self.env.ref("base.res_partner_1")}
        )
