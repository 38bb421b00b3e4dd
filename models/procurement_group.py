# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

# where stock.move._push_apply keeps the rules found during one call
PUSH_RULES = "stock_serial_tracking.push_rules"
# the keys of the values stock.move._push_apply passes
_KNOWN_VALUES = frozenset(
    {"route_ids", "product_packaging_id", "warehouse_id", "domain"}
)


def push_rule_memo(env):
    """The rules found so far by the _push_apply running in ``env`` (its
    context carries the token), or None outside of one."""
    token = env.context.get("serial_push_rules")
    return env.cr.precommit.data.get(PUSH_RULES, {}).get(token) if token else None


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    @api.model
    def _get_push_rule(self, product_id, location_dest_id, values):
        """While stock.move._push_apply runs for several moves, the rule found
        for a question is kept and given again to the moves that ask it. The
        answer depends on the question (product, destination, routes,
        packaging, warehouse, extra domain), on the environment (user,
        companies, sudo, context: the key holds the environment itself, which
        Odoo reuses for equal ones) and on rules, routes (the product's, its
        category's, the packaging's, the warehouse's) and locations, none of
        which Odoo writes while it applies push rules; nothing of the move
        itself is read."""
        memo = push_rule_memo(self.env)
        if memo is None or set(values) - _KNOWN_VALUES:
            # a module passing values of its own asks its own question
            return super()._get_push_rule(product_id, location_dest_id, values)
        packaging = values.get("product_packaging_id")
        warehouse = values.get("warehouse_id")
        key = (
            self.env,
            product_id.id,
            location_dest_id.id,
            tuple(sorted((values.get("route_ids") or self.env["stock.route"]).ids)),
            packaging.id if packaging else False,
            warehouse.id if warehouse else False,
            repr(values.get("domain")),
        )
        if key not in memo:
            memo[key] = super()._get_push_rule(product_id, location_dest_id, values).ids
        return self.env["stock.rule"].browse(memo[key])
