# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    @api.model
    def _get_push_rule(self, product_id, location_dest_id, values):
        """While stock.move._push_apply runs for several moves, the rule found
        for a question (product, destination, routes, packaging, warehouse,
        extra domain, as whom) is kept and given again to the moves that ask
        it. Rules and routes are not written while Odoo applies push rules,
        and the search reads nothing of the move itself."""
        token = self.env.context.get("serial_push_rules")
        memo = (
            self.env.cr.precommit.data.get("stock_serial_tracking.push_rules", {}).get(
                token
            )
            if token
            else None
        )
        if memo is None or set(values) - _KNOWN_VALUES:
            # a module passing values of its own asks its own question
            return super()._get_push_rule(product_id, location_dest_id, values)
        key = (
            self.env.uid,
            self.env.su,
            tuple(self.env.companies.ids),
            product_id.id,
            location_dest_id.id,
            tuple(sorted((values.get("route_ids") or self.env["stock.route"]).ids)),
            values.get("product_packaging_id").id
            if values.get("product_packaging_id")
            else False,
            values.get("warehouse_id").id if values.get("warehouse_id") else False,
            repr(values.get("domain")),
        )
        if key not in memo:
            memo[key] = super()._get_push_rule(product_id, location_dest_id, values).ids
        return self.env["stock.rule"].browse(memo[key])


# the keys of the values stock.move._push_apply passes
_KNOWN_VALUES = frozenset(
    {"route_ids", "product_packaging_id", "warehouse_id", "domain"}
)
