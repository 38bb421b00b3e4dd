# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Deliveries of sale lines that chose their serials ship exactly those.

Reservation of such a move takes the chosen serials first (picked: a user
chose them); Odoo's reservation for any other move looks past serials chosen
on a sale line (``stock.quant`` gather hook, context ``serial_sale_line_id``).
"""

from odoo import models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    def _serial_sale_line(self):
        """The sale line this move works for: its own, or that of the move it
        feeds (first steps of a multi-step delivery)."""
        self.ensure_one()
        move = self
        for _depth in range(4):
            if move.sale_line_id:
                return move.sale_line_id
            move = move.move_dest_ids[:1]
            if not move:
                break
        return self.env["sale.order.line"]

    def _serial_chosen_lots(self):
        """Serials the move's sale line chose and did not deliver yet."""
        line = self._serial_sale_line()
        if not line or self.product_id.tracking != "serial":
            return self.env["stock.lot"]
        return line.sudo().serial_lot_ids._serial_sale_reserved().sudo(False)

    # --- reservation ---
    def _update_reserved_quantity(
        self,
        need,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        return super(
            StockMove,
            self.with_context(serial_sale_line_id=self._serial_sale_line().id or 0),
        )._update_reserved_quantity(
            need,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    def _get_available_quantity(
        self,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
        allow_negative=False,
    ):
        line_id = self._serial_sale_line().id if len(self) == 1 else 0
        return super(
            StockMove, self.with_context(serial_sale_line_id=line_id or 0)
        )._get_available_quantity(
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            allow_negative=allow_negative,
        )

    def _action_assign(self, force_qty=False):
        self._serial_reserve_chosen()
        return super()._action_assign(force_qty=force_qty)

    def _serial_reserve_chosen(self):
        """Put the serials chosen on the sale line on its open moves, picked,
        before Odoo reserves the rest. Odoo's reservation of them for other
        moves is taken over; those moves reserve again afterwards."""
        vals_list = []
        taken_from = self.env["stock.move"]
        for move in self.filtered(
            lambda m: (
                m.state in ("confirmed", "waiting", "partially_available")
                and m.product_id.tracking == "serial"
                and m.location_id.usage == "internal"
            )
        ):
            lots = move._serial_chosen_lots()
            lots -= move.move_line_ids.lot_id
            free = int(move.product_qty - move.quantity + 0.5)
            if not lots or free <= 0:
                continue
            quants = (
                self.env["stock.quant"]
                .sudo()
                .search(
                    [
                        ("lot_id", "in", lots.ids),
                        ("location_id", "child_of", move.location_id.id),
                        ("quantity", ">", 0),
                    ]
                )
            )
            other_lines = (
                self.env["stock.move.line"]
                .sudo()
                .search(
                    [
                        ("lot_id", "in", quants.lot_id.ids),
                        ("state", "not in", ("done", "cancel")),
                        ("move_id", "!=", move.id),
                        ("picked", "=", False),
                    ]
                )
            )
            if other_lines:
                taken_from |= other_lines.move_id
                other_lines.unlink()
            for quant in quants.sorted(lambda q: q.lot_id.name)[:free]:
                vals_list.append(
                    {
                        "move_id": move.id,
                        "picking_id": move.picking_id.id,
                        "product_id": move.product_id.id,
                        "product_uom_id": move.product_id.uom_id.id,
                        "company_id": move.company_id.id,
                        "location_id": quant.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                        "lot_id": quant.lot_id.id,
                        "package_id": quant.package_id.id,
                        "owner_id": quant.owner_id.id,
                        "quantity": 1,
                        "picked": True,
                    }
                )
        if vals_list:
            self.env["stock.move.line"].create(vals_list)
        others = (taken_from - self).filtered(
            lambda m: m.state not in ("draft", "done", "cancel")
        )
        if others:
            others._action_assign()

    # --- validation ---
    def _action_done(self, cancel_backorder=False):
        self._serial_check_chosen_shipped()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._serial_link_sale_lots()
        return moves

    def _serial_check_chosen_shipped(self):
        """A delivery ships the serials its sale line chose, and none chosen
        by another line. Raise naming them, before anything is done."""
        problems = []
        for move in self.filtered(
            lambda m: (
                m.state not in ("done", "cancel")
                and m.product_id.tracking == "serial"
                and m.location_id.usage == "internal"
            )
        ):
            shipped = move.move_line_ids.filtered(
                lambda ml: ml.picked and ml.lot_id
            ).lot_id.sudo()
            line = move._serial_sale_line()
            foreign = shipped.filtered(
                lambda lot, line=line: (
                    lot.serial_sale_chosen and lot.sale_line_id != line
                )
            )
            for lot in foreign:
                problems.append(
                    self.env._(
                        "%(serial)s is chosen for %(line)s",
                        serial=lot.name,
                        line=lot.sale_line_id._serial_label(),
                    )
                )
            if not line:
                continue
            chosen = move._serial_chosen_lots().sudo()
            unchosen = shipped - chosen - foreign
            left_out = chosen - shipped
            if unchosen and left_out:
                problems.append(
                    self.env._(
                        "%(line)s chose %(chosen)s, but %(move)s ships "
                        "%(shipped)s instead",
                        line=line._serial_label(),
                        chosen=", ".join(left_out.mapped("name")),
                        move=move.reference or move.product_id.display_name,
                        shipped=", ".join(unchosen.mapped("name")),
                    )
                )
        if problems:
            raise UserError(
                self.env._("These serial numbers cannot be shipped here:")
                + "\n"
                + "\n".join(f"- {problem}" for problem in problems)
            )

    def _serial_link_sale_lots(self):
        """Delivered serials name the sale line they were sold on; a serial a
        customer sends back is no longer sold on it."""
        Lot = self.env["stock.lot"].sudo()
        for move in self.filtered(
            lambda m: m.state == "done" and m.product_id.tracking == "serial"
        ):
            lots = move.move_line_ids.lot_id.sudo()
            if not lots:
                continue
            if move.location_dest_id.usage == "customer" and move.sale_line_id:
                lots.write(
                    {"sale_line_id": move.sale_line_id.id, "serial_sale_chosen": False}
                )
            elif move.location_id.usage == "customer":
                Lot.browse(lots.filtered("sale_line_id").ids).write(
                    {"sale_line_id": False, "serial_sale_chosen": False}
                )
