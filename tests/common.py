from odoo import Command
from odoo.tests import Form, TransactionCase


class SerialCase(TransactionCase):
    """Shared fixtures: one warehouse, a vendor, a customer, serial products,
    and helpers that drive operations the way users do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Shelf S1", "location_id": cls.stock.id, "usage": "internal"}
        )
        cls.supplier_loc = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_loc = cls.env.ref("stock.stock_location_customers")
        cls.vendor = cls.env["res.partner"].create({"name": "Serial Vendor"})
        cls.customer = cls.env["res.partner"].create({"name": "Serial Customer"})
        cls.product = cls._serial_product("Serial Widget", "SW")
        cls.product2 = cls._serial_product("Serial Gadget", "SG")
        cls.lot_product = cls.env["product.product"].create(
            {
                "name": "Lot Powder",
                "is_storable": True,
                "tracking": "lot",
            }
        )

    @classmethod
    def _serial_product(cls, name, code, **values):
        return cls.env["product.product"].create(
            dict(
                {
                    "name": name,
                    "default_code": code,
                    "is_storable": True,
                    "tracking": "serial",
                },
                **values,
            )
        )

    # ------------------------------------------------------------------
    def _picking(self, picking_type, source, destination, product, qty, partner=None):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner and partner.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _entry(self, move, **values):
        action = move.action_open_serial_entry()
        self.assertEqual(action["res_model"], "stock.serial.entry")
        wizard = self.env["stock.serial.entry"].with_context(**action["context"])
        return wizard.create(values)

    def _validate(self, picking):
        result = picking.button_validate()
        self.assertIs(result, True, "validation should not need a wizard")
        self.assertEqual(picking.state, "done")
        return picking

    def _receive(self, names, product=None, partner=None, destination=None):
        product = product or self.product
        picking = self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            destination or self.stock,
            product,
            len(names),
            partner or self.vendor,
        )
        self._entry(picking.move_ids, serial_text="\n".join(names)).action_apply()
        return self._validate(picking)

    def _deliver(self, lots, partner=None, source=None):
        picking = self._picking(
            self.warehouse.out_type_id,
            source or self.stock,
            self.customer_loc,
            lots.product_id,
            len(lots),
            partner or self.customer,
        )
        picking.action_assign()
        wizard = self._entry(picking.move_ids)
        wizard.lot_ids = lots
        wizard.action_apply()
        return self._validate(picking)

    def _lots(self, names, product=None):
        product = product or self.product
        return self.env["stock.lot"].search(
            [("product_id", "=", product.id), ("name", "in", names)]
        )

    def _form(self, record_or_model, view=None):
        return Form(record_or_model, view=view)
