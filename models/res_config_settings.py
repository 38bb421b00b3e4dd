from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    serial_unique_scope = fields.Selection(
        related="company_id.serial_unique_scope", readonly=False
    )
    serial_allowed_chars = fields.Char(
        related="company_id.serial_allowed_chars", readonly=False
    )
    serial_max_length = fields.Integer(
        related="company_id.serial_max_length", readonly=False
    )
    serial_reject_location_id = fields.Many2one(
        related="company_id.serial_reject_location_id", readonly=False
    )
    serial_count_missing_location_id = fields.Many2one(
        related="company_id.serial_count_missing_location_id", readonly=False
    )
