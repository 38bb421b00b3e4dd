from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .. import errors as serial_errors
from ..fastpath import guard
from ..lib import gs1
from ..lib import names as name_rules
from ..lib.errors import SerialInputError
from .stock_serial_history import HISTORY_SELECT_SQL

SERIAL_STATUSES = [
    ("planned", "Planned"),
    ("received", "In Stock"),
    ("returned", "Returned"),
    ("rejected", "Rejected"),
    ("consumed", "Consumed"),
    ("shipped", "Shipped"),
    ("written_off", "Written Off"),
    ("vendor_returned", "Returned to Vendor"),
]

# Database index keeping one name per product and company (see init()).
UNIQUE_INDEX = "stock_lot_serial_product_name_uniq"

# Serials in these statuses have left the company for good: they may only come
# back through a return (or an unbuild), never be received again as new stock.
GONE_STATUSES = ("consumed", "shipped", "written_off", "vendor_returned")

# Serial fields derived from the done move lines, each with the SQL that
# computes it, by one statement after every operation and at install. The
# statement sees per serial: ``lot`` (its row), ``pt`` (its product template),
# ``agg`` (aggregates of its history) and ``qty`` (its quantity in stock).
# The same tuple builds the statement, the cache invalidation and the
# modified() that makes the ORM recompute what depends on these fields.
DERIVED_FIELDS = (
    (
        "serial_status",
        """CASE
               WHEN pt.tracking <> 'serial' THEN lot.serial_status
               ELSE COALESCE(
                   agg.status,
                   CASE WHEN COALESCE(qty.on_hand, 0) > 0 THEN 'received'
                        ELSE 'planned' END)
           END""",
    ),
    ("supplier_id", "COALESCE(agg.supplier_id, lot.supplier_id)"),
    ("customer_id", "COALESCE(agg.customer_id, lot.customer_id)"),
    ("received_date", "COALESCE(agg.received_date, lot.received_date)"),
    ("shipped_date", "COALESCE(agg.shipped_date, lot.shipped_date)"),
    ("production_id", "COALESCE(agg.production_id, lot.production_id)"),
    # the order that consumed it last, unless a repair fitted it since (the
    # repair is then what it is in: no order)
    (
        "consumed_production_id",
        """CASE WHEN agg.went_in THEN agg.consumed_production_id
                ELSE lot.consumed_production_id END""",
    ),
)

# The status a history line of each type leaves the serial in (None: the line
# does not change it). A part fitted in a repair is inside the unit as a
# consumed component is; a part taken out is where it went: back in stock, in
# a reject location, scrapped, back to its vendor; the repaired unit keeps its
# status, unless the repair takes it out of a reject location (reworked) or
# into one, as a move would.
_STATUS_OF_LINE_SQL = """
    CASE hist.move_type
        WHEN 'receive' THEN 'received'
        WHEN 'adjust_in' THEN 'received'
        WHEN 'build' THEN 'received'
        WHEN 'ship' THEN 'shipped'
        WHEN 'return' THEN 'returned'
        WHEN 'vendor_return' THEN 'vendor_returned'
        WHEN 'consume' THEN 'consumed'
        WHEN 'scrap' THEN 'written_off'
        WHEN 'adjust_out' THEN 'written_off'
        WHEN 'reject' THEN 'rejected'
        WHEN 'unbuild' THEN CASE
            WHEN dl.usage IN ('internal', 'transit')
            THEN 'received' ELSE 'consumed' END
        WHEN 'move' THEN CASE
            WHEN hist.from_reject AND NOT COALESCE(dl.serial_is_reject, FALSE)
            THEN 'received' END
        WHEN 'repair_add' THEN 'consumed'
        WHEN 'repair_remove' THEN CASE
            WHEN dl.scrap_location OR dl.usage = 'inventory' THEN 'written_off'
            WHEN dl.serial_is_reject THEN 'rejected'
            WHEN dl.usage IN ('internal', 'transit') THEN 'received'
            WHEN dl.usage = 'supplier' THEN 'vendor_returned'
            WHEN dl.usage = 'customer' THEN 'shipped' END
        WHEN 'repair' THEN CASE
            WHEN dl.serial_is_reject AND NOT hist.from_reject THEN 'rejected'
            WHEN hist.from_reject AND NOT COALESCE(dl.serial_is_reject, FALSE)
            THEN 'received' END
    END
"""


