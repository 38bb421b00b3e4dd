"""Serial rules on move lines, and the fast path of their creation and
validation.

Rules: a serial reused, returned or taken from the wrong place is refused
before Odoo moves any quant; serials optional on one side move as untracked
stock.

Fast path. Odoo moves quants one move line at a time: for each serial it
gathers quants, creates or writes one quant at the source and one at the
destination, each with its own queries. For thousands of serials that is most
of the time of a receipt or a delivery. Here the lines whose outcome is certain
are done in a few set-based steps that leave exactly what Odoo's loop leaves
(same quants, quantities, reservations, in dates, lots); every other line goes
through Odoo's own code, unchanged:

- receipt-like lines (from a vendor, production or inventory location into an
  internal location) of a serial that has no quant anywhere yet;
- delivery-like lines (from an internal location to a customer, vendor,
  production or inventory location) of a serial reserved by this very line on
  its only quant at the source.

Reserving works the same way: when move lines are created in a batch (Odoo's
reservation of a move, the entry wizard), the serial reserved on its only
plain quant holding stock is reserved for all lines in one write; the lines
themselves, alike but for their serial, are copies of the first one's row, as
are the new quants of a validation. Deleting lines in a batch (the serials the
operator picked instead of the reserved ones, Unreserve) unreserves their
serials the same way.

Packages, owners (consignment), lot-tracked or untracked products, products
valued by lot, units other than the product's, quantities other than one,
inventory adjustments, chained moves (multi-step routes) and scrap locations
are never taken: Odoo's loop handles them. The guard (fastpath.guard, paths
``line_create``, ``line_unlink``, ``quant_reserve``, ``line_done`` and
``line_write``) steps aside when another module overrides what these paths
reproduce.
"""

import uuid
from collections import Counter, defaultdict

from odoo import _, api, fields, models
from odoo.tools import SQL, OrderedSet, float_compare

from ..fastpath import clone_columns, clone_records, guard, read_rows
from .stock_lot import GONE_STATUSES, SERIAL_STATUSES

FAST_IN_SOURCES = ("supplier", "production", "inventory")
FAST_OUT_DESTINATIONS = ("customer", "supplier", "production", "inventory")

STOCK_USAGES = ("internal", "transit")


def _pending_reservations(env, token=None, pop=False, lot_ids=()):
    """The reservations collected while move lines are created or deleted
    in a batch.

    Only the changes of the serials ``lot_ids`` of the batch's lines are
    collected; a change of any other serial, made by whatever module runs in
    there, is done at once by Odoo's method and counted in ``passed``. The
    context carries only a token: the batch lives with the transaction
    (cleared at commit or rollback) so that no mutable object rides in a
    context Odoo compares and reuses. Returns (token, batch), the batch's
    ``entries`` being the (product, location, serial, sign) collected."""
    store = env.cr.precommit.data.setdefault("stock_serial_tracking.reserve", {})
    if pop:
        return token, store.pop(token, None)
    token = uuid.uuid4().hex
    store[token] = {"lot_ids": frozenset(lot_ids), "entries": [], "passed": 0}
    return token, store[token]


