from collections import Counter, defaultdict

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero


class StockMove(models.Model):
    _inherit = "stock.move"

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    def _action_done(self, cancel_backorder=False):
        serial_moves = self.filtered(
            lambda m: (
                m.product_id.tracking == "serial"
                and m.state not in ("done", "cancel")
                and (m.picked or m.is_inventory)
            )
        )
        if serial_moves:
            serial_moves._serial_check_before_done()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        lots = moves.move_line_ids.lot_id.filtered(
            lambda lot: lot.product_id.tracking == "serial"
        )
        if lots:
            lots._serial_recompute_status()
        return moves

    def _serial_lines_to_do(self):
        return self.move_line_ids.filtered(
            lambda ml: (
                (ml.picked or ml.move_id.is_inventory)
                and float_compare(
                    ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding
                )
                > 0
            )
        )

    def _serial_check_before_done(self):
        """Refuse, naming the serials, what would break the serial rules."""
        lines = self._serial_lines_to_do()
        errors = []
        errors += self._serial_check_quantities(lines)
        errors += lines._serial_check_reuse()
        errors += lines._serial_check_source()
        if errors:
            raise UserError("\n".join(errors))

    def _serial_check_quantities(self, lines):
        errors = []
        lines_by_move = defaultdict(list)
        for ml in lines:
            lines_by_move[ml.move_id.id].append(ml.id)
        for move in self:
            move_lines = lines.browse(lines_by_move[move.id])
            quantity = move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id, round=False
            )
            if not float_is_zero(quantity - round(quantity), precision_digits=6):
                errors.append(
                    _(
                        "%(product)s is tracked by serial number: its quantity must "
                        "be a whole number of units (%(qty)s on %(ref)s).",
                        product=move.product_id.display_name,
                        qty=quantity,
                        ref=move.reference or move.name,
                    )
                )
                continue
            not_one = move_lines.filtered(
                lambda ml: (
                    (ml.lot_id or ml.lot_name)
                    and float_compare(ml.quantity_product_uom, 1, precision_digits=6)
                    != 0
                )
            )
            if not_one:
                errors.append(
                    _(
                        "A serial number stands for exactly one unit: %(names)s",
                        names=", ".join(
                            f"{ml.lot_id.name or ml.lot_name} "
                            f"({ml.quantity_product_uom:g})"
                            for ml in not_one
                        ),
                    )
                )
            counts = Counter(ml.lot_id.name or ml.lot_name for ml in move_lines)
            repeated = sorted(name for name, n in counts.items() if name and n > 1)
            if repeated:
                errors.append(
                    _(
                        "The same serial number is used twice on %(ref)s: %(names)s",
                        ref=move.reference or move.name,
                        names=", ".join(repeated),
                    )
                )
        return errors

    # ------------------------------------------------------------------
    # Entry wizard
    # ------------------------------------------------------------------
    def action_open_serial_entry(self):
        """Open the serial entry wizard for this move (receipts, deliveries,
        transfers, adjustments, manufacturing moves)."""
        self.ensure_one()
        return self.env["stock.serial.entry"]._serial_action(
            {"default_move_id": self.id}
        )
