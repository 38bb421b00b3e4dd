# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One unit, one serial record per company, linked across relocations."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_datetime

from .stock_serial_history import HISTORY_TYPES


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_origin_lot_id = fields.Many2one(
        "stock.lot",
        string="Relocated From",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=False,
        ondelete="restrict",
        help="The same unit's serial in the company that relocated it here.",
    )
    serial_relocated_lot_ids = fields.One2many(
        "stock.lot",
        "serial_origin_lot_id",
        string="Relocated To",
        readonly=True,
    )
    serial_unit_history = fields.Html(
        string="History in All Companies",
        compute="_compute_serial_unit_history",
        sanitize=False,
        help="The unit's moves in every company it was relocated through, in "
        "order: date, company, operation, reference.",
    )

    def _serial_linked_lots(self):
        """Every serial record of the same unit (self included), following
        the relocation links both ways."""
        Lot = self.env["stock.lot"].sudo()
        seen = Lot.browse(self.ids)
        todo = seen
        while todo:
            found = (todo.serial_origin_lot_id | todo.serial_relocated_lot_ids) - seen
            seen |= found
            todo = found
        return seen

    def _serial_unit_history_rows(self):
        """History rows of the unit in every company, oldest first."""
        self.ensure_one()
        lots = self._serial_linked_lots()
        return (
            self.env["stock.serial.history"]
            .sudo()
            .search([("lot_id", "in", lots.ids)])
            .sorted(lambda row: (row.date, row.id))
        )

    @api.depends("serial_origin_lot_id", "serial_relocated_lot_ids")
    def _compute_serial_unit_history(self):
        types = dict(HISTORY_TYPES)
        for lot in self:
            # the other companies' records are not readable here: the links
            # are followed as superuser, only dates, companies and
            # references are shown
            if not lot.id or len(lot._serial_linked_lots()) < 2:
                lot.serial_unit_history = False
                continue
            body = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
                % (
                    format_datetime(self.env, row.date),
                    row.company_id.name,
                    types.get(row.move_type, row.move_type or ""),
                    row.reference or "",
                )
                for row in lot._serial_unit_history_rows()
            )
            header = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
                self.env._("Date"),
                self.env._("Company"),
                self.env._("Operation"),
                self.env._("Reference"),
            )
            lot.serial_unit_history = Markup(
                '<table class="table table-sm o_serial_unit_history">'
            ) + Markup("<thead>%s</thead><tbody>%s</tbody></table>") % (header, body)
