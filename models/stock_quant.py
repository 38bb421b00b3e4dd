"""Quants: held serials stay out of Odoo's reservation, and serials of move
lines created or deleted in a batch are reserved or unreserved in one write
(see stock_move_line)."""

from collections import Counter, defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, float_compare

from ..fastpath import guard


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
    ):
        # Only while a move looks for stock to reserve (context set by
        # stock.move): quants of held serials stay invisible to it, so Odoo's
        # Check Availability takes other serials. Every other read of quants
        # (moving stock in and out, inventory) still sees them.
        domain = super()._get_gather_domain(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )
        if self.env.context.get("serial_skip_held") and product_id.tracking != "none":
            domain = expression.AND(
                [domain, self.env["stock.lot"]._serial_held_domain()]
            )
        # ... and serials a sale line chose stay invisible to the moves of
        # every other line, so Check Availability takes other units
        if (
            "serial_sale_line_id" in self.env.context
            and product_id.tracking == "serial"
        ):
            domain = expression.AND([domain, self._serial_sale_free_domain()])
        return domain

    def _serial_sale_free_domain(self):
        line_id = self.env.context.get("serial_sale_line_id") or False
        return [
            "|",
            ("lot_id", "=", False),
            "|",
            ("lot_id.serial_sale_chosen", "=", False),
            ("lot_id.sale_line_id", "=", line_id),
        ]

    def _gather(
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
        qty=0,
    ):
        quants = super()._gather(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            qty=qty,
        )
        context = self.env.context
        if not (context.get("serial_skip_held") or "serial_sale_line_id" in context):
            return quants
        # a reservation from a cache of quants skips the domain above
        hidden = self._serial_hidden_from_gather(product_id, quants.lot_id)
        if hidden:
            quants = quants.filtered(lambda q: q.lot_id not in hidden)
        return quants

    @api.model
    def _serial_hidden_from_gather(self, product, lots):
        """The serials among ``lots`` that a gather of ``product`` in this
        context does not see (the filters of _get_gather_domain on records):
        held serials while a move looks for stock to reserve, and, for the
        moves of a sale line, serials another line chose."""
        context = self.env.context
        hidden = lots.browse()
        if context.get("serial_skip_held") and product.tracking != "none":
            hidden |= lots.filtered("serial_on_hold")
        if "serial_sale_line_id" in context and product.tracking == "serial":
            line_id = context["serial_sale_line_id"] or False
            hidden |= lots.filtered(
                lambda lot: lot.serial_sale_chosen and lot.sale_line_id.id != line_id
            )
        return hidden

    @api.model
    def _update_reserved_quantity(
        self,
        product_id,
        location_id,
        quantity,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        # A serial chosen by hand on a move line reserves it here: refuse a
        # held one, naming it and its hold. Inventory adjustments may still
        # count a held serial (context set by _apply_inventory).
        if (
            lot_id
            and lot_id.serial_on_hold
            and not self.env.context.get("serial_hold_allow")
            and float_compare(
                quantity, 0, precision_rounding=product_id.uom_id.rounding
            )
            > 0
        ):
            raise UserError(
                self.env._("This serial number cannot be reserved:")
                + "\n- "
                + "\n- ".join(lot_id._serial_hold_refusals())
            )
        # While serial move lines are created or deleted in a batch (context
        # key serial_fast_reserve), reserving or unreserving one of the
        # batch's serials on its plain quant is collected and done for all
        # lines at once by _serial_fast_reserve. Anything else is done now,
        # after what was collected of that serial (Odoo's order), and
        # counted: the batch's copies of a line repeat only what it
        # collected.
        token = self.env.context.get("serial_fast_reserve")
        batch = (
            self.env.cr.precommit.data.get("stock_serial_tracking.reserve", {}).get(
                token
            )
            if token
            else None
        )
        if batch is not None:
            mine = bool(lot_id) and lot_id.id in batch["lot_ids"]
            if (
                mine
                and not self
                and strict
                and not package_id
                and not owner_id
                and product_id.tracking == "serial"
                and float_compare(
                    abs(quantity), 1, precision_rounding=product_id.uom_id.rounding
                )
                == 0
                and guard.allowed(self, "quant_reserve")
            ):
                sign = 1 if quantity > 0 else -1
                batch["entries"].append((product_id, location_id, lot_id, sign))
                return None
            batch["passed"] += 1
            if mine:
                entries = batch["entries"]
                earlier = [entry for entry in entries if entry[2] == lot_id]
                entries[:] = [entry for entry in entries if entry[2] != lot_id]
                if earlier:
                    self._serial_fast_reserve(earlier)
        return super()._update_reserved_quantity(
            product_id,
            location_id,
            quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    @api.model
    def _serial_fast_reserve(self, pending):
        """Reserve (+1) or unreserve (-1) one unit of each (product,
        location, serial, sign).

        Odoo writes ``max(0, reserved_quantity ± 1)`` on the serial's plain
        quant there, and as in date the oldest one of the quants it gathered
        that hold stock: the serial's own when it holds stock and no quant
        without serial holds any there. Only that case is done here, in one
        write per new reserved quantity; anything else (several quants, a
        serial twice, a held serial, one a sale line chose for another line,
        stock without serial beside it) is done by Odoo's own method, one by
        one, in the order given. Return the entries left to Odoo's method."""
        this = self.with_context(serial_fast_reserve=None).sudo()
        context = this.env.context
        if "quants_cache" in context or context.get("with_expiration"):
            # Odoo's gather then reads a cache of quants or expiry dates
            for product, location, lot, sign in pending:
                this._update_reserved_quantity(product, location, sign, lot_id=lot)
            return list(pending)
        keys = Counter((loc.id, lot.id) for _product, loc, lot, _sign in pending)
        allow_held = context.get("serial_hold_allow")
        this.flush_model()
        # The serials' quants are locked in id order, waiting for another
        # transaction that holds one. Odoo's method skips a locked quant
        # (SKIP LOCKED) and creates a second one holding only the
        # reservation; waiting leaves one quant per serial, as a run of the
        # two transactions one after the other does. A deadlock with a
        # transaction locking in another order is retried by Odoo's request
        # handling, as its own deadlocks are.
        this.env.cr.execute(
            SQL(
                """
                SELECT id, product_id, location_id, lot_id, quantity,
                       reserved_quantity, in_date
                  FROM stock_quant
                 WHERE lot_id = ANY(%s) AND location_id = ANY(%s)
                   AND package_id IS NULL AND owner_id IS NULL
                 ORDER BY id
                   FOR NO KEY UPDATE
                """,
                list({lot.id for _product, _loc, lot, _sign in pending}),
                list({loc.id for _product, loc, _lot, _sign in pending}),
            )
        )
        quants = defaultdict(list)
        for row in this.env.cr.dictfetchall():
            quants[(row["location_id"], row["lot_id"])].append(row)
        # Odoo's strict gather of a serial takes the quants without serial
        # of that place too (their in date counts); any positive quantity
        # counts here, a rounding residue included: at worst an entry goes
        # to Odoo's method for nothing
        this.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT product_id, location_id
                  FROM stock_quant
                 WHERE lot_id IS NULL AND package_id IS NULL AND owner_id IS NULL
                   AND quantity > 0
                   AND product_id = ANY(%s) AND location_id = ANY(%s)
                """,
                list({product.id for product, _loc, _lot, _sign in pending}),
                list({loc.id for _product, loc, _lot, _sign in pending}),
            )
        )
        untracked_stock = set(this.env.cr.fetchall())
        # the serials' flags read for all of them at once (the entries'
        # serials were mostly browsed one by one)
        slow_lots = set()
        lots_by_product = defaultdict(set)
        for product, _loc, lot, _sign in pending:
            lots_by_product[product].add(lot.id)
        for product, lot_ids in lots_by_product.items():
            lots = this.env["stock.lot"].browse(lot_ids)
            # a held serial goes the slow way, which refuses it by name
            if not allow_held:
                slow_lots.update(lots.filtered("serial_on_hold").ids)
            # and so does what Odoo's gather would not see
            slow_lots.update(this._serial_hidden_from_gather(product, lots).ids)
        by_reserved = defaultdict(list)
        slow = []
        for entry in pending:
            product, location, lot, sign = entry
            found = quants.get((location.id, lot.id), [])
            if (
                lot.id not in slow_lots
                and keys[(location.id, lot.id)] == 1
                and (product.id, location.id) not in untracked_stock
                and len(found) == 1
                and found[0]["product_id"] == product.id
                and float_compare(
                    found[0]["quantity"],
                    0,
                    precision_rounding=product.uom_id.rounding,
                )
                > 0
                and found[0]["in_date"]
            ):
                quant = found[0]
                new = max(0, quant["reserved_quantity"] + sign)
                by_reserved[new].append(quant["id"])
            else:
                slow.append(entry)
        for reserved, ids in by_reserved.items():
            this.browse(ids).write({"reserved_quantity": reserved})
        for product, location, lot, sign in slow:
            this._update_reserved_quantity(product, location, sign, lot_id=lot)
        return slow

    def _apply_inventory(self):
        return super(
            StockQuant, self.with_context(serial_hold_allow=True)
        )._apply_inventory()
