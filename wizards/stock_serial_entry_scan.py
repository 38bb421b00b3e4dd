# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Scan-first entry: serials scanned, pasted or uploaded, in both modes.

What the operator scans is what is recorded. In Pick mode each entered name is
resolved to a serial of the product that is on hand where the move takes it
from and free of other documents; anything else is refused with the reason,
and applying makes exactly the entered serials the move's lines.
GS1 element strings (GS1-128, GS1 DataMatrix) are read for their serial
(AI 21), and their GTIN (AI 01/02) must be the product's barcode.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

from ..lib import gs1, parsing, ranges
from ..lib import names as name_rules
from ..lib.errors import SerialInputError

SCAN_LOG_LINES = 12


class StockSerialEntry(models.TransientModel):
    _inherit = "stock.serial.entry"

    pick_input_method = fields.Selection(
        [("paste", "Paste"), ("upload", "Upload File"), ("range", "Range")],
        string="Input",
        default="paste",
        required=True,
    )
    entry_method = fields.Selection(
        selection=lambda self: self._fields["input_method"].selection,
        compute="_compute_entry_method",
        help="Technical: the input method of the current mode.",
    )
    scan_input = fields.Char(
        string="Scan",
        help="Scan a serial number (or its GS1 barcode) and press Enter: it is "
        "checked and added to the list at once.",
    )
    scan_state = fields.Selection(
        [("ok", "Accepted"), ("refused", "Refused"), ("repeat", "Already Scanned")],
        readonly=True,
    )
    scan_message = fields.Char(readonly=True)
    scan_log = fields.Text(readonly=True, help="The last scans, newest first.")
    # Receipts with expected serials (pre-assigned on the purchase order, or
    # from the vendor's shipping list): what is scanned is checked against them.
    expected_names = fields.Text(
        readonly=True, help="Technical: the serials expected on this receipt."
    )
    # not readonly: only an onchange fills it, and the client saves only
    # editable fields
    scanned_names = fields.Text(
        help="Technical: the serials scanned, pasted or uploaded here, in order.",
    )
    receive_unexpected = fields.Boolean(
        string="Receive Unexpected Serials",
        default=True,
        help="Scanned serials the purchase order did not announce are received "
        "as new serials; untick to leave them out.",
    )
    expected_count = fields.Integer(compute="_compute_expected")
    matched_count = fields.Integer(compute="_compute_expected")
    missing_count = fields.Integer(compute="_compute_expected")
    unexpected_count = fields.Integer(compute="_compute_expected")
    matched_summary = fields.Text(compute="_compute_expected")
    missing_summary = fields.Text(compute="_compute_expected")
    unexpected_summary = fields.Text(compute="_compute_expected")
    reserved_count = fields.Integer(
        compute="_compute_reserved_count",
        help="Serials Odoo reserved on this move, which are not picked unless "
        "entered here.",
    )

    @api.depends("mode", "input_method", "pick_input_method")
    def _compute_entry_method(self):
        for wizard in self:
            wizard.entry_method = (
                wizard.input_method
                if wizard.mode == "add"
                else wizard.pick_input_method
            )

    @api.depends("expected_names", "scanned_names")
    def _compute_expected(self):
        for wizard in self:
            expected = wizard._serial_lines_of("expected_names")
            scanned = wizard._serial_lines_of("scanned_names")
            expected_set, scanned_set = set(expected), set(scanned)
            matched = [name for name in expected if name in scanned_set]
            missing = [name for name in expected if name not in scanned_set]
            unexpected = [name for name in scanned if name not in expected_set]
            wizard.expected_count = len(expected)
            wizard.matched_count = len(matched)
            wizard.missing_count = len(missing)
            wizard.unexpected_count = len(unexpected)
            for field, names in (
                ("matched_summary", matched),
                ("missing_summary", missing),
                ("unexpected_summary", unexpected),
            ):
                wizard[field] = "\n".join(ranges.format_groups(ranges.collapse(names)))

    def _serial_lines_of(self, field):
        return [name for name in (self[field] or "").split("\n") if name]

    def _serial_verifying(self):
        """True once serials were scanned on a receipt that expects some: the
        receipt then takes what was scanned, not what was announced."""
        return bool(self.mode == "add" and self.expected_names and self.scanned_names)

    def _serial_note_scanned(self, names):
        if self.mode != "add" or not self.expected_names or not names:
            return
        scanned = self._serial_lines_of("scanned_names")
        seen = set(scanned)
        scanned += [name for name in names if name not in seen]
        self.scanned_names = "\n".join(scanned)

    def _serial_settled_names(self):
        """What a verified receipt takes: the serials scanned, the unexpected
        ones only if they are to be received."""
        scanned = set(self._serial_lines_of("scanned_names"))
        expected = set(self._serial_lines_of("expected_names"))
        return [
            name
            for name in self._names()
            if name in scanned and (self.receive_unexpected or name in expected)
        ]

    def _serial_settle_expected(self):
        """Before applying a verified receipt: keep what it takes; expected
        serials not scanned stay on the purchase line for a backorder."""
        if self._serial_verifying():
            self.serial_names = "\n".join(self._serial_settled_names())

    @api.depends(
        "serial_names",
        "lot_ids",
        "mode",
        "required_count",
        "scanned_names",
        "expected_names",
        "receive_unexpected",
    )
    def _compute_entered_count(self):
        # a verified receipt counts what it will take, not the announced list
        result = super()._compute_entered_count()
        for wizard in self.filtered(lambda w: w._serial_verifying()):
            wizard.entered_count = len(wizard._serial_settled_names())
            wizard.counter_text = f"{wizard.entered_count} / {wizard.required_count}"
        return result

    @api.model
    def _serial_defaults_for_move(self, move_id):
        values = super()._serial_defaults_for_move(move_id)
        move = self.env["stock.move"].browse(move_id)
        if values.get("mode") == "add" and move.purchase_line_id:
            expected = self.env["stock.lot"].search(
                [
                    ("purchase_line_id", "=", move.purchase_line_id.id),
                    ("serial_status", "=", "planned"),
                ],
                order="id",
            )
            if expected:
                values["expected_names"] = "\n".join(expected.mapped("name"))
        return values

    @api.depends("move_id")
    def _compute_reserved_count(self):
        for wizard in self:
            lines = wizard.move_id.move_line_ids.filtered(
                lambda ml: ml.lot_id and ml.state not in ("done", "cancel")
            )
            wizard.reserved_count = len(lines.lot_id)

    # ------------------------------------------------------------------
    # From scanned codes to serial names
    # ------------------------------------------------------------------
    def _serial_codes_to_names(self, codes):
        """Read GS1 codes for their serial; plain codes are names already.

        Return ``(names, refused)``: the names in input order, and
        ``{code: reason}`` for GS1 codes that cannot give this product's
        serial (malformed, no AI 21, another product's GTIN).
        """
        self.ensure_one()
        names, refused = [], {}
        barcode = self.product_id.barcode
        for code in codes:
            if "\x00" in code:
                # PostgreSQL cannot even compare such text
                refused[code.replace("\x00", "")] = self.env._(
                    "holds %(char)s, which cannot be stored",
                    char=name_rules.char_name("\x00"),
                )
                continue
            try:
                name, scanned = gs1.read(code)
            except SerialInputError as exc:
                refused[gs1.printable(code)] = self.env._(
                    "is not a valid GS1 code: %(reason)s", reason=exc.data["reason"]
                )
                continue
            if not scanned:
                names.append(name)
            elif not name:
                refused[gs1.printable(code)] = self.env._(
                    "is a GS1 code without serial number (AI 21)"
                )
            elif scanned.gtin and not gs1.same_gtin(scanned.gtin, barcode):
                refused[gs1.printable(code)] = self.env._(
                    "has GTIN %(gtin)s, but %(product)s has barcode %(barcode)s",
                    gtin=scanned.gtin,
                    product=self.product_id.display_name,
                    barcode=barcode or self.env._("(none)"),
                )
            else:
                names.append(name)
        return names, refused

    # ------------------------------------------------------------------
    # Pick mode: which entered names can leave from here
    # ------------------------------------------------------------------
    def _serial_pick_lookup(self, names):
        """Check names for picking from the wizard's location, in two queries
        whatever their number. Return ``(lots, refused)``: ``{name: lot}`` of
        the serials that can be picked, ``{name: reason}`` of the others."""
        self.ensure_one()
        if not names:
            return {}, {}
        self.env.flush_all()
        source = self.location_id
        self.env.cr.execute(
            SQL(
                """
                SELECT n.name, l.id, l.product_id, l.serial_status,
                       ARRAY(SELECT q.location_id
                               FROM stock_quant q
                               JOIN stock_location ql ON ql.id = q.location_id
                              WHERE q.lot_id = l.id AND q.quantity > 0
                                AND ql.usage IN ('internal', 'transit')
                              ORDER BY ql.parent_path LIKE %(path)s DESC, q.id),
                       EXISTS(SELECT 1
                               FROM stock_quant q
                               JOIN stock_location ql ON ql.id = q.location_id
                              WHERE q.lot_id = l.id AND q.quantity > 0
                                AND ql.parent_path LIKE %(path)s),
                       l.serial_on_hold, l.serial_hold_reason
                  FROM unnest(%(names)s::varchar[]) AS n(name)
                  LEFT JOIN stock_lot l
                         ON l.name = n.name
                        AND (l.company_id = %(company)s OR l.company_id IS NULL)
                """,
                path=f"{source.parent_path}%",
                names=list(names),
                company=self.company_id.id,
            )
        )
        rows = self.env.cr.fetchall()
        candidates = defaultdict(list)
        for name, lot_id, product_id, status, locations, here, *rest in rows:
            candidates[name].append((lot_id, product_id, status, locations, here, rest))
        lots, refused = {}, {}
        statuses = dict(
            self.env["stock.lot"]
            ._fields["serial_status"]
            ._description_selection(self.env)
        )
        other_products = {}
        unknown = []
        for name in names:
            rows = candidates[name]
            # a company serial and a shared one (no company) may have one name:
            # the one that is here is meant
            mine = sorted(
                (row for row in rows if row[1] == self.product_id.id),
                key=lambda row: not row[4],
            )
            if not mine:
                if rows[0][0] is None:
                    unknown.append(name)
                else:
                    other_products[name] = rows[0][1]
                continue
            lot_id, _product, status, locations, here, rest = mine[0]
            held, reason = rest
            # consignment stock may leave as in Odoo, whose reservation takes
            # quants of any owner for a move that names none
            if held:
                refused[name] = self.env._("is on hold: %(reason)s", reason=reason)
            elif here:
                lots[name] = lot_id
            elif locations:
                refused[name] = self.env._(
                    "is at %(where)s, not in %(location)s",
                    where=", ".join(
                        self.env["stock.location"]
                        .browse(locations)
                        .mapped("display_name")
                    ),
                    location=source.display_name,
                )
            else:
                refused[name] = self.env._(
                    "is not in stock (%(status)s)", status=statuses.get(status, "")
                )
        refused.update(self._serial_unknown_reasons(unknown))
        products = self.env["product.product"].browse(set(other_products.values()))
        product_names = {product.id: product.display_name for product in products}
        for name, product_id in other_products.items():
            refused[name] = self.env._(
                "is a serial number of %(product)s", product=product_names[product_id]
            )
        refused.update(self._serial_reserved_elsewhere(lots))
        return {
            name: self.env["stock.lot"].browse(lot_id)
            for name, lot_id in lots.items()
            if name not in refused
        }, refused

    def _serial_unknown_reasons(self, names):
        """Reasons for names no serial of this company has: a serial of
        another company is said to be one (without showing more of it)."""
        if not names:
            return {}
        elsewhere = (
            self.env["stock.lot"]
            .sudo()
            .search(
                [
                    ("name", "in", names),
                    ("company_id", "not in", [self.company_id.id, False]),
                ]
            )
        )
        companies = defaultdict(set)
        for lot in elsewhere:
            companies[lot.name].add(lot.company_id.name)
        return {
            name: self.env._(
                "is a serial number of another company (%(companies)s)",
                companies=", ".join(sorted(companies[name])),
            )
            if name in companies
            else self.env._("unknown serial number")
            for name in names
        }

    def _serial_reserved_elsewhere(self, lot_ids_by_name):
        """``{name: reason}`` for serials another open document has picked.

        Odoo's own reservation elsewhere is no pick: the operator who has the
        unit in hand takes it over (``_serial_take_over_reservations``)."""
        if not lot_ids_by_name:
            return {}
        lines = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", list(lot_ids_by_name.values())),
                ("state", "not in", ("done", "cancel")),
                ("quantity", ">", 0),
                ("move_id", "!=", self.move_id.id),
                ("picked", "=", True),
            ]
        )
        if not lines:
            return {}
        documents = defaultdict(set)
        for line in lines:
            documents[line.lot_id.id].add(line.move_id.reference or line.reference)
        return {
            name: self.env._(
                "is already picked for %(documents)s",
                documents=", ".join(sorted(filter(None, documents[lot_id]))),
            )
            for name, lot_id in lot_ids_by_name.items()
            if lot_id in documents
        }

    def _serial_take_over_reservations(self, lots):
        """Release what Odoo reserved of ``lots`` for other moves (not picked
        there: ``_serial_reserved_elsewhere`` refused those); return the moves
        that lost a reservation, to reserve again."""
        lines = self.env["stock.move.line"].search(
            [
                ("lot_id", "in", lots.ids),
                ("state", "not in", ("done", "cancel")),
                ("move_id", "!=", self.move_id.id),
                ("picked", "=", False),
            ]
        )
        moves = lines.move_id
        lines.unlink()
        return moves

    def _serial_pick_names(self, names):
        """Add the serials with these names to the pick list. Return
        ``(accepted names, already listed, {name: reason})``."""
        listed = set(self.lot_ids.mapped("name"))
        already = [name for name in names if name in listed]
        fresh = [name for name in names if name not in listed]
        lots, refused = self._serial_pick_lookup(fresh)
        accepted = [name for name in fresh if name in lots]
        if accepted:
            self.lot_ids = [(4, lots[name].id) for name in accepted]
        return accepted, already, refused

    # ------------------------------------------------------------------
    # Entering a batch (paste, file, range) in either mode
    # ------------------------------------------------------------------
    def _serial_enter(self, codes, strict):
        """Check and add entered codes, in Add or Pick mode alike.

        With ``strict`` (applying), any duplicate or refused entry raises a
        ValidationError naming each, before anything is written; otherwise
        the accepted ones are added and the others reported.
        """
        self.ensure_one()
        names, refused = self._serial_codes_to_names(codes)
        # two codes may also carry one serial (a GS1 label and its printed text)
        names, duplicates = parsing.dedupe(names)
        if strict and (duplicates or refused):
            self._serial_raise_refused(duplicates, refused)
        if self.mode == "add":
            if strict:
                invalid = self._serial_check_names(names)
                if invalid:
                    self._serial_raise_refused([], invalid)
            accepted, already, invalid = self._serial_add_names(names)
            self._serial_note_scanned(accepted + already)
            refused.update(invalid)
            self.report = self._serial_report_text(duplicates, already, refused)
            return accepted, refused
        accepted, already, invalid = self._serial_pick_names(names)
        if strict and invalid:
            # raising undoes the additions: nothing is kept
            self._serial_raise_refused([], invalid)
        refused.update(invalid)
        self.write(
            {
                "report": self._serial_report_text(duplicates, already, refused),
                "serial_text": False,
                "upload_file": False,
                "upload_filename": False,
            }
        )
        return accepted, refused

    def _serial_report_text(self, duplicates, already, refused, strict=False):
        report = []
        if duplicates and strict:
            report.append(
                self.env._(
                    "These serial numbers are entered more than once: %(names)s",
                    names=", ".join(duplicates[:100]),
                )
            )
        elif duplicates:
            report.append(
                self.env._(
                    "%(count)s duplicates removed from the input: %(names)s",
                    count=len(duplicates),
                    names=", ".join(duplicates[:50]),
                )
            )
        if already:
            report.append(
                self.env._(
                    "%(count)s already in the list: %(names)s",
                    count=len(already),
                    names=", ".join(already[:50]),
                )
            )
        if refused:
            report.append(
                self.env._("%(count)s refused:", count=len(refused))
                + "\n"
                + "\n".join(
                    f"- {name or self.env._('(empty)')}: {reason}"
                    for name, reason in list(refused.items())[:200]
                )
            )
        return "\n".join(report)

    def _serial_raise_refused(self, duplicates, refused):
        raise ValidationError(
            self.env._("Nothing was applied.")
            + "\n"
            + self._serial_report_text(duplicates, [], refused, strict=True)
        )

    def _serial_has_pending_input(self):
        return bool(
            self.serial_text
            or (self.entry_method == "upload" and self.upload_file)
            or (self.entry_method == "range" and (self.range_count or self.range_end))
            # the auto-number tab of an empty list: Apply numbers what is required
            or (self.entry_method == "auto" and self.auto_count and not self._names())
        )

    # ------------------------------------------------------------------
    # One scan at a time (keyboard-wedge scanner in the dialog)
    # ------------------------------------------------------------------
    @api.onchange("scan_input")
    def _onchange_scan_input(self):
        code = (self.scan_input or "").strip()
        if not code:
            return
        self.scan_input = False
        if self.mode == "add":
            state, message = self._serial_scan_add(code)
        else:
            state, message = self._serial_scan_pick(code)
        self.scan_state = state
        self.scan_message = message
        mark = {"ok": "✓", "refused": "✗", "repeat": "="}[state]
        log = [f"{mark} {message}"] + (self.scan_log or "").split("\n")
        self.scan_log = "\n".join(line for line in log[:SCAN_LOG_LINES] if line)

    def _serial_scan_name(self, code):
        names, refused = self._serial_codes_to_names([code])
        if refused:
            shown, reason = next(iter(refused.items()))
            return None, f"{shown}: {reason}"
        return names[0], None

    def _serial_scan_add(self, code):
        name, error = self._serial_scan_name(code)
        if error:
            return "refused", error
        current = self._names()
        expected = self._serial_lines_of("expected_names")
        if name in current:
            if name in expected and name not in self._serial_lines_of("scanned_names"):
                self._serial_note_scanned([name])
                return "ok", self.env._("%(name)s expected: checked", name=name)
            return "repeat", self.env._("%(name)s is already in the list", name=name)
        invalid = self._serial_check_names([name])
        if invalid:
            return "refused", f"{name}: {invalid[name]}"
        self.serial_names = "\n".join([*current, name])
        self._serial_note_scanned([name])
        if expected and name not in expected:
            return "ok", self.env._("%(name)s added (not expected)", name=name)
        return "ok", self.env._("%(name)s added", name=name)

    def _serial_scan_pick(self, code):
        name, error = self._serial_scan_name(code)
        if error:
            return "refused", error
        if name in self.lot_ids.mapped("name"):
            return "repeat", self.env._("%(name)s is already in the list", name=name)
        lots, refused = self._serial_pick_lookup([name])
        if name in refused:
            return "refused", f"{name}: {refused[name]}"
        self.lot_ids = [(4, lots[name].id)]
        return "ok", self.env._("%(name)s picked", name=name)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_take_reserved(self):
        """Pick the serials Odoo reserved on this move (explicitly: they are
        never kept unless entered or taken here)."""
        self.ensure_one()
        lines = self.move_id.move_line_ids.filtered(
            lambda ml: ml.lot_id and ml.state not in ("done", "cancel")
        )
        if not lines:
            raise UserError(self.env._("Odoo reserved no serial number on this move."))
        self.lot_ids = [(4, lot_id) for lot_id in lines.lot_id.ids]
        return self._serial_reopen()

    # ------------------------------------------------------------------
    # One scan on an open transfer (the picking form, no dialog)
    # ------------------------------------------------------------------
    def _serial_apply_one_scan(self, code):
        """Check one scanned code and record it on the wizard's move at once,
        keeping what was entered before. Return ``(state, message)``."""
        self.ensure_one()
        name, error = self._serial_scan_name(code)
        if error:
            return "refused", error
        if self.mode == "add":
            return self._serial_scan_receipt_line(name)
        if name in self.lot_ids.mapped("name"):
            return "repeat", self.env._("%(name)s is already in the list", name=name)
        if self.entered_count >= self.required_count:
            return "refused", self._serial_one_too_many(name)
        state, message = self._serial_scan_pick(name)
        if state == "ok":
            # the move takes exactly what was picked so far; the rest of its
            # units wait for their scans (or a backorder)
            self._serial_apply_move()
        return state, message

    def _serial_one_too_many(self, name):
        return self.env._(
            "all %(count)s units already have their serial number: %(name)s is "
            "one too many",
            count=self.required_count,
            name=name,
        )

    def _serial_scan_receipt_line(self, name):
        """A unit scanned on an open receipt: its line is marked picked (an
        announced serial is checked), or a line gets its name. Lines not
        scanned stay unpicked: validating takes the scanned ones and leaves the
        others for a backorder."""
        move = self.move_id
        lines = move.move_line_ids.filtered(
            lambda ml: ml.state not in ("done", "cancel")
        )
        named = lines.filtered(lambda ml: (ml.lot_id.name or ml.lot_name) == name)
        expected = self._serial_lines_of("expected_names")
        if named:
            if all(named.mapped("picked")):
                return "repeat", self.env._(
                    "%(name)s is already in the list", name=name
                )
            named.picked = True
            if name in expected:
                return "ok", self.env._("%(name)s expected: checked", name=name)
            return "ok", self.env._("%(name)s checked", name=name)
        picked = lines.filtered(lambda ml: ml.picked and (ml.lot_id or ml.lot_name))
        if len(picked) >= self.required_count:
            return "refused", self._serial_one_too_many(name)
        invalid = self._serial_check_names([name])
        if invalid:
            return "refused", f"{name}: {invalid[name]}"
        lot = self._serial_lots_for_names([name], create=False).get(name)
        values = {"lot_id": lot.id} if lot else {"lot_name": name}
        empty = lines.filtered(
            lambda ml: (
                not ml.lot_id
                and not ml.lot_name
                and not ml.picked
                and float_compare(ml.quantity, 1, precision_digits=6) == 0
            )
        )[:1]
        if empty:
            empty.write(dict(values, picked=True))
        else:
            self.env["stock.move.line"].create(
                dict(
                    values,
                    move_id=move.id,
                    picking_id=move.picking_id.id,
                    product_id=move.product_id.id,
                    product_uom_id=move.product_id.uom_id.id,
                    company_id=move.company_id.id,
                    location_id=move.location_id.id,
                    location_dest_id=move.location_dest_id.id,
                    quantity=1,
                    picked=True,
                )
            )
        if expected and name not in expected:
            return "ok", self.env._("%(name)s added (not expected)", name=name)
        return "ok", self.env._("%(name)s added", name=name)
