from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import float_compare


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
        return domain

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
        if self.env.context.get("serial_skip_held"):
            # a reservation from a cache of quants skips the domain above
            quants = quants.filtered(lambda q: not q.lot_id.serial_on_hold)
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
        return super()._update_reserved_quantity(
            product_id,
            location_id,
            quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    def _apply_inventory(self):
        return super(
            StockQuant, self.with_context(serial_hold_allow=True)
        )._apply_inventory()
