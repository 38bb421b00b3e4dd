# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The fast paths leave exactly what Odoo's own path leaves.

Each test runs the same operation twice on identical data, once with the fast
paths off (context ``serial_no_fast_path``: Odoo's per-line code) and once on,
and compares normalized snapshots of quants, lots, move lines, moves and
valuation layers. Times are frozen so that dates compare too.
"""

import re
from collections import Counter
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..fastpath import clone as fast_clone
from ..fastpath import guard
from ..models import stock_lot_bulk, stock_move_line, stock_serial_bulk_mixin
from ..models.stock_move_line import StockMoveLine as FastLine
from ..models.stock_quant import StockQuant as FastQuant
from .common import SerialCase

N = 30


@tagged("post_install", "-at_install")
class TestPerformanceEquivalence(SerialCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.package = cls.env["stock.quant.package"].create({"name": "PACK-EQ"})
        cls.owner = cls.env["res.partner"].create({"name": "Consignor"})

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _new_product(self, code):
        return self._serial_product(f"Equivalence {code}", code, standard_price=7.5)

    def _names(self, prefix, count=N, start=1):
        return [f"{prefix}-{i:04d}" for i in range(start, start + count)]

    def _run(self, native, operation):
        """Run operation(env, product, prefix) with the fast path on or off;
        return the snapshot and the lines the fast path took."""
        prefix = "NAT" if native else "FST"
        product = self._new_product(prefix)
        # with the serials' chatter (SerialCase disables it)
        env = self.env(
            context=dict(
                self.env.context, serial_no_fast_path=native, tracking_disable=False
            )
        )
        taken = {
            "in": self.env["stock.move.line"],
            "out": self.env["stock.move.line"],
            "reserved": [],
            "slow": [],  # of the reserved, those left to Odoo's method
            "cloned": Counter(),  # {model: records copied by fast_clone}
        }
        clone = stock_lot_bulk.clone_records

        def clone_spy(first, varying, values, columns, **kwargs):
            copies = clone(first, varying, values, columns, **kwargs)
            taken["cloned"][first._name] += len(copies)
            return copies

        reserve = FastQuant._serial_fast_reserve

        def reserve_spy(quants, pending):
            taken["reserved"] += pending
            slow = reserve(quants, pending)
            taken["slow"] += slow
            return slow

        def spy(direction):
            original = getattr(FastLine, f"_serial_fast_done_{direction}")

            def wrapper(lines, *args):
                taken[direction] |= lines
                return original(lines, *args)

            return wrapper

        with (
            patch.object(FastLine, "_serial_fast_done_in", spy("in")),
            patch.object(FastLine, "_serial_fast_done_out", spy("out")),
            patch.object(FastQuant, "_serial_fast_reserve", reserve_spy),
            patch.object(stock_lot_bulk, "clone_records", clone_spy),
            patch.object(stock_move_line, "clone_records", clone_spy),
        ):
            # the helpers of SerialCase use self.env: the whole flow, setup
            # included, runs with the fast paths on, or off
            self.env = env
            try:
                operation(env, product.with_env(env), prefix)
            finally:
                del self.env
        return self._snapshot(product, prefix), taken

    def _compare(
        self, operation, fast_in=0, fast_out=0, reserved=None, cloned=None, slow=0
    ):
        with freeze_time("2026-03-02 10:00:00"):
            native, taken_native = self._run(True, operation)
            fast, taken_fast = self._run(False, operation)
        self.assertFalse(taken_native["in"] | taken_native["out"])
        self.assertFalse(taken_native["reserved"])
        self.assertFalse(taken_native["cloned"])
        for model, count in (cloned or {}).items():
            self.assertEqual(taken_fast["cloned"][model], count, model)
        # Odoo gives the messages it logs in one batch one Message-Id; the
        # copies of fast_clone each get their own (same form, compared above)
        copied = fast.pop("message_ids")
        native.pop("message_ids")
        if taken_fast["cloned"]["mail.message"]:
            # each copy and its original: a Message-Id of its own
            self.assertGreater(
                len(set(copied)), taken_fast["cloned"]["mail.message"], copied
            )
        for key in native:
            self.assertEqual(fast[key], native[key], f"{key} differ")
        self.assertEqual(len(taken_fast["in"]), fast_in)
        self.assertEqual(len(taken_fast["out"]), fast_out)
        if reserved is not None:
            self.assertEqual(len(taken_fast["reserved"]), reserved)
        self.assertEqual(len(taken_fast["slow"]), slow)
        return native

    def _snapshot(self, product, prefix):
        self.env.flush_all()
        self.env.invalidate_all()

        def name(value):
            return value[len(prefix) :] if value and value.startswith(prefix) else value

        quants = self.env["stock.quant"].search([("product_id", "=", product.id)])
        lots = self.env["stock.lot"].search([("product_id", "=", product.id)])
        lines = self.env["stock.move.line"].search([("product_id", "=", product.id)])
        moves = self.env["stock.move"].search([("product_id", "=", product.id)])
        layers = self.env["stock.valuation.layer"].search(
            [("product_id", "=", product.id)]
        )
        lot_names = {lot.id: name(lot.name) for lot in lots}
        messages = self.env["mail.message"].search(
            [("model", "=", "stock.lot"), ("res_id", "in", lots.ids)]
        )
        followers = self.env["mail.followers"].search(
            [("res_model", "=", "stock.lot"), ("res_id", "in", lots.ids)]
        )
        return {
            "quants": self._rows(quants, name),
            "lots": self._rows(lots, name),
            # the serials' chatter: one "created" message each, nothing else
            "messages": self._rows(messages, name, lot_names),
            "message_ids": messages.mapped("message_id"),
            "followers": self._rows(followers, name, lot_names),
            "move_lines": sorted(
                (
                    name(ml.lot_id.name) or "",
                    name(ml.lot_name) or "",
                    ml.location_id.id,
                    ml.location_dest_id.id,
                    ml.quantity,
                    ml.quantity_product_uom,
                    ml.state,
                    ml.picked,
                    str(ml.date),
                    ml.package_id.id,
                    ml.result_package_id.id,
                    ml.owner_id.id,
                    ml.company_id.id,
                )
                for ml in lines
            ),
            "moves": sorted(
                (
                    m.state,
                    m.quantity,
                    m.product_uom_qty,
                    m.location_id.id,
                    m.location_dest_id.id,
                    m.picked,
                    len(m.move_line_ids),
                )
                for m in moves
            ),
            "valuation": sorted(
                (
                    svl.quantity,
                    svl.value,
                    svl.unit_cost,
                    svl.remaining_qty,
                    svl.remaining_value,
                    svl.stock_move_id.location_id.id,
                )
                for svl in layers
            ),
        }

    # Columns that differ between two runs by construction, and how each is
    # normalized so that what remains compares: ids (their order, which the
    # sort of the rows already gives), the product (each run has its own),
    # names (without the run's prefix), Message-Ids (unique, and built from
    # the document as mail builds them).
    def _normalizers(self, records, name, lot_names):
        product_ids = set(records.product_id.ids) if "product_id" in records else ()
        template_ids = (
            set(records.product_id.product_tmpl_id.ids)
            if "product_id" in records
            else ()
        )

        def message_id(record, value):
            # <random.time-openerp-RES@host>: RES names the document, or
            # "message-notify" for messages logged in a batch
            if not value:
                return value
            value = re.sub(r"^<[0-9.]+-openerp-", "<", value)
            return value.replace(
                f"<{record.res_id}-", f"<{lot_names.get(record.res_id)}-"
            )

        return {
            "id": lambda record, value: bool(value),
            "product_id": lambda record, value: (
                "product" if value.id in product_ids else value.id
            ),
            "product_tmpl_id": lambda record, value: (
                "template" if value.id in template_ids else value.id
            ),
            "name": lambda record, value: name(value),
            "ref": lambda record, value: name(value),
            "display_name": lambda record, value: name(value),
            "res_id": lambda record, value: lot_names[value],
            "record_name": lambda record, value: name(value),
            # a message's parent: the first message of the document, shown
            # by its text (each run has its own ids)
            "parent_id": lambda record, value: value and str(value.body),
            # each run has its own manufacturing orders: shown by the serial
            # each one produced
            "production_id": lambda record, value: name(value.lot_producing_id.name),
            "consumed_production_id": lambda record, value: name(
                value.lot_producing_id.name
            ),
            "message_id": message_id,
        }

    def _rows(self, records, name, lot_names=None):
        """All stored columns of ``records``, normalized, sorted. With
        ``lot_names`` ({id: name}), res_id is shown as the serial's name."""
        fields_ = [f for f in records._fields.values() if f.store and f.column_type]
        normalizers = self._normalizers(records, name, lot_names)
        rows = []
        for record in records:
            row = [name(record.display_name if record._name == "stock.lot" else "")]
            for field in fields_:
                value = record[field.name]
                if field.name in normalizers:
                    value = normalizers[field.name](record, value)
                elif field.name == "lot_id":
                    value = name(value.name)
                elif field.type == "many2one":
                    value = value.id
                elif field.type in ("one2many", "many2many"):
                    value = tuple(sorted(value.ids))
                row.append(str(value))
            rows.append(tuple(row))
        return [("fields", *[f.name for f in fields_])] + sorted(rows)

    def _column(self, rows, fname):
        """Values of one field in rows made by _rows (first row: names)."""
        index = rows[0].index(fname)
        return [row[index] for row in rows[1:]]

    def _receipt(self, env, product, names, prefix):
        picking = self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            self.stock,
            product,
            len(names),
            self.vendor,
        )
        picking = picking.with_env(env)
        wizard = env["stock.serial.entry"].with_context(
            **picking.move_ids.action_open_serial_entry()["context"]
        )
        text = "\n".join(f"{prefix}{name}" for name in names)
        wizard.create({"serial_text": text}).action_apply()
        self.assertIs(picking.button_validate(), True)
        return picking

    def _receipt_packed(self, env, product, prefix, code):
        """Receive 6 serials: two into a package, one owned by a consignor,
        three plain. Return their names."""
        picking = self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            self.stock,
            product,
            6,
            self.vendor,
        ).with_env(env)
        move = picking.move_ids
        move.move_line_ids.unlink()
        names = [f"{prefix}{name}" for name in self._names(code, 6)]
        env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "location_id": self.supplier_loc.id,
                    "location_dest_id": self.stock.id,
                    "lot_name": name,
                    "quantity": 1,
                    "picked": True,
                    "result_package_id": self.package.id if i < 2 else False,
                    "owner_id": self.owner.id if i == 2 else False,
                }
                for i, name in enumerate(names)
            ]
        )
        self.assertIs(picking.button_validate(), True)
        return names

    def _outgoing(self, env, product, count, reserve=True):
        """A delivery of ``count`` units of ``product`` to the customer,
        reserved by Check Availability unless ``reserve`` is false."""
        picking = self._picking(
            self.warehouse.out_type_id,
            self.stock,
            self.customer_loc,
            product,
            count,
            self.customer,
        ).with_env(env)
        if reserve:
            picking.action_assign()
        return picking

    def _delivery(self, env, product, lots, reserve=True):
        picking = self._outgoing(env, product, len(lots), reserve=reserve)
        wizard = env["stock.serial.entry"].with_context(
            **picking.move_ids.action_open_serial_entry()["context"]
        )
        wizard = wizard.create({})
        wizard.lot_ids = lots
        wizard.action_apply()
        self.assertIs(picking.button_validate(), True)
        return picking

    # ------------------------------------------------------------------
    # receipts
    # ------------------------------------------------------------------
    def test_receipt_same_as_native(self):
        def operation(env, product, prefix):
            # some serials exist already (planned, e.g. pre-assigned on a PO)
            env["stock.lot"].create(
                [
                    {"name": f"{prefix}{name}", "product_id": product.id}
                    for name in self._names("-R", 5)
                ]
            )
            self._receipt(env, product, self._names("-R"), prefix)

        # 25 new serials: the first made by create(), 24 copies of its row
        # and of its "created" message; their create bookkeeping by chunks
        # of 7, each dropped from the cache after
        with patch.object(fast_clone, "CHUNK", 7):
            snapshot = self._compare(
                operation,
                fast_in=N,
                cloned={"stock.lot": N - 6, "mail.message": N - 6},
            )
        self.assertEqual(len(snapshot["quants"]), 1 + 2 * N)  # header + quants
        self.assertEqual(
            set(self._column(snapshot["lots"], "serial_status")), {"received"}
        )
        self.assertEqual(len(snapshot["messages"]), 1 + N)  # one per serial
        self.assertEqual(
            set(self._column(snapshot["messages"], "body")),
            {f"<p>{self.env['ir.model']._get('stock.lot').name} created</p>"},
        )

    def test_receipt_with_packages_and_owner_falls_back(self):
        def operation(env, product, prefix):
            self._receipt_packed(env, product, prefix, "-P")

        self._compare(operation, fast_in=3)

    def test_receipt_of_a_serial_with_quants_falls_back(self):
        def operation(env, product, prefix):
            self._receipt(env, product, self._names("-Q", 4), prefix)
            lots = self._lots([f"{prefix}{n}" for n in self._names("-Q", 2)], product)
            self._delivery(env, product, lots)
            # both shipped serials come back from the customer: they have
            # quants (at the customer, and zero ones in stock)
            picking = self._picking(
                self.warehouse.in_type_id,
                self.customer_loc,
                self.stock,
                product,
                2,
                self.customer,
            ).with_env(env)
            move = picking.move_ids
            move.move_line_ids.unlink()
            env["stock.move.line"].create(
                [
                    {
                        "move_id": move.id,
                        "picking_id": picking.id,
                        "product_id": product.id,
                        "product_uom_id": product.uom_id.id,
                        "location_id": self.customer_loc.id,
                        "location_dest_id": self.stock.id,
                        "quantity": 1,
                        "picked": True,
                        "lot_id": lot.id,
                    }
                    for lot in lots
                ]
            )
            self.assertIs(picking.button_validate(), True)

        # The first receipt (4) and the delivery (2) go fast; the return from
        # the customer does not (its serials have quants).
        self._compare(operation, fast_in=4, fast_out=2)

    # ------------------------------------------------------------------
    # deliveries
    # ------------------------------------------------------------------
    def test_delivery_same_as_native(self):
        def operation(env, product, prefix):
            self._receipt(env, product, self._names("-D"), prefix)
            lots = self._lots([f"{prefix}{n}" for n in self._names("-D")], product)
            # a serial that has a (zero) quant at the customer already
            Quant = env["stock.quant"].sudo()
            Quant._update_available_quantity(
                product, self.customer_loc, 1, lot_id=lots[0]
            )
            Quant._update_available_quantity(
                product, self.customer_loc, -1, lot_id=lots[0]
            )
            self._delivery(env, product, lots[: N - 5])

        # the reservation's lines: the first by create(), the others copies
        snapshot = self._compare(
            operation,
            fast_in=N,
            fast_out=N - 5,
            reserved=N - 5,
            cloned={"stock.lot": N - 1, "stock.move.line": N - 6},
        )
        statuses = self._column(snapshot["lots"], "serial_status")
        self.assertEqual(statuses.count("shipped"), N - 5)

    def test_delivery_of_other_serials_than_reserved(self):
        def operation(env, product, prefix):
            self._receipt(env, product, self._names("-O", 10), prefix)
            lots = self._lots([f"{prefix}{n}" for n in self._names("-O", 10)], product)
            # reserve 4 (Odoo takes the first ones), pick the last 4 instead
            self._delivery(env, product, lots.sorted("name")[-4:])

        # 4 lines reserved, then deleted and 4 others picked: 3 + 3 copies;
        # the 4 serials reserved, the same 4 released, the 4 picked reserved,
        # each time in one batch
        self._compare(
            operation,
            fast_in=10,
            fast_out=4,
            reserved=12,
            cloned={"stock.move.line": 6},
        )

    def _reserved(self, product):
        quants = self.env["stock.quant"].search([("product_id", "=", product.id)])
        return sorted(
            (quant.lot_id.name, quant.reserved_quantity)
            for quant in quants
            if quant.reserved_quantity
        )

    def test_batch_collects_only_its_own_serials(self):
        """A batch of lines collects the reservations of its own serials,
        either way. A serial of no line of it, reserved by whatever runs
        meanwhile, is reserved at once by Odoo's method, and counted; so is
        a change of one of its serials the batch cannot do, after what the
        batch had collected of that serial (Odoo's order)."""
        product = self._new_product("BATCH")
        self._receipt(self.env, product, self._names("-B", 3), "BATCH")
        mine, other, outside = self._lots(
            [f"BATCH{name}" for name in self._names("-B", 3)], product
        ).sorted("name")
        Quant = self.env["stock.quant"].sudo()
        Quant._update_reserved_quantity(product, self.stock, 1, lot_id=other)
        token, batch = stock_move_line._pending_reservations(
            self.env, lot_ids=[mine.id, other.id]
        )
        inside = Quant.with_context(serial_fast_reserve=token)
        try:
            inside._update_reserved_quantity(product, self.stock, 1, lot_id=mine)
            inside._update_reserved_quantity(product, self.stock, -1, lot_id=other)
            inside._update_reserved_quantity(product, self.stock, 1, lot_id=outside)
            self.assertEqual(
                batch["entries"],
                [(product, self.stock, mine, 1), (product, self.stock, other, -1)],
            )
            self.assertEqual(batch["passed"], 1)
            self.assertEqual(
                self._reserved(product), [(other.name, 1.0), (outside.name, 1.0)]
            )
            # not strict: left to Odoo's method, after the +1 collected (in
            # the other order the -1 would do nothing and the +1 stay)
            inside._update_reserved_quantity(
                product, self.stock, -1, lot_id=mine, strict=False
            )
            self.assertEqual(batch["entries"], [(product, self.stock, other, -1)])
            self.assertEqual(batch["passed"], 2)
            self.assertEqual(
                self._reserved(product), [(other.name, 1.0), (outside.name, 1.0)]
            )
        finally:
            _token, popped = stock_move_line._pending_reservations(
                self.env, token, pop=True
            )
        self.assertIs(popped, batch)
        self.assertNotIn(
            token, self.env.cr.precommit.data["stock_serial_tracking.reserve"]
        )
        self.assertEqual(Quant._serial_fast_reserve(batch["entries"]), [])
        self.assertEqual(self._reserved(product), [(outside.name, 1.0)])

    def test_gather_filters_agree_with_the_domain(self):
        """The serials the batched reservation leaves to Odoo as unseen are
        those Odoo's gather does not find, in each context a move sets."""
        product = self._new_product("HIDE")
        names = [f"HIDE{name}" for name in self._names("-G", 4)]
        self._receipt(self.env, product, self._names("-G", 4), "HIDE")
        held, chosen_a, chosen_b, free = self._lots(names, product).sorted("name")
        line_a, line_b = (
            self.env["sale.order"]
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1})
                    ],
                }
            )
            .order_line
            for _order in range(2)
        )
        held.action_serial_hold("Inspection")
        chosen_a.sudo().write({"sale_line_id": line_a.id, "serial_sale_chosen": True})
        chosen_b.sudo().write({"sale_line_id": line_b.id, "serial_sale_chosen": True})
        lots = held | chosen_a | chosen_b | free
        for context, hidden in (
            ({}, lots.browse()),
            ({"serial_skip_held": True}, held),
            ({"serial_sale_line_id": line_a.id}, chosen_b),
            ({"serial_sale_line_id": 0}, chosen_a | chosen_b),
            (
                {"serial_skip_held": True, "serial_sale_line_id": line_b.id},
                held | chosen_a,
            ),
        ):
            quants = self.env["stock.quant"].with_context(**context)
            with self.subTest(context=context):
                found = quants.search(quants._get_gather_domain(product, self.stock))
                self.assertEqual(found.lot_id, lots - hidden)
                self.assertEqual(
                    quants._gather(product, self.stock).lot_id, found.lot_id
                )
                self.assertEqual(
                    quants._serial_hidden_from_gather(product, lots), hidden
                )

    def test_unreserve_same_as_native(self):
        def operation(env, product, prefix):
            self._receipt(env, product, self._names("-X", 8), prefix)
            picking = self._outgoing(env, product, 5)
            self.assertEqual(len(self._reserved(product)), 5)
            picking.do_unreserve()
            # every serial free again, in both ways
            self.assertEqual(self._reserved(product), [])
            self.assertFalse(picking.move_line_ids)
            picking.action_assign()
            picking.move_ids.picked = True
            self.assertIs(picking.button_validate(), True)

        # reserved, released, reserved again: 5 each time
        self._compare(operation, fast_in=8, fast_out=5, reserved=15)

    def test_unreserve_of_a_held_serial_falls_back(self):
        """A serial put on hold while reserved: Unreserve releases it by
        Odoo's method (the batch leaves held serials to it) and the others in
        one batch; Check Availability then takes other serials than it."""

        def operation(env, product, prefix):
            self._receipt(env, product, self._names("-H", 7), prefix)
            picking = self._outgoing(env, product, 5)
            held = picking.move_line_ids.lot_id.sorted("name")[:1]
            held.action_serial_hold("Inspection")
            picking.do_unreserve()
            self.assertEqual(self._reserved(product), [])
            picking.action_assign()
            self.assertEqual(len(picking.move_line_ids.lot_id), 5)
            self.assertNotIn(held, picking.move_line_ids.lot_id)
            picking.move_ids.picked = True
            self.assertIs(picking.button_validate(), True)

        # 5 reserved, 5 released (the held one by Odoo's method), 5 reserved
        self._compare(operation, fast_in=7, fast_out=5, reserved=15, slow=1)

    def test_unreserve_beside_stock_without_serial_falls_back(self):
        """Odoo's reservation of a serial also reads the quants without
        serial of its place (their in date counts): those serials go through
        Odoo's method, with the same result."""

        def operation(env, product, prefix):
            self._receipt(env, product, self._names("-W", 4), prefix)
            lots = self._lots([f"{prefix}{n}" for n in self._names("-W", 4)], product)
            env["stock.quant"].sudo()._update_available_quantity(
                product,
                self.stock,
                2,
                in_date=fields.Datetime.to_datetime("2025-01-01 08:00:00"),
            )
            self._delivery(env, product, lots.sorted("name")[-2:])

        # the two serials Odoo reserved, the same two released, the two
        # picked reserved: handed to the batch, which gives each to Odoo's
        # method (stock without serial lies beside them)
        self._compare(operation, fast_in=4, fast_out=2, reserved=6, slow=6)

    def test_delivery_not_reserved_first(self):
        def operation(env, product, prefix):
            self._receipt(env, product, self._names("-U", 6), prefix)
            lots = self._lots([f"{prefix}{n}" for n in self._names("-U", 6)], product)
            self._delivery(env, product, lots, reserve=False)

        self._compare(operation, fast_in=6, fast_out=6, cloned={"stock.move.line": 5})

    def test_delivery_from_packages_and_consignment_falls_back(self):
        """Serials in a package or owned by a consignor are reserved and
        shipped by Odoo's own code, one line at a time; the plain ones of the
        same delivery go fast. Same result as Odoo alone."""

        def operation(env, product, prefix):
            names = self._receipt_packed(env, product, prefix, "-K")
            self._delivery(env, product, self._lots(names, product))

        snapshot = self._compare(
            operation, fast_in=3, fast_out=3, cloned={"stock.move.line": 2}
        )
        statuses = self._column(snapshot["lots"], "serial_status")
        self.assertEqual(statuses.count("shipped"), 6)

    # ------------------------------------------------------------------
    # what the fast path never takes
    # ------------------------------------------------------------------
    def test_candidates_exclude_what_the_fast_path_cannot_know(self):
        product = self._new_product("CAND")
        untracked = self.env["product.product"].create(
            {"name": "Plain", "is_storable": True}
        )
        lot_lot = self.env["stock.lot"].create(
            {"name": "LOT-1", "product_id": self.lot_product.id}
        )
        picking = self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            self.stock,
            product,
            8,
            self.vendor,
        )
        move = picking.move_ids
        move.move_line_ids.unlink()
        chained = self.env["stock.move"].create(
            {
                "name": "next step",
                "product_id": product.id,
                "product_uom_qty": 1,
                "product_uom": product.uom_id.id,
                "location_id": self.stock.id,
                "location_dest_id": self.shelf.id,
            }
        )
        chained_receipt = self._picking(
            self.warehouse.in_type_id,
            self.supplier_loc,
            self.stock,
            product,
            1,
            self.vendor,
        )
        chained_receipt.move_ids.move_dest_ids = [Command.link(chained.id)]
        base = {
            "product_id": product.id,
            "product_uom_id": product.uom_id.id,
            "location_id": self.supplier_loc.id,
            "location_dest_id": self.stock.id,
            "quantity": 1,
            "picked": True,
            "company_id": self.company.id,
        }
        ok = self.env["stock.move.line"].create(
            [
                dict(base, move_id=move.id, picking_id=picking.id, lot_name="C-1"),
                dict(base, move_id=move.id, picking_id=picking.id, lot_name="C-2"),
            ]
        )
        refused = self.env["stock.move.line"].create(
            [
                dict(
                    base,
                    move_id=move.id,
                    lot_name="C-3",
                    package_id=False,
                    result_package_id=self.package.id,
                ),
                dict(base, move_id=move.id, lot_name="C-4", owner_id=self.owner.id),
                dict(base, move_id=move.id, lot_name="C-5", quantity=2),
                dict(base, move_id=move.id, lot_name="C-1"),  # twice
                dict(base, move_id=move.id, lot_name=False),
                dict(
                    base,
                    move_id=chained_receipt.move_ids.id,
                    picking_id=chained_receipt.id,
                    lot_name="C-6",
                ),
                dict(
                    base,
                    move_id=False,
                    product_id=self.lot_product.id,
                    lot_id=lot_lot.id,
                    product_uom_id=self.lot_product.uom_id.id,
                ),
                dict(
                    base,
                    move_id=False,
                    product_id=untracked.id,
                    product_uom_id=untracked.uom_id.id,
                ),
            ]
        )
        candidates = (ok | refused)._serial_fast_candidates()
        self.assertEqual(candidates, ok[1])  # C-1 appears twice: not taken
        self.assertFalse(
            (ok | refused)
            .with_context(serial_no_fast_path=True)
            ._serial_fast_candidates()
        )
        self.assertEqual(ok._serial_fast_candidates(), ok)

    # ------------------------------------------------------------------
    # creating thousands of serials (fast_clone)
    # ------------------------------------------------------------------
    def test_fast_create_same_rows_and_order_as_create(self):
        """Serials of two products interleaved: the same lots, in the order
        asked, and the same chatter as create(), made by copies."""
        other = self._new_product("FC2")
        results = {}
        for native in (True, False):
            prefix = "NAT" if native else "FST"
            product = self._new_product(f"FC{prefix}")
            vals_list = [
                {
                    "name": f"{prefix}-FC-{i:03d}",
                    "product_id": (product if i % 3 else other).id,
                    "ref": "batch",
                }
                for i in range(12)
            ]
            Lot = self.env["stock.lot"].with_context(tracking_disable=False)
            with freeze_time("2026-03-02 10:00:00"):
                if native:
                    lots = Lot.create(vals_list)
                else:
                    with patch.object(
                        stock_lot_bulk,
                        "clone_records",
                        wraps=stock_lot_bulk.clone_records,
                    ) as spy:
                        lots = Lot._serial_fast_create(vals_list)
                    # one group per product, each copies its first: lots and messages
                    self.assertEqual(spy.call_count, 4)
            self.assertEqual(lots.mapped("name"), [v["name"] for v in vals_list])
            self.assertEqual(
                [lot.product_id.id for lot in lots],
                [v["product_id"] for v in vals_list],
            )
            mine = lots.filtered(lambda lot, p=product: lot.product_id == p)
            results[native] = self._snapshot(product, prefix)
            self.assertEqual(len(results[native]["lots"]), 1 + len(mine))
            # the serials of the shared product made in this run
            others = lots - mine
            self.assertEqual(len(others.message_ids), len(others))
        # Odoo logs the batch with one Message-Id; each copy has its own
        copied = results[False].pop("message_ids")
        self.assertEqual(len(set(copied)), len(copied))
        results[True].pop("message_ids")
        for key in results[True]:
            self.assertEqual(results[False][key], results[True][key], key)

    def test_fast_create_refuses_bad_names_before_writing(self):
        product = self._new_product("FCBAD")
        count = self.env["stock.lot"].search_count([])
        messages = self.env["mail.message"].search_count([])
        too_long = "FCBAD-" + "X" * 40
        vals_list = [
            {"name": f"FCBAD-{i:03d}", "product_id": product.id} for i in range(20)
        ] + [{"name": too_long, "product_id": product.id}]
        Lot = self.env["stock.lot"].with_context(tracking_disable=False)
        with self.assertRaisesRegex(ValidationError, too_long):
            Lot._serial_fast_create(vals_list)
        self.assertEqual(self.env["stock.lot"].search_count([]), count)
        self.assertEqual(self.env["mail.message"].search_count([]), messages)

    def _push_route(self, env, name, destination):
        """A route pushing what arrives in stock on to ``destination``."""
        return env["stock.route"].create(
            {
                "name": name,
                "product_selectable": True,
                "rule_ids": [
                    Command.create(
                        {
                            "name": name,
                            "action": "push",
                            "location_src_id": self.stock.id,
                            "location_dest_id": destination.id,
                            "picking_type_id": self.warehouse.int_type_id.id,
                        }
                    )
                ],
            }
        )

    def test_mass_production_same_as_native(self):
        """Mass producing serials of a product whose stock is pushed on to a
        shelf: Odoo's push rule of the finished and component moves is looked
        up once per question instead of once per move, and every move, line,
        quant and serial is the same as Odoo's."""
        from odoo.addons.stock.models.stock_rule import (
            ProcurementGroup as StockProcurementGroup,
        )

        lookups = Counter()
        original = StockProcurementGroup._get_push_rule

        def counting(group, product, location, values):
            lookups[group.env.context.get("serial_no_fast_path", False)] += 1
            return original(group, product, location, values)

        def operation(env, product, prefix):
            product.route_ids = self._push_route(
                env, f"{prefix} to the shelf", self.shelf
            )
            screw = env["product.product"].create(
                {"name": f"{prefix} screw", "is_storable": False}
            )
            bom = self._bom(product, [(screw, 2)])
            production = env["mrp.production"].create(
                {"product_id": product.id, "product_qty": 4, "bom_id": bom.id}
            )
            production.action_confirm()
            batch = env["mrp.batch.produce"].create(
                {
                    "production_id": production.id,
                    "production_text": "\n".join(
                        f"{prefix}{name}" for name in self._names("-M", 4)
                    ),
                }
            )
            batch.action_done()
            pushed = env["stock.move"].search(
                [
                    ("product_id", "=", product.id),
                    ("location_dest_id", "=", self.shelf.id),
                ]
            )
            # Odoo merges them into one move of the internal transfer
            self.assertEqual(sum(pushed.mapped("product_uom_qty")), 4)

        with patch.object(StockProcurementGroup, "_get_push_rule", counting):
            # the finished serials come in by the validation's fast path too
            native = self._compare(operation, fast_in=4)
        # four finished moves and four component moves: Odoo asks eight
        # times; the add-on asks once per product and destination
        self.assertEqual(lookups[True], 8)
        self.assertEqual(lookups[False], 2)
        self.assertEqual(len(self._column(native["lots"], "name")), 4)

    def test_push_rules_found_once_per_question(self):
        """Moves pushed in one call that ask the same question share the
        rule found; a move with routes of its own asks its own. The moves
        Odoo creates are the same with the fast paths off, they carry nothing
        of the add-on, and nothing is kept after the call."""
        from odoo.addons.stock.models.stock_rule import (
            ProcurementGroup as StockProcurementGroup,
        )

        from ..models.procurement_group import PUSH_RULES

        bay = self.env["stock.location"].create(
            {"name": "Bay", "usage": "internal", "location_id": self.stock.id}
        )

        product = self._new_product("PUSH")
        product.route_ids = self._push_route(self.env, "To the shelf", self.shelf)
        to_bay = self._push_route(self.env, "To the bay", bay)
        lookups = []
        original = StockProcurementGroup._get_push_rule

        def counting(group, product, location, values):
            lookups.append(location)
            return original(group, product, location, values)

        def push(env):
            moves = env["stock.move"].create(
                [
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "product_uom": product.uom_id.id,
                        "location_id": self.supplier_loc.id,
                        "location_dest_id": self.stock.id,
                        "route_ids": [Command.set(routes.ids)],
                    }
                    for routes in (to_bay.browse(), to_bay.browse(), to_bay)
                ]
            )
            lookups.clear()
            with patch.object(StockProcurementGroup, "_get_push_rule", counting):
                pushed = moves._push_apply()
            self.assertNotIn("serial_push_rules", pushed.env.context)
            self.assertFalse(self.env.cr.precommit.data.get(PUSH_RULES))
            return len(lookups), sorted(
                (move.location_dest_id.name, move.product_uom_qty) for move in pushed
            )

        native = push(
            self.env(context=dict(self.env.context, serial_no_fast_path=True))
        )
        fast = push(self.env)
        self.assertEqual(native[0], 3)
        self.assertEqual(fast[0], 2)
        self.assertEqual(fast[1], native[1])
        self.assertEqual(sorted({name for name, _qty in fast[1]}), ["Bay", "Shelf S1"])

    def test_company_check_in_batch_refuses_as_odoo(self):
        """Moves and lines checked per (field, company) in a batch: a
        consistent batch passes; one record pointing to another company's
        location makes the batch step aside and Odoo's own check refuse it."""
        from ..fastpath import check_company_batched

        other = self.env["res.company"].create({"name": "Other Serial Company"})
        elsewhere = self.env["stock.location"].create(
            {"name": "Elsewhere", "usage": "internal", "company_id": other.id}
        )
        picking = self._picking(
            self.warehouse.int_type_id, self.stock, self.shelf, self.product, 3
        )
        moves = (
            picking.move_ids
            | self._picking(
                self.warehouse.int_type_id, self.stock, self.shelf, self.product2, 3
            ).move_ids
        )
        self.assertTrue(check_company_batched(moves))
        # Odoo's check of moves and of manufacturing orders asks the batch
        productions = self.env["mrp.production"].create(
            [{"product_id": self.product.id, "product_qty": 1} for _i in range(2)]
        )
        batched = []

        def spy(records, fnames=None):
            result = check_company_batched(records, fnames)
            batched.append((records._name, len(records), result))
            return result

        with patch.object(stock_serial_bulk_mixin, "check_company_batched", spy):
            moves._check_company()
            productions._check_company()
        self.assertEqual(
            batched, [("stock.move", 2, True), ("mrp.production", 2, True)]
        )
        # written past the ORM's check, as a module's SQL would
        moves[1:].flush_recordset()
        self.env.cr.execute(
            "UPDATE stock_move SET location_id = %s WHERE id = %s",
            [elsewhere.id, moves[1].id],
        )
        moves.invalidate_recordset(["location_id"])
        self.assertFalse(check_company_batched(moves))
        with self.assertRaisesRegex(UserError, "Elsewhere"):
            moves._check_company()

    def _foreign(self, model, method):
        """The registry's class of ``model`` with a class of another module
        on top that defines ``method``, as installing that module would."""
        base = type(self.env[model])
        Foreign = type(
            "Foreign",
            (),
            {"_module": "some_other_module", method: getattr(base, method, None)},
        )
        return type(f"{base.__name__}Foreign", (Foreign, base), {"_register": False})

    def _with_foreign(self, model, method):
        return patch.dict(
            self.env.registry.models, {model: self._foreign(model, method)}
        )

    def test_guard_steps_aside_for_a_foreign_override_of_each_method(self):
        """Every method a fast path reproduces, overridden by an unknown
        module, makes that fast path (and only those that reproduce it) step
        aside; the installed modules pass."""
        Line = self.env["stock.move.line"]
        for path, models in guard.PATHS.items():
            self.assertTrue(guard.allowed(Line, path), path)
            for model, methods in models.items():
                for method in methods:
                    with self.subTest(path=path, model=model, method=method):
                        with self._with_foreign(model, method):
                            line = self.env["stock.move.line"]
                            self.assertFalse(guard.allowed(line, path))
                            self.assertIn(
                                (model, method, "some_other_module"),
                                guard.foreign_overrides(line, path),
                            )
                            # the record's own class counts too
                            record = self.env[model]
                            self.assertFalse(guard.allowed(record, path))

    def test_copies_refused_for_foreign_per_record_defaults(self):
        """A module the add-on does not know that gives a stored field a
        computed default (a sequence, a uuid): copies would repeat the
        first record's value, so none are made."""
        from ..fastpath import clone_columns

        Lot = self.env["stock.lot"]
        self.assertIsNotNone(clone_columns(Lot, "name"))
        base = type(Lot)
        field = fields.Char(default=lambda self: "per-record")
        Foreign = type("Foreign", (), {"_module": "some_other_module"})
        # set after the class is made: a field's __set_name__ needs a model
        Foreign.ref = field
        foreign = type("StockLotForeign", (Foreign, base), {"_register": False})
        self.assertIsNone(clone_columns(foreign(self.env, (), ()), "name"))

    def test_guard_switched_off_by_context_and_system_parameter(self):
        Lot = self.env["stock.lot"]
        self.assertTrue(guard.enabled(self.env))
        self.assertFalse(
            guard.allowed(Lot.with_context(serial_no_fast_path=True), "lot_create")
        )
        self.env["ir.config_parameter"].sudo().set_param(guard.SWITCH_PARAM, "False")
        self.assertFalse(guard.enabled(self.env))
        self.assertFalse(guard.allowed(Lot, "lot_create"))
        # every fast path then steps aside: nothing is copied
        product = self._new_product("PARAM")
        with patch.object(
            stock_lot_bulk, "clone_records", wraps=stock_lot_bulk.clone_records
        ) as spy:
            lots = Lot._serial_fast_create(
                [{"name": f"PARAM-{i}", "product_id": product.id} for i in range(4)]
            )
        spy.assert_not_called()
        self.assertEqual(len(lots), 4)
        self.env["ir.config_parameter"].sudo().set_param(guard.SWITCH_PARAM, "True")
        self.assertTrue(guard.enabled(self.env))

    def test_fast_paths_step_aside_when_quants_are_overridden(self):
        """A foreign override of a quant method the validation reproduces
        (here _update_available_quantity): receipt and delivery go through
        Odoo's loop, line by line, with the same result."""

        def operation(env, product, prefix):
            self._receipt(env, product, self._names("-Q", 6), prefix)
            lots = self._lots([f"{prefix}{n}" for n in self._names("-Q", 6)], product)
            self._delivery(env, product, lots)

        with self._with_foreign("stock.quant", "_update_available_quantity"):
            self._compare(operation, fast_in=0, fast_out=0)

    def test_sql_derived_fields_recompute_dependents_in_other_modules(self):
        """A stored field of another module (here a custom field) computed
        from the serial's status and customer follows the statement that
        derives them from the moves."""
        model = self.env["ir.model"]._get("stock.lot")
        field = self.env["ir.model.fields"].create(
            {
                "model_id": model.id,
                "name": "x_status_customer",
                "field_description": "Status and customer",
                "ttype": "char",
                "store": True,
                "depends": "serial_status,customer_id",
                "compute": "for lot in self:\n"
                "    lot['x_status_customer'] = '%s/%s' % "
                "(lot.serial_status, lot.customer_id.name or '')",
            }
        )
        # the registry keeps the field past the test's rollback: the tests
        # after this one must not write it
        self.addCleanup(field.unlink)
        product = self._new_product("DEP")
        names = self._names("DEP", 5)
        Lot = type(self.env["stock.lot"])
        modified = Lot.modified
        chunks = []

        def spy(records, fnames, create=False, before=False):
            if create:
                chunks.append(records.ids)
            return modified(records, fnames, create=create, before=before)

        # the serials copied from the first have their create bookkeeping
        # done by chunks of 2; the field, copied from the first, is then
        # recomputed for all by the statement deriving the status
        with (
            patch.object(fast_clone, "CHUNK", 2),
            patch.object(Lot, "modified", spy),
        ):
            self._receipt(self.env, product, names, "")
        lots = self._lots(names, product).sorted("id")
        # the first serial made by create(), its four copies in two chunks
        self.assertEqual(chunks[-2:], [lots[1:3].ids, lots[3:5].ids])

        def stored():
            self.env.flush_all()
            self.env.cr.execute(
                "SELECT name, x_status_customer FROM stock_lot WHERE id = ANY(%s)",
                [lots.ids],
            )
            return dict(self.env.cr.fetchall())

        self.assertEqual(stored(), dict.fromkeys(names, "received/"))
        lot = lots.sorted("name")[:1]
        self._delivery(self.env, product, lot)
        shipped = f"shipped/{self.customer.name}"
        self.assertEqual(
            stored(), {**dict.fromkeys(names, "received/"), lot.name: shipped}
        )
        self.assertEqual(lot.x_status_customer, shipped)

    def test_serial_location_derived_with_the_status(self):
        """Odoo's location of a serial (the one place of its quants in stock)
        is computed by the statement that derives the status, not by
        _compute_single_location line by line; another module's override of
        that compute gets it back."""
        Lot = type(self.env["stock.lot"])
        computed = []
        original = Lot._compute_single_location
        earlier = self.env["res.users"].create(
            {"name": "Earlier Writer", "login": "sst_earlier_writer"}
        )

        def spy(lots):
            computed.extend(lots.ids)
            return original(lots)

        def receive_and_ship(code):
            product = self._new_product(code)
            names = self._names(f"{code}-", 6)
            self._receipt(self.env, product, names, "")
            lots = self._lots(names, product)
            self.env.flush_all()
            self.env.invalidate_all()
            in_stock = [lot.location_id for lot in lots]
            received = set(computed) & set(lots.ids)
            computed.clear()
            # written last by someone else, long ago
            self.env.cr.execute(
                "UPDATE stock_lot SET write_uid = %s, write_date = %s"
                " WHERE id = ANY(%s)",
                [earlier.id, "2020-01-01 08:00:00", lots.ids],
            )
            self._delivery(self.env, product, lots[:2])
            self.env.flush_all()
            self.env.invalidate_all()
            shipped = set(computed) & set(lots.ids)
            computed.clear()
            self.env.cr.execute(
                "SELECT name, write_uid, write_date > '2020-01-01 08:00:00'"
                " FROM stock_lot WHERE id = ANY(%s)",
                [lots.ids],
            )
            # a serial whose location changed was written by the user now,
            # the others not at all
            self.assertEqual(
                {name: rest for name, *rest in self.env.cr.fetchall()},
                {
                    lot.name: [self.env.uid, True]
                    if lot in lots[:2]
                    else [earlier.id, False]
                    for lot in lots
                },
            )
            return lots, in_stock, received, shipped

        def places(lots):
            return [lot.location_id for lot in lots]

        with patch.object(Lot, "_compute_single_location", spy):
            lots, in_stock, received, shipped = receive_and_ship("LOCF")
        # every serial, one by one (a set of locations would hide one without)
        self.assertEqual(in_stock, [self.stock] * 6)
        # shipped: their only quant with a quantity is the customer's
        self.assertEqual(places(lots), [self.customer_loc] * 2 + [self.stock] * 4)
        # the ORM computed at most the first serial, made by create(), when it
        # had no quants yet (its copies are made with it)
        self.assertLessEqual(len(received), 1, received)
        self.assertFalse(shipped, shipped)

        with self._with_foreign("stock.lot", "_compute_single_location"):
            Foreign = type(self.env["stock.lot"])
            with patch.object(Foreign, "_compute_single_location", spy):
                lots, in_stock, received, shipped = receive_and_ship("LOCO")
        self.assertEqual(in_stock, [self.stock] * 6)
        self.assertEqual(places(lots), [self.customer_loc] * 2 + [self.stock] * 4)
        self.assertEqual(received, set(lots.ids))
        self.assertEqual(shipped, set(lots[:2].ids))

    def test_fast_create_falls_back_when_others_override_creation(self):
        """Another module's override of the serials' creation must see every
        serial: then nothing is copied."""
        product = self._new_product("FCOVR")
        with (
            self._with_foreign("stock.lot", "_creation_message"),
            patch.object(
                stock_lot_bulk, "clone_records", wraps=stock_lot_bulk.clone_records
            ) as spy,
        ):
            Lot = self.env["stock.lot"].with_context(tracking_disable=False)
            lots = Lot._serial_fast_create(
                [{"name": f"FCOVR-{i}", "product_id": product.id} for i in range(5)]
            )
        spy.assert_not_called()
        self.assertEqual(len(lots.message_ids), 5)

    def test_line_copies_fall_back_when_others_override_creation(self):
        """Move lines are copied only when no unknown module creates them;
        otherwise each goes through create() and the result is the same."""

        def operation(env, product, prefix):
            self._receipt(env, product, self._names("-G", 8), prefix)
            lots = self._lots([f"{prefix}{n}" for n in self._names("-G", 8)], product)
            self._delivery(env, product, lots)

        with self._with_foreign("stock.move.line", "_create"):
            self._compare(
                operation, fast_in=8, fast_out=8, cloned={"stock.move.line": 0}
            )
