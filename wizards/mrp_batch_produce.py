# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MrpBatchProduce(models.TransientModel):
    _inherit = "mrp.batch.produce"

    serial_from_format = fields.Boolean(
        string="Number from Product Format",
        compute="_compute_serial_from_format",
        store=True,
        readonly=False,
        help="Generate the serial numbers from the product's numbering format "
        "(one per unit). Untick to number from the first serial typed above.",
    )

    @api.depends("production_id")
    def _compute_serial_from_format(self):
        for wizard in self:
            production = wizard.production_id
            wizard.serial_from_format = bool(
                production and production._serial_uses_format()
            )

    @api.depends("production_id")
    def _compute_lot_name(self):
        preset = {wizard: wizard.lot_name for wizard in self}
        result = super()._compute_lot_name()
        for wizard in self:
            production = wizard.production_id
            if (
                preset[wizard]
                or not production
                or production.lot_producing_id
                or not production._serial_uses_format()
            ):
                continue
            # Show the next name of the format instead of Odoo's guess from
            # the global sequence; nothing is consumed until Generate.
            product = production.product_id.with_company(production.company_id)
            wizard.lot_name = product._serial_preview_name()
        return result

    def action_generate_production_text(self):
        self.ensure_one()
        production = self.production_id
        if not (self.serial_from_format and production._serial_uses_format()):
            return super().action_generate_production_text()
        if self.lot_qty <= 0:
            raise UserError(_("Say how many serial numbers to generate."))
        names = []
        lot = production.lot_producing_id
        if lot and lot.serial_status in (False, "planned"):
            # The MO already has its (not yet produced) serial: it is the first.
            names.append(lot.name)
        product = production.product_id.with_company(production.company_id)
        names += product._serial_next_names(self.lot_qty - len(names))
        self.write({"production_text": "\n".join(names), "lot_name": names[0]})
        action = self.env["ir.actions.actions"]._for_xml_id(
            "mrp.action_mrp_batch_produce"
        )
        action["res_id"] = self.id
        return action
