# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Fast path of stock.move.line._action_done for serial numbers (issue 6).

Odoo moves quants one move line at a time: for each serial it gathers quants,
creates or writes one quant at the source and one at the destination, each
with its own queries. For thousands of serials that is most of the time of a
receipt or a delivery. Here the lines whose outcome is certain are done in a
few set-based steps that leave exactly what Odoo's loop leaves (same quants,
quantities, reservations, in dates, lots); every other line goes through
Odoo's own code, unchanged:

- receipt-like lines (from a vendor, production or inventory location into an
  internal location) of a serial that has no quant anywhere yet;
- delivery-like lines (from an internal location to a customer, vendor,
  production or inventory location) of a serial reserved by this very line on
  its only quant at the source.

Reserving works the same way: when move lines are created in a batch (Odoo's
reservation of a move, the entry wizard), the serial reserved on its only
plain quant holding stock is reserved for all lines in one write; the lines
themselves, alike but for their serial, are copies of the first one's row
(fast_clone), as are the new quants of a validation.

Only when no other installed module overrides the methods replaced for these
lines (checked on the class hierarchy), so that nobody's code is skipped.

Packages, owners (consignment), lot-tracked or untracked products, products
valued by lot, units other than the product's, quantities other than one,
inventory adjustments, chained moves (multi-step routes) and scrap locations
are never taken: Odoo's loop handles them.
"""

from collections import Counter, defaultdict

from odoo import api, fields, models
from odoo.tools import float_compare

from .fast_clone import clone_columns, clone_records, only_known_modules, read_rows
from .stock_lot_fast import MODULE, check_company_batched

FAST_IN_SOURCES = ("supplier", "production", "inventory")
FAST_OUT_DESTINATIONS = ("customer", "supplier", "production", "inventory")


class _Pending:
    """Reservations collected while move lines are created. Compared by
    identity: Odoo reuses an environment whose context is *equal*, so an
    (equal) empty list from another call could stand in for this one."""

    __slots__ = ("items",)

    def __init__(self):
        self.items = []


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _check_company(self, fnames=None):
        # issue 6: thousands of serial lines are checked per (field, company)
        if check_company_batched(self, fnames):
            return None
        return super()._check_company(fnames)

    @api.model_create_multi
    def create(self, vals_list):
        """Reserve the serials of new lines in one batch (see StockQuant)."""
        if (
            len(vals_list) < 2
            or self.env.context.get("serial_no_fast_path")
            or "serial_fast_reserve" in self.env.context
            or not all(vals.get("move_id") for vals in vals_list)
            or any(vals.get("state") == "done" for vals in vals_list)
        ):
            return super().create(vals_list)
        pending = _Pending()
        this = self.with_context(serial_fast_reserve=pending)
        groups = self._serial_fast_clone_groups(vals_list)
        if groups is None:
            lines = super(StockMoveLine, this).create(vals_list)
        else:
            lines = this._serial_fast_create_cloned(vals_list, groups, pending)
        if pending.items:
            self.env["stock.quant"]._serial_fast_reserve(pending.items)
        return lines.with_env(self.env)

    def _serial_fast_clone_groups(self, vals_list):
        """Indexes of ``vals_list`` grouped by values alike but for the
        serial, when new lines may be copies of the first of their group
        (fast_clone): lines of one unit of a serial, not done, of moves
        without analytic accounting, when only modules this fast path knows
        create move lines. Else None."""
        if len(vals_list) < 2 or not self._serial_fast_line_create_is_plain():
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

    def _serial_fast_create_cloned(self, vals_list, groups, pending):
        """create(vals_list) where each group's first line is created by the
        ORM and the others are copies of it with their own serial; what
        stock's create does for each new line that is not done (reserve its
        serial, recompute its move's state) is done for the copies too."""
        columns = clone_columns(self, "lot_id")
        if columns is None:
            return super().create(vals_list)
        ids = [None] * len(vals_list)
        moves = self.env["stock.move"]
        for indexes in groups:
            first_vals = vals_list[indexes[0]]
            reserved_before = len(pending.items)
            first = super().create([first_vals])
            ids[indexes[0]] = first.id
            rest = indexes[1:]
            if not rest:
                continue
            reserved = pending.items[reserved_before:]
            if first.state == "done" or (
                first.quantity_product_uom
                and not first.move_id._should_bypass_reservation()
                and reserved != [(first.product_id, first.location_id, first.lot_id)]
            ):
                # reserved another way than the batch: Odoo's code per line
                others = super().create([vals_list[i] for i in rest])
            else:
                lots = [vals_list[i]["lot_id"] for i in rest]
                others = clone_records(first, "lot_id", lots, columns)
                if reserved:
                    Lot = self.env["stock.lot"]
                    pending.items.extend(
                        (first.product_id, first.location_id, Lot.browse(lot))
                        for lot in lots
                    )
                    moves |= first.move_id
            for index, line_id in zip(rest, others.ids, strict=True):
                ids[index] = line_id
        moves._recompute_state()
        return self.browse(ids)

    def _serial_fast_line_create_is_plain(self):
        """True when only base, stock, stock_account, mrp (their create acts
        on done lines or on analytic accounting, both excluded) and this
        add-on create move lines."""
        return only_known_modules(
            self, ("create", "_create"), {"stock", "stock_account", "mrp", MODULE}
        )

    def _action_done(self):
        candidates = self._serial_fast_candidates()
        if not candidates:
            return super()._action_done()
        candidates._serial_fast_assign_lots()
        fast_in, fast_out = candidates._serial_fast_split()
        fast = fast_in | fast_out
        rest = self - fast
        result = super(StockMoveLine, rest)._action_done() if rest else None
        if fast:
            fast._check_company()
            now = fields.Datetime.now()
            fast_in._serial_fast_done_in(now)
            fast_out._serial_fast_done_out()
            fast.write({"date": now})
        return result

    # ------------------------------------------------------------------
    # Which lines
    # ------------------------------------------------------------------
    def _serial_fast_candidates(self):
        """Lines that may take the fast path, judged on their own fields.

        The line's own values are read in one query; what depends on its
        move, product, unit and locations is judged once per combination."""
        if self.env.context.get("serial_no_fast_path") or len(self) < 2:
            return self.browse()
        if not (
            self._serial_fast_quant_create_is_plain()
            and self._serial_fast_action_done_is_plain()
        ):
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
        return None

    def _serial_fast_quant_create_is_plain(self):
        """True when no installed module overrides stock.quant's create or
        write beyond stock itself: then quants may be created in one batch."""
        from odoo.addons.stock.models.stock_quant import StockQuant

        for cls in type(self.env["stock.quant"]).__mro__:
            if cls is StockQuant:
                return True
            if "create" in vars(cls) or "write" in vars(cls):
                return False
        return False

    def _serial_fast_action_done_is_plain(self):
        """True when, below this class, only this add-on, stock_account
        (its check on products valued by lot is kept: those never take the
        fast path) and stock define _action_done: another module's override
        would be skipped for the lines done here."""
        from odoo.addons.stock.models.stock_move_line import (
            StockMoveLine as StockStockMoveLine,
        )

        mro = type(self).__mro__
        for cls in mro[mro.index(StockMoveLine) + 1 :]:
            if cls is StockStockMoveLine:
                return True
            if "_action_done" in vars(cls) and cls.__module__ not in (
                "odoo.addons.stock_serial_tracking.models.stock_move_line",
                "odoo.addons.stock_account.models.stock_move_line",
            ):
                return False
        return False

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
            lambda ml: ml.move_id._should_bypass_reservation(ml.location_id)
        )
        if len(bypass) != len(lines):
            for ml, lot in zip(lines, lots, strict=True):
                ml.lot_id = lot
            return
        lines.flush_recordset()
        self.env.cr.execute(
            """
            UPDATE stock_move_line ml
               SET lot_id = v.lot_id, write_uid = %s, write_date = %s
              FROM unnest(%s::int[], %s::int[]) AS v(id, lot_id)
             WHERE ml.id = v.id
            """,
            [self.env.uid, fields.Datetime.now(), lines.ids, lots.ids],
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
            """
            SELECT id, lot_id, product_id, location_id, package_id, owner_id,
                   quantity, reserved_quantity
              FROM stock_quant
             WHERE lot_id = ANY(%s)
               FOR NO KEY UPDATE
            """,
            [lots.ids],
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
        ORM and copied by SQL for the other serials (fast_clone), unless a
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
        sources.write({"reserved_quantity": 0, "quantity": 0})
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


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _update_reserved_quantity(
        self,
        product_id,
        location_id,
        quantity,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        """While serial move lines are created in a batch (context key
        serial_fast_reserve), reserving one serial on its plain quant is
        collected and done for all lines at once by _serial_fast_reserve."""
        pending = self.env.context.get("serial_fast_reserve")
        if (
            pending is not None
            and not self
            and self._serial_fast_reserve_is_plain()
            and strict
            and lot_id
            and not package_id
            and not owner_id
            and product_id.tracking == "serial"
            and float_compare(
                quantity, 1, precision_rounding=product_id.uom_id.rounding
            )
            == 0
        ):
            pending.items.append((product_id, location_id, lot_id))
            return None
        return super()._update_reserved_quantity(
            product_id,
            location_id,
            quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    @api.model
    def _serial_fast_reserve_is_plain(self):
        """True when only stock defines _update_reserved_quantity below this
        class (another module's override must see every call)."""
        from odoo.addons.stock.models.stock_quant import StockQuant as StockStockQuant

        mro = type(self).__mro__
        for cls in mro[mro.index(StockQuant) + 1 :]:
            if cls is StockStockQuant:
                return True
            if "_update_reserved_quantity" in vars(cls):
                return False
        return False

    @api.model
    def _serial_fast_reserve(self, pending):
        """Reserve one unit of each (product, location, serial): Odoo writes
        reserved_quantity + 1 (and the same in date) on the serial's only
        plain quant there when it holds stock; anything else is done by
        Odoo's own method, one by one."""
        self = self.with_context(serial_fast_reserve=None).sudo()
        keys = Counter((loc.id, lot.id) for _product, loc, lot in pending)
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT id, product_id, location_id, lot_id, quantity, reserved_quantity
              FROM stock_quant
             WHERE lot_id = ANY(%s) AND package_id IS NULL AND owner_id IS NULL
               FOR NO KEY UPDATE
            """,
            [list({lot.id for _product, _loc, lot in pending})],
        )
        quants = defaultdict(list)
        for row in self.env.cr.dictfetchall():
            quants[(row["location_id"], row["lot_id"])].append(row)
        by_reserved = defaultdict(list)
        slow = []
        for product, location, lot in pending:
            found = quants.get((location.id, lot.id), [])
            if (
                keys[(location.id, lot.id)] == 1
                and len(found) == 1
                and found[0]["product_id"] == product.id
                and found[0]["quantity"] > 0
            ):
                quant = found[0]
                by_reserved[max(0, quant["reserved_quantity"] + 1)].append(quant["id"])
            else:
                slow.append((product, location, lot))
        for reserved, ids in by_reserved.items():
            self.browse(ids).write({"reserved_quantity": reserved})
        for product, location, lot in slow:
            self._update_reserved_quantity(product, location, 1, lot_id=lot)
