from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .stock_move_line import STOCK_USAGES


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    def action_validate(self):
        # before Odoo offers to scrap more than is available: that question
        # makes no sense for a serial that cannot be scrapped at all
        self._serial_check_scrap()
        return super().action_validate()

    def do_scrap(self):
        # Odoo numbers the scrap and creates, reserves and validates its move
        # before the move's own checks run: refuse first, write nothing.
        self._serial_check_scrap()
        return super().do_scrap()

    def _serial_check_scrap(self):
        """Refuse, naming the serials, scraps of a serial product that would
        break the serial rules: more or less than one unit of a serial, or a
        serial that is not in stock where the scrap takes it from, or that is
        on hold."""
        scraps = self.filtered(
            lambda s: s.product_id.tracking == "serial" and s.state != "done"
        )
        if not scraps:
            return
        errors = []
        for scrap in scraps.filtered("lot_id"):
            quantity = scrap.product_uom_id._compute_quantity(
                scrap.scrap_qty, scrap.product_id.uom_id, round=False
            )
            if float_compare(quantity, 1, precision_digits=6) != 0:
                # formatted outside _(): the term extractor evaluates its args
                shown = format(quantity, "g")
                errors.append(
                    _(
                        "%(serial)s: a serial number stands for exactly one unit, "
                        "this scrap is of %(qty)s",
                        serial=scrap.lot_id.name,
                        qty=shown,
                    )
                )
        errors += scraps.lot_id._serial_hold_refusals()
        from_stock = scraps.filtered(
            lambda s: s.lot_id and s.location_id.usage in STOCK_USAGES
        )
        locations_by_lot = from_stock.lot_id._serial_locations_in_stock()
        for scrap in from_stock:
            locations = locations_by_lot[scrap.lot_id]
            if scrap.location_id._serial_contains_any(locations):
                continue
            errors.append(
                _(
                    "%(serial)s cannot be scrapped from %(location)s: it is not "
                    "there (it is at: %(where)s)",
                    serial=scrap.lot_id.name,
                    location=scrap.location_id.display_name,
                    where=scrap.lot_id._serial_whereabouts(locations),
                )
            )
        if errors:
            raise UserError(
                _("These serial numbers cannot be scrapped:")
                + "\n"
                + "\n".join(f"- {line}" for line in errors)
            )
