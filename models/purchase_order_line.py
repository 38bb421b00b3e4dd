# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

from ..lib import names as name_rules


class PurchaseOrderLine(models.Model):
    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "stock.serial.order.line.mixin"]

    serial_lot_ids = fields.One2many(
        "stock.lot",
        "purchase_line_id",
        string="Serial Numbers",
        help="Serials pre-assigned to this line (planned) and those received on it.",
    )
    serial_serial_count = fields.Integer(string="Serials Assigned")
    serial_tracing_state = fields.Selection(
        help="Whether every unit of this line has its serial number: none (the "
        "product is not tracked by serial), missing, partial or complete.",
    )

    def _serial_required_count(self):
        """Units of the line in the product's unit: one serial each."""
        self.ensure_one()
        return int(float_round(self.product_uom_qty, precision_digits=0))

    def _serial_is_received(self):
        """True once any unit of the line arrived (its serials are then fixed)."""
        self.ensure_one()
        return self.qty_received > 0 or any(
            lot.serial_status != "planned" for lot in self.serial_lot_ids
        )

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    @api.constrains("product_qty", "product_uom", "product_id")
    def _serial_check_assigned_count(self):
        self._serial_check_lots_fit(
            _(
                "Line %(line)s has serial numbers of another product assigned "
                "(%(names)s): remove them before changing the product."
            ),
            _(
                "Line %(line)s has %(count)s serial numbers assigned: its "
                "quantity cannot be lower than %(count)s units. Remove serial "
                "numbers first."
            ),
        )

    # ------------------------------------------------------------------
    # Entry wizard
    # ------------------------------------------------------------------
    def action_open_serial_entry(self):
        """Open the serial entry wizard to pre-assign serials to this line
        (paste, upload, range, auto-numbering; at most the line quantity)."""
        self.ensure_one()
        self._serial_check_editable()
        return self.env["stock.serial.entry"]._serial_action(
            {"default_purchase_line_id": self.id}
        )

    def _serial_check_editable(self):
        self.ensure_one()
        self._serial_check_tracked()
        if self.order_id.state == "cancel":
            raise UserError(
                _(
                    "Purchase order %(order)s is cancelled: its lines take no serial "
                    "numbers.",
                    order=self.order_id.name,
                )
            )
        if self._serial_is_received():
            raise UserError(
                _(
                    "Line %(line)s is already (partly) received: its serial numbers "
                    "are set on the receipt and can no longer be changed here. To "
                    "name units received without serial numbers, use Import Serials.",
                    line=self._serial_label(),
                )
            )

    def _serial_assign_names(self, names):
        """Make ``names`` exactly the pre-assigned (planned) serials of this line.

        Missing serials are created (status planned, linked to the line),
        planned serials no longer listed are deleted, existing planned serials
        without a purchase line are linked. Refused, writing nothing, when the
        line is (partly) received, when there are more names than units, or
        when a name belongs to a serial that exists otherwise. Open receipt
        lines follow: removed serials leave them, new ones fill them.
        """
        self.ensure_one()
        self._serial_check_editable()
        names = list(dict.fromkeys(filter(None, map(name_rules.normalize, names))))
        required = self._serial_required_count()
        if len(names) > required:
            raise ValidationError(
                _(
                    "%(count)s serial numbers for line %(line)s of %(required)s "
                    "units: enter at most %(required)s.",
                    count=len(names),
                    line=self._serial_label(),
                    required=required,
                )
            )
        Lot = self.env["stock.lot"]
        current = self.serial_lot_ids
        existing = Lot.search(
            [
                ("product_id", "=", self.product_id.id),
                ("company_id", "in", [self.company_id.id, False]),
                ("name", "in", names),
            ]
        )
        taken = existing.filtered(
            lambda lot: (
                lot.serial_status != "planned"
                or (lot.purchase_line_id and lot.purchase_line_id != self)
            )
        )
        if taken:
            raise ValidationError(
                _(
                    "These serial numbers already exist and cannot be pre-assigned "
                    "to line %(line)s: %(names)s",
                    line=self._serial_label(),
                    names=", ".join(
                        f"{lot.name} ({lot.purchase_line_id.order_id.name})"
                        if lot.purchase_line_id
                        else lot.name
                        for lot in taken
                    ),
                )
            )
        keep = set(names)
        to_remove = current.filtered(lambda lot: lot.name not in keep)
        to_link = existing - current
        known = set(existing.mapped("name"))
        to_create = [name for name in names if name not in known]
        self._serial_delete_planned(to_remove)
        if to_link:
            to_link.write({"purchase_line_id": self.id})
        if to_create:
            Lot._serial_fast_create(
                [
                    {
                        "name": name,
                        "product_id": self.product_id.id,
                        "company_id": self.company_id.id,
                        "purchase_line_id": self.id,
                    }
                    for name in to_create
                ]
            )
        self.move_ids._serial_fill_from_purchase()
        return True

    # ------------------------------------------------------------------
    # Cleanup
    # ------------------------------------------------------------------
    def _serial_unlink_planned_lots(self):
        """Delete the planned serials of these lines (nothing will arrive)."""
        # Also when a purchase user without stock access cancels or deletes.
        lots = (
            self.env["stock.lot"]
            .sudo()
            .search(
                [
                    ("purchase_line_id", "in", self.ids),
                    ("serial_status", "=", "planned"),
                ]
            )
        )
        self._serial_delete_planned(lots)

    @api.model
    def _serial_delete_planned(self, lots):
        """Delete planned serials, taking them off the open receipt lines
        that carry them first. Serials that arrived are never deleted."""
        lots = lots.sudo().filtered(lambda lot: lot.serial_status == "planned")
        if not lots:
            return
        move_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [("lot_id", "in", lots.ids), ("state", "not in", ("done", "cancel"))]
            )
        )
        # stock.move.line refuses a lot change spanning several products.
        for product in move_lines.product_id:
            move_lines.filtered(lambda ml, p=product: ml.product_id == p).write(
                {"lot_id": False, "lot_name": False}
            )
        lots.unlink()

    def _serial_drop_unreceivable(self):
        """Lines that expect no more receipt drop their leftover planned serials."""
        done_lines = self.filtered(
            lambda line: (
                not line.move_ids.filtered(
                    lambda move: (
                        move.state not in ("done", "cancel")
                        and move._serial_from_vendor()
                    )
                )
            )
        )
        if done_lines:
            done_lines._serial_unlink_planned_lots()
        # A receipt that took serials the order did not announce leaves more
        # planned serials than units still to come: the surplus goes, keeping
        # those already on an open receipt line, then the first announced.
        for line in self - done_lines:
            planned = line.serial_lot_ids.filtered(
                lambda lot: lot.serial_status == "planned"
            )
            to_come = line._serial_required_count() - int(
                line.product_uom._compute_quantity(
                    line.qty_received, line.product_id.uom_id
                )
            )
            surplus = len(planned) - max(to_come, 0)
            if surplus <= 0:
                continue
            busy = (
                self.env["stock.move.line"]
                .sudo()
                .search(
                    [
                        ("lot_id", "in", planned.ids),
                        ("state", "not in", ("done", "cancel")),
                    ]
                )
                .lot_id
            )
            keep_order = (planned & busy) + (planned - busy).sorted("id")
            line._serial_delete_planned(keep_order[len(keep_order) - surplus :])

    def unlink(self):
        self._serial_unlink_planned_lots()
        return super().unlink()
