from odoo import _, fields, http
from odoo.http import request
from odoo.osv import expression
from odoo.tools import format_date

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class SerialCustomerPortal(CustomerPortal):
    """ "My Serial Numbers": the serials shipped to the user's commercial entity.

    Portal users have no access to stock.lot (they see nothing of the backend
    models): serials are read with sudo, strictly filtered on the customer's
    commercial entity, and only the fields shown below reach the page.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "serial_count" in counters:
            values["serial_count"] = (
                request.env["stock.lot"].sudo().search_count(self._serial_domain())
            )
        return values

    def _serial_domain(self, search=None):
        commercial = request.env.user.partner_id.commercial_partner_id
        domain = [
            ("customer_id.commercial_partner_id", "=", commercial.id),
            ("serial_status", "=", "shipped"),
            ("product_id.tracking", "=", "serial"),
        ]
        if search:
            domain = expression.AND(
                [
                    domain,
                    ["|", ("name", "ilike", search), ("product_id", "ilike", search)],
                ]
            )
        return domain

    def _serial_sortings(self):
        return {
            "shipped": {"label": _("Newest"), "order": "shipped_date desc, id desc"},
            "name": {"label": _("Serial Number"), "order": "name asc, id asc"},
            "warranty": {
                "label": _("Warranty End"),
                "order": "warranty_end_date asc, id asc",
            },
        }

    def _serial_rows(self, lots):
        """The only data of a serial a customer sees."""
        env = request.env
        today = fields.Date.context_today(lots)
        rows = []
        for lot in lots:
            shipped = lot.shipped_date and fields.Datetime.context_timestamp(
                lot, lot.shipped_date
            )
            rows.append(
                {
                    "name": lot.name,
                    "product": lot.product_id.with_context(
                        display_default_code=False
                    ).display_name,
                    "shipped_date": shipped and format_date(env, shipped.date()),
                    "warranty_end_date": lot.warranty_end_date
                    and format_date(env, lot.warranty_end_date),
                    "under_warranty": bool(
                        lot.warranty_end_date and lot.warranty_end_date >= today
                    ),
                }
            )
        return rows

    @http.route(
        ["/my/serials", "/my/serials/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_serials(self, page=1, sortby=None, search=None, **kw):
        values = self._prepare_portal_layout_values()
        lots_sudo = request.env["stock.lot"].sudo()
        sortings = self._serial_sortings()
        if sortby not in sortings:
            sortby = "shipped"
        search = (search or "").strip()
        domain = self._serial_domain(search)
        pager = portal_pager(
            url="/my/serials",
            url_args={"sortby": sortby, "search": search},
            total=lots_sudo.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        lots = lots_sudo.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values.update(
            {
                "serials": self._serial_rows(lots),
                "page_name": "serials",
                "pager": pager,
                "default_url": "/my/serials",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_inputs": {
                    "all": {
                        "input": "all",
                        "label": _("Serial or product"),
                    }
                },
                "search_in": "all",
                "search": search,
            }
        )
        return request.render("stock_serial_tracking.portal_my_serials", values)
