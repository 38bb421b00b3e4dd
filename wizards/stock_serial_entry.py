import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from ..errors import raise_user_error
from ..fastpath import guard, read_rows, write_values
from ..lib import names as name_rules
from ..lib import parsing, ranges
from ..lib.errors import SerialInputError
from ..models.stock_lot import GONE_STATUSES, SERIAL_STATUSES

SUMMARY_LIMIT = 200

# Fields a kept line must already have, as the entry wizard would create it.
KEPT_FIELDS = (
    "move_id",
    "picking_id",
    "product_id",
    "product_uom_id",
    "company_id",
    "location_id",
    "location_dest_id",
    "lot_id",
    "package_id",
    "owner_id",
)


class StockSerialEntry(models.TransientModel):
    _name = "stock.serial.entry"
    _inherit = ["stock.serial.input.mixin"]
    _description = "Serial Number Entry"

    target = fields.Selection(
        [
            ("move", "Stock Move"),
            ("purchase_line", "Purchase Order Line"),
            ("initial", "Initial Stock"),
            ("inventory", "Inventory Adjustment"),
        ],
        required=True,
        default="move",
    )
    mode = fields.Selection(
        [("add", "Add Serials"), ("remove", "Pick Serials")],
        required=True,
        default="add",
    )
    move_id = fields.Many2one("stock.move", readonly=True)
    purchase_line_id = fields.Many2one("purchase.order.line", readonly=True)
    product_id = fields.Many2one(
        "product.product",
        required=True,
        domain="[('tracking', '=', 'serial')]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    location_id = fields.Many2one(
        "stock.location",
        domain="[('usage', '=', 'internal')]",
        help="Where the serials are (picking) or arrive (adding stock).",
    )
    input_method = fields.Selection(
        [
            ("paste", "Paste"),
            ("upload", "Upload File"),
            ("range", "Range"),
            ("auto", "Auto-number"),
        ],
        default="paste",
        required=True,
    )
    serial_text = fields.Text(
        string="Serial Numbers",
        help="Paste serial numbers separated by new lines, tabs or semicolons "
        "(or commas when on a single line), e.g. a spreadsheet column.",
    )
    upload_note = fields.Char(
        readonly=True, help="Which column of the last file the serials came from."
    )
    range_prefix = fields.Char(string="Prefix")
    range_start = fields.Integer(string="First Number", default=1)
    range_count = fields.Integer(string="Count")
    range_end = fields.Integer(string="Last Number")
    range_padding = fields.Integer(string="Digits", default=4)
    range_suffix = fields.Char(string="Suffix")
    range_preview = fields.Char(string="Preview", compute="_compute_range_preview")
    autofill_note = fields.Char(
        readonly=True,
        help="Said when the wizard opens on the auto-number tab of a product "
        "that numbers its receipts: what Apply takes, and how to enter the "
        "vendor's serials instead.",
    )
    split_notice = fields.Char(
        compute="_compute_split_notice",
        help="Said before applying: several finished serials split the "
        "manufacturing order into one order per serial.",
    )
    auto_count = fields.Integer(string="How Many")
    auto_preview = fields.Char(string="Next Numbers", compute="_compute_auto_preview")
    auto_names = fields.Text(
        help="Technical: the names in the list that are a preview of the "
        "numbering format. Their numbers are taken only when the wizard is "
        "applied, so that names removed or replaced before cost no number.",
    )
    serial_names = fields.Text(
        help="Technical: the accepted serial numbers, one per line."
    )
    required_count = fields.Integer(readonly=True)
    count_is_maximum = fields.Boolean(
        readonly=True,
        help="Technical: fewer serials than required may be applied.",
    )
    entered_count = fields.Integer(compute="_compute_entered_count")
    counter_text = fields.Char(compute="_compute_entered_count")
    summary = fields.Text(compute="_compute_summary")
    show_all = fields.Boolean()
    report = fields.Text(
        readonly=True, help="What the last addition removed or refused."
    )
    remove_name = fields.Char(string="Remove")
    lot_ids = fields.Many2many("stock.lot", string="Serials")
    lot_search = fields.Char(string="Search")

    # ------------------------------------------------------------------
    # Text PostgreSQL cannot store is refused before the wizard is saved
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._serial_check_storable(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._serial_check_storable(vals)
        return super().write(vals)

    @api.model
    def _serial_check_storable(self, vals):
        for field in ("serial_text", "scan_input", "lot_search", "remove_name"):
            bad = name_rules.unstorable_lines(vals.get(field) or "")
            if bad:
                raise ValidationError(
                    _(
                        "The serial numbers entered hold a character that cannot "
                        "be stored (%(char)s), on line %(lines)s. Remove it and "
                        "enter them again.",
                        char=name_rules.char_name(bad[0][1]),
                        lines=", ".join(str(number) for number, _char in bad[:20]),
                    )
                )

    # ------------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------------
    def _serial_action(self, context):
        """The wizard's window action; its context is all the wizard needs."""
        return self.env["stock.serial.entry"]._get_records_action(
            name=_("Serial Numbers"), target="new", view_mode="form", context=context
        )

    @api.model
    def _serial_action_for_initial_stock(self, product):
        return self._serial_action(
            {
                "default_target": "initial",
                "default_mode": "add",
                "default_product_id": product.id,
            }
        )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if values.get("move_id"):
            values.update(self._serial_defaults_for_move(values["move_id"]))
        if values.get("purchase_line_id"):
            line = self.env["purchase.order.line"].browse(values["purchase_line_id"])
            values.update(
                product_id=line.product_id.id,
                company_id=line.company_id.id,
                mode="add",
                target="purchase_line",
                count_is_maximum=True,
                required_count=int(
                    line.product_uom._compute_quantity(
                        line.product_qty, line.product_id.uom_id
                    )
                ),
                serial_names="\n".join(line.serial_lot_ids.mapped("name")),
            )
            values["auto_count"] = max(
                values["required_count"] - len(line.serial_lot_ids), 0
            )
        if values.get("target") == "initial" and values.get("product_id"):
            values.setdefault("location_id", self._serial_default_location().id)
        if values.get("target") in ("initial", "inventory"):
            values.setdefault("location_id", self._serial_default_location().id)
        return values

    def _serial_default_location(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        return warehouse.lot_stock_id

    @api.model
    def _serial_defaults_for_move(self, move_id):
        move = self.env["stock.move"].browse(move_id)
        if move.product_id.tracking != "serial":
            raise UserError(
                _(
                    "%(product)s is not tracked by serial number.",
                    product=move.product_id.display_name,
                )
            )
        if move.state in ("done", "cancel"):
            raise UserError(_("This move is already done or cancelled."))
        required = move.product_uom._compute_quantity(
            move.product_uom_qty, move.product_id.uom_id
        )
        mode = "add" if move._serial_brings_units() else "remove"
        values = {
            "target": "move",
            "mode": mode,
            "product_id": move.product_id.id,
            "company_id": move.company_id.id,
            "location_id": move.location_id.id
            if mode == "remove"
            else move.location_dest_id.id,
            "required_count": int(round(required)),
        }
        lines = move.move_line_ids
        if mode == "add":
            # A line may carry both (serials pre-assigned on a purchase line).
            values["serial_names"] = "\n".join(
                name for name in (ml.lot_id.name or ml.lot_name for ml in lines) if name
            )
            # the auto-number tab starts at what is still to enter
            values["auto_count"] = max(
                values["required_count"] - len(values["serial_names"].split()), 0
            )
            if (
                move._serial_from_vendor()
                and move.product_id._serial_auto_numbers("receipt")
                and not values["serial_names"]
            ):
                values["input_method"] = "auto"
                values["autofill_note"] = self._serial_autofill_note(
                    move, values["auto_count"]
                )
        else:
            # What Odoo reserved is not what the operator picks: the list starts
            # from the serials picked before (a reopened wizard), never from the
            # reservation, so that nothing is shipped that was not entered.
            values["lot_ids"] = [(6, 0, lines.filtered("picked").lot_id.ids)]
        if move.production_id:
            # MO finished product: start from the serial the MO already has
            # (lot_producing_id).
            values.update(move.production_id._serial_entry_defaults(move, values))
        return values

    # ------------------------------------------------------------------
    # Range tab: count and last number follow each other, with a preview
    # ------------------------------------------------------------------
    @api.onchange("range_count", "range_start")
    def _onchange_range_count(self):
        if self.range_count > 0:
            self.range_end = self.range_start + self.range_count - 1

    @api.onchange("range_end")
    def _onchange_range_end(self):
        if self.range_end >= self.range_start and self.range_end:
            self.range_count = self.range_end - self.range_start + 1

    @api.depends(
        "range_prefix",
        "range_start",
        "range_count",
        "range_end",
        "range_padding",
        "range_suffix",
    )
    def _compute_range_preview(self):
        for wizard in self:
            wizard.range_preview = False
            count = wizard.range_count or (
                wizard.range_end - wizard.range_start + 1 if wizard.range_end else 0
            )
            padding = wizard.range_padding
            if count < 1 or wizard.range_start < 0 or not 0 <= padding <= 20:
                continue
            first, last = (
                "{}{}{}".format(
                    wizard.range_prefix or "",
                    str(number).zfill(padding),
                    wizard.range_suffix or "",
                )
                for number in (wizard.range_start, wizard.range_start + count - 1)
            )
            wizard.range_preview = _(
                "%(first)s … %(last)s (%(count)s serial numbers)",
                first=first,
                last=last,
                count=count,
            )

    @api.depends("move_id", "mode", "entered_count", "required_count")
    def _compute_split_notice(self):
        for wizard in self:
            production = wizard.move_id.production_id
            count = wizard.entered_count if wizard.entered_count > 1 else 0
            count = count or wizard.required_count
            if (
                wizard.mode != "add"
                or not production
                or wizard.move_id.product_id != production.product_id
                or count <= 1
            ):
                wizard.split_notice = False
                continue
            wizard.split_notice = _(
                "Applying %(count)s serial numbers splits %(mo)s into %(count)s "
                "manufacturing orders, one per serial (%(mo)s-001, %(mo)s-002, …), "
                "as Odoo's mass production does.",
                count=count,
                mo=production.name,
            )

    @api.model
    def _serial_autofill_note(self, move, count):
        """Say plainly that the list starts empty on the auto-number tab of a
        product that numbers its receipts: nothing is taken until Apply (or
        validation), and a user receiving the vendor's serials enters those."""
        if not count:
            return False
        return _(
            "%(product)s numbers its serials automatically: Apply (or validating "
            "the receipt without serials) takes the next %(count)s numbers of its "
            "format. Receiving the vendor's serials? Choose Paste and scan or "
            "paste them instead.",
            product=move.product_id.display_name,
            count=count,
        )

    # ------------------------------------------------------------------
    # Counters and summary
    # ------------------------------------------------------------------
    def _names(self):
        return [name for name in (self.serial_names or "").split("\n") if name]

    @api.depends("serial_names", "lot_ids", "mode", "required_count")
    def _compute_entered_count(self):
        for wizard in self:
            entered = (
                len(wizard.lot_ids) if wizard.mode == "remove" else len(wizard._names())
            )
            wizard.entered_count = entered
            if wizard.required_count or wizard.target in ("move", "purchase_line"):
                wizard.counter_text = f"{entered} / {wizard.required_count}"
            else:
                wizard.counter_text = str(entered)

    @api.depends("serial_names", "show_all")
    def _compute_summary(self):
        for wizard in self:
            names = wizard._names()
            if wizard.show_all:
                wizard.summary = "\n".join(names)
                continue
            groups = ranges.format_groups(ranges.collapse(names))
            hidden = len(groups) - SUMMARY_LIMIT
            lines = groups[:SUMMARY_LIMIT]
            if hidden > 0:
                lines.append(_("… and %(count)s more groups", count=hidden))
            wizard.summary = "\n".join(lines)

    # ------------------------------------------------------------------
    # Add mode
    # ------------------------------------------------------------------
    def _serial_read_input(self):
        """Names from the chosen input method, as typed (not yet checked)."""
        self.ensure_one()
        method = self.entry_method
        if self.serial_text and method not in ("upload", "range"):
            # text given (typed, pasted, or by code) is what was entered
            method = "paste"
        try:
            if method == "paste":
                return parsing.split_pasted(self.serial_text or "")
            if method == "upload":
                if not self.upload_file:
                    raise UserError(_("Choose a file to upload."))
                data = base64.b64decode(self.upload_file)
                details = parsing.read_serial_file_details(
                    self.upload_filename or "", data
                )
                # say where the names came from: a wrong column is seen at once
                self.upload_note = details.describe()
                return details.names
            if method == "range":
                return ranges.expand_range(
                    prefix=self.range_prefix or "",
                    start=self.range_start,
                    # the last number follows the count on screen: the count rules
                    count=self.range_count or None,
                    end=None if self.range_count else (self.range_end or None),
                    padding=self.range_padding,
                    suffix=self.range_suffix or "",
                )
        except SerialInputError as exc:
            raise_user_error(self.env, exc)
        if method == "auto":
            count = self.auto_count or max(self.required_count - len(self._names()), 0)
            if count <= 0:
                raise UserError(_("Say how many serial numbers to generate."))
            if not self.product_id.serial_format:
                raise UserError(
                    _(
                        "Product %(product)s has no serial format.",
                        product=self.product_id.display_name,
                    )
                )
            return self._serial_auto_preview_names(count)
        return []

    def _serial_auto_preview_names(self, count):
        """The next ``count`` names of the format after those already
        previewed in the list, without taking their numbers."""
        previewed = set((self.auto_names or "").split("\n")) & set(self._names())
        product = self.product_id.with_company(self.company_id)
        names = product._serial_generate(len(previewed) + count, consume=False)
        fresh = [name for name in names if name not in previewed][:count]
        self.auto_names = "\n".join(sorted(previewed) + fresh)
        return fresh

    def _serial_take_auto_numbers(self):
        """Replace the previewed names still in the list by names whose
        numbers are taken now: the same names unless another user took those
        numbers meanwhile (numbers are never handed out twice)."""
        previewed = set((self.auto_names or "").split("\n"))
        names = self._names()
        previews = [name for name in names if name in previewed]
        if not previews:
            return
        product = self.product_id.with_company(self.company_id)
        taken = dict(
            zip(previews, product._serial_next_names(len(previews)), strict=True)
        )
        self.write(
            {
                "serial_names": "\n".join(taken.get(name, name) for name in names),
                "auto_names": False,
            }
        )

    @api.depends("auto_count", "product_id", "input_method", "mode")
    def _compute_auto_preview(self):
        for wizard in self:
            wizard.auto_preview = False
            count = wizard.auto_count
            if (
                wizard.mode != "add"
                or wizard.input_method != "auto"
                or not wizard.product_id.serial_format
                or not 0 < count <= 100000
            ):
                continue
            product = wizard.product_id.with_company(wizard.company_id)
            try:
                names = product._serial_generate(count, consume=False)
            except UserError as exc:
                wizard.auto_preview = str(exc)
                continue
            wizard.auto_preview = _(
                "%(first)s … %(last)s (%(count)s serial numbers): the numbers are "
                "taken when you apply",
                first=names[0],
                last=names[-1],
                count=count,
            )

    def _serial_check_names(self, names):
        """Return {name: reason} for names that cannot be added here."""
        self.ensure_one()
        Lot = self.env["stock.lot"]
        invalid = Lot._serial_invalid_names(self.company_id, names)
        valid = [name for name in names if name not in invalid]
        if valid:
            invalid.update(self._serial_check_database(valid))
        return invalid

    def _serial_check_database(self, names):
        """Reasons why existing serials with these names cannot be used."""
        self.env["stock.lot"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id, l.name, l.product_id, l.serial_status,
                       l.purchase_line_id,
                       EXISTS(SELECT 1 FROM stock_quant q
                                JOIN stock_location ql ON ql.id = q.location_id
                               WHERE q.lot_id = l.id AND q.quantity > 0
                                 AND ql.usage IN ('internal', 'transit'))
                  FROM stock_lot l
                 -- IN (SELECT unnest(...)): with a long array, "= ANY(array)"
                 -- makes the planner scan the trigram index (seconds for 100,000)
                 WHERE l.name IN (SELECT unnest(%s::varchar[]))
                   AND (l.company_id = %s OR l.company_id IS NULL)
                """,
                list(names),
                self.company_id.id,
            )
        )
        rows = self.env.cr.fetchall()
        statuses = dict(SERIAL_STATUSES)
        scope_company = self.company_id.serial_unique_scope == "company"
        is_return = bool(self.move_id.origin_returned_move_id)
        from_customer = self.move_id.location_id.usage == "customer"
        reasons = {}
        products = self.env["product.product"].browse({row[2] for row in rows})
        product_names = {product.id: product.display_name for product in products}
        for _lot_id, name, product_id, status, po_line_id, on_hand in rows:
            if product_id != self.product_id.id:
                if scope_company:
                    reasons[name] = _(
                        "is already used by product %(product)s",
                        product=product_names[product_id],
                    )
                continue
            if self.target == "purchase_line":
                if status != "planned" or on_hand:
                    reasons[name] = _(
                        "already exists (%(status)s)", status=statuses.get(status, "")
                    )
                elif po_line_id and po_line_id != self.purchase_line_id.id:
                    reasons[name] = _("is already assigned to another purchase line")
                continue
            if on_hand:
                reasons[name] = _("is already in stock")
            elif status in GONE_STATUSES and not (
                is_return or (from_customer and status == "shipped")
            ):
                reasons[name] = _(
                    "has left the company (%(status)s) and can only come back "
                    "through a return",
                    status=statuses[status],
                )
        return reasons

    def action_add(self):
        """Add the names of the chosen input to the list; report what was
        removed as duplicate or refused as invalid."""
        self.ensure_one()
        names = self._serial_read_input()
        if not names:
            raise UserError(_("There is no serial number to add."))
        self._serial_enter(names, strict=False)
        return self._serial_reopen()

    def _serial_add_names(self, names):
        """Add unique, not yet checked names to the list. Return the accepted
        names, those already listed, and ``{name: reason}`` of the refused ones;
        the caller reports them (``_serial_enter``)."""
        current = self._names()
        known = set(current)
        already = [name for name in names if name in known]
        fresh = [name for name in names if name not in known]
        invalid = self._serial_check_names(fresh)
        accepted = [name for name in fresh if name not in invalid]
        self.write(
            {
                "serial_names": "\n".join(current + accepted),
                "serial_text": False,
                "upload_file": False,
                "upload_filename": False,
            }
        )
        return accepted, already, invalid

    def action_clear(self):
        self.ensure_one()
        self.write(
            {
                "serial_names": False,
                "scanned_names": False,
                "lot_ids": [(5, 0, 0)],
                "report": False,
            }
        )
        return self._serial_reopen()

    def action_remove_one(self):
        self.ensure_one()
        name = (self.remove_name or "").strip()
        names = self._names()
        if name not in names:
            raise UserError(_("%(name)s is not in the list.", name=name))
        names.remove(name)
        scanned = [n for n in (self.scanned_names or "").split("\n") if n and n != name]
        self.write(
            {
                "serial_names": "\n".join(names),
                "scanned_names": "\n".join(scanned),
                "remove_name": False,
            }
        )
        return self._serial_reopen()

    def action_toggle_show_all(self):
        self.ensure_one()
        self.show_all = not self.show_all
        return self._serial_reopen()

    def _serial_reopen(self, name=None, target="new"):
        return super()._serial_reopen(name=name or _("Serial Numbers"), target=target)

    # ------------------------------------------------------------------
    # Remove mode
    # ------------------------------------------------------------------
    def _serial_on_hand_domain(self):
        self.ensure_one()
        domain = [
            ("product_id", "=", self.product_id.id),
            (
                "quant_ids",
                "any",
                [
                    ("location_id", "child_of", self.location_id.id),
                    ("quantity", ">", 0),
                ],
            ),
            # what Apply would refuse is not offered: held serials, and those
            # another document picked already
            ("serial_on_hold", "=", False),
            (
                "id",
                "not in",
                self.env["stock.move.line"]
                ._search(
                    [
                        ("product_id", "=", self.product_id.id),
                        ("lot_id", "!=", False),
                        ("picked", "=", True),
                        ("state", "not in", ("done", "cancel")),
                        ("move_id", "!=", self.move_id.id),
                    ]
                )
                .subselect("lot_id"),
            ),
        ]
        search = (self.lot_search or "").strip()
        if "*" in search:
            # SN-10* finds SN-100 to SN-109..., like a shell pattern
            pattern = search.replace("\\", "\\\\").replace("%", "\\%")
            pattern = pattern.replace("_", "\\_").replace("*", "%")
            domain.append(("name", "=like", pattern))
        elif search:
            # whole serials only: "Select All" after searching SN-10 must not
            # take SN-100 to SN-109 as well
            domain.append(("name", "=", search))
        return domain

    def action_select_all(self):
        self.ensure_one()
        lots = self.env["stock.lot"].search(self._serial_on_hand_domain())
        self.lot_ids = [(4, lot_id) for lot_id in lots.ids]
        return self._serial_reopen()

    def action_auto_select(self):
        """Select serials up to the required count, oldest received first."""
        self.ensure_one()
        missing = self.required_count - len(self.lot_ids)
        if missing > 0:
            domain = self._serial_on_hand_domain() + [
                ("id", "not in", self.lot_ids.ids)
            ]
            lots = self.env["stock.lot"].search(domain)
            oldest = lots.sorted(
                key=lambda lot: (lot.received_date or fields.Datetime.now(), lot.id)
            )[:missing]
            self.lot_ids = [(4, lot_id) for lot_id in oldest.ids]
        return self._serial_reopen()

    def action_search(self):
        return self._serial_reopen()

    # ------------------------------------------------------------------
    # Apply
    # ------------------------------------------------------------------
    def action_apply(self):
        """Check the serials and write them on the document.

        Pending input (pasted text, file, range) is added first; the call is
        refused, writing nothing, unless every serial is valid and their
        number matches the required quantity.
        """
        self.ensure_one()
        checked = []
        if self._serial_has_pending_input():
            checked, _refused = self._serial_enter(
                self._serial_read_input(), strict=True
            )
        self._serial_take_auto_numbers()
        self._serial_settle_expected()
        self._serial_check_count()
        if self.mode == "remove":
            # serials listed earlier may have moved or been taken since, and
            # one added to the list by hand may be any serial: each is checked
            # (by id: another product's serial of the same name is no match)
            checked = set(checked)
            earlier = self.lot_ids.filtered(lambda lot: lot.name not in checked)
            lots, refused = self._serial_pick_lookup(earlier.mapped("name"))
            for lot in earlier:
                if lot.name not in refused and lots.get(lot.name) != lot:
                    refused[lot.name] = _(
                        "is not a serial of %(product)s on hand here",
                        product=self.product_id.display_name,
                    )
            if refused:
                self._serial_raise_refused([], refused)
        if self.mode == "add":
            names = self._names()
            invalid = self._serial_check_names(names)
            if invalid:
                raise ValidationError(
                    _("Invalid serial numbers:")
                    + "\n"
                    + "\n".join(
                        f"- {name}: {reason}"
                        for name, reason in list(invalid.items())[:200]
                    )
                )
        result = self._serial_apply_methods()[self.target]()
        return result or {"type": "ir.actions.act_window_close"}

    def _serial_apply_methods(self):
        """What Apply does for each target: ``{target: method}``. A module
        that adds a target to the selection adds its method here."""
        return {
            "move": self._serial_apply_move,
            "purchase_line": self._serial_apply_purchase_line,
            "initial": self._serial_apply_initial,
            "inventory": self._serial_apply_inventory,
        }

    def _serial_check_count(self):
        entered, required = self.entered_count, self.required_count
        if self.target == "move" or (self.target == "initial" and required):
            fewer_allowed = self.count_is_maximum or self._serial_verifying()
            ok = entered <= required if fewer_allowed else entered == required
        elif self.target == "purchase_line":
            ok = entered <= required
        else:
            ok = entered > 0
        if self.target == "initial" and entered == 0:
            ok = False
        if not ok:
            if self.target == "purchase_line":
                raise ValidationError(
                    _(
                        "%(entered)s serial numbers for a line of %(required)s units: "
                        "enter at most %(required)s.",
                        entered=entered,
                        required=required,
                    )
                )
            raise ValidationError(
                _(
                    "%(entered)s serial numbers entered, %(required)s required.",
                    entered=entered,
                    required=required,
                )
            )

    def _serial_lots_for_names(self, names, create):
        """Existing lots of the product by name; create the missing ones."""
        Lot = self.env["stock.lot"]
        existing = Lot.search(
            [
                ("product_id", "=", self.product_id.id),
                ("company_id", "in", [self.company_id.id, False]),
                ("name", "in", names),
            ]
        )
        by_name = {lot.name: lot for lot in existing}
        if create:
            missing = [name for name in names if name not in by_name]
            if missing:
                new_lots = Lot._serial_fast_create(
                    [
                        {
                            "name": name,
                            "product_id": self.product_id.id,
                            "company_id": self.company_id.id,
                        }
                        for name in missing
                    ]
                )
                by_name.update({lot.name: lot for lot in new_lots})
        return by_name

    def _serial_apply_move(self):
        move = self.move_id
        if move.state in ("done", "cancel"):
            raise UserError(_("This move is already done or cancelled."))
        # its quantity may have changed since the wizard opened
        move._serial_check_whole_quantities()
        if self.mode == "add" and move.production_id.product_id == move.product_id:
            # Odoo produces the main finished product from the MO's
            # lot_producing_id (one serial per MO), not from move lines typed
            # here.
            return move.production_id._serial_assign_finished_names(self._names())
        base = {
            "move_id": move.id,
            "picking_id": move.picking_id.id,
            "product_id": move.product_id.id,
            "product_uom_id": move.product_id.uom_id.id,
            "company_id": move.company_id.id,
            "location_dest_id": move.location_dest_id.id,
            "quantity": 1,
            "picked": True,
        }
        vals_list = []
        if self.mode == "add":
            names = self._names()
            keep_names = move.picking_type_id.use_create_lots and not move.production_id
            lots = self._serial_lots_for_names(names, create=not keep_names)
            for name in names:
                vals = dict(base, location_id=move.location_id.id)
                if name in lots:
                    vals["lot_id"] = lots[name].id
                else:
                    vals["lot_name"] = name
                vals_list.append(vals)
        else:
            lots = self.lot_ids
            self._serial_check_lots_here(lots)
            quants = self.env["stock.quant"].search(
                [
                    ("lot_id", "in", lots.ids),
                    ("location_id", "child_of", self.location_id.id),
                    ("quantity", ">", 0),
                ]
            )
            quant_by_lot = {quant.lot_id.id: quant for quant in quants}
            for lot in lots:
                quant = quant_by_lot[lot.id]
                vals_list.append(
                    dict(
                        base,
                        lot_id=lot.id,
                        location_id=quant.location_id.id,
                        package_id=quant.package_id.id,
                        owner_id=quant.owner_id.id,
                    )
                )
        others = self.env["stock.move"]
        if self.mode == "remove":
            others = self._serial_take_over_reservations(self.lot_ids)
        existing = move.move_line_ids.filtered(lambda ml: ml.state != "done")
        # lines already right are kept (_serial_fast_keep_lines)
        kept, vals_list = self._serial_fast_keep_lines(existing, vals_list)
        (existing - kept).unlink()
        self.env["stock.move.line"].create(vals_list)
        move.picked = True
        if others:
            # the documents whose reserved serial was taken reserve another unit
            others._action_assign()
        return True

    def _serial_check_lots_here(self, lots):
        # one search for all serials (filtered_domain searched once per serial)
        here = (
            self.env["stock.quant"]
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    ("location_id", "child_of", self.location_id.id),
                    ("quantity", ">", 0),
                ]
            )
            .lot_id
        )
        wrong = lots - here
        if wrong:
            raise ValidationError(
                _(
                    "These serial numbers are not in %(location)s: %(names)s",
                    location=self.location_id.display_name,
                    names=", ".join(wrong.mapped("name")),
                )
            )

    def _serial_apply_purchase_line(self):
        line = self.purchase_line_id
        return line._serial_assign_names(self._names())

    def _serial_apply_initial(self):
        """Name units already in stock without serial."""
        names = self._names()
        location = self.location_id
        untracked = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product_id.id),
                ("location_id", "=", location.id),
                ("lot_id", "=", False),
                ("quantity", ">", 0),
            ]
        )
        available = sum(untracked.mapped("quantity"))
        if len(names) > available:
            raise ValidationError(
                _(
                    "%(location)s has %(available)s units without serial of "
                    "%(product)s; %(entered)s serial numbers were entered.",
                    location=location.display_name,
                    available=int(available),
                    product=self.product_id.display_name,
                    entered=len(names),
                )
            )
        lots = self._serial_lots_for_names(names, create=True)
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        remaining = len(names)
        for quant in untracked:
            take = min(quant.quantity, remaining)
            quant.inventory_quantity = quant.quantity - take
            remaining -= take
            if not remaining:
                break
        quants = Quant.create(
            [
                {
                    "product_id": self.product_id.id,
                    "location_id": location.id,
                    "lot_id": lots[name].id,
                    "inventory_quantity": 1,
                }
                for name in names
            ]
        )
        (untracked.filtered("inventory_quantity_set") | quants).action_apply_inventory()
        return True

    def _serial_apply_inventory(self):
        """Inventory adjustment in (add) or out (remove) with serials."""
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        if self.mode == "add":
            names = self._names()
            lots = self._serial_lots_for_names(names, create=True)
            quants = Quant.create(
                [
                    {
                        "product_id": self.product_id.id,
                        "location_id": self.location_id.id,
                        "lot_id": lots[name].id,
                        "inventory_quantity": 1,
                    }
                    for name in names
                ]
            )
        else:
            self._serial_check_lots_here(self.lot_ids)
            quants = self.env["stock.quant"].search(
                [
                    ("lot_id", "in", self.lot_ids.ids),
                    ("location_id", "child_of", self.location_id.id),
                    ("quantity", ">", 0),
                ]
            )
            quants.with_context(inventory_mode=True).write({"inventory_quantity": 0})
        quants.action_apply_inventory()
        return True

    def _serial_fast_keep_lines(self, lines, vals_list):
        """Reuse the move's lines that already are what the wizard
        would create.

        Picking serials: replacing a reserved line by an identical new one
        unreserves and reserves the serial again, one quant at a time.
        Typing serials (receipts): the move already has one line per unit
        without serial; deleting and creating thousands of lines costs
        seconds. The lines among ``lines`` that are exactly what ``vals_list``
        asks for (same move, product, unit, company, places, serial, package,
        owner, one unit, no destination package, no typed name yet) are kept
        and get the typed name if any; the caller then marks the move picked.
        Return (kept lines, the values still to create).
        """
        kept = self.env["stock.move.line"]
        if not guard.allowed(kept, "line_write"):
            return kept, vals_list
        # the lines' own values in one query (attribute access per line and
        # field costs seconds for thousands of lines)
        columns = [*KEPT_FIELDS, "quantity", "result_package_id", "lot_name"]
        rounding = self.product_id.uom_id.rounding
        by_key = {}
        for row in sorted(read_rows(lines, columns), key=lambda row: row["id"]):
            if (
                row["result_package_id"]
                or row["lot_name"]
                or float_compare(row["quantity"], 1, precision_rounding=rounding) != 0
            ):
                continue
            key = tuple(row[name] or False for name in KEPT_FIELDS)
            by_key.setdefault(key, []).append(row["id"])
        remaining = []
        kept_ids = []
        names = []  # typed serials (receipts) go on the kept lines
        for vals in vals_list:
            key = tuple(vals.get(name) or False for name in KEPT_FIELDS)
            free = by_key.get(key)
            if (
                free
                and float_compare(vals.get("quantity", 0), 1, precision_digits=6) == 0
                and set(vals) <= {*KEPT_FIELDS, "quantity", "picked", "lot_name"}
            ):
                kept_ids.append(free.pop(0))
                names.append(vals.get("lot_name") or None)
            else:
                remaining.append(vals)
        kept = kept.browse(kept_ids)
        if any(names):
            # in the cache, stored with the lines' other pending writes (the
            # caller marks them picked) by the same UPDATEs: lot_name only
            # labels the line until validation creates the lot
            named = [i for i, name in enumerate(names) if name]
            write_values(
                kept.browse([kept_ids[i] for i in named]),
                "lot_name",
                [names[i] for i in named],
            )
        # the caller marks the move picked, hence all its lines, as Odoo does
        # for new lines: picked, dated now
        return kept, remaining
