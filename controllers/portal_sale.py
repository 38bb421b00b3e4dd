# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.http import request

from .portal import SerialCustomerPortal


class SerialSaleCustomerPortal(SerialCustomerPortal):
    """ "My Serial Numbers" links each serial to the customer's sale order it
    was sold on (only an order of the customer's own commercial entity)."""

    def _serial_rows(self, lots):
        rows = super()._serial_rows(lots)
        commercial = request.env.user.partner_id.commercial_partner_id
        for row, lot in zip(rows, lots, strict=True):
            order = lot.sudo().serial_sale_order_id
            mine = order and order.partner_id.commercial_partner_id == commercial
            row["sale_order"] = order.name if mine else False
            row["sale_order_url"] = order.get_portal_url() if mine else False
        return rows
