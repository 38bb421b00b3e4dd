# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

from ..lib import serial_settings


class StockSerialSettingsMixin(models.AbstractModel):
    """Serial settings that follow a source record unless flagged as own: a
    category follows its parent, a product its category. Each model names
    its source in ``_serial_settings_source`` and keeps its own stored
    fields, compute (its dependencies name the source) and create/write."""

    _name = "stock.serial.settings.mixin"
    _description = "Inherited Serial Settings"

    _serial_settings_source = None  # the many2one field to inherit from

    def _serial_inherited_values(self, source=None):
        """The values this record would take from ``source`` (default: its
        own source record)."""
        self.ensure_one()
        if source is None:
            source = self[self._serial_settings_source]
        if not source:
            return dict(serial_settings.DEFAULTS)
        return {setting: source[setting] for setting in serial_settings.SETTINGS}

    def _serial_follow_source(self):
        """Each setting not flagged as own takes the inherited value."""
        for record in self:
            inherited = record._serial_inherited_values()
            for setting in serial_settings.SETTINGS:
                if not record[serial_settings.custom_field(setting)]:
                    record[setting] = inherited[setting]

    @api.onchange(*serial_settings.SETTINGS)
    def _onchange_serial_settings(self):
        # A value typed on the form that differs from the inherited one is an
        # override: flag it before saving, as write() does on the server.
        for record in self:
            inherited = record._serial_inherited_values()
            for setting in serial_settings.SETTINGS:
                if not serial_settings.same(
                    setting, record[setting], inherited[setting]
                ):
                    record[serial_settings.custom_field(setting)] = True

    def _serial_created_overrides(self, vals_list):
        """``(record, {flag: True})`` for the new records created with a value
        other than the inherited one: those are overrides."""
        result = []
        for record, vals in zip(self, vals_list, strict=True):
            flags = serial_settings.overridden(vals, record._serial_inherited_values())
            if flags:
                result.append(
                    (record, {serial_settings.custom_field(s): True for s in flags})
                )
        return result
