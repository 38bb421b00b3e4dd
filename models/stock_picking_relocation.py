# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    serial_relocation_id = fields.Many2one(
        "stock.serial.relocation",
        string="Relocation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The relocation between companies this transfer is one side of.",
    )
