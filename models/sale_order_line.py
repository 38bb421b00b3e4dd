# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "stock.serial.order.line.mixin"]

    serial_lot_ids = fields.One2many(
        "stock.lot",
        "sale_line_id",
        string="Serial Numbers",
        help="Serials chosen to sell on this line (reserved for it while in "
        "stock) and those delivered on it.",
    )
    serial_serial_count = fields.Integer(string="Serials Chosen")
    serial_tracing_state = fields.Selection(
        help="Whether every unit of this line has its serial number chosen: "
        "none (the product is not tracked by serial), missing, partial or "
        "complete.",
    )

    def _serial_required_count(self):
        """Units of the line in the product's unit: one serial each."""
        self.ensure_one()
        if not self.product_id:
            return 0
        qty = self.product_uom._compute_quantity(
            self.product_uom_qty, self.product_id.uom_id
        )
        return int(float_round(qty, precision_digits=0))

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    @api.constrains("product_uom_qty", "product_uom", "product_id")
    def _serial_check_chosen_count(self):
        self._serial_check_lots_fit(
            self.env._(
                "Line %(line)s has serial numbers of another product chosen "
                "(%(names)s): remove them before changing the product."
            ),
            self.env._(
                "Line %(line)s has %(count)s serial numbers chosen (%(names)s): "
                "its quantity cannot be lower than %(count)s units. Remove serial "
                "numbers first."
            ),
        )

    def _serial_missing_required(self):
        """Lines whose product requires serials on sale and that lack some."""
        return self.filtered(
            lambda line: (
                not line.display_type
                and line.product_id.tracking == "serial"
                and line.product_id.serial_required_sale
                and len(line.sudo().serial_lot_ids) < line._serial_required_count()
            )
        )

    # ------------------------------------------------------------------
    # Entry wizard
    # ------------------------------------------------------------------
    def action_open_serial_entry(self):
        """Open the serial entry wizard in Pick mode to choose the serials to
        sell on this line, from the stock of the order's warehouse (search,
        scan, paste; at most the line quantity)."""
        self.ensure_one()
        self._serial_check_editable()
        return self.env["stock.serial.entry"]._serial_action(
            {"default_sale_line_id": self.id}
        )

    def _serial_check_editable(self):
        self.ensure_one()
        self._serial_check_tracked()
        if self.order_id.state == "cancel":
            raise UserError(
                self.env._(
                    "Sale order %(order)s is cancelled: its lines take no serial "
                    "numbers.",
                    order=self.order_id.name,
                )
            )
        if self.qty_delivered:
            raise UserError(
                self.env._(
                    "Line %(line)s is already (partly) delivered: its serial "
                    "numbers are those of its deliveries.",
                    line=self._serial_label(),
                )
            )
        if not self.order_id.warehouse_id:
            raise UserError(
                self.env._(
                    "Sale order %(order)s has no warehouse to take serial numbers "
                    "from.",
                    order=self.order_id.name,
                )
            )

    def _serial_assign_lots(self, lots):
        """Make ``lots`` exactly the serials chosen for this line.

        The caller (the entry wizard) checked that they are on hand in the
        order's warehouse and free of other documents. Serials no longer chosen
        are released; Odoo's reservations of the new ones on other moves are
        taken over (those moves reserve other units); the open deliveries of
        the line then carry exactly the chosen serials.
        """
        self.ensure_one()
        self._serial_check_editable()
        required = self._serial_required_count()
        if len(lots) > required:
            raise ValidationError(
                self.env._(
                    "%(count)s serial numbers for line %(line)s of %(required)s "
                    "units: choose at most %(required)s.",
                    count=len(lots),
                    line=self._serial_label(),
                    required=required,
                )
            )
        current = self.sudo().serial_lot_ids
        (current - lots).sudo().write(
            {"sale_line_id": False, "serial_sale_chosen": False}
        )
        lots.sudo().write({"sale_line_id": self.id, "serial_sale_chosen": True})
        self._serial_sync_deliveries()
        return True

    def _serial_open_moves(self):
        """Open moves of these lines that take units out of stock, including
        the first steps of a multi-step delivery."""
        moves = self.move_ids
        todo = moves
        for _depth in range(3):
            todo = todo.move_orig_ids - moves
            moves |= todo
        return moves.filtered(
            lambda m: (
                m.state not in ("draft", "done", "cancel")
                and m.location_id.usage == "internal"
            )
        )

    def _serial_sync_deliveries(self):
        """Open deliveries of the lines take exactly their chosen serials:
        what they reserved is released and reserved again, chosen first."""
        moves = self._serial_open_moves()
        if not moves:
            return
        lines = moves.move_line_ids.filtered(lambda ml: ml.state != "done")
        lines.unlink()
        moves.write({"picked": False})
        moves._action_assign()

    @api.ondelete(at_uninstall=False)
    def _serial_release_on_delete(self):
        # a deleted line (or quotation) never reaches the order's cancel:
        # its chosen serials would stay blocked for every other order
        self._serial_release()

    def _serial_release(self):
        """Release the serials chosen for these lines that are still in stock."""
        lots = self.sudo().serial_lot_ids._serial_sale_reserved()
        if lots:
            lots.write({"sale_line_id": False, "serial_sale_chosen": False})
