"""Shared fixtures and one helper per flow for the add-on's Odoo tests.

Fixtures (class attributes, made once per test class by ``SerialCase.setUpClass``):

- ``company``, ``warehouse`` and its ``stock`` location, an internal ``shelf`` in it;
  ``supplier_loc``, ``customer_loc``;
- ``vendor`` and ``customer`` partners;
- ``product`` and ``product2``, tracked by serial number (internal references
  ``SW`` and ``SG``), ``lot_product`` tracked by lot;
- ``_battery_pack()`` adds ``cell``, ``pack`` and ``bom_pack`` (a one-level BoM)
  for the classes that manufacture;
- ``stock_user`` (Inventory / User) and ``mrp_user`` (Manufacturing / User): the
  plain users the main flows also run as (``@users("serial_stock_user")`` or
  ``self.with_user(...)``); every other test runs as the superuser.

Flows, driven the way a user drives them (the entry wizard, Odoo's buttons and
wizards), each returning what the test goes on with:

- ``_receive(names)``: a validated receipt of these new serials;
- ``_deliver(lots)``: a validated delivery of these serials to a customer;
- ``_return(picking)``: Odoo's *Return* of a delivery (customer return) or of a
  receipt (return to vendor), validated unless ``validate=False``;
- ``_mo(product)`` then ``_produce(production, lots)``: a confirmed manufacturing
  order, then its components' serials picked and the order marked done;
- ``_scrap(lot)``: a scrap order of one serial (not validated).

Building blocks: ``_picking`` (a confirmed transfer of one move), ``_receipt`` /
``_delivery`` (confirmed, the delivery reserved), ``_entry`` (the serial entry wizard of
a move, opened through its action), ``_upload`` (a file given to that wizard),
``_set_lines`` (move lines typed by hand in the detailed operations), ``_validate``,
``_lots`` (serials by name), ``_delivery_of`` (the delivery that shipped a serial),
``_xlsx`` (a workbook's bytes), ``_refusal`` (the message of the ``UserError`` a call
raises), ``assertRefused`` (a call refused with the serials named, nothing written,
as ``_counts`` tells).

Module functions, for test classes not built on ``SerialCase`` too:
``transfer_vals`` / ``confirmed_transfer`` (a transfer of one move) and
``commit_while_waiting`` (a second connection's work must wait for the first's
open transaction, then goes on once it commits).
"""

import base64
import io
import threading

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, TransactionCase, new_test_user


