# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

TRACING_STATES = [
    ("none", "Not Serial-Tracked"),
    ("missing", "Serials Missing"),
    ("partial", "Serials Partly Assigned"),
    ("complete", "Serials Complete"),
]


class StockSerialOrderLineMixin(models.AbstractModel):
    """What purchase and sale order lines share about their serials (each
    defines ``serial_lot_ids``, ``_serial_required_count`` and the label and
    help of the two fields below, in its own words): the tracing indicator,
    the label that names the line in messages, and the rule that a line keeps
    no more serials than units, all of its product."""

    _name = "stock.serial.order.line.mixin"
    _description = "Serial Numbers on Order Lines"

    serial_serial_count = fields.Integer(
        string="Serials",
        compute="_compute_serial_tracing_state",
        store=True,
    )
    serial_tracing_state = fields.Selection(
        TRACING_STATES,
        string="Serial Tracing",
        compute="_compute_serial_tracing_state",
        store=True,
    )

    @api.depends(
        "serial_lot_ids", "product_uom_qty", "product_id.tracking", "display_type"
    )
    def _compute_serial_tracing_state(self):
        for line in self:
            count = len(line.serial_lot_ids)
            line.serial_serial_count = count
            if line.display_type or line.product_id.tracking != "serial":
                # nothing more is read: a line's quantity may not be
                # computable yet (a unit of another category, say)
                line.serial_tracing_state = "none"
                continue
            required = line._serial_required_count()
            if not count and required:
                line.serial_tracing_state = "missing"
            elif count < required:
                line.serial_tracing_state = "partial"
            else:
                line.serial_tracing_state = "complete"

    def _serial_label(self):
        self.ensure_one()
        return f"{self.order_id.name} / {self.product_id.display_name}"

    def _serial_check_tracked(self):
        """Only a line of a serial-tracked product takes serials."""
        if self.product_id.tracking != "serial":
            raise UserError(
                self.env._(
                    "%(product)s is not tracked by serial number.",
                    product=self.product_id.display_name,
                )
            )

    def _serial_check_lots_fit(self, other_product_message, too_many_message):
        """Refuse lines whose serials are of another product, or more than
        their units. The messages name the line (``%(line)s``), the serials
        (``%(names)s``) and their number (``%(count)s``)."""
        for line in self.filtered("serial_serial_count"):
            # users of purchase or sales may not read serials: the rule holds
            lots = line.sudo().serial_lot_ids
            values = {
                "line": line._serial_label(),
                "names": ", ".join(lots[:20].mapped("name")),
                "count": len(lots),
            }
            if lots.product_id != line.product_id:
                raise ValidationError(other_product_message % values)
            if len(lots) > line._serial_required_count():
                raise ValidationError(too_many_message % values)
