# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from ..fastpath import check_company_batched


class StockSerialBulkMixin(models.AbstractModel):
    """What models created or validated by the thousand for serials share
    (serials, move lines, moves and manufacturing orders of a mass
    production): Odoo's company check done per (field, company) rather than
    once per record, which costs seconds for a receipt of thousands of
    serials."""

    _name = "stock.serial.bulk.mixin"
    _description = "Serial Numbers in Bulk"

    def _check_company(self, fnames=None):
        if check_company_batched(self, fnames):
            return None
        return super()._check_company(fnames)
