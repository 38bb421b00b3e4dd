# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""BaseModel._check_company for thousands of records at once."""

from collections import defaultdict

from . import guard


def check_company_batched(records, fnames=None):
    """BaseModel._check_company with one filtered_domain per (field, company)
    instead of one per record, for thousands of records. True when every
    record is consistent; False for a single record, when the guard says no
    (fast paths off, another module's ``_check_company``), when it cannot
    tell or when it finds an inconsistency: the caller then runs Odoo's own
    check, which raises its usual error."""
    path = (
        "check_company_orders"
        if records._name in guard.PATHS["check_company_orders"]
        else "check_company"
    )
    if len(records) < 2 or not guard.allowed(records, path):
        return False
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
