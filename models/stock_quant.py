"""Quants: held serials stay out of Odoo's reservation, and serials of move
lines created in a batch are reserved in one write (see stock_move_line)."""

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
        # a reservation from a cache of quants skips the domain above
        if self.env.context.get("serial_skip_held"):
            quants = quants.filtered(lambda q: not q.lot_id.serial_on_hold)
        if (
            "serial_sale_line_id" in self.env.context
            and product_id.tracking == "serial"
        ):
            line_id = self.env.context["serial_sale_line_id"]
            quants = quants.filtered(
                lambda q: (
                    not q.lot_id.serial_sale_chosen
                    or q.lot_id.sale_line_id.id == line_id
                )
            )
        return quants

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
        # While serial move lines are created in a batch (context key
        # serial_fast_reserve), reserving one serial on its plain quant is
        # collected and done for all lines at once by _serial_fast_reserve.
        token = self.env.context.get("serial_fast_reserve")
        pending = (
            self.env.cr.precommit.data.get("stock_serial_tracking.reserve", {}).get(
                token
            )
            if token
            else None
        )
        if (
            pending is not None
            and not self
            and strict
            and lot_id
            and not package_id
            and not owner_id
            and product_id.tracking == "serial"
            and float_compare(
                quantity, 1, precision_rounding=product_id.uom_id.rounding
            )
            == 0
            and guard.allowed(self, "line_create")
        ):
            pending.append((product_id, location_id, lot_id))
            return None
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
        """Reserve one unit of each (product, location, serial): Odoo writes
        reserved_quantity + 1 (and the same in date) on the serial's only
        plain quant there when it holds stock; anything else is done by
        Odoo's own method, one by one."""
        self = self.with_context(serial_fast_reserve=None).sudo()  # noqa: PLW0642
        keys = Counter((loc.id, lot.id) for _product, loc, lot in pending)
        allow_held = self.env.context.get("serial_hold_allow")
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT id, product_id, location_id, lot_id, quantity,
                       reserved_quantity
                  FROM stock_quant
                 WHERE lot_id = ANY(%s) AND package_id IS NULL AND owner_id IS NULL
                   FOR NO KEY UPDATE
                """,
                list({lot.id for _product, _loc, lot in pending}),
            )
        )
        quants = defaultdict(list)
        for row in self.env.cr.dictfetchall():
            quants[(row["location_id"], row["lot_id"])].append(row)
        by_reserved = defaultdict(list)
        slow = []
        for product, location, lot in pending:
            found = quants.get((location.id, lot.id), [])
            if (
                # a held serial goes the slow way, which refuses it by name
                (allow_held or not lot.serial_on_hold)
                and keys[(location.id, lot.id)] == 1
                and len(found) == 1
                and found[0]["product_id"] == product.id
                and found[0]["quantity"] > 0
            ):
                quant = found[0]
                by_reserved[max(0, quant["reserved_quantity"] + 1)].append(quant["id"])
            else:
                slow.append((product, location, lot))
        for reserved, ids in by_reserved.items():
            self.browse(ids).write({"reserved_quantity": reserved})
        for product, location, lot in slow:
            self._update_reserved_quantity(product, location, 1, lot_id=lot)

    def _apply_inventory(self):
        return super(
            StockQuant, self.with_context(serial_hold_allow=True)
        )._apply_inventory()