class StockMoveLine(models.Model):
    _name = "stock.move.line"
    _inherit = ["stock.move.line", "stock.serial.bulk.mixin"]

    def init(self):
        # History and status are read per serial: index done lines by serial.
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS stock_move_line_serial_done_idx
                    ON stock_move_line (lot_id, date DESC, id DESC)
                 WHERE state = 'done' AND lot_id IS NOT NULL
                """
            )
        )

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
        """Odoo's validation, but for the serial lines the fast path takes
        (see the module docstring) and the lines whose product does not need
        a serial on this side (Odoo refuses tracked lines without a lot:
        their quants move as untracked stock)."""
        fast_in = fast_out = self.browse()
        candidates = self._serial_fast_candidates()
        if candidates:
            candidates._serial_fast_assign_lots()
            fast_in, fast_out = candidates._serial_fast_split()
        fast = fast_in | fast_out
        optional = (self - fast).filtered(
            lambda ml: ml.quantity > 0 and ml._serial_lot_optional()
        )
        rest = self - fast - optional
        result = None
        if rest or not (fast or optional):
            result = super(StockMoveLine, rest)._action_done()
        if optional:
            optional._serial_done_without_lot()
        if fast:
            fast._check_company()
            now = fields.Datetime.now()
            fast_in._serial_fast_done_in(now)
            fast_out._serial_fast_done_out()
            fast.write({"date": now})
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

    def _serial_built_for_subcontract_receipt(self):
        """True for the finished line of a subcontracting order, which Odoo
        marks done after the receipt that brought its serial in: that receipt
        already checked the serial, and the unit it booked is this one."""
        self.ensure_one()
        move = self.move_id
        return bool(
            move.production_id.subcontractor_id
            and move.move_dest_ids.filtered(
                lambda dest: dest.is_subcontract and dest.state == "done"
            )
        )

    def _serial_check_reuse(self):
        """A serial that left for good comes back only through a return."""
        incoming = self.filtered(
            lambda ml: (
                ml.move_id._serial_brings_units()
                and ml.location_dest_id.usage in STOCK_USAGES
                and not ml._serial_built_for_subcontract_receipt()
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
        was scrapped to (a scrap made by mistake, or a part a repair took out
        and scrapped), from the vendor it was
        returned to (a repair or replacement of the same unit), or out of
        production again after its own unbuild (a rework keeps its serial).
        The history keeps both moves. A part taken out of a unit under repair
        comes back too, if it is inside that unit (its genealogy says so)."""
        self.ensure_one()
        move = self.move_id
        if move.repair_id and move.repair_line_type in ("remove", "recycle"):
            unit = move.repair_id.lot_id
            return bool(self.lot_id) and self.lot_id in unit.serial_component_lot_ids
        if not last:
            return False
        move_type, destination, partner = last
        source = self.location_id
        if move_type == "scrap" or (
            move_type == "repair_remove" and destination.scrap_location
        ):
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
            lambda ml: (
                ml.lot_id
                and ml.location_id.usage in STOCK_USAGES
                # built by the subcontractor while the receipt is validated
                and not ml.move_id.is_subcontract
            )
        )
        if not leaving:
            return []
        locations_by_lot = leaving.lot_id._serial_locations_in_stock()
        untracked = leaving._serial_untracked_on_hand(
            leaving.filtered(lambda ml: not locations_by_lot[ml.lot_id])
        )
        wrong = []
        for ml in leaving:
            locations = locations_by_lot[ml.lot_id]
            if ml.location_id._serial_contains_any(locations):
                continue
            key = (ml.product_id, ml.location_id)
            if not locations and untracked.get(key, 0) >= 1:
                untracked[key] -= 1
                continue
            wrong.append(
                _(
                    "%(serial)s is not in %(location)s (it is at: %(where)s)",
                    serial=ml.lot_id.name,
                    location=ml.location_id.display_name,
                    where=ml.lot_id._serial_whereabouts(locations),
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

    # --- after-sales: customer returns and warranty ---
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
        if (
            not origin
            or lot
            not in origin.move_line_ids.filtered(
                lambda line: line.state == "done"
            ).lot_id
        ):
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

    # ------------------------------------------------------------------
    # Fast path: creating lines in a batch
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """Reserve the serials of new lines in one batch (see StockQuant)."""
        if (
            len(vals_list) < 2
            or "serial_fast_reserve" in self.env.context
            or not guard.allowed(self, "line_create")
            or not all(vals.get("move_id") for vals in vals_list)
            or any(vals.get("state") == "done" for vals in vals_list)
        ):
            return super().create(vals_list)
        # a serial given otherwise than by id is reserved by Odoo's method
        token, batch = _pending_reservations(
            self.env,
            lot_ids=[
                vals["lot_id"]
                for vals in vals_list
                if isinstance(vals.get("lot_id"), int)
            ],
        )
        this = self.with_context(serial_fast_reserve=token)
        try:
            groups = self._serial_fast_clone_groups(vals_list)
            if groups is None:
                lines = super(StockMoveLine, this).create(vals_list)
            else:
                lines = this._serial_fast_create_cloned(vals_list, groups, batch)
        finally:
            _pending_reservations(self.env, token, pop=True)
        if batch["entries"]:
            self.env["stock.quant"]._serial_fast_reserve(batch["entries"])
        return lines.with_env(self.env)

    def unlink(self):
        """Unreserve the serials of deleted lines in one batch (see
        StockQuant), as deleting the reserved lines of a delivery whose
        serials the operator replaced by others, or Unreserve, does."""
        if (
            len(self) < 2
            or "serial_fast_reserve" in self.env.context
            or not guard.allowed(self, "line_unlink")
        ):
            return super().unlink()
        token, batch = _pending_reservations(self.env, lot_ids=self.lot_id.ids)
        try:
            result = super(
                StockMoveLine, self.with_context(serial_fast_reserve=token)
            ).unlink()
        finally:
            _pending_reservations(self.env, token, pop=True)
        if batch["entries"]:
            self.env["stock.quant"]._serial_fast_reserve(batch["entries"])
        return result

    def _serial_fast_clone_groups(self, vals_list):
        """Indexes of ``vals_list`` grouped by values alike but for the
        serial, when new lines may be copies of the first of their group
        (fastpath.clone): lines of one unit of a serial, not done, of moves
        without analytic accounting, when only modules this fast path knows
        create move lines. Else None."""
        if len(vals_list) < 2:
            return None
        groups = defaultdict(list)
        for index, vals in enumerate(vals_list):
            if (
                not isinstance(vals.get("lot_id"), int)
                or not vals.get("lot_id")
                or vals.get("quantity") != 1
                or vals.get("quant_id")
                or vals.get("lot_name")
                or vals.get("state")
            ):
                return None
            try:
                key = tuple(sorted((k, v) for k, v in vals.items() if k != "lot_id"))
                hash(key)
            except TypeError:  # x2many commands and the like
                return None
            groups[key].append(index)
        if all(len(indexes) == 1 for indexes in groups.values()):
            return None
        moves = self.env["stock.move"].browse({vals["move_id"] for vals in vals_list})
        if any(
            move.product_id.tracking != "serial"
            or (
                hasattr(move, "analytic_account_line_ids")
                and (
                    move.analytic_account_line_ids or move._get_analytic_distribution()
                )
            )
            for move in moves
        ):
            return None
        return list(groups.values())

    def _serial_fast_create_cloned(self, vals_list, groups, batch):
        """create(vals_list) where each group's first line is created by the
        ORM and the others are copies of it with their own serial; what
        stock's create does for each new line that is not done (reserve its
        serial, recompute its move's state) is done for the copies too, when
        it was only that for the first (the reservations of the batch)."""
        columns = clone_columns(self, "lot_id")
        if columns is None:
            return super().create(vals_list)
        ids = [None] * len(vals_list)
        moves = self.env["stock.move"]
        pending = batch["entries"]
        for indexes in groups:
            first_vals = vals_list[indexes[0]]
            reserved_before = len(pending)
            passed_before = batch["passed"]
            first = super().create([first_vals])
            ids[indexes[0]] = first.id
            rest = indexes[1:]
            if not rest:
                continue
            reserved = pending[reserved_before:]
            if (
                first.state == "done"
                or batch["passed"] != passed_before
                or (
                    first.quantity_product_uom
                    and not first.move_id._should_bypass_reservation()
                    and reserved
                    != [(first.product_id, first.location_id, first.lot_id, 1)]
                )
            ):
                # reserved another way than the batch: Odoo's code per line
                others = super().create([vals_list[i] for i in rest])
            else:
                lots = [vals_list[i]["lot_id"] for i in rest]
                others = clone_records(first, "lot_id", lots, columns)
                if reserved:
                    Lot = self.env["stock.lot"]
                    pending.extend(
                        (first.product_id, first.location_id, Lot.browse(lot), 1)
                        for lot in lots
                    )
                    moves |= first.move_id
            for index, line_id in zip(rest, others.ids, strict=True):
                ids[index] = line_id
        moves._recompute_state()
        return self.browse(ids)

    # ------------------------------------------------------------------
    # Which lines
    # ------------------------------------------------------------------
    def _serial_fast_candidates(self):
        """Lines that may take the fast path, judged on their own fields.

        The line's own values are read in one query; what depends on its
        move, product, unit and locations is judged once per combination."""
        if len(self) < 2 or not guard.allowed(self, "line_done"):
            return self.browse()
        columns = [
            "move_id",
            "product_id",
            "product_uom_id",
            "location_id",
            "location_dest_id",
            "quantity",
            "package_id",
            "result_package_id",
            "owner_id",
            "lot_id",
            "lot_name",
        ]
        rows = {row["id"]: row for row in read_rows(self, columns)}
        groups = {}
        taken = []
        for line_id in self.ids:
            row = rows[line_id]
            if row["package_id"] or row["result_package_id"] or row["owner_id"]:
                continue
            if not (row["lot_id"] or row["lot_name"]):
                continue
            key = tuple(row[name] for name in columns[:5])
            if key not in groups:
                groups[key] = self._serial_fast_group(*key)
            group = groups[key]
            if (
                group is None
                or float_compare(row["quantity"], 1, precision_rounding=group[0]) != 0
                or (not row["lot_id"] and not group[1])
            ):
                continue
            taken.append(row)
        # The same serial twice is Odoo's (or the serial rules') business.
        keys = Counter(row["lot_id"] or row["lot_name"] for row in taken)
        return self.browse(
            [row["id"] for row in taken if keys[row["lot_id"] or row["lot_name"]] == 1]
        )

    def _serial_fast_group(self, move_id, product_id, uom_id, source_id, dest_id):
        """None when lines of this move, product, unit and locations never
        take the fast path; else (unit rounding, typed names become lots)."""
        move = self.env["stock.move"].browse(move_id)
        product = self.env["product.product"].browse(product_id)
        if (
            not move
            or product.tracking != "serial"
            or not product.is_storable
            or product.lot_valuated
            or uom_id != product.uom_id.id
            or move.is_inventory
            or move.restrict_partner_id
            or move.move_orig_ids
            or move.move_dest_ids
        ):
            return None
        Location = self.env["stock.location"]
        if (
            self._serial_fast_direction_of(
                Location.browse(source_id), Location.browse(dest_id)
            )
            is None
        ):
            return None
        return product.uom_id.rounding, bool(move.picking_type_id.use_create_lots)

    def _serial_fast_direction(self):
        return self._serial_fast_direction_of(self.location_id, self.location_dest_id)

    @api.model
    def _serial_fast_direction_of(self, source, dest):
        """The direction of lines from source to dest for the fast path:
        "in" (receipt-like), "out" (delivery-like) or None (not taken)."""
        if source.scrap_location or dest.scrap_location:
            return None
        if source.usage in FAST_IN_SOURCES and dest.usage == "internal":
            return "in"
        if source.usage == "internal" and dest.usage in FAST_OUT_DESTINATIONS:
            return "out"
        # Applying a serial count moves serials between stock locations
        # (booked elsewhere, to the missing location) by the thousand. For a
        # serial whose one unit is reserved at the source, Odoo's validation
        # does to its quants what it does for a delivery: the source quant
        # goes to 0 and the destination's gets the unit with the source's in
        # date; _serial_fast_split checks that precondition line by line.
        if (
            self.env.context.get("serial_count_apply")
            and source.usage == "internal"
            and dest.usage == "internal"
        ):
            return "out"
        return None

    def _serial_fast_assign_lots(self):
        """Resolve typed serial names to lots as Odoo does at validation:
        existing lots of the product are used, missing ones created."""
        named = self.filtered(lambda ml: not ml.lot_id)
        by_key = defaultdict(list)
        for ml in named:
            by_key[(ml.product_id, ml.company_id)].append(ml)
        Lot = self.env["stock.lot"]
        line_ids, lot_ids = [], []  # lines getting an existing serial
        to_create = []
        for (product, company), mls in by_key.items():
            lots = Lot.search(
                [
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "=", company.id),
                    ("product_id", "=", product.id),
                    ("name", "in", [ml.lot_name for ml in mls]),
                ]
            )
            by_name = {lot.name: lot.id for lot in lots}
            for ml in mls:
                if ml.lot_name in by_name:
                    line_ids.append(ml.id)
                    lot_ids.append(by_name[ml.lot_name])
                else:
                    to_create.append(ml.id)
        new_lots = Lot._serial_fast_create(
            [ml._prepare_new_lot_vals() for ml in self.browse(to_create)]
        )
        # one write for all the lines, existing serials and new ones alike
        self._serial_fast_set_lots(
            self.browse(line_ids + to_create), Lot.browse(lot_ids + new_lots.ids)
        )

    def _serial_fast_set_lots(self, lines, lots):
        """lines[i].lot_id = lots[i]: what Odoo's per-line write does for
        lines that reserve nothing (their source bypasses reservation)."""
        assert len(lines) == len(lots)
        if not lines:
            return
        bypass = lines.filtered(
            lambda ml: (
                ml.move_id._should_bypass_reservation(ml.location_id)
                # a subcontracted receipt bypasses reservation too, but its
                # write also renames the subcontracting order's serial
                and not ml.move_id.is_subcontract
            )
        )
        if len(bypass) != len(lines) or not guard.allowed(self, "line_write"):
            for ml, lot in zip(lines, lots, strict=True):
                ml.lot_id = lot
            return
        lines.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_move_line ml
                   SET lot_id = v.lot_id, write_uid = %s, write_date = %s
                  FROM unnest(%s::int[], %s::int[]) AS v(id, lot_id)
                 WHERE ml.id = v.id
                """,
                self.env.uid,
                self.env.cr.now(),
                lines.ids,
                lots.ids,
            )
        )
        lines.invalidate_recordset(["lot_id", "write_uid", "write_date"])
        # as the ORM's write: one2many caches pointing to the lines through
        # lot_id (stock.lot side) are dropped, dependent fields recomputed
        for inverse in self.env.registry.field_inverses[self._fields["lot_id"]]:
            self.env[inverse.model_name].invalidate_model([inverse.name])
        lines.modified(["lot_id"])

    def _serial_fast_split(self):
        """(lines in, lines out) that the fast path handles for sure."""
        lots = self.lot_id
        self.env["stock.quant"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT id, lot_id, product_id, location_id, package_id, owner_id,
                       quantity, reserved_quantity
                  FROM stock_quant
                 WHERE lot_id = ANY(%s)
                   FOR NO KEY UPDATE
                """,
                lots.ids,
            )
        )
        quants_by_lot = defaultdict(list)
        for row in self.env.cr.dictfetchall():
            quants_by_lot[row["lot_id"]].append(row)
        fast_in, fast_out = [], []
        untracked_ok = {}
        Quant = self.env["stock.quant"]
        for ml in self:
            direction = ml._serial_fast_direction()
            quants = quants_by_lot.get(ml.lot_id.id, [])
            if ml.lot_id.product_id != ml.product_id:
                continue
            if direction == "in":
                if quants:
                    continue
                # Odoo would take a negative serial quant at the source from
                # untracked stock there: only when none is available.
                key = (ml.product_id, ml.location_id)
                if key not in untracked_ok:
                    untracked_ok[key] = not Quant._get_available_quantity(
                        ml.product_id, ml.location_id, lot_id=False, strict=True
                    )
                if untracked_ok[key]:
                    fast_in.append(ml.id)
            elif direction == "out":
                here = [
                    q
                    for q in quants
                    if q["location_id"] == ml.location_id.id
                    and not q["package_id"]
                    and not q["owner_id"]
                ]
                there = [
                    q
                    for q in quants
                    if q["location_id"] == ml.location_dest_id.id
                    and not q["package_id"]
                    and not q["owner_id"]
                ]
                if (
                    len(here) == 1
                    and len(there) <= 1
                    and here[0]["product_id"] == ml.product_id.id
                    and here[0]["quantity"] == 1
                    and here[0]["reserved_quantity"] == 1
                    and all(q["product_id"] == ml.product_id.id for q in there)
                ):
                    fast_out.append(ml.id)
        return self.browse(fast_in), self.browse(fast_out)

    # ------------------------------------------------------------------
    # Moving the quants
    # ------------------------------------------------------------------
    def _serial_fast_create_quants(self, vals_list):
        """Create quants as stock.quant.create would one by one outside
        inventory mode (checked by _serial_fast_quant_create_is_plain).

        Quants that differ only by their serial are created once through the
        ORM and copied by SQL for the other serials (fastpath.clone), unless a
        stored field of the quant depends on its serial."""
        from odoo.addons.stock.models.stock_quant import StockQuant

        Quant = self.env["stock.quant"].sudo()
        create = super(StockQuant, Quant).create
        columns = clone_columns(Quant, "lot_id")
        if columns is None:
            return create(vals_list)
        groups = defaultdict(list)
        for vals in vals_list:
            key = tuple(sorted((k, v) for k, v in vals.items() if k != "lot_id"))
            groups[key].append(vals)
        quants = Quant.browse()
        for group in groups.values():
            first = create(group[:1])
            lots = [vals["lot_id"] for vals in group[1:]]
            quants |= first | clone_records(first, "lot_id", lots, columns)
        return quants

    def _serial_fast_done_in(self, now):
        """Odoo, per line: a quant of -1 at the source and +1 at the
        destination, both dated now (the serial had no quant anywhere)."""
        if not self:
            return
        vals_list = []
        for ml in self:
            for location, quantity in (
                (ml.location_id, -1.0),
                (ml.location_dest_id, 1.0),
            ):
                vals_list.append(
                    {
                        "product_id": ml.product_id.id,
                        "location_id": location.id,
                        "lot_id": ml.lot_id.id,
                        "package_id": False,
                        "owner_id": False,
                        "in_date": now,
                        "quantity": quantity,
                    }
                )
        self._serial_fast_create_quants(vals_list)

    def _serial_fast_empty_quants(self, quants):
        """quants.write({"reserved_quantity": 0, "quantity": 0}) in one
        statement: the ORM converts and writes each of thousands of rows
        apart. Then what the ORM's write does: cache dropped, dependents
        recomputed (stock.quant's own write only acts in inventory mode,
        which keeps the ORM's write)."""
        quants.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_quant
                   SET quantity = 0, reserved_quantity = 0,
                       write_uid = %s, write_date = %s
                 WHERE id = ANY(%s)
                """,
                self.env.uid,
                self.env.cr.now(),  # the ORM's write_date: the transaction's
                quants.ids,
            )
        )
        names = ["quantity", "reserved_quantity", "write_uid", "write_date"]
        quants.invalidate_recordset(names)
        quants.modified(names[:2])

    def _serial_fast_done_out(self):
        """Odoo, per line: unreserve and take the unit from its quant at the
        source (left at 0, in date kept), then add it to the destination
        quant of the serial (created, or its quantity raised), dated as the
        source quant."""
        if not self:
            return
        Quant = self.env["stock.quant"].sudo()
        quants = Quant.search(
            [
                ("lot_id", "in", self.lot_id.ids),
                ("package_id", "=", False),
                ("owner_id", "=", False),
                ("location_id", "in", (self.location_id | self.location_dest_id).ids),
            ]
        )
        by_key = {(q.lot_id.id, q.location_id.id): q for q in quants}
        sources = Quant.browse(
            [by_key[(ml.lot_id.id, ml.location_id.id)].id for ml in self]
        )
        in_dates = {q.lot_id.id: q.in_date for q in sources}
        if Quant._is_inventory_mode():
            sources.write({"reserved_quantity": 0, "quantity": 0})
        else:
            self._serial_fast_empty_quants(sources)
        to_create = []
        by_increment = defaultdict(list)
        for ml in self:
            there = by_key.get((ml.lot_id.id, ml.location_dest_id.id))
            in_date = in_dates[ml.lot_id.id]
            if there:
                by_increment[(there.quantity + 1, in_date)].append(there.id)
            else:
                to_create.append(
                    {
                        "product_id": ml.product_id.id,
                        "location_id": ml.location_dest_id.id,
                        "lot_id": ml.lot_id.id,
                        "package_id": False,
                        "owner_id": False,
                        "in_date": in_date,
                        "quantity": 1.0,
                    }
                )
        for (quantity, in_date), ids in by_increment.items():
            Quant.browse(ids).write({"in_date": in_date, "quantity": quantity})
        if to_create:
            self._serial_fast_create_quants(to_create)
