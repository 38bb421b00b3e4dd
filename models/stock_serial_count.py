import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..downloads import xlsx_download
from ..lib import gs1, parsing
from ..lib.errors import SerialInputError
from .stock_lot import SERIAL_STATUSES

COUNT_RESULTS = [
    ("found", "Found"),
    ("missing", "Missing"),
    ("elsewhere", "Booked Elsewhere"),
    ("unknown", "Unknown"),
]

INTERNAL_DOMAIN = (
    "[('usage', '=', 'internal'), ('company_id', 'in', [company_id, False])]"
)

LINE_ACTIONS = [
    ("none", "Nothing"),
    ("move", "Move Here"),
    ("add", "Add to Stock"),
    ("write_off", "Write Off"),
    ("move_missing", "Move to Missing Location"),
]


class StockSerialCount(models.Model):
    """A cycle count by scan: the serials physically at a location, compared
    with what the books say, applied as one operation."""

    _name = "stock.serial.count"
    _description = "Serial Count"
    _inherit = ["mail.thread"]
    _order = "id desc"

    # --- what is counted ---
    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    location_id = fields.Many2one(
        "stock.location",
        required=True,
        domain=INTERNAL_DOMAIN,
        tracking=True,
    )
    missing_location_id = fields.Many2one(
        "stock.location",
        domain=INTERNAL_DOMAIN,
        help="Where missing serials go when their line says Move to Missing Location.",
    )
    state = fields.Selection(
        [("draft", "Counting"), ("applied", "Applied"), ("cancel", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    # --- scanning ---
    serial_text = fields.Text(
        string="Scan or Paste",
        help="Scanned or pasted serials (GS1 codes too); Add Scans appends them "
        "to the count.",
    )
    scan_input = fields.Char(
        string="Scan",
        compute="_compute_scan_input",
        help="Scan a serial number (or its GS1 barcode) and press Enter: it is "
        "added to the count at once.",
    )
    line_ids = fields.One2many("stock.serial.count.line", "count_id", string="Lines")
    # --- results ---
    found_count = fields.Integer(compute="_compute_result_counts")
    missing_count = fields.Integer(compute="_compute_result_counts")
    elsewhere_count = fields.Integer(compute="_compute_result_counts")
    unknown_count = fields.Integer(compute="_compute_result_counts")

    def _compute_scan_input(self):
        # only a target for the scan field, which hands each scan to
        # action_scan(); nothing is kept here
        self.scan_input = False

    @api.depends("line_ids.result")
    def _compute_result_counts(self):
        groups = self.env["stock.serial.count.line"]._read_group(
            [("count_id", "in", self.ids)], ["count_id", "result"], ["__count"]
        )
        counts = {(count.id, result): n for count, result, n in groups}
        for count in self:
            for result, _label in COUNT_RESULTS:
                count[f"{result}_count"] = counts.get((count.id, result), 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "missing_location_id" not in vals:
                # the company's choice, which each count may change
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["missing_location_id"] = (
                    company.serial_count_missing_location_id.id
                )
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "stock.serial.count"
                ) or self.env._("Count")
        counts = super().create(vals_list)
        counts._serial_check_company()
        return counts

    def write(self, vals):
        result = super().write(vals)
        if "location_id" in vals or "company_id" in vals:
            self._serial_check_company()
        return result

    def _serial_check_company(self):
        for count in self:
            location_company = count.location_id.company_id
            if location_company and location_company != count.company_id:
                raise ValidationError(
                    self.env._(
                        "%(location)s belongs to %(other)s: a count of %(company)s "
                        "can only count its own locations.",
                        location=count.location_id.display_name,
                        other=location_company.name,
                        company=count.company_id.name,
                    )
                )
            if count.location_id.usage != "internal":
                raise ValidationError(
                    self.env._(
                        "%(location)s is not a stock location: only internal "
                        "locations are counted.",
                        location=count.location_id.display_name,
                    )
                )

    def _serial_check_draft(self):
        done = self.filtered(lambda c: c.state != "draft")
        if done:
            raise UserError(
                self.env._(
                    "These counts are already applied or cancelled: %(names)s",
                    names=", ".join(done.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # Scanning
    # ------------------------------------------------------------------
    def _serial_parse_scans(self, text):
        """Names (in order, without repeats) and {gtin by name} of the codes in
        ``text``; GS1 element strings give their serial (AI 21)."""
        names, gtins, refused = [], {}, []
        seen = set()
        for code in parsing.split_pasted(text or ""):
            name = code
            if gs1.looks_like_gs1(code):
                try:
                    scanned = gs1.parse(code)
                except SerialInputError as exc:
                    refused.append(
                        self.env._(
                            "%(code)s is not a valid GS1 code: %(reason)s",
                            code=gs1.printable(code),
                            reason=exc.data["reason"],
                        )
                    )
                    continue
                if not scanned.serial:
                    refused.append(
                        self.env._(
                            "%(code)s is a GS1 code without serial number (AI 21)",
                            code=gs1.printable(code),
                        )
                    )
                    continue
                name = scanned.serial
                if scanned.gtin:
                    gtins[name] = scanned.gtin
            if name not in seen:
                seen.add(name)
                names.append(name)
        return names, gtins, refused

    def action_add_scans(self):
        """Append the serials of ``serial_text`` to the count and classify
        them (found / elsewhere / unknown); serials booked here and not
        scanned become missing. Scanning a serial twice changes nothing.
        Lines are written with one upsert, so that users scanning into one
        count at the same time never lose each other's scans."""
        self.ensure_one()
        self._serial_lock()
        self._serial_check_draft()
        names, gtins, refused = self._serial_parse_scans(self.serial_text)
        if refused:
            raise UserError(
                self.env._("These codes cannot be counted:")
                + "\n"
                + "\n".join(f"- {line}" for line in refused)
            )
        if names:
            self._serial_upsert_scans(names, gtins)
        self.serial_text = False
        self._serial_refresh_missing()
        return True

    def _serial_lock(self):
        """Lock the count's row for this transaction: scans of several users,
        and applying, go one after the other. A transaction that waited here
        for another one's scans fails to serialize and is replayed by the
        server (as any concurrent update in Odoo), then sees them: no scan is
        lost, none is counted twice, two batches never deadlock on the lines."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM stock_serial_count WHERE id IN %s FOR NO KEY UPDATE",
                tuple(self.ids),
            )
        )

    def action_scan(self, code):
        """One scanned code (a serial or its GS1 barcode) added to the count
        at once, as the scan field sends it at each Enter. Return
        ``{"state": "ok" | "repeat" | "refused", "message": ...}`` saying
        what the serial turned out to be."""
        self.ensure_one()
        self._serial_lock()
        self._serial_check_draft()
        code = (code or "").strip()
        if not code:
            return {"state": "refused", "message": self.env._("Nothing scanned.")}
        names, gtins, refused = self._serial_parse_scans(code)
        if refused:
            return {"state": "refused", "message": refused[0]}
        name = names[0]
        Line = self.env["stock.serial.count.line"]
        before = Line.search([("count_id", "=", self.id), ("name", "=", name)])
        if before and before.result != "missing":
            return {
                "state": "repeat",
                "message": self.env._("%(name)s is already counted", name=name),
            }
        if not self.line_ids:
            # first scan: the serials booked here become missing until scanned
            self._serial_refresh_missing()
        self._serial_upsert_scans(names, gtins)
        line = Line.search([("count_id", "=", self.id), ("name", "=", name)])
        return {"state": "ok", "message": line._serial_scan_message()}

    def _serial_upsert_scans(self, names, gtins):
        self.env.flush_all()
        products_by_gtin = {}
        for gtin in set(gtins.values()):
            product = self.env["product.product"].search(
                [("barcode", "in", gs1.barcodes_of(gtin))], limit=1
            )
            products_by_gtin[gtin] = product.id or None
        self.env.cr.execute(
            SQL(
                """
                WITH scan AS (
                    SELECT n.name, n.ord,
                           (%(gtin_products)s::jsonb ->> n.name)::integer
                               AS gtin_product
                      FROM unnest(%(names)s::varchar[]) WITH ORDINALITY AS n(name, ord)
                ), lot AS (
                    SELECT DISTINCT ON (s.name) s.name, s.ord, l.id AS lot_id,
                           l.product_id, l.serial_status,
                           q.location_id AS stock_location_id,
                           COALESCE(ql.parent_path LIKE %(path)s, FALSE) AS here
                      FROM scan s
                      JOIN stock_lot l ON l.name = s.name
                       AND (l.company_id = %(company)s OR l.company_id IS NULL)
                      JOIN product_product pp ON pp.id = l.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                       AND pt.tracking = 'serial'
                      LEFT JOIN stock_quant q ON q.lot_id = l.id AND q.quantity > 0
                       AND q.location_id IN (
                           SELECT id FROM stock_location
                            WHERE usage IN ('internal', 'transit'))
                      LEFT JOIN stock_location ql ON ql.id = q.location_id
                     ORDER BY s.name,
                              (s.gtin_product IS NOT NULL
                               AND l.product_id = s.gtin_product) DESC,
                              (ql.parent_path LIKE %(path)s) DESC NULLS LAST,
                              (q.id IS NOT NULL) DESC, l.id
                )
                INSERT INTO stock_serial_count_line
                       (count_id, company_id, name, lot_id, product_id, result,
                        serial_status, booked_location_id, action, sequence,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(count)s, %(company)s, s.name, lot.lot_id,
                       COALESCE(lot.product_id, s.gtin_product),
                       CASE WHEN lot.here THEN 'found'
                            WHEN lot.stock_location_id IS NOT NULL THEN 'elsewhere'
                            ELSE 'unknown' END,
                       lot.serial_status, lot.stock_location_id,
                       CASE WHEN lot.stock_location_id IS NOT NULL
                                 AND NOT lot.here THEN 'move'
                            ELSE 'none' END,
                       s.ord, %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM scan s
                  LEFT JOIN lot ON lot.name = s.name
                    ON CONFLICT (count_id, name) DO UPDATE
                   SET result = EXCLUDED.result,
                       action = EXCLUDED.action,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                 WHERE stock_serial_count_line.result = 'missing'
                """,
                count=self.id,
                names=names,
                gtin_products=json.dumps(
                    {n: products_by_gtin.get(g) for n, g in gtins.items()}
                ),
                path=f"{self.location_id.parent_path}%",
                company=self.company_id.id,
                uid=self.env.uid,
            )
        )
        self.env["stock.serial.count.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])

    def _serial_refresh_missing(self):
        """Missing lines for the serials booked at the location that no one
        has scanned, and none for those that left it since."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM stock_serial_count_line cl
                 WHERE cl.count_id = %(count)s AND cl.result = 'missing'
                   AND NOT EXISTS (
                       SELECT 1 FROM stock_quant q
                         JOIN stock_location ql ON ql.id = q.location_id
                        WHERE q.lot_id = cl.lot_id AND q.quantity > 0
                          AND ql.parent_path LIKE %(path)s)
                """,
                count=self.id,
                path=f"{self.location_id.parent_path}%",
            )
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO stock_serial_count_line
                       (count_id, company_id, name, lot_id, product_id, result,
                        serial_status, booked_location_id, action, sequence,
                        create_uid, create_date, write_uid, write_date)
                SELECT DISTINCT ON (l.id) %(count)s, %(company)s, l.name, l.id,
                       l.product_id,
                       'missing', l.serial_status, q.location_id, 'none', 0,
                       %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM stock_quant q
                  JOIN stock_location ql ON ql.id = q.location_id
                  JOIN stock_lot l ON l.id = q.lot_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                   AND pt.tracking = 'serial'
                 WHERE q.quantity > 0 AND ql.parent_path LIKE %(path)s
                   AND q.company_id = %(company)s
                 ORDER BY l.id, q.id
                    ON CONFLICT (count_id, name) DO NOTHING
                """,
                count=self.id,
                path=f"{self.location_id.parent_path}%",
                company=self.company_id.id,
                uid=self.env.uid,
            )
        )
        self.env["stock.serial.count.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])

    # ------------------------------------------------------------------
    # Applying
    # ------------------------------------------------------------------
    def action_apply(self):
        """Apply the count as one operation under its reference: serials
        booked elsewhere are moved here, unknown serials added (lines the
        user set to Add, with a product), missing ones written off or moved to
        the missing location, as each line says. Everything is checked first;
        an applied or cancelled count is refused."""
        self.ensure_one()
        self._serial_lock()
        self._serial_check_draft()
        self._serial_refresh_missing()
        # only the lines that do something, sorted by SQL: a count of 50,000
        # serials is mostly found ones
        self.env.cr.execute(
            SQL(
                """
                SELECT result, action, array_agg(id ORDER BY id)
                  FROM stock_serial_count_line
                 WHERE count_id = %(count)s AND action != 'none'
                 GROUP BY result, action
                """,
                count=self.id,
            )
        )
        ids = {(result, action): ids for result, action, ids in self.env.cr.fetchall()}
        Line = self.env["stock.serial.count.line"]
        to_move = Line.browse(ids.get(("elsewhere", "move"), []))
        to_add = Line.browse(ids.get(("unknown", "add"), []))
        to_write_off = Line.browse(ids.get(("missing", "write_off"), []))
        to_lose = Line.browse(ids.get(("missing", "move_missing"), []))
        where = self._serial_current_locations(
            (to_move | to_write_off | to_lose).lot_id
        )
        self._serial_check_apply(to_move, to_add, to_write_off, to_lose, where)
        count = self.with_context(
            serial_hold_allow=True, inventory_name=self.name, serial_count_apply=True
        )
        lots = count._serial_apply_lots(to_add)
        company = self.company_id
        # one validated move per product and way, one line per serial: write-
        # offs and additions go to / come from the product's inventory loss
        # location, as Odoo's inventory adjustments, so that the history says
        # adjust_out / adjust_in
        count._serial_apply_moves(
            [
                (ln.lot_id, where[ln.lot_id.id], self.location_id)
                for ln in to_move
                if not where[ln.lot_id.id].parent_path.startswith(
                    self.location_id.parent_path
                )
            ]
            + [
                (ln.lot_id, where[ln.lot_id.id], self.missing_location_id)
                for ln in to_lose
            ]
            + [
                (
                    ln.lot_id,
                    where[ln.lot_id.id],
                    ln.product_id.with_company(company).property_stock_inventory,
                )
                for ln in to_write_off
            ]
            + [
                (
                    lots[ln],
                    ln.product_id.with_company(company).property_stock_inventory,
                    self.location_id,
                )
                for ln in to_add
            ]
        )
        self.write({"state": "applied", "serial_text": False})
        self.message_post(
            body=self.env._(
                "Applied: %(moved)s moved here, %(added)s added, %(written)s "
                "written off, %(lost)s moved to the missing location.",
                moved=len(to_move),
                added=len(to_add),
                written=len(to_write_off),
                lost=len(to_lose),
            )
        )
        return True

    def _serial_current_locations(self, lots):
        """{lot id: stock location} where each serial is on hand now (it may
        have moved since it was scanned), in one query."""
        if not lots:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (q.lot_id) q.lot_id, q.location_id
                  FROM stock_quant q
                  JOIN stock_location ql ON ql.id = q.location_id
                 WHERE q.lot_id = ANY(%(lots)s) AND q.quantity > 0
                   AND ql.usage IN ('internal', 'transit')
                 ORDER BY q.lot_id, ql.parent_path LIKE %(path)s DESC, q.id
                """,
                lots=lots.ids,
                path=f"{self.location_id.parent_path}%",
            )
        )
        Location = self.env["stock.location"]
        return {lot_id: Location.browse(loc) for lot_id, loc in self.env.cr.fetchall()}

    def _serial_check_apply(self, to_move, to_add, to_write_off, to_lose, where):
        errors = []
        gone = (to_move | to_write_off | to_lose).filtered(
            lambda ln: ln.lot_id.id not in where
        )
        if gone:
            errors.append(
                self.env._(
                    "%(serials)s: no longer in stock since they were counted; "
                    "scan again or set their line to Nothing",
                    serials=", ".join(gone.mapped("name")),
                )
            )
        for line in to_add.filtered(
            lambda ln: ln.product_id.tracking != "serial" or ln.lot_id
        ):
            if line.lot_id:
                statuses = dict(SERIAL_STATUSES)
                errors.append(
                    self.env._(
                        "%(serial)s: this serial left the company (%(status)s); "
                        "it can only come back through a return",
                        serial=line.name,
                        status=statuses.get(line.lot_id.serial_status, ""),
                    )
                )
            else:
                errors.append(
                    self.env._(
                        "%(serial)s: choose the serial-tracked product to add it to",
                        serial=line.name,
                    )
                )
        if to_lose and not self.missing_location_id:
            errors.append(
                self.env._(
                    "%(serials)s: set the missing location to move them to",
                    serials=", ".join(to_lose.mapped("name")),
                )
            )
        if errors:
            raise UserError(
                self.env._("This count cannot be applied:")
                + "\n"
                + "\n".join(f"- {line}" for line in errors)
            )

    def _serial_apply_lots(self, to_add):
        """{line: new lot} for the unknown serials to add, created in one batch
        (the serial rules refuse bad names, naming them)."""
        if not to_add:
            return {}
        # thousands of new serials alike but for their name: the bulk path
        # (the first created, the others copies, as create() would store them)
        lots = self.env["stock.lot"]._serial_fast_create(
            [
                {
                    "name": line.name,
                    "product_id": line.product_id.id,
                    "company_id": self.company_id.id,
                }
                for line in to_add
            ]
        )
        return dict(zip(to_add, lots, strict=True))

    def _serial_apply_moves(self, triples):
        """Validated internal moves, one per (product, from, to), one line per
        serial: real moves, so that the serials' history shows them."""
        groups = defaultdict(list)
        for lot, source, dest in triples:
            groups[(lot.product_id, source, dest)].append(lot)
        if not groups:
            return
        moves = self.env["stock.move"].create(
            [
                {
                    "name": self.name,
                    "origin": self.name,
                    "product_id": product.id,
                    "product_uom_qty": len(lots),
                    "product_uom": product.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": dest.id,
                    "company_id": self.company_id.id,
                    "picked": True,
                    "move_line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": product.id,
                                "lot_id": lot.id,
                                "quantity": 1,
                                "product_uom_id": product.uom_id.id,
                                "location_id": source.id,
                                "location_dest_id": dest.id,
                                "picked": True,
                            },
                        )
                        for lot in lots
                    ],
                }
                for (product, source, dest), lots in groups.items()
            ]
        )
        moves._action_done()

    def action_cancel(self):
        """Cancel a count that is not applied: nothing in stock changes."""
        self._serial_lock()
        self._serial_check_draft()
        self.write({"state": "cancel"})
        return True

    # ------------------------------------------------------------------
    # Holds from a count
    # ------------------------------------------------------------------
    def action_open_serial_hold(self):
        """The hold wizard for the serials this count found missing or booked
        elsewhere (still in stock, not held yet); the manager may remove some
        before putting the others on hold."""
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda ln: (
                ln.result in ("missing", "elsewhere")
                and ln.lot_id
                and not ln.lot_id.serial_on_hold
            )
        )
        if not lines:
            raise UserError(
                self.env._(
                    "%(count)s has no missing serial nor one booked elsewhere "
                    "to put on hold.",
                    count=self.name,
                )
            )
        return lines.lot_id.action_open_serial_hold()

    # ------------------------------------------------------------------
    # Result report (PDF and xlsx)
    # ------------------------------------------------------------------
    def _serial_report_groups(self):
        """Per product (by name; unknown serials without product last): the
        number of lines of each result and the lines, found, missing, booked
        elsewhere then unknown."""
        self.ensure_one()
        rank = {result: index for index, (result, _label) in enumerate(COUNT_RESULTS)}
        groups = defaultdict(list)
        for line in self.line_ids:
            groups[line.product_id].append(line)
        out = []
        for product in sorted(groups, key=lambda p: (not p, p.display_name or "")):
            lines = sorted(groups[product], key=lambda ln: (rank[ln.result], ln.name))
            counts = defaultdict(int)
            for line in lines:
                counts[line.result] += 1
            out.append(
                {
                    "product": product.display_name
                    if product
                    else self.env._("(no product)"),
                    "counts": dict(counts),
                    "lines": lines,
                }
            )
        return out

    def _serial_export_xlsx(self):
        """The count's result as .xlsx bytes: sheet "Summary" (per product)
        and sheet "Lines" (one row per serial). Every cell is formula-safe."""
        results = dict(
            self.env["stock.serial.count.line"]
            ._fields["result"]
            ._description_selection(self.env)
        )
        statuses = dict(
            self.env["stock.serial.count.line"]
            ._fields["serial_status"]
            ._description_selection(self.env)
        )
        actions = dict(
            self.env["stock.serial.count.line"]
            ._fields["action"]
            ._description_selection(self.env)
        )
        groups = self._serial_report_groups()
        summary = (
            self.env._("Summary"),
            [self.env._("Product")] + [results[key] for key, _label in COUNT_RESULTS],
            (
                [group["product"]]
                + [group["counts"].get(key, 0) for key, _label in COUNT_RESULTS]
                for group in groups
            ),
        )
        lines = (
            self.env._("Lines"),
            [
                self.env._("Product"),
                self.env._("Serial Number"),
                self.env._("Result"),
                self.env._("Booked At"),
                self.env._("Status"),
                self.env._("Action"),
            ],
            (
                [
                    group["product"],
                    line.name,
                    results[line.result],
                    line.booked_location_id.display_name or "",
                    statuses.get(line.serial_status, ""),
                    actions[line.action],
                ]
                for group in groups
                for line in group["lines"]
            ),
        )
        return parsing.write_xlsx_sheets([summary, lines])

    def action_export_xlsx(self):
        """Download the count's result as .xlsx."""
        self.ensure_one()
        return xlsx_download(self, f"{self.name}.xlsx", self._serial_export_xlsx())
