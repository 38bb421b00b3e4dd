# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The step that put a component serial into another one.

Where a bill of materials consumes its components in operations, Odoo puts
the operation and the work order on each component move; the history lines
carry both, and the genealogy of the finished serial shows, per component,
the step that used it. A part fitted by a repair shows that repair instead."""

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
    serial_fitted_repair_id = fields.Many2one(
        "repair.order",
        string="Fitted by Repair",
        compute="_compute_serial_consumed_step",
        help="The repair order that fitted this serial into another one, when "
        "that is how it went in last.",
    )

    def _compute_serial_consumed_step(self):
        ids = [lot_id for lot_id in self._origin.ids if lot_id]
        steps = {}
        if ids:
            # the history is a view over moves, repairs and the hold log
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT DISTINCT ON (lot_id) lot_id, workorder_id, operation_id,
                           CASE WHEN move_type = 'repair_add' THEN repair_id END
                      FROM stock_serial_history
                     WHERE move_type IN ('consume', 'repair_add')
                       AND lot_id = ANY(%(ids)s)
                     ORDER BY lot_id, date DESC, id DESC
                    """,
                    ids=ids,
                )
            )
            steps = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for lot in self:
            workorder_id, operation_id, repair_id = steps.get(
                lot._origin.id, (False, False, False)
            )
            lot.serial_consumed_workorder_id = workorder_id
            lot.serial_consumed_operation_id = operation_id
            lot.serial_fitted_repair_id = repair_id
