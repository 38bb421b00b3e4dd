# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import fields, models
from odoo.exceptions import UserError


class StockSerialInputMixin(models.AbstractModel):
    """What the wizards that take serial numbers from a user share: an
    uploaded file, a report of what was done or refused, and reopening the
    wizard on itself after a button (a wizard's buttons close it otherwise)."""

    _name = "stock.serial.input.mixin"
    _description = "Serial Number Input"

    upload_file = fields.Binary(string="File", attachment=False)
    upload_filename = fields.Char()

    def _serial_upload_bytes(self, missing_message):
        """The uploaded file's content; ``missing_message`` when none."""
        self.ensure_one()
        if not self.upload_file:
            raise UserError(missing_message)
        return base64.b64decode(self.upload_file)

    def _serial_reopen(self, name=None, target="new"):
        """The window action showing this wizard again, as it is now."""
        self.ensure_one()
        action = self._get_records_action(name=name or self._description, target=target)
        action["context"] = dict(self.env.context)
        return action