# Odoo's stored ``stock.lot.location_id`` (``_compute_single_location``): the
# one location of the serial's quants with a positive quantity, else none.
# Computed in the same statement for the serials whose value Odoo marked to
# recompute (``locate``): its own recompute writes it in batches of a hundred
# serials, a tenth of a second per thousand. A serial whose location changes
# gets its write date and user, as the ORM's flush of the value gives it.
SINGLE_LOCATION_SQL = """CASE WHEN lot.id = ANY(%(locate)s) THEN qty.single_location
                             ELSE lot.location_id END"""
_LOCATION_CHANGED_SQL = """lot.id = ANY(%(locate)s)
                           AND lot.location_id IS DISTINCT FROM qty.single_location"""


def derived_fields_sql(where, locate=None, uid=None, now=None):
    """The UPDATE of DERIVED_FIELDS for the serials matching ``where`` (SQL),
    and of ``location_id`` for the serials ``locate`` (ids) if given, those
    whose location changes written by ``uid`` at ``now``.

    One correlated row per serial: a join with the updated table made
    PostgreSQL compare every pair of serials when its statistics did not know
    the serials just created (5,000 serials: 1.4 s of 1.7 s). Aggregating
    the history of all the serials first, then joining the aggregates, is
    twice as fast at 5,000 (0.24 s against 0.54 s) but took 200 s at 50,000:
    the planner, estimating one aggregate row, scanned them all for each
    serial. Here each serial's rows are found by index whatever the
    statistics say, and the time stays linear."""
    columns = [SQL.identifier(name) for name, _sql in DERIVED_FIELDS]
    values = [SQL(sql) for _name, sql in DERIVED_FIELDS]
    if locate:
        locate = list(locate)
        changed = SQL(_LOCATION_CHANGED_SQL, locate=locate)
        columns += [
            SQL.identifier(name) for name in ("location_id", "write_uid", "write_date")
        ]
        values += [
            SQL(SINGLE_LOCATION_SQL, locate=locate),
            SQL("CASE WHEN %s THEN %s ELSE lot.write_uid END", changed, uid),
            SQL("CASE WHEN %s THEN %s ELSE lot.write_date END", changed, now),
        ]
    return SQL(
        """
        UPDATE stock_lot lot
           SET (%(columns)s) = (
            SELECT %(values)s
              FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN LATERAL (
                  SELECT (array_agg(h.status ORDER BY h.date DESC, h.id DESC)
                              FILTER (WHERE h.status IS NOT NULL))[1] AS status,
                         (array_agg(h.partner_id ORDER BY h.date DESC, h.id DESC)
                              FILTER (WHERE h.move_type = 'receive'))[1] AS supplier_id,
                         (array_agg(h.partner_id ORDER BY h.date DESC, h.id DESC)
                              FILTER (WHERE h.move_type = 'ship'))[1] AS customer_id,
                         MAX(h.date) FILTER (
                              WHERE h.move_type IN ('receive', 'adjust_in', 'build')
                         ) AS received_date,
                         MAX(h.date) FILTER (WHERE h.move_type = 'ship')
                             AS shipped_date,
                         (array_agg(h.production_id ORDER BY h.date DESC, h.id DESC)
                              FILTER (WHERE h.move_type = 'build'))[1] AS production_id,
                         (array_agg(h.production_id ORDER BY h.date DESC, h.id DESC)
                              FILTER (WHERE h.move_type IN
                                      ('consume', 'repair_add')))[1]
                              AS consumed_production_id,
                         bool_or(h.move_type IN ('consume', 'repair_add'))
                              AS went_in
                    FROM (
                        SELECT hist.*, %(status_of_line)s AS status
                          FROM (%(history)s AND ml.lot_id = lot.id) hist
                          JOIN stock_location dl ON dl.id = hist.location_dest_id
                    ) h
              ) agg ON TRUE
              LEFT JOIN LATERAL (
                  SELECT SUM(q.quantity) FILTER (
                             WHERE ql.usage IN ('internal', 'transit')
                         ) AS on_hand,
                         CASE WHEN COUNT(DISTINCT q.location_id)
                                       FILTER (WHERE q.quantity > 0) = 1
                              THEN MIN(q.location_id) FILTER (WHERE q.quantity > 0)
                         END AS single_location
                    FROM stock_quant q
                    JOIN stock_location ql ON ql.id = q.location_id
                   WHERE q.lot_id = lot.id
              ) qty ON TRUE
             WHERE pp.id = lot.product_id)
         WHERE %(where)s
        """,
        columns=SQL(", ").join(columns),
        values=SQL(", ").join(values),
        status_of_line=SQL(_STATUS_OF_LINE_SQL),
        history=HISTORY_SELECT_SQL,
        where=where,
    )


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "stock.serial.bulk.mixin"]

    serial_status = fields.Selection(
        SERIAL_STATUSES,
        readonly=True,
        index=True,
        copy=False,
        help="Where this unit stands, derived from its done stock moves.",
    )
    serial_availability = fields.Selection(
        [("available", "Available"), ("reserved", "Reserved"), ("out", "Not in Stock")],
        string="Availability",
        compute="_compute_serial_availability",
        search="_search_serial_availability",
    )
    serial_company_id = fields.Many2one(
        "res.company",
        string="Rules Company",
        readonly=True,
        copy=False,
        help="Technical: the company whose serial rules apply (the lot's company, "
        "or the company it was created in when the lot is shared).",
    )
    serial_scope_company_id = fields.Many2one(
        "res.company",
        readonly=True,
        copy=False,
        help="Technical: set when the name must be unique across all products of "
        "this company; a unique constraint on it and the name enforces that.",
    )
    supplier_id = fields.Many2one("res.partner", index="btree_not_null", readonly=True)
    # Who a unit went to is for the company's own users: Odoo's subcontracting
    # lets a subcontractor on the portal read the serials it builds.
    customer_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        readonly=True,
        groups="base.group_user",
    )
    purchase_line_id = fields.Many2one(
        "purchase.order.line",
        string="Purchase Order Line",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
    serial_purchase_order_id = fields.Many2one(
        related="purchase_line_id.order_id", string="Purchase Order"
    )
    received_date = fields.Datetime(readonly=True, copy=False)
    shipped_date = fields.Datetime(readonly=True, copy=False, groups="base.group_user")
    production_id = fields.Many2one(
        "mrp.production",
        string="Built by",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    consumed_production_id = fields.Many2one(
        "mrp.production",
        string="Consumed by",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    serial_history_ids = fields.One2many(
        "stock.serial.history", "lot_id", string="History", readonly=True
    )
    serial_history_count = fields.Integer(compute="_compute_serial_history_count")
    serial_reject_reason = fields.Text(
        string="Reject Reason", readonly=True, groups="base.group_user"
    )
    serial_is_serial = fields.Boolean(
        compute="_compute_serial_is_serial",
        help="Technical: the product is tracked by unique serial number.",
    )

    _sql_constraints = [
        (
            "serial_company_name_uniq",
            "UNIQUE (serial_scope_company_id, name)",
            "A serial number must be unique across all products of the company.",
        ),
    ]

    def init(self):
        # Exact-name lookups (entry wizard, scans, company scope) need a btree
        # index; the native trigram index only serves ilike searches.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS stock_lot_serial_name_idx "
                "ON stock_lot (name, company_id)"
            )
        )
        # Serial lists filtered by status show a record count: with the
        # company of the record rules in the index, PostgreSQL counts from the
        # index alone (1,000,000 serials: 80 ms -> 30 ms, bench/).
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS stock_lot_serial_status_company_idx "
                "ON stock_lot (serial_status, company_id)"
            )
        )
        self._serial_init_unique_index()

    def _serial_init_unique_index(self):
        """One name per product and company, lots without a company included,
        enforced by the database so that concurrent transactions cannot both
        insert it. An expression index, because UNIQUE NULLS NOT DISTINCT
        needs PostgreSQL 15 and Odoo 18 runs on 12: on an older server that
        constraint fails to install and Odoo only logs it."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT 1 FROM pg_indexes "
                "WHERE tablename = 'stock_lot' AND indexname = %s",
                UNIQUE_INDEX,
            )
        )
        if cr.fetchone():
            return
        # the constraint this index replaces
        cr.execute(
            SQL(
                "ALTER TABLE stock_lot DROP CONSTRAINT IF EXISTS %s",
                SQL.identifier(UNIQUE_INDEX),
            )
        )
        cr.execute(
            SQL(
                """
                SELECT l.name, pt.name->>'en_US', COUNT(*)
                  FROM stock_lot l
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 GROUP BY l.product_id, COALESCE(l.company_id, 0), l.name,
                          pt.name->>'en_US'
                HAVING COUNT(*) > 1
                 ORDER BY l.name
                 LIMIT 50
                """
            )
        )
        duplicates = cr.fetchall()
        if duplicates:
            raise UserError(
                _(
                    "Serial numbers must be unique per product and company, but "
                    "these are recorded more than once: %(lines)s. Rename or "
                    "merge them, then install again.",
                    lines=", ".join(
                        f"{name} ({product}, {count}x)"
                        for name, product, count in duplicates
                    ),
                )
            )
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON stock_lot "
                "(product_id, COALESCE(company_id, 0), name)",
                SQL.identifier(UNIQUE_INDEX),
            )
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("product_id.tracking")
    def _compute_serial_is_serial(self):
        for lot in self:
            lot.serial_is_serial = lot.product_id.tracking == "serial"

    @api.depends(
        "quant_ids.quantity", "quant_ids.reserved_quantity", "quant_ids.location_id"
    )
    def _compute_serial_availability(self):
        self.env["stock.quant"].flush_model(
            ["lot_id", "quantity", "reserved_quantity", "location_id"]
        )
        state = {}
        if self.ids:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT q.lot_id, SUM(q.quantity), SUM(q.reserved_quantity)
                      FROM stock_quant q
                      JOIN stock_location l ON l.id = q.location_id
                     WHERE q.lot_id = ANY(%s) AND l.usage = 'internal'
                       -- a rejected unit is kept apart: not for use
                       AND NOT COALESCE(l.serial_is_reject, FALSE)
                     GROUP BY q.lot_id
                    """,
                    self.ids,
                )
            )
            for lot_id, quantity, reserved in self.env.cr.fetchall():
                if quantity <= 0:
                    state[lot_id] = "out"
                elif reserved >= quantity:
                    state[lot_id] = "reserved"
                else:
                    state[lot_id] = "available"
        for lot in self:
            lot.serial_availability = state.get(lot.id, "out")

    def _search_serial_availability(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(_("Unsupported search on availability."))
        values = [value] if isinstance(value, str) else list(value or [])
        in_stock = [
            ("location_id.usage", "=", "internal"),
            ("location_id.serial_is_reject", "=", False),
            ("quantity", ">", 0),
        ]
        domains = {
            "available": [
                ("quant_ids", "any", in_stock + [("reserved_quantity", "=", 0)])
            ],
            "reserved": [
                ("quant_ids", "any", in_stock + [("reserved_quantity", ">", 0)])
            ],
            "out": [("quant_ids", "not any", in_stock)],
        }
        domain = expression.OR([domains[v] for v in values if v in domains]) or [
            (0, "=", 1)
        ]
        if operator in ("!=", "not in"):
            domain = ["!"] + expression.normalize_domain(domain)
        return domain

    def _compute_serial_history_count(self):
        groups = self.env["stock.serial.history"]._read_group(
            [("lot_id", "in", self.ids)], ["lot_id"], ["__count"]
        )
        counts = {lot.id: count for lot, count in groups}
        for lot in self:
            lot.serial_history_count = counts.get(lot.id, 0)

    # ------------------------------------------------------------------
    # Create / write: names and rules
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._serial_prepare_create(vals_list)
        return super().create(vals_list)

    @api.model
    def _serial_prepare_create(self, vals_list):
        """Normalise the names and set the serial fields of ``vals_list`` in
        place; refuse bad or taken names before anything is written."""
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list if vals.get("product_id")}
        )
        serial_products = products.filtered(lambda p: p.tracking == "serial")
        companies = self.env["res.company"].browse(
            {vals["company_id"] for vals in vals_list if vals.get("company_id")}
        )
        names_by_company = defaultdict(list)
        for vals in vals_list:
            if "name" in vals:
                vals["name"] = name_rules.normalize(vals["name"] or "")
            product = products.browse(vals.get("product_id"))
            company = (
                companies.browse(vals.get("company_id"))
                or product.company_id
                or self.env.company
            )
            vals.setdefault("serial_company_id", company.id)
            if company.serial_unique_scope == "company":
                vals.setdefault("serial_scope_company_id", company.id)
            if product in serial_products:
                vals.setdefault("serial_status", "planned")
                if "name" in vals:
                    names_by_company[company].append(vals["name"])
        # Refuse bad names before anything is written.
        self._serial_raise_unstorable(vals.get("name") for vals in vals_list)
        for company, names in names_by_company.items():
            self._serial_raise_invalid_names(company, names)
            self._serial_raise_taken_in_company(company, names)
        self._serial_raise_duplicates(
            [
                (
                    vals["name"],
                    vals["product_id"],
                    vals.get("company_id")
                    or products.browse(vals["product_id"]).company_id.id,
                )
                for vals in vals_list
                if vals.get("name") and vals.get("product_id")
            ]
        )

    def write(self, vals):
        if "name" in vals:
            vals["name"] = name_rules.normalize(vals["name"] or "")
            self._serial_check_rename()
        if {"name", "product_id", "company_id"} & set(vals):
            # every rule checked before the new values reach the database
            self._serial_check_new_values(vals)
        return super().write(vals)

    def _serial_check_new_values(self, vals):
        """Refuse, naming the serials, what writing ``vals`` on these lots
        would break: format rules, company-wide and per-product uniqueness."""
        product = self.env["product.product"].browse(vals.get("product_id"))
        entries = []
        by_company = defaultdict(list)
        for lot in self:
            name = vals.get("name", lot.name)
            lot_product = product if "product_id" in vals else lot.product_id
            company_id = vals.get("company_id", lot.company_id.id)
            entries.append((name, lot_product.id, company_id))
            if lot_product.tracking == "serial":
                company = lot.serial_company_id or lot.company_id or self.env.company
                by_company[company].append(name)
        self._serial_raise_unstorable(entry[0] for entry in entries)
        for company, names in by_company.items():
            self._serial_raise_invalid_names(company, names)
            if "name" in vals:
                self._serial_raise_taken_in_company(company, names, self.ids)
        self._serial_raise_duplicates(entries, exclude_ids=self.ids)

    @api.model
    def _serial_raise_unstorable(self, names):
        """PostgreSQL cannot store a NUL character: refuse it with the name
        instead of a database error, for lots of any tracking."""
        bad = name_rules.unstorable_names(names)
        if bad:
            raise ValidationError(
                _(
                    "Serial numbers cannot contain the character %(char)s: %(names)s",
                    char=name_rules.char_name("\x00"),
                    names=", ".join(repr(name) for name in bad[:50]),
                )
            )

    @api.model
    def _serial_raise_duplicates(self, entries, exclude_ids=()):
        """Refuse names already used by the same product in the same company,
        or twice in ``entries`` (``(name, product id, company id)``), as the
        unique index would, but naming the serials and before any write.
        As in Odoo's own rule, a lot without a company clashes with every
        company's. The index stays as the last defence against races."""
        if not entries:
            return

        def clash(company_ids, company_id):
            return any(not c or not company_id or c == company_id for c in company_ids)

        seen = defaultdict(list)
        twice = {}
        for name, product_id, company_id in entries:
            if clash(seen[(product_id, name)], company_id):
                twice[(product_id, name)] = None
            seen[(product_id, name)].append(company_id)
        self.flush_model(["name", "product_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT name, product_id, company_id
                  FROM stock_lot
                 -- IN (SELECT unnest(...)): see the entry wizard's database check
                 WHERE name IN (SELECT unnest(%s::varchar[]))
                   AND product_id = ANY(%s) AND NOT id = ANY(%s)
                """,
                list({entry[0] for entry in entries}),
                list({entry[1] for entry in entries}),
                list(exclude_ids),
            )
        )
        existing = defaultdict(list)
        for name, product_id, company_id in self.env.cr.fetchall():
            existing[(product_id, name)].append(company_id)
        taken = {
            (product_id, name): None
            for name, product_id, company_id in entries
            if clash(existing.get((product_id, name), ()), company_id)
        }
        if not (taken or twice):
            return
        products = self.env["product.product"].browse(
            {key[0] for key in [*taken, *twice]}
        )
        product_names = {p.id: p.display_name for p in products.sudo()}

        def lines(keys):
            return ", ".join(
                f"{name} ({product_names[product_id]})"
                for product_id, name in list(keys)[:50]
            )

        errors = []
        if taken:
            errors.append(
                _(
                    "These serial numbers already exist for the product: %(lines)s",
                    lines=lines(taken),
                )
            )
        if twice:
            errors.append(
                _(
                    "These serial numbers are given twice for the same product: "
                    "%(lines)s",
                    lines=lines(twice),
                )
            )
        raise ValidationError("\n".join(errors))

    def _serial_check_rename(self):
        """Serials already received on a purchase line keep their name."""
        locked = self.filtered(
            lambda lot: (
                lot.purchase_line_id and lot.serial_status not in (False, "planned")
            )
        )
        if locked:
            raise UserError(
                _(
                    "These serial numbers were received on a purchase order and "
                    "cannot be renamed: %(names)s",
                    names=", ".join(locked.mapped("name")),
                )
            )

    @api.constrains("name", "product_id", "company_id")
    def _serial_check_name_rules(self):
        by_company = defaultdict(list)
        for lot in self:
            if lot.product_id.tracking == "serial":
                company = lot.serial_company_id or lot.company_id or self.env.company
                by_company[company].append(lot.name)
        for company, names in by_company.items():
            self._serial_raise_invalid_names(company, names)

    @api.model
    def _serial_invalid_names(self, company, names):
        """Return {name: reason text} for names breaking the company rules:
        the rules of ``lib/names.py``, the reasons in the user's language."""
        return serial_errors.invalid_names(self.env, company, names)

    @api.model
    def _serial_raise_invalid_names(self, company, names):
        invalid = self._serial_invalid_names(company, names)
        if invalid:
            raise ValidationError(
                _(
                    "Invalid serial numbers:\n%(lines)s",
                    lines="\n".join(
                        f"- {name or '(empty)'}: {reason}"
                        for name, reason in list(invalid.items())[:50]
                    ),
                )
            )

    @api.model
    def _serial_raise_taken_in_company(self, company, names, exclude_ids=()):
        """Company scope: refuse names already used by any product."""
        if company.serial_unique_scope != "company" or not names:
            return
        self.flush_model(["name", "serial_scope_company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT l.name, pt.name->>'en_US'
                  FROM stock_lot l
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE l.serial_scope_company_id = %s AND l.name = ANY(%s)
                   AND NOT l.id = ANY(%s)
                """,
                company.id,
                list(names),
                list(exclude_ids),
            )
        )
        rows = self.env.cr.fetchall()
        if rows:
            raise ValidationError(
                _(
                    "Serial numbers must be unique across all products of the "
                    "company. Already used: %(lines)s",
                    lines="; ".join(f"{name} ({product})" for name, product in rows),
                )
            )

    @api.constrains("name")
    def _serial_check_unique_company(self):
        for lot in self.filtered("serial_scope_company_id"):
            self._serial_raise_taken_in_company(
                lot.serial_scope_company_id, [lot.name], exclude_ids=lot.ids
            )

    # ------------------------------------------------------------------
    # Status
    # ------------------------------------------------------------------
    def _serial_recompute_status(self):
        """Derive status, partners, dates and MOs of these serials from their
        done moves, in one set-based statement; in the same statement, Odoo's
        location of those of them whose quants changed since it was computed
        (unless another module computes it its own way)."""
        if not self.ids:
            return
        location = self._fields["location_id"]
        locate = self.browse()
        if (
            guard.allowed(self, "lot_location")
            and location.compute == "_compute_single_location"
        ):
            # taken out of the ORM's recompute before the flush, computed below
            locate = self.env.records_to_compute(location) & self
            self.env.remove_to_compute(location, locate)
        self.env.flush_all()
        where = SQL("lot.id = ANY(%s)", list(self.ids))
        self.env.cr.execute(
            derived_fields_sql(
                where, locate=locate.ids, uid=self.env.uid, now=self.env.cr.now()
            )
        )
        self._serial_derived_written()
        if locate:
            locate.invalidate_recordset(["location_id", "write_uid", "write_date"])
            locate.modified(["location_id"])

    @api.model
    def _serial_recompute_all(self):
        """Backfill every serial (install on a database that has serials)."""
        self.env.flush_all()
        self.env.cr.execute(derived_fields_sql(SQL("TRUE")))
        self.search([])._serial_derived_written()

    def _serial_derived_written(self):
        """What the ORM does after a write of DERIVED_FIELDS on these serials:
        drop their cached values and recompute what depends on them in any
        module (the warranty end here, a stored field of another module
        there). The history and the genealogy are views over the move lines
        without dependencies the ORM could follow: their caches go too."""
        derived = [name for name, _sql in DERIVED_FIELDS]
        self.invalidate_recordset(derived)
        self.modified(derived)
        self.env["stock.lot"].invalidate_model(
            [
                "serial_history_ids",
                "serial_history_count",
                "serial_component_lot_ids",
                "serial_parent_lot_ids",
                "serial_component_all_lot_ids",
                "serial_parent_all_lot_ids",
                "serial_has_genealogy",
                "serial_components_deep",
                "serial_parents_deep",
            ]
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_reject(self, reason):
        """Move these serials to their company's reject location.

        :param reason: why they failed inspection; logged on each serial.
        """
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give a reason for the rejection."))
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "in", self.ids),
                ("quantity", ">", 0),
                ("location_id.usage", "=", "internal"),
            ]
        )
        quant_by_lot = {quant.lot_id: quant for quant in quants}
        not_in_stock = self.filtered(
            lambda lot: (
                lot not in quant_by_lot
                or quant_by_lot[lot].location_id.serial_is_reject
            )
        )
        if not_in_stock:
            statuses = dict(SERIAL_STATUSES)
            raise UserError(
                _(
                    "Only serials in stock can be rejected: %(lines)s",
                    lines=", ".join(
                        f"{lot.name} ({statuses.get(lot.serial_status, '')})"
                        for lot in not_in_stock
                    ),
                )
            )
        moves_vals = []
        for lot in self:
            quant = quant_by_lot[lot]
            company = lot.company_id or quant.company_id
            destination = company._serial_get_reject_location()
            moves_vals.append(
                lot._serial_move_vals(
                    quant,
                    destination,
                    _("Reject %(serial)s", serial=lot.name),
                    _("Rejected: %(reason)s", reason=reason),
                )
            )
        moves = self.env["stock.move"].create(moves_vals)
        moves._action_done()
        self.sudo().write({"serial_reject_reason": reason})
        for lot in self:
            lot.message_post(body=_("Rejected: %(reason)s", reason=reason))
        return True

    def _serial_move_vals(self, quant, destination, name, origin):
        """A picked move of this serial's whole ``quant`` to ``destination``
        (reject, release), ready for _action_done."""
        self.ensure_one()
        return {
            "name": name,
            "product_id": self.product_id.id,
            "product_uom_qty": quant.quantity,
            "product_uom": self.product_id.uom_id.id,
            "location_id": quant.location_id.id,
            "location_dest_id": destination.id,
            "company_id": quant.company_id.id,
            "origin": origin,
            "move_line_ids": [
                fields.Command.create(
                    {
                        "product_id": self.product_id.id,
                        "lot_id": self.id,
                        "quantity": quant.quantity,
                        "product_uom_id": self.product_id.uom_id.id,
                        "location_id": quant.location_id.id,
                        "location_dest_id": destination.id,
                        "package_id": quant.package_id.id,
                        "owner_id": quant.owner_id.id,
                        "picked": True,
                    }
                )
            ],
            "picked": True,
        }

    def action_open_serial_reject(self):
        return self.env["stock.serial.reject"]._get_records_action(
            name=_("Reject Serials"),
            target="new",
            context={"default_lot_ids": [fields.Command.set(self.ids)]},
        )

    def action_view_serial_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_serial_tracking.action_stock_serial_history"
        )
        action["domain"] = [("lot_id", "=", self.id)]
        action["context"] = {"search_default_group_by_type": 0}
        return action

    def action_view_serial_purchase(self):
        self.ensure_one()
        return self.purchase_line_id.order_id.get_formview_action()

    def action_view_serial_production(self):
        self.ensure_one()
        production = (
            self.production_id
            if self.env.context.get("serial_built")
            else self.consumed_production_id
        )
        return production.get_formview_action()

    # ------------------------------------------------------------------
    # Scan to open: a label's code finds its serial
    # ------------------------------------------------------------------
    @api.model
    def _search_display_name(self, operator, value):
        # a GS1 code typed or scanned into any serial field (scrap, unbuild,
        # detailed operations) finds the serial it carries, of its product
        if isinstance(value, str) and operator in ("ilike", "=", "=ilike", "like"):
            try:
                name, scanned = gs1.read(value)
            except SerialInputError:
                name, scanned = None, None
            if scanned and name:
                domain = super()._search_display_name("=", name)
                if scanned.gtin:
                    barcodes = gs1.barcodes_of(scanned.gtin)
                    domain = expression.AND(
                        [domain, [("product_id.barcode", "in", barcodes)]]
                    )
                return domain
        return super()._search_display_name(operator, value)

    @api.model
    def serial_action_open_by_code(self, code):
        """Window action opening the serial whose name is the scanned ``code``,
        or False when no serial (of the user's companies) has that name.

        Scanners may add spaces or control characters around the code; the
        exact name wins, otherwise the name is matched case-insensitively.
        Several matches (one name used by several products) open them as a list.
        """
        # a GS1 label: its AI 21 is the serial, its GTIN the product
        try:
            code, scanned = gs1.read(code or "")
        except SerialInputError:
            return False
        gtin = scanned and scanned.gtin
        code = "".join(char for char in (code or "") if char.isprintable()).strip()
        if not code:
            return False
        # a GS1 code names its product: a serial of another product is no match
        domain = [("product_id.barcode", "!=", False)] if gtin else []
        lots = self.search(domain + [("name", "=", code)], limit=80)
        if not lots:
            # =ilike is a LIKE pattern: scanned % and _ must match themselves.
            pattern = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            lots = self.search(domain + [("name", "=ilike", pattern)], limit=80)
        if gtin:
            lots = lots.filtered(
                lambda lot: gs1.same_gtin(gtin, lot.product_id.barcode)
            )
        if not lots:
            return False
        return lots._get_records_action(
            name=lots.name if len(lots) == 1 else _("Scanned serials"),
            view_mode="form" if len(lots) == 1 else "list,form",
        )
