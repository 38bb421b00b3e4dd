import uuid
from collections import Counter, defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, OrderedSet, float_compare, float_is_zero

from ..fastpath import guard
from .procurement_group import PUSH_RULES, push_rule_memo
from .stock_serial_order_line_mixin import TRACING_STATES


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "stock.serial.bulk.mixin"]

    # Progress of serial entry on the line, as the purchase order shows it:
    # serials entered against the units of the move.
    serial_entered_count = fields.Integer(
        compute="_compute_serial_progress",
        help="Serial numbers entered on this move: typed or scanned names, and "
        "picked serials (a reservation by Odoo is not a pick).",
    )
    serial_progress = fields.Char(
        string="Serials Entered", compute="_compute_serial_progress"
    )
    serial_tracing_state = fields.Selection(
        TRACING_STATES, string="Serial Tracing", compute="_compute_serial_progress"
    )

    @api.depends(
        "product_id.tracking",
        "product_uom_qty",
        "move_line_ids.lot_id",
        "move_line_ids.lot_name",
        "move_line_ids.picked",
        "move_line_ids.quantity",
    )
    def _compute_serial_progress(self):
        for move in self:
            if move.product_id.tracking != "serial":
                move.serial_entered_count = 0
                move.serial_progress = False
                move.serial_tracing_state = "none"
                continue
            typed = move._serial_brings_units()
            named = move.move_line_ids.filtered(
                lambda ml: (ml.lot_id or ml.lot_name) and ml.quantity > 0
            )
            if not typed or any(named.mapped("picked")):
                # picked: what the operator entered (a reservation is no pick)
                named = named.filtered("picked")
            else:
                # typed names count; serials announced by the purchase order
                # count once the units are scanned
                named = named.filtered(
                    lambda ml: (
                        not (
                            ml.lot_id.serial_status == "planned"
                            and ml.lot_id.purchase_line_id
                        )
                    )
                )
            entered = len(named)
            required = int(
                round(
                    move.product_uom._compute_quantity(
                        move.product_uom_qty, move.product_id.uom_id, round=False
                    )
                )
            )
            move.serial_entered_count = entered
            move.serial_progress = f"{entered} / {required}"
            if not entered and required:
                move.serial_tracing_state = "missing"
            elif entered < required:
                move.serial_tracing_state = "partial"
            else:
                move.serial_tracing_state = "complete"

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------
    def _serial_from_vendor(self):
        """True for a move bringing units from a vendor: a receipt, or the
        receipt of a subcontracted product, which Odoo moves from the
        subcontractor's location although its units are new to us (the
        subcontracting order builds them while the receipt is validated)."""
        self.ensure_one()
        return self.location_id.usage == "supplier" or self.is_subcontract

    def _serial_brings_units(self):
        """True for a move whose serials come from outside our stock: they
        are typed or scanned as they arrive, not picked where they are."""
        self.ensure_one()
        return (
            self.location_id.usage not in ("internal", "transit") or self.is_subcontract
        )

    def _action_done(self, cancel_backorder=False):
        serial_moves = self.filtered(
            lambda m: (
                m.product_id.tracking == "serial"
                and m.state not in ("done", "cancel")
                and (m.picked or m.is_inventory)
            )
        )
        self._serial_check_chosen_shipped()
        if serial_moves:
            serial_moves._serial_check_before_done()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        lots = moves.move_line_ids.lot_id.filtered(
            lambda lot: lot.product_id.tracking == "serial"
        )
        if lots:
            lots._serial_recompute_status()
        moves._serial_link_purchase_lots()  # serials pre-assigned on the purchase line
        moves._serial_link_sale_lots()
        return moves

    def _serial_lines_to_do(self):
        return self.move_line_ids.filtered(
            lambda ml: (
                (ml.picked or ml.move_id.is_inventory)
                and float_compare(
                    ml.quantity, 0, precision_rounding=ml.product_uom_id.rounding
                )
                > 0
            )
        )

    def _action_confirm(self, merge=True, merge_into=False):
        # a fractional demand of a serial product is refused where it is
        # entered: later it would open the entry wizard for the whole units
        # only and end in a backorder of a fraction of a serial
        self.filtered("picking_id")._serial_check_whole_quantities()
        return super()._action_confirm(merge=merge, merge_into=merge_into)

    def _serial_check_whole_quantities(self):
        """Refuse, naming each line, moves of serial products whose demand or
        quantity is not a whole number of units (in the product's unit).

        Called where quantities are entered: when a transfer is confirmed and
        before the serial entry wizard opens."""
        errors = []
        for move in self.filtered(lambda m: m.product_id.tracking == "serial"):
            if move.state in ("done", "cancel"):
                continue
            for quantity in (move.product_uom_qty, move.quantity):
                units = move.product_uom._compute_quantity(
                    quantity, move.product_id.uom_id, round=False
                )
                if not float_is_zero(units - round(units), precision_digits=6):
                    # formatted outside _(): the term extractor evaluates its
                    # arguments and cannot read an f-string of local names
                    shown = format(units, "g")
                    errors.append(
                        _(
                            "%(ref)s, %(product)s: %(qty)s %(uom)s",
                            ref=move.reference or move.picking_id.name or move.name,
                            product=move.product_id.display_name,
                            qty=shown,
                            uom=move.product_id.uom_id.name,
                        )
                    )
                    break
        if errors:
            raise UserError(
                _(
                    "Products tracked by serial number are counted in whole "
                    "units, one serial each. Correct the quantity of these "
                    "lines:\n%(lines)s",
                    lines="\n".join(f"- {line}" for line in errors),
                )
            )

    def _serial_check_before_done(self):
        """Refuse, naming the serials, what would break the serial rules."""
        lines = self._serial_lines_to_do()
        errors = []
        errors += self._serial_check_quantities(lines)
        errors += self._serial_check_typed_outgoing(lines)
        errors += lines._serial_check_reuse()
        errors += lines._serial_check_return_customer()
        errors += lines._serial_check_source()
        errors += lines._serial_check_hold()
        if errors:
            raise UserError("\n".join(errors))

    def _serial_check_quantities(self, lines):
        errors = []
        lines_by_move = defaultdict(list)
        for ml in lines:
            lines_by_move[ml.move_id.id].append(ml.id)
        for move in self:
            move_lines = lines.browse(lines_by_move[move.id])
            quantity = move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id, round=False
            )
            if not float_is_zero(quantity - round(quantity), precision_digits=6):
                errors.append(
                    _(
                        "%(product)s is tracked by serial number: its quantity must "
                        "be a whole number of units (%(qty)s on %(ref)s).",
                        product=move.product_id.display_name,
                        qty=quantity,
                        ref=move.reference or move.name,
                    )
                )
                continue
            not_one = move_lines.filtered(
                lambda ml: (
                    (ml.lot_id or ml.lot_name)
                    and float_compare(ml.quantity_product_uom, 1, precision_digits=6)
                    != 0
                )
            )
            if not_one:
                errors.append(
                    _(
                        "A serial number stands for exactly one unit: %(names)s",
                        names=", ".join(
                            f"{ml.lot_id.name or ml.lot_name} "
                            f"({ml.quantity_product_uom:g})"
                            for ml in not_one
                        ),
                    )
                )
            counts = Counter(ml.lot_id.name or ml.lot_name for ml in move_lines)
            repeated = sorted(name for name, n in counts.items() if name and n > 1)
            if repeated:
                errors.append(
                    _(
                        "The same serial number is used twice on %(ref)s: %(names)s",
                        ref=move.reference or move.name,
                        names=", ".join(repeated),
                    )
                )
        return errors

    def _serial_check_typed_outgoing(self, lines):
        """Serials typed by name on lines that take stock out (deliveries,
        transfers, consumption) must be existing serials of the line's
        product: name each unknown one or one of another product, instead of
        Odoo's "You need to supply a Lot/Serial Number" for the product."""
        typed = lines.filtered(
            lambda ml: (
                ml.lot_name
                and not ml.lot_id
                and ml.product_id.tracking == "serial"
                and not ml.move_id._serial_brings_units()
                # where Odoo itself finds or creates the serial by its name
                # (operation types that create serials, inventory), it may
                and not (
                    ml.move_id.picking_type_id or ml.picking_type_id
                ).use_create_lots
                and not ml.is_inventory
            )
        )
        if not typed:
            return []
        self.env["stock.lot"].flush_model(["name", "product_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT name, product_id FROM stock_lot
                 WHERE name IN (SELECT unnest(%s::varchar[]))
                   AND (company_id = ANY(%s) OR company_id IS NULL)
                """,
                list(set(typed.mapped("lot_name"))),
                typed.company_id.ids,
            )
        )
        products_by_name = defaultdict(set)
        for name, product_id in self.env.cr.fetchall():
            products_by_name[name].add(product_id)
        others = self.env["product.product"].browse(
            {pid for pids in products_by_name.values() for pid in pids}
        )
        problems = []
        for ml in typed:
            found = products_by_name.get(ml.lot_name, set())
            if ml.product_id.id in found:
                reason = _("exists but is not selected on the line")
            elif found:
                reason = _(
                    "is a serial number of %(products)s",
                    products=", ".join(
                        others.browse(sorted(found)).sudo().mapped("display_name")
                    ),
                )
            else:
                reason = _("is not a known serial number")
            problems.append(
                _(
                    "%(serial)s (%(ref)s, %(product)s) %(reason)s",
                    serial=ml.lot_name,
                    ref=ml.reference or ml.move_id.name,
                    product=ml.product_id.display_name,
                    reason=reason,
                )
            )
        return [
            _("Only serial numbers of the product that are in stock can leave:")
            + "\n"
            + "\n".join(f"- {line}" for line in problems)
        ]

    # ------------------------------------------------------------------
    # Entry wizard
    # ------------------------------------------------------------------
    def action_open_serial_entry(self):
        """Open the serial entry wizard for this move (receipts, deliveries,
        transfers, adjustments, manufacturing moves)."""
        self.ensure_one()
        self._serial_check_whole_quantities()
        return self.env["stock.serial.entry"]._serial_action(
            {"default_move_id": self.id}
        )

    # --- holds: Odoo's reservation looks past held serials ---
    def _update_reserved_quantity(
        self,
        need,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        # Odoo's reservation looks past held serials and past serials a sale
        # line chose for another line (stock.quant gather hooks)
        this = self.with_context(
            serial_skip_held=True,
            serial_sale_line_id=self._serial_sale_line().id or 0,
        )
        return super(StockMove, this)._update_reserved_quantity(
            need,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )

    def _get_available_quantity(
        self,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
        allow_negative=False,
    ):
        line_id = self._serial_sale_line().id if len(self) == 1 else 0
        this = self.with_context(
            serial_skip_held=True, serial_sale_line_id=line_id or 0
        )
        return super(StockMove, this)._get_available_quantity(
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            allow_negative=allow_negative,
        )

    def _action_assign(self, force_qty=False):
        # the serials chosen on a sale line go on its delivery first
        self._serial_reserve_chosen()
        result = super()._action_assign(force_qty=force_qty)
        self._serial_fill_from_purchase()  # serials pre-assigned on the purchase line
        return result

    # --- auto-numbering at validation ---
    def _serial_autonumber_unnamed_lines(self):
        """Receipt lines of products that auto-number their receipts and that
        are validated without a serial take the next names of the product's
        format. Numbers are taken only now, when they are used: marking a
        receipt To Do takes none (a user receiving the vendor's serials would
        otherwise find the list full of numbers, and each one lost). Lines
        left for a backorder are not numbered, nor as many lines as the
        purchase line still has pre-assigned serials to bring in."""
        moves = self.filtered(
            lambda m: (
                m.state not in ("draft", "done", "cancel")
                and m._serial_from_vendor()
                and m.product_id.tracking == "serial"
                and m.product_id._serial_auto_numbers("receipt")
                # with some moves picked, the others go to a backorder
                and (m.picked or not m.picking_id.move_ids.filtered("picked"))
            )
        )
        if not moves:
            return
        reserved = moves._serial_preassigned_pending()
        lines_by_key = defaultdict(lambda: self.env["stock.move.line"])
        for move in moves:
            empty = move.move_line_ids.filtered(
                lambda ml, move=move: (
                    not ml.lot_id
                    and not ml.lot_name
                    and (ml.picked or not move.picked)
                    and float_compare(ml.quantity_product_uom, 1, precision_digits=6)
                    == 0
                )
            )
            skip = min(reserved.get(move.purchase_line_id.id, 0), len(empty))
            if skip:
                reserved[move.purchase_line_id.id] -= skip
            lines_by_key[(move.product_id, move.company_id)] |= empty[skip:]
        for (product, company), lines in lines_by_key.items():
            if not lines:
                continue
            names = product.with_company(company)._serial_next_names(len(lines))
            for line, name in zip(lines, names, strict=True):
                line.lot_name = name

    def _serial_preassigned_pending(self):
        """{purchase line id: serials pre-assigned on it (still planned) that
        none of its receipt lines carries yet}."""
        purchase_lines = self.purchase_line_id
        if not purchase_lines or "serial_lot_ids" not in purchase_lines._fields:
            return {}
        pending = {}
        for purchase_line in purchase_lines:
            move_lines = purchase_line.move_ids.move_line_ids
            used_ids = set(move_lines.lot_id.ids)
            used_names = set(move_lines.mapped("lot_name"))
            pending[purchase_line.id] = len(
                purchase_line.serial_lot_ids.filtered(
                    lambda lot, used_ids=used_ids, used_names=used_names: (
                        lot.serial_status == "planned"
                        and lot.id not in used_ids
                        and lot.name not in used_names
                    )
                )
            )
        return pending

    # --- serials pre-assigned on purchase lines ---
    def _serial_purchase_receipts(self):
        """Moves bringing in the units of a purchase line of a serial product."""
        return self.filtered(
            lambda m: (
                m.purchase_line_id
                and m.product_id.tracking == "serial"
                and m._serial_from_vendor()
                and not m.origin_returned_move_id
            )
        )

    def _serial_fill_from_purchase(self):
        """Put the serials pre-assigned on the purchase lines on the receipt
        lines that have no serial yet, one per unit. Serials already on another
        open move line are skipped, so a backorder gets the remaining ones."""
        moves = self._serial_purchase_receipts().filtered(
            lambda m: m.state not in ("draft", "done", "cancel") and not m.picked
        )
        if not moves:
            return
        lots = self.env["stock.lot"].search(
            [
                ("purchase_line_id", "in", moves.purchase_line_id.ids),
                ("serial_status", "=", "planned"),
            ],
            order="id",
        )
        if not lots:
            return
        busy = (
            self.env["stock.move.line"]
            .search(
                [("lot_id", "in", lots.ids), ("state", "not in", ("done", "cancel"))]
            )
            .lot_id
        )
        free = defaultdict(list)
        for lot in lots - busy:
            free[lot.purchase_line_id.id].append(lot)
        for move in moves:
            todo = free[move.purchase_line_id.id]
            if not todo:
                continue
            empty = move.move_line_ids.filtered(
                lambda ml: (
                    not ml.lot_id
                    and not ml.lot_name
                    and float_compare(ml.quantity_product_uom, 1, precision_digits=6)
                    == 0
                )
            )
            taken = 0
            for move_line, lot in zip(empty, todo, strict=False):
                move_line.write({"lot_id": lot.id, "lot_name": lot.name})
                taken += 1
            del todo[:taken]

    def _serial_link_purchase_lots(self):
        """After a receipt: serials received on a purchase line are linked to
        it, and lines that expect nothing more drop their leftover planned
        serials."""
        receipts = self._serial_purchase_receipts().filtered(
            lambda m: m.state == "done"
        )
        if not receipts:
            return
        for move in receipts:
            lots = move.move_line_ids.lot_id.filtered(
                lambda lot: not lot.purchase_line_id
            )
            if lots:
                lots.write({"purchase_line_id": move.purchase_line_id.id})
        receipts.purchase_line_id._serial_drop_unreceivable()

    def _get_out_move_lines(self):
        """The same lines as stock_account's method, gathered in an
        OrderedSet: its ``res |= move_line`` per line is quadratic (a second
        for a delivery of 5,000 serials)."""
        if not guard.allowed(self, "out_move_lines"):
            return super()._get_out_move_lines()
        line_ids = OrderedSet()
        for move_line in self.move_line_ids:
            if not move_line.picked:
                continue
            if move_line._should_exclude_for_valuation():
                continue
            if (
                move_line.location_id._should_be_valued()
                and not move_line.location_dest_id._should_be_valued()
            ):
                line_ids.add(move_line.id)
        return self.env["stock.move.line"].browse(line_ids)

    def _push_apply(self):
        """Odoo looks up each move's push rule on its own: up to four
        searches per location from the destination up to the root. Moves
        alike (the finished and component moves of a mass production, one
        pair per serial) ask the same question; its answer is kept for this
        call (see procurement.group)."""
        if (
            len(self) < 2
            # inside another _push_apply: its rules serve
            or push_rule_memo(self.env) is not None
            or not guard.allowed(self.env["procurement.group"], "push_rule")
        ):
            return super()._push_apply()
        store = self.env.cr.precommit.data.setdefault(PUSH_RULES, {})
        token = uuid.uuid4().hex
        store[token] = {}
        try:
            new_moves = super(
                StockMove, self.with_context(serial_push_rules=token)
            )._push_apply()
        finally:
            store.pop(token, None)
        # Odoo's new moves (sudo), in the caller's context: without the token
        return new_moves.with_env(self.env(su=new_moves.env.su))

    # ------------------------------------------------------------------
    # Sales: deliveries of sale lines that chose their serials ship exactly
    # those. Reservation of such a move takes the chosen serials first
    # (picked: a user chose them); Odoo's reservation for any other move looks
    # past them (stock.quant gather hooks, context serial_sale_line_id).
    # ------------------------------------------------------------------
    def _serial_sale_line(self):
        """The sale line this move works for: its own, or that of the move it
        feeds (first steps of a multi-step delivery)."""
        self.ensure_one()
        move = self
        for _depth in range(4):
            if move.sale_line_id:
                return move.sale_line_id
            move = move.move_dest_ids[:1]
            if not move:
                break
        return self.env["sale.order.line"]

    def _serial_chosen_lots(self):
        """Serials the move's sale line chose and did not deliver yet."""
        line = self._serial_sale_line()
        if not line or self.product_id.tracking != "serial":
            return self.env["stock.lot"]
        return line.sudo().serial_lot_ids._serial_sale_reserved().sudo(False)

    def _serial_reserve_chosen(self):
        """Put the serials chosen on the sale line on its open moves, picked,
        before Odoo reserves the rest. Odoo's reservation of them for other
        moves is taken over; those moves reserve again afterwards."""
        vals_list = []
        taken_from = self.env["stock.move"]
        for move in self.filtered(
            lambda m: (
                m.state in ("confirmed", "waiting", "partially_available")
                and m.product_id.tracking == "serial"
                and m.location_id.usage == "internal"
            )
        ):
            lots = move._serial_chosen_lots()
            lots -= move.move_line_ids.lot_id
            free = int(move.product_qty - move.quantity + 0.5)
            if not lots or free <= 0:
                continue
            quants = (
                self.env["stock.quant"]
                .sudo()
                .search(
                    [
                        ("lot_id", "in", lots.ids),
                        ("location_id", "child_of", move.location_id.id),
                        ("quantity", ">", 0),
                    ]
                )
            )
            other_lines = (
                self.env["stock.move.line"]
                .sudo()
                .search(
                    [
                        ("lot_id", "in", quants.lot_id.ids),
                        ("state", "not in", ("done", "cancel")),
                        ("move_id", "!=", move.id),
                        ("picked", "=", False),
                    ]
                )
            )
            if other_lines:
                taken_from |= other_lines.move_id
                other_lines.unlink()
            for quant in quants.sorted(lambda q: q.lot_id.name)[:free]:
                vals_list.append(
                    {
                        "move_id": move.id,
                        "picking_id": move.picking_id.id,
                        "product_id": move.product_id.id,
                        "product_uom_id": move.product_id.uom_id.id,
                        "company_id": move.company_id.id,
                        "location_id": quant.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                        "lot_id": quant.lot_id.id,
                        "package_id": quant.package_id.id,
                        "owner_id": quant.owner_id.id,
                        "quantity": 1,
                        "picked": True,
                    }
                )
        if vals_list:
            self.env["stock.move.line"].create(vals_list)
        others = (taken_from - self).filtered(
            lambda m: m.state not in ("draft", "done", "cancel")
        )
        if others:
            others._action_assign()

    def _serial_check_chosen_shipped(self):
        """A delivery ships the serials its sale line chose, and none chosen
        by another line. Raise naming them, before anything is done."""
        problems = []
        for move in self.filtered(
            lambda m: (
                m.state not in ("done", "cancel")
                and m.product_id.tracking == "serial"
                and m.location_id.usage == "internal"
            )
        ):
            shipped = move.move_line_ids.filtered(
                lambda ml: ml.picked and ml.lot_id
            ).lot_id.sudo()
            line = move._serial_sale_line()
            foreign = shipped.filtered(
                lambda lot, line=line: (
                    lot.serial_sale_chosen and lot.sale_line_id != line
                )
            )
            for lot in foreign:
                problems.append(
                    self.env._(
                        "%(serial)s is chosen for %(line)s",
                        serial=lot.name,
                        line=lot.sale_line_id._serial_label(),
                    )
                )
            if not line:
                continue
            chosen = move._serial_chosen_lots().sudo()
            unchosen = shipped - chosen - foreign
            left_out = chosen - shipped
            if unchosen and left_out:
                problems.append(
                    self.env._(
                        "%(line)s chose %(chosen)s, but %(move)s ships "
                        "%(shipped)s instead",
                        line=line._serial_label(),
                        chosen=", ".join(left_out.mapped("name")),
                        move=move.reference or move.product_id.display_name,
                        shipped=", ".join(unchosen.mapped("name")),
                    )
                )
        if problems:
            raise UserError(
                self.env._("These serial numbers cannot be shipped here:")
                + "\n"
                + "\n".join(f"- {problem}" for problem in problems)
            )

    def _serial_link_sale_lots(self):
        """Delivered serials name the sale line they were sold on; a serial a
        customer sends back is no longer sold on it."""
        Lot = self.env["stock.lot"].sudo()
        for move in self.filtered(
            lambda m: m.state == "done" and m.product_id.tracking == "serial"
        ):
            lots = move.move_line_ids.lot_id.sudo()
            if not lots:
                continue
            if move.location_dest_id.usage == "customer" and move.sale_line_id:
                lots.write(
                    {"sale_line_id": move.sale_line_id.id, "serial_sale_chosen": False}
                )
            elif move.location_id.usage == "customer":
                Lot.browse(lots.filtered("sale_line_id").ids).write(
                    {"sale_line_id": False, "serial_sale_chosen": False}
                )
