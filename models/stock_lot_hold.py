from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .stock_lot import SERIAL_STATUSES
from .stock_move_line import STOCK_USAGES


class StockLot(models.Model):
    """Holds: a held serial stays where it is with its status, and nothing
    takes it out of stock (reservation, delivery, consumption, scrap) until it
    is released. Hold and release are logged in its history and chatter."""

    _inherit = "stock.lot"

    serial_on_hold = fields.Boolean(
        string="On Hold",
        readonly=True,
        index=True,
        copy=False,
        help="Reservation, delivery, consumption and scrap refuse this serial "
        "until the hold is released.",
    )
    serial_hold_reason = fields.Text(
        string="Hold Reason", readonly=True, copy=False, groups="base.group_user"
    )
    serial_hold_date = fields.Datetime(
        string="On Hold Since", readonly=True, copy=False
    )
    serial_hold_user_id = fields.Many2one(
        "res.users", string="Held By", readonly=True, copy=False
    )

    def _serial_check_hold_rights(self):
        if not self.env.user.has_group("stock_serial_tracking.group_serial_manager"):
            raise AccessError(
                self.env._("Only serial managers may put serials on hold.")
            )

    def _serial_stock_locations(self):
        """{lot: location} of the stock location holding each serial."""
        quants = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.ids),
                    ("quantity", ">", 0),
                    ("location_id.usage", "in", STOCK_USAGES),
                ]
            )
        )
        return {quant.lot_id: quant.location_id for quant in quants}

    def action_serial_hold(self, reason):
        """Put these serials on hold.

        :param reason: why; shown wherever a held serial is refused.
        :raises UserError: naming the serials that are not in stock or already
            on hold (nothing is held then).
        """
        self._serial_check_hold_rights()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give a reason for the hold."))
        if not self:
            raise UserError(self.env._("Select the serial numbers to put on hold."))
        locations = self._serial_stock_locations()
        statuses = dict(SERIAL_STATUSES)
        errors = []
        for lot in self:
            if lot.product_id.tracking != "serial":
                errors.append(
                    self.env._(
                        "%(serial)s: not a serial number (its product is not "
                        "tracked by serial)",
                        serial=lot.name,
                    )
                )
            elif lot.serial_on_hold:
                errors.append(
                    self.env._(
                        "%(serial)s: already on hold (%(reason)s)",
                        serial=lot.name,
                        reason=lot.serial_hold_reason,
                    )
                )
            elif lot not in locations:
                errors.append(
                    self.env._(
                        "%(serial)s: not in stock (%(status)s)",
                        serial=lot.name,
                        status=statuses.get(lot.serial_status, ""),
                    )
                )
        if errors:
            raise UserError(
                self.env._("These serial numbers cannot be put on hold:")
                + "\n"
                + "\n".join(f"- {line}" for line in errors)
            )
        now = fields.Datetime.now()
        self.sudo().write(
            {
                "serial_on_hold": True,
                "serial_hold_reason": reason,
                "serial_hold_date": now,
                "serial_hold_user_id": self.env.user.id,
            }
        )
        self._serial_log_hold("hold", reason, locations, now)
        return True

    def action_serial_release(self):
        """Release the hold of these serials.

        :raises UserError: naming the serials that are not on hold.
        """
        self._serial_check_hold_rights()
        not_held = self.filtered(lambda lot: not lot.serial_on_hold)
        if not_held:
            raise UserError(
                self.env._(
                    "These serial numbers are not on hold: %(serials)s",
                    serials=", ".join(not_held.mapped("name")),
                )
            )
        now = fields.Datetime.now()
        reasons = {lot: lot.serial_hold_reason for lot in self}
        self.sudo().write(
            {
                "serial_on_hold": False,
                "serial_hold_reason": False,
                "serial_hold_date": False,
                "serial_hold_user_id": False,
            }
        )
        self._serial_log_hold("release", reasons, self._serial_stock_locations(), now)
        return True

    def _serial_log_hold(self, action, reason, locations, now):
        """Log rows for the history and a chatter message per serial. ``reason``
        is one text or {lot: text} (a release names the hold it ends)."""
        vals_list = []
        for lot in self:
            text = reason.get(lot) if isinstance(reason, dict) else reason
            vals_list.append(
                {
                    "lot_id": lot.id,
                    "product_id": lot.product_id.id,
                    "company_id": (lot.company_id or self.env.company).id,
                    "action": action,
                    "reason": text,
                    "date": now,
                    "user_id": self.env.user.id,
                    "location_id": locations.get(lot, self.env["stock.location"]).id,
                }
            )
            if action == "hold":
                body = self.env._("Put on hold: %(reason)s", reason=text)
            else:
                body = self.env._("Hold released (was: %(reason)s)", reason=text)
            lot.message_post(body=body)
        self.env["stock.serial.hold.log"].sudo().create(vals_list)
        self.invalidate_recordset(["serial_history_ids", "serial_history_count"])

    def _serial_hold_refusals(self):
        """Lines "serial is on hold: reason" for the held serials of self."""
        return [
            self.env._(
                "%(serial)s is on hold: %(reason)s",
                serial=lot.name,
                reason=lot.serial_hold_reason,
            )
            for lot in self.filtered("serial_on_hold")
        ]

    def action_open_serial_hold(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Put on Hold"),
            "res_model": "stock.serial.hold",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lot_ids": [(6, 0, self.ids)]},
        }

    @api.model
    def _serial_held_domain(self):
        """Quants whose serial is not held (or that have no serial)."""
        return ["|", ("lot_id", "=", False), ("lot_id.serial_on_hold", "=", False)]
