# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Creating thousands of serials at once (a receipt's typed serials, a purchase
order's planned serials): the first of each group through create(), the others
copies of its row and of its chatter (see fastpath)."""

from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..fastpath import clone_columns, clone_records, guard, own_message_ids


class StockLot(models.Model):
    _inherit = "stock.lot"

    @api.model
    def _serial_fast_create(self, vals_list):
        """create(vals_list), storing the same rows, for thousands of serials
        that differ only by their name (a receipt's typed serials).

        Each group of values alike but for the name makes its first serial
        through create(), every module's code included; the others are
        copies of its row (fastpath.clone), and so is its "created" chatter
        message. Anything this cannot copy for sure goes through create():
        values without a name, another module overriding the creation of
        serials or of messages, products valued by serial, a stored field
        depending on the name, followers or tracking on the first serial."""
        if (
            len(vals_list) < 2
            or not all(vals.get("name") for vals in vals_list)
            or not guard.allowed(self, "lot_create")
        ):
            return self.create(vals_list)
        columns = clone_columns(self, "name")
        if columns is None or not self._serial_fast_create_plain_values(vals_list):
            return self.create(vals_list)
        # every name checked before anything is written, as create() does
        self._serial_prepare_create(vals_list)
        products = self.env["product.product"].browse(
            {vals.get("product_id") for vals in vals_list} - {None, False}
        )
        if any(products.mapped("lot_valuated")):
            return self.create(vals_list)
        groups = defaultdict(list)
        for index, vals in enumerate(vals_list):
            try:
                key = tuple(sorted((k, v) for k, v in vals.items() if k != "name"))
                hash(key)
            except TypeError:  # x2many commands and the like
                return self.create(vals_list)
            groups[key].append(index)
        lot_ids = [None] * len(vals_list)
        for indexes in groups.values():
            first = self.create([vals_list[indexes[0]]])
            lot_ids[indexes[0]] = first.id
            rest = indexes[1:]
            if not rest:
                continue
            messages = first._serial_fast_plain_chatter()
            if messages is None:
                others = self.create([vals_list[i] for i in rest])
            else:
                names = [vals_list[i]["name"] for i in rest]
                others = clone_records(first, "name", names, columns)
                Message = messages.browse()
                message_columns = clone_columns(Message, "res_id")
                for message in messages:
                    message_ids = own_message_ids(message, others.ids)
                    clone_records(
                        message,
                        "res_id",
                        others.ids,
                        message_columns,
                        per_copy={"message_id": message_ids},
                    )
                others.invalidate_recordset(
                    ["message_ids", "message_needaction", "message_needaction_counter"]
                )
            for i, lot_id in zip(rest, others.ids, strict=True):
                lot_ids[i] = lot_id
        return self.browse(lot_ids)

    @api.model
    def _serial_fast_create_plain_values(self, vals_list):
        """True when the values (and the context's defaults) only set stored
        columns without an inverse: an inverse (e.g. the serial's location)
        would run for the first serial only."""
        names = {name for vals in vals_list for name in vals}
        names |= {
            key[8:] for key in self.env.context if key.startswith("default_")
        } & set(self._fields)
        for name in names:
            field = self._fields.get(name)
            if field is None or not (field.store and field.column_type):
                return False
            if field.inverse:
                return False
        return True

    def _serial_fast_plain_chatter(self):
        """The chatter messages of this new serial if copies of them are what
        create() would post for a copy of the serial: no followers, messages
        without recipients, attachments, tracking or notifications. Else
        None."""
        self.ensure_one()
        # all of it: what creating the serial left pending (followers,
        # messages, fields recomputed elsewhere) is stored before its row and
        # its messages are read and copied (flushing only the mail models
        # measured no faster)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT 1 FROM mail_followers WHERE res_model = %s AND res_id = %s",
                self._name,
                self.id,
            )
        )
        if cr.fetchone():
            return None
        cr.execute(
            SQL(
                "SELECT id FROM mail_message WHERE model = %s AND res_id = %s "
                "ORDER BY id",
                self._name,
                self.id,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        if ids:
            cr.execute(
                SQL(
                    """
                    SELECT 1 FROM mail_tracking_value
                     WHERE mail_message_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT 1 FROM mail_message_res_partner_rel
                     WHERE mail_message_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT 1 FROM message_attachment_rel WHERE message_id = ANY(%(ids)s)
                    UNION ALL
                    SELECT 1 FROM mail_notification WHERE mail_message_id = ANY(%(ids)s)
                    LIMIT 1
                    """,
                    ids=ids,
                )
            )
            if cr.fetchone():
                return None
        if clone_columns(self.env["mail.message"], "res_id") is None:
            return None
        return self.env["mail.message"].sudo().browse(ids)
