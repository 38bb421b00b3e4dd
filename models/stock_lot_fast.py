# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import models


def check_company_batched(records, fnames=None):
    """BaseModel._check_company with one filtered_domain per (field, company)
    instead of one per record. True when every record is consistent; False
    when it cannot tell or finds an inconsistency: the caller then runs
    Odoo's own check, which raises its usual error."""
    if fnames is None or {"company_id", "company_ids"} & set(fnames):
        fnames = records._fields
    if "company_id" not in records._fields:
        return False
    names = []
    for name in fnames:
        field = records._fields[name]
        if field.relational and field.check_company:
            if field.company_dependent:
                return False
            names.append(name)
    records = records.sudo()
    for name in names:
        by_company = defaultdict(set)
        for record in records:
            corecords = record[name]
            if corecords:
                by_company[record.company_id].update(corecords._ids)
        comodel = records.env[records._fields[name].comodel_name]
        for companies, ids in by_company.items():
            corecords = comodel.browse(ids)
            domain = corecords._check_company_domain(companies)
            if domain and corecords != corecords.with_context(
                active_test=False
            ).filtered_domain(domain):
                return False
    return True


class StockLot(models.Model):
    _inherit = "stock.lot"

    def init(self):
        result = super().init()
        # Serial lists filtered by status show a record count: with the
        # company of the record rules in the index, PostgreSQL counts from the
        # index alone (1,000,000 serials: 80 ms -> 30 ms; bench/, issue 6).
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS stock_lot_serial_status_company_idx "
            "ON stock_lot (serial_status, company_id)"
        )
        return result

    def _check_company(self, fnames=None):
        # issue 6: thousands of new serials of one product are checked once
        # per (field, company), not once each
        if (
            len(self) > 1
            and not self.env.context.get("serial_no_fast_path")
            and check_company_batched(self, fnames)
        ):
            return
        return super()._check_company(fnames)
