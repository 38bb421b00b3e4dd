# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The work step that consumed a component serial.

Where a bill of materials consumes its components in operations, Odoo puts
the operation and the work order on each component move; the history lines
carry both, and the genealogy of the finished serial shows, per component,
the step that used it."""

from odoo import fields, models
from odoo.tools import SQL


class StockLot(models.Model):
    _inherit = "stock.lot"

    serial_consumed_workorder_id = fields.Many2one(
        "mrp.workorder",
        string="Consumed in Work Order",
        compute="_compute_serial_consumed_step",
        help="The work order of the manufacturing order that consumed this "
        "serial, when its bill of materials consumes it in an operation.",
    )
    serial_consumed_operation_id = fields.Many2one(
        "mrp.routing.workcenter",
        string="Consumed in Operation",
        compute="_compute_serial_consumed_step",
    )

    def _compute_serial_consumed_step(self):
        ids = [lot_id for lot_id in self._origin.ids if lot_id]
        steps = {}
        if ids:
            self.env["stock.move.line"].flush_model()
            self.env["stock.move"].flush_model(["workorder_id", "operation_id"])
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (lot_id) lot_id, workorder_id, operation_id
                      FROM stock_serial_history
                     WHERE move_type = 'consume' AND lot_id = ANY(%(ids)s)
                     ORDER BY lot_id, date DESC, id DESC
                    """,
                    ids=ids,
                )
            )
            steps = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for lot in self:
            workorder_id, operation_id = steps.get(lot._origin.id, (False, False))
            lot.serial_consumed_workorder_id = workorder_id
            lot.serial_consumed_operation_id = operation_id
