# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.tools import frozendict

# Serials print from one Print menu entry, the label wizard (every label format,
# PDF or ZPL, with the last one used preselected): Odoo's own lot label reports
# stay installed, only out of that menu, and come back when the add-on leaves.
HIDDEN_LOT_PRINTS = ("stock.action_report_lot_label", "stock.label_lot_template")


class IrActionsActions(models.Model):
    _inherit = "ir.actions.actions"

    @api.model
    def _get_bindings(self, model_name):
        result = super()._get_bindings(model_name)
        if model_name != "stock.lot" or not result.get("report"):
            return result
        hidden = set()
        for xmlid in HIDDEN_LOT_PRINTS:
            action = self.env.ref(xmlid, raise_if_not_found=False)
            if action:
                hidden.add(action.id)
        reports = tuple(vals for vals in result["report"] if vals["id"] not in hidden)
        return frozendict(result, report=reports)
