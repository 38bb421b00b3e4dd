# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .stock_lot import _STATUS_OF_LINE_SQL, SERIAL_STATUSES
from .stock_move_line import STOCK_USAGES
from .stock_serial_history import HISTORY_SELECT_SQL


class StockLot(models.Model):
    _inherit = "stock.lot"

    # The status bar shows the statuses this serial went through, in the order
    # it went through them (a rejected serial never shows "Shipped" ahead).
    serial_status_path = fields.Char(
        compute="_compute_serial_status_path",
        help="Technical: the statuses this serial took, oldest first, "
        "comma-separated; the last one is its status now.",
    )

    @api.depends("serial_status")
    def _compute_serial_status_path(self):
        lots = self.filtered(lambda lot: lot.id and lot.serial_is_serial)
        visited = {}
        if lots:
            self.env["stock.move.line"].flush_model()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT h.lot_id,
                           array_agg(h.status ORDER BY h.date, h.id)
                    FROM (
                        SELECT hist.lot_id, hist.date, hist.id,
                               %(status_of_line)s AS status
                          FROM (%(history)s AND ml.lot_id = ANY(%(ids)s)) hist
                          JOIN stock_location dl ON dl.id = hist.location_dest_id
                    ) h
                    WHERE h.status IS NOT NULL
                    GROUP BY h.lot_id
                    """,
                    status_of_line=SQL(_STATUS_OF_LINE_SQL),
                    history=HISTORY_SELECT_SQL,
                    ids=lots.ids,
                )
            )
            visited = dict(self.env.cr.fetchall())
        for lot in self:
            statuses = list(visited.get(lot.id, []))
            if lot.serial_status and (
                not statuses or statuses[-1] != lot.serial_status
            ):
                statuses.append(lot.serial_status)
            # a status met twice is shown where it was met last
            path = []
            for status in reversed(statuses):
                if status not in path:
                    path.insert(0, status)
            lot.serial_status_path = ",".join(path) or False

    # ------------------------------------------------------------------
    # Where a serial is, for what refuses to take it from elsewhere
    # ------------------------------------------------------------------
    def _serial_locations_in_stock(self):
        """{serial: the stock locations it has units in}, from the quants,
        Odoo's record of stock (an empty recordset for a serial not in stock)."""
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", self.ids),
                ("quantity", ">", 0),
                ("location_id.usage", "in", STOCK_USAGES),
            ]
        )
        locations_by_lot = defaultdict(lambda: self.env["stock.location"])
        for quant in quants:
            locations_by_lot[quant.lot_id] |= quant.location_id
        return locations_by_lot

    def _serial_whereabouts(self, locations):
        """Where this serial is, as a refusal says it: its stock ``locations``
        or, out of stock, its status."""
        self.ensure_one()
        if locations:
            return ", ".join(locations.mapped("display_name"))
        return _(
            "not in stock, %(status)s",
            status=dict(SERIAL_STATUSES).get(self.serial_status, ""),
        )

    def action_serial_release_reject(self):
        """Take rejected serials back into stock: each one moves from the reject
        location to the stock of its warehouse (logged in its history and
        chatter) and is *In Stock* again. Serial managers only."""
        if not self.env.user.has_group("stock_serial_tracking.group_serial_manager"):
            raise AccessError(
                _("Only a serial number manager can release rejected serials.")
            )
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", self.ids),
                ("quantity", ">", 0),
                ("location_id.serial_is_reject", "=", True),
            ]
        )
        quant_by_lot = {quant.lot_id: quant for quant in quants}
        refused = self.filtered(
            lambda lot: lot.serial_status != "rejected" or lot not in quant_by_lot
        )
        if refused:
            statuses = dict(SERIAL_STATUSES)
            raise UserError(
                _(
                    "Only rejected serials in a reject location can be released: "
                    "%(lines)s",
                    lines=", ".join(
                        f"{lot.name} ({statuses.get(lot.serial_status, '')})"
                        for lot in refused
                    ),
                )
            )
        moves_vals = []
        destinations = {}
        for lot in self:
            quant = quant_by_lot[lot]
            destination = lot._serial_release_destination(quant)
            destinations[lot] = destination
            moves_vals.append(
                lot._serial_move_vals(
                    quant,
                    destination,
                    _("Release %(serial)s", serial=lot.name),
                    _("Released from reject"),
                )
            )
        moves = self.env["stock.move"].sudo().create(moves_vals)
        moves._action_done()
        for lot in self:
            lot.message_post(
                body=_(
                    "Released from reject back to %(location)s (rejected for: "
                    "%(reason)s).",
                    location=destinations[lot].display_name,
                    reason=lot.serial_reject_reason or "-",
                )
            )
        self.sudo().write({"serial_reject_reason": False})
        return True

    def _serial_release_destination(self, quant):
        """The stock a released serial goes back to: its warehouse's."""
        warehouse = quant.location_id.warehouse_id or self.env[
            "stock.warehouse"
        ].search([("company_id", "=", quant.company_id.id)], limit=1)
        if not warehouse:
            raise UserError(
                _(
                    "%(serial)s: company %(company)s has no warehouse to "
                    "release it to.",
                    serial=self.name,
                    company=quant.company_id.name,
                )
            )
        return warehouse.lot_stock_id
