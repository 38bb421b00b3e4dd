from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    serial_is_reject = fields.Boolean(
        string="Is a Reject Location",
        help="Serials moved into this location get the status 'Rejected'.",
    )

    def _serial_contains_any(self, locations):
        """True when one of ``locations`` is this location or inside it."""
        self.ensure_one()
        return any(loc.parent_path.startswith(self.parent_path) for loc in locations)