def transfer_vals(picking_type, source, destination, product, qty, partner=None):
    """The values of a transfer of ``qty`` units of ``product`` in one move
    (for the tests not built on :class:`SerialCase` too)."""
    return {
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


def commit_while_waiting(test, cr, second, message, timeout=30):
    """Run ``second`` in another thread while ``cr`` holds its transaction
    open: it must wait for ``cr`` (still running a second later, else
    ``message``); then commit ``cr`` and give ``second`` ``timeout`` seconds
    to finish. The thread, to ask whether it did."""
    worker = threading.Thread(target=second)
    worker.start()
    worker.join(1)
    test.assertTrue(worker.is_alive(), message)
    cr.commit()  # pylint: disable=invalid-commit
    worker.join(timeout)
    return worker


def confirmed_transfer(env, *args, **kwargs):
    """A transfer as :func:`transfer_vals` describes it, confirmed."""
    picking = env["stock.picking"].create(transfer_vals(*args, **kwargs))
    picking.action_confirm()
    return picking


class SerialCase(TransactionCase):
    """Shared fixtures: one warehouse, a vendor, a customer, serial products,
    plain users, and helpers that drive operations the way users do."""

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
        cls.stock_user = new_test_user(
            cls.env,
            login="serial_stock_user",
            name="Stella Stock",
            groups="stock.group_stock_user",
        )
        cls.mrp_user = new_test_user(
            cls.env,
            login="serial_mrp_user",
            name="Manu Maker",
            groups="mrp.group_mrp_user",
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

    @classmethod
    def _battery_pack(cls):
        """Fixtures of a one-level assembly: ``cell`` (serial), ``pack`` (serial,
        numbered PK-0001, PK-0002...) and ``bom_pack``, one cell per pack."""
        cls.cell = cls._serial_product("Battery Cell", "CELL")
        cls.pack = cls._serial_product(
            "Battery Pack",
            "PACK",
            serial_auto_generate=True,
            serial_format="PK-[[INCNUM,NONE,4,1]]",
        )
        cls.bom_pack = cls._bom(cls.pack, [(cls.cell, 1)])

    @classmethod
    def _bom(cls, product, components):
        """A normal bill of materials: ``components`` is [(product, qty), ...]."""
        return cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "product_qty": 1,
                "type": "normal",
                "bom_line_ids": [
                    Command.create({"product_id": comp.id, "product_qty": qty})
                    for comp, qty in components
                ],
            }
        )

    # ------------------------------------------------------------------ transfers
    def _picking(self, picking_type, source, destination, product, qty, partner=None):
        return confirmed_transfer(
            self.env, picking_type, source, destination, product, qty, partner
        )

    def _receipt(self, qty, product=None):
        """A confirmed receipt from the vendor into stock, lines not filled."""
        return self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            self.stock,
            product or self.product,
            qty,
            self.vendor,
        )

    def _delivery(self, qty, product=None, assign=True):
        """A confirmed delivery from stock to the customer, reserved by Odoo
        unless ``assign=False``."""
        picking = self._picking(
            self.warehouse.out_type_id,
            self.stock,
            self.customer_loc,
            product or self.product,
            qty,
            self.customer,
        )
        if assign:
            picking.action_assign()
        return picking

    def _set_lines(self, picking, serials, quantity=1):
        """Replace the move lines of ``picking`` (one move) by one picked line per
        serial, from the move's source to its destination, as a user types them
        in the detailed operations: a ``stock.lot`` gives ``lot_id``, a name
        ``lot_name``, ``None`` a line without serial."""
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "quantity": quantity,
                    **self._serial_vals(serial),
                }
                for serial in serials
            ]
        )
        move.picked = True
        return picking

    @staticmethod
    def _serial_vals(serial):
        if serial is None:
            return {}
        if isinstance(serial, str):
            return {"lot_name": serial}
        return {"lot_id": serial.id}

    def _validate(self, picking):
        result = picking.button_validate()
        self.assertIs(result, True, "validation should not need a wizard")
        self.assertEqual(picking.state, "done")
        return picking

    # ------------------------------------------------------------------ entry wizard
    def _entry(self, move, **values):
        action = move.action_open_serial_entry()
        self.assertEqual(action["res_model"], "stock.serial.entry")
        wizard = self.env["stock.serial.entry"].with_context(**action["context"])
        return wizard.create(values)

    def _upload(self, move, filename, data, pick=False):
        """The entry wizard of ``move`` given the file ``data`` (bytes), added."""
        wizard = self._entry(
            move,
            **{"pick_input_method" if pick else "input_method": "upload"},
            upload_filename=filename,
            upload_file=base64.b64encode(data),
        )
        wizard.action_add()
        return wizard

    # ------------------------------------------------------------------ flows
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

    def _ship(self, names, partner=None):
        """Receive these serials, then deliver them (``_delivery_of`` gives the
        delivery); the serials."""
        self._receive(names)
        lots = self._lots(names)
        self._deliver(lots, partner)
        return lots

    def _return(self, picking, validate=True):
        """Odoo's Return of ``picking`` (every line, one unit each), picked; the
        return transfer, validated unless ``validate=False``."""
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        action = wizard.action_create_returns()
        back = self.env["stock.picking"].browse(action["res_id"])
        back.move_ids.picked = True
        return self._validate(back) if validate else back

    def _mo(self, product, qty=1, bom=None, components=None):
        """A confirmed manufacturing order: from the product's BoM by default,
        without one if ``components`` ([(product, qty), ...]) are given."""
        values = {"product_id": product.id, "product_qty": qty}
        if components is None:
            bom = bom or self.env["mrp.bom"]._bom_find(product)[product]
            values["bom_id"] = bom.id
        else:
            values["move_raw_ids"] = [
                Command.create({"product_id": comp.id, "product_uom_qty": comp_qty})
                for comp, comp_qty in components
            ]
        production = self.env["mrp.production"].create(values)
        production.action_confirm()
        return production

    def _pick_components(self, production, lots):
        """The serials of each serial-tracked component picked with the entry
        wizard of its line."""
        for move in production.move_raw_ids.filtered(
            lambda m: m.product_id.tracking == "serial"
        ):
            wizard = self._entry(move)
            self.assertEqual(wizard.mode, "remove")
            wizard.lot_ids = lots.filtered(
                lambda lot, m=move: lot.product_id == m.product_id
            )
            wizard.action_apply()

    def _produce(self, production, lots=None):
        """Pick ``lots`` as components (if given), mark the order done; the
        finished serial."""
        if lots:
            self._pick_components(production, lots)
        result = production.button_mark_done()
        self.assertIn(result, (True, None), f"unexpected wizard: {result}")
        self.assertEqual(production.state, "done")
        return production.lot_producing_id

    # ------------------------------------------------------------------ history, trace
    def _history_types(self, lot):
        """The history types of ``lot``, newest first, read again."""
        lot.invalidate_recordset()
        return lot.serial_history_ids.mapped("move_type")

    def _trace(self, lot, direction="down", **values):
        """The trace wizard from ``lot``, traced."""
        trace = self.env["stock.serial.trace"].create(
            dict(lot_id=lot.id, direction=direction, **values)
        )
        trace.action_trace()
        return trace

    def _levels(self, trace):
        return {line.lot_id.name: line.level for line in trace.line_ids}

    def _scrap(self, lot, qty=1, location=None):
        return self.env["stock.scrap"].create(
            {
                "product_id": lot.product_id.id,
                "lot_id": lot.id,
                "scrap_qty": qty,
                "location_id": (location or self.stock).id,
            }
        )

    # ------------------------------------------------------------------ lookups
    def _lots(self, names, product=None):
        product = product or self.product
        return self.env["stock.lot"].search(
            [("product_id", "=", product.id), ("name", "in", names)]
        )

    def _delivery_of(self, lot):
        """The transfer(s) that shipped ``lot`` to a customer."""
        return (
            self.env["stock.move.line"]
            .search(
                [("lot_id", "=", lot.id), ("location_dest_id.usage", "=", "customer")]
            )
            .picking_id
        )

    def _xlsx(self, rows):
        """The bytes of a one-sheet workbook holding ``rows``."""
        import openpyxl

        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(list(row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def _counts(self):
        """What a refused operation must leave as it was (``assertRefused``):
        serials, move lines, quants and reservations. A class may count more."""
        self.env.flush_all()
        quants = self.env["stock.quant"].search([])
        return (
            self.env["stock.lot"].search_count([]),
            self.env["stock.move.line"].search_count([]),
            len(quants),
            sum(quants.mapped("reserved_quantity")),
        )

    def assertRefused(self, exception, pattern, call, *args):
        """``call(*args)`` raises ``exception`` with a message matching
        ``pattern`` (the serials named) and leaves the database as it was:
        nothing added, and nothing pending that a later flush would write."""
        before = self._counts()
        with self.assertRaisesRegex(exception, pattern):
            call(*args)
        self.assertEqual(self._counts(), before, "nothing written")

    def _refusal(self, action, *args, **kwargs):
        """The message of the UserError (or ValidationError) ``action`` raises."""
        with self.assertRaises(UserError) as caught:
            action(*args, **kwargs)
        return str(caught.exception)

    def _form(self, record_or_model, view=None):
        return Form(record_or_model, view=view)
