from collections import defaultdict

from odoo import _, fields, models
from odoo.tools import SQL, OrderedSet

from .stock_lot import GONE_STATUSES, SERIAL_STATUSES

STOCK_USAGES = ("internal", "transit")


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _serial_lot_optional(self):
        """True when this serial-product line may be done without a serial
        (the product does not require serials on this side)."""
        self.ensure_one()
        if self.product_id.tracking != "serial" or self.lot_id or self.lot_name:
            return False
        source, destination = self.location_id.usage, self.location_dest_id.usage
        template = self.product_id.product_tmpl_id
        if source == "supplier" and not template.serial_required_receipt:
            return True
        if destination == "customer" and not template.serial_required_delivery:
            return True
        return False

    def _action_done(self):
        optional = self.filtered(
            lambda ml: ml.quantity > 0 and ml._serial_lot_optional()
        )
        if not optional:
            return super()._action_done()
        # Odoo refuses tracked lines without a lot; these products allow it on
        # this side, so their quants move as untracked stock.
        result = super(StockMoveLine, self - optional)._action_done()
        optional._serial_done_without_lot()
        return result

    def _serial_done_without_lot(self):
        done_ids = OrderedSet()
        for ml in self:
            quantity = ml.quantity_product_uom
            ml._synchronize_quant(-quantity, ml.location_id, action="reserved")
            available_qty, in_date = ml._synchronize_quant(-quantity, ml.location_id)
            ml._synchronize_quant(
                quantity,
                ml.location_dest_id,
                package=ml.result_package_id,
                in_date=in_date,
            )
            if available_qty < 0:
                ml._free_reservation(
                    ml.product_id,
                    ml.location_id,
                    abs(available_qty),
                    package_id=ml.package_id,
                    owner_id=ml.owner_id,
                    ml_ids_to_ignore=done_ids,
                )
            done_ids.add(ml.id)
        self.write({"date": fields.Datetime.now()})

    def _serial_lots_by_line(self):
        """Lots of these lines, resolving typed names (receipts) to lots."""
        lots = {ml: ml.lot_id for ml in self if ml.lot_id}
        by_product = defaultdict(list)
        for ml in self:
            if not ml.lot_id and ml.lot_name:
                by_product[(ml.product_id, ml.company_id)].append(ml)
        for (product, company), mls in by_product.items():
            found = self.env["stock.lot"].search(
                [
                    ("product_id", "=", product.id),
                    ("company_id", "in", [company.id, False]),
                    ("name", "in", [ml.lot_name for ml in mls]),
                ]
            )
            by_name = {lot.name: lot for lot in found}
            for ml in mls:
                if ml.lot_name in by_name:
                    lots[ml] = by_name[ml.lot_name]
        return lots

    def _serial_check_reuse(self):
        """A serial that left for good comes back only through a return."""
        incoming = self.filtered(
            lambda ml: (
                ml.location_id.usage not in STOCK_USAGES
                and ml.location_dest_id.usage in STOCK_USAGES
            )
        )
        statuses = dict(SERIAL_STATUSES)
        refused, in_stock = [], []
        lots = incoming._serial_lots_by_line()
        on_hand = self.env["stock.quant"]._read_group(
            [
                ("lot_id", "in", [lot.id for lot in lots.values()]),
                ("location_id.usage", "in", STOCK_USAGES),
                ("quantity", ">", 0),
            ],
            ["lot_id", "location_id"],
        )
        where = {lot: location for lot, location in on_hand}
        last_exit = self._serial_last_moves(
            [lot for lot in lots.values() if lot.serial_status in GONE_STATUSES]
        )
        for ml, lot in lots.items():
            move = ml.move_id
            if lot in where:
                in_stock.append(f"{lot.name} ({where[lot].display_name})")
                continue
            if lot.serial_status not in GONE_STATUSES:
                continue
            is_return = bool(move.origin_returned_move_id) or (
                lot.serial_status == "shipped" and ml.location_id.usage == "customer"
            )
            is_unbuild = bool(move.unbuild_id)
            if not (
                is_return or is_unbuild or ml._serial_comes_back(last_exit.get(lot))
            ):
                refused.append(f"{lot.name} ({statuses[lot.serial_status]})")
        errors = []
        if in_stock:
            errors.append(
                _(
                    "These serial numbers are already in stock and cannot be "
                    "received again: %(names)s",
                    names=", ".join(in_stock),
                )
            )
        if refused:
            errors.append(
                _(
                    "These serial numbers have left the company and can only come "
                    "back through a return: %(names)s",
                    names=", ".join(refused),
                )
            )
        return errors

    def _serial_last_moves(self, lots):
        """{lot: (history type, destination, partner)} of the last done move
        of each serial."""
        if not lots:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (lot_id) lot_id, move_type, location_dest_id,
                       partner_id
                  FROM stock_serial_history
                 WHERE lot_id = ANY(%s) AND move_id IS NOT NULL
                 ORDER BY lot_id, date DESC, id DESC
                """,
                [lot.id for lot in lots],
            )
        )
        Lot, Location = self.env["stock.lot"], self.env["stock.location"]
        Partner = self.env["res.partner"]
        return {
            Lot.browse(lot_id): (
                move_type,
                Location.browse(location_id),
                Partner.browse(partner_id),
            )
            for lot_id, move_type, location_id, partner_id in self.env.cr.fetchall()
        }

    def _serial_comes_back(self, last):
        """True when this line brings a serial back from where its last move
        took it, as a correction of that move: out of the scrap location it
        was scrapped to (a scrap made by mistake), from the vendor it was
        returned to (a repair or replacement of the same unit), or out of
        production again after its own unbuild (a rework keeps its serial).
        The history keeps both moves."""
        self.ensure_one()
        if not last:
            return False
        move_type, destination, partner = last
        source = self.location_id
        if move_type == "scrap":
            return source == destination
        if move_type == "vendor_return":
            vendor = self.picking_id.partner_id or self.move_id.partner_id
            same_vendor = (
                not vendor
                or not partner
                or vendor.commercial_partner_id == partner.commercial_partner_id
            )
            return source.usage == "supplier" and same_vendor
        if move_type == "unbuild":
            return source.usage == "production" and bool(self.move_id.production_id)
        return False

    def _serial_check_source(self):
        """A serial can only leave from where it is.

        Where it is comes from the quants, Odoo's record of stock, whether a
        done move, an import or another module put it there. A serial with no
        stock anywhere may leave from untracked stock of its product at the
        source, as Odoo lets it: the unit was there, only not yet named."""
        leaving = self.filtered(
            lambda ml: ml.lot_id and ml.location_id.usage in STOCK_USAGES
        )
        if not leaving:
            return []
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", leaving.lot_id.ids),
                ("quantity", ">", 0),
                ("location_id.usage", "in", STOCK_USAGES),
            ]
        )
        locations_by_lot = defaultdict(lambda: self.env["stock.location"])
        for quant in quants:
            locations_by_lot[quant.lot_id] |= quant.location_id
        untracked = leaving._serial_untracked_on_hand(
            leaving.filtered(lambda ml: not locations_by_lot[ml.lot_id])
        )
        statuses = dict(SERIAL_STATUSES)
        wrong = []
        for ml in leaving:
            locations = locations_by_lot[ml.lot_id]
            source_path = ml.location_id.parent_path
            if any(loc.parent_path.startswith(source_path) for loc in locations):
                continue
            key = (ml.product_id, ml.location_id)
            if not locations and untracked.get(key, 0) >= 1:
                untracked[key] -= 1
                continue
            if locations:
                where = ", ".join(locations.mapped("display_name"))
            else:
                where = _(
                    "not in stock, %(status)s",
                    status=statuses.get(ml.lot_id.serial_status, ""),
                )
            wrong.append(
                _(
                    "%(serial)s is not in %(location)s (it is at: %(where)s)",
                    serial=ml.lot_id.name,
                    location=ml.location_id.display_name,
                    where=where,
                )
            )
        if wrong:
            return [
                _("These serial numbers cannot leave from where they are not:")
                + "\n"
                + "\n".join(f"- {line}" for line in wrong)
            ]
        return []

    def _serial_check_hold(self):
        """A held serial does not leave stock: no delivery, consumption, scrap,
        return to vendor or transit. Internal moves are stopped at reservation;
        inventory adjustments may still correct where a held serial is."""
        leaving = self.filtered(
            lambda ml: (
                ml.lot_id.serial_on_hold
                and ml.location_id.usage in STOCK_USAGES
                and not ml.move_id.is_inventory
                and (
                    ml.location_dest_id.usage not in ("internal", "inventory")
                    or ml.location_dest_id.scrap_location
                )
            )
        )
        if not leaving:
            return []
        return [
            _("These serial numbers are on hold and cannot leave stock:")
            + "\n"
            + "\n".join(f"- {line}" for line in leaving.lot_id._serial_hold_refusals())
        ]

    def _serial_untracked_on_hand(self, lines):
        """{(product, source location): units on hand without a serial at or
        under the source of ``lines``}, the stock Odoo takes a serial from
        when the serial itself has none."""
        result = {}
        for product, location in {(ml.product_id, ml.location_id) for ml in lines}:
            groups = self.env["stock.quant"]._read_group(
                [
                    ("product_id", "=", product.id),
                    ("location_id", "child_of", location.id),
                    ("lot_id", "=", False),
                ],
                aggregates=["quantity:sum"],
            )
            result[(product, location)] = (groups[0][0] if groups else 0) or 0
        return result

    # --- after-sales (issue 7) ---
    def _serial_check_return_customer(self):
        """A customer return may only bring back serials shipped to that
        customer or its commercial entity. A serial manager may accept others
        by giving a reason on the return; each accepted serial logs it."""
        returning = self.filtered(
            lambda ml: (
                ml.product_id.tracking == "serial"
                and (ml.lot_id or ml.lot_name)
                and ml.location_id.usage == "customer"
                and ml.location_dest_id.usage != "customer"
            )
        )
        if not returning:
            return []
        lots = returning._serial_lots_by_line()
        refused = defaultdict(list)
        for ml in returning:
            lot = lots.get(ml)
            partner = ml.picking_id.partner_id or ml.move_id.partner_id
            commercial = partner.commercial_partner_id
            if lot and ml._serial_returns_own_delivery(lot, commercial):
                continue
            if (
                lot
                and not commercial
                and not lot.customer_id
                and lot.serial_status == "shipped"
            ):
                # shipped naming no customer and back naming none: there is
                # no customer to hold the return to
                continue
            customer = lot.customer_id if lot else self.env["res.partner"]
            if commercial and customer.commercial_partner_id == commercial:
                continue
            refused[(ml.picking_id, partner)].append((ml, lot))
        errors = []
        for (picking, partner), refused_lines in refused.items():
            overridden = picking and picking._serial_return_override()
            if overridden:
                self.browse()._serial_log_return_override(picking, refused_lines)
                continue
            details = "\n".join(
                "- " + self._serial_return_refusal_text(ml, lot)
                for ml, lot in refused_lines
            )
            if partner:
                message = _(
                    "This return from %(partner)s may only bring back serial "
                    "numbers shipped to %(partner)s:\n%(details)s",
                    partner=partner.display_name,
                    details=details,
                )
            else:
                message = _(
                    "This return names no customer, so it cannot bring back "
                    "these serial numbers:\n%(details)s",
                    details=details,
                )
            errors.append(
                message
                + "\n"
                + _(
                    "A serial manager can accept them anyway by giving a reason "
                    'in "Accept Serials Anyway" on the return.'
                )
            )
        return errors

    def _serial_returns_own_delivery(self, lot, commercial):
        """True when this line is Odoo's Return of the delivery that shipped
        ``lot`` (its move returns that delivery's move, which moved this
        serial): the unit comes back from where it went, even when that
        delivery named no customer. Only a return naming another customer
        than the delivery did is left to the partner rule."""
        self.ensure_one()
        origin = self.move_id.origin_returned_move_id
        if not origin or lot not in origin.move_line_ids.filtered(
            lambda line: line.state == "done"
        ).lot_id:
            return False
        shipped_to = origin.picking_id.partner_id or origin.partner_id
        shipped_to = shipped_to.commercial_partner_id
        return not (commercial and shipped_to and commercial != shipped_to)

    def _serial_return_refusal_text(self, ml, lot):
        name = lot.name if lot else ml.lot_name
        if not lot:
            return _("%(serial)s is not a known serial number", serial=name)
        if not lot.customer_id:
            return _("%(serial)s was never shipped to a customer", serial=name)
        return _(
            "%(serial)s was shipped to %(customer)s",
            serial=name,
            customer=lot.customer_id.display_name,
        )

    def _serial_log_return_override(self, picking, refused_lines):
        """Log the manager's override on each serial it lets back in. Serials
        typed on the return that do not exist yet are created, to carry it."""
        override = picking.sudo()
        user = override.serial_return_override_user_id
        missing = [ml for ml, lot in refused_lines if not lot]
        if missing:
            new_lots = self.env["stock.lot"].create(
                [
                    {
                        "name": ml.lot_name,
                        "product_id": ml.product_id.id,
                        "company_id": ml.company_id.id,
                    }
                    for ml in missing
                ]
            )
            for ml, lot in zip(missing, new_lots, strict=True):
                ml.lot_id = lot
        for ml, lot in refused_lines:
            lot = lot or ml.lot_id
            shipped_to = lot.customer_id.display_name or _("nobody")
            lot.message_post(
                body=_(
                    "Accepted back on customer return %(picking)s from %(partner)s "
                    "although it was shipped to %(shipped_to)s. Override by "
                    "%(user)s: %(reason)s",
                    picking=picking.name,
                    partner=picking.partner_id.display_name or _("an unknown customer"),
                    shipped_to=shipped_to,
                    user=user.name,
                    reason=override.serial_return_override_reason,
                )
            )
