# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..downloads import xlsx_download
from ..lib import parsing
from ..models.stock_lot import SERIAL_STATUSES
from ..models.stock_serial_history import HISTORY_TYPES

# The latest done movement of each serial: where it is now and why.
LAST_MOVE_SQL = """
    SELECT DISTINCT ON (h.lot_id)
           h.lot_id, h.move_type, h.reference, h.date, h.picking_id,
           h.production_id, h.unbuild_id, h.scrap_id, h.repair_id, h.move_id,
           h.partner_id
      FROM stock_serial_history h
     WHERE h.lot_id = ANY(%s) AND h.move_id IS NOT NULL
     ORDER BY h.lot_id, h.date DESC, h.id DESC
"""


class StockSerialTrace(models.TransientModel):
    _name = "stock.serial.trace"
    _description = "Serial Number Trace / Recall"

    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial / Lot",
        required=True,
        help="Where to start: a serial number, or a lot (e.g. a bad component batch).",
    )
    extra_lot_ids = fields.Many2many(
        "stock.lot",
        "stock_serial_trace_extra_lot_rel",
        "trace_id",
        "lot_id",
        string="More Serials / Lots",
        help="Also start from these (e.g. every serial of a bad delivery).",
    )
    direction = fields.Selection(
        [
            ("down", "Where it went (what it was built into, who received it)"),
            ("up", "What it is made of (its components)"),
        ],
        required=True,
        default="down",
    )
    max_depth = fields.Integer(
        string="Levels",
        help="How many levels to follow; 0 follows every level.",
    )
    include_removed = fields.Boolean(
        string="Show Removed Parts",
        help="Also follow the parts that repairs took out, as the units were "
        "before (they are marked with the repair that removed them). "
        "Unticked, the trace shows the units as they are now.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    traced = fields.Boolean(readonly=True)
    line_ids = fields.One2many(
        "stock.serial.trace.line", "trace_id", string="Result", readonly=True
    )
    line_count = fields.Integer(compute="_compute_summary", string="Serials Found")
    customer_ids = fields.Many2many(
        "res.partner",
        compute="_compute_summary",
        string="Customers to Contact",
    )
    customer_count = fields.Integer(compute="_compute_summary")
    customer_summary = fields.Text(
        compute="_compute_summary", string="Customers to Contact (Summary)"
    )

    @api.depends("lot_id", "direction")
    def _compute_display_name(self):
        for trace in self:
            trace.display_name = _("Trace %(serial)s", serial=trace.lot_id.name or "")

    @api.depends("line_ids.customer_id", "line_ids.lot_id", "line_ids.delivery_date")
    def _compute_summary(self):
        for trace in self:
            groups = trace._serial_customer_groups()
            trace.line_count = len(trace.line_ids)
            trace.customer_ids = [
                fields.Command.set([customer.id for customer in groups])
            ]
            trace.customer_count = len(groups)
            trace.customer_summary = "\n".join(
                trace._serial_customer_line(customer, lines)
                for customer, lines in groups.items()
            )

    def _serial_customer_line(self, customer, lines):
        names = lines.lot_id.mapped("name")
        dates = [date for date in lines.mapped("delivery_date") if date]
        return _(
            "%(customer)s: %(count)s (%(names)s), last delivered %(date)s",
            customer=customer.display_name,
            count=len(lines),
            names=", ".join(names[:20]) + (", …" if len(names) > 20 else ""),
            date=fields.Date.to_string(max(dates)) if dates else "?",
        )

    def _serial_customer_groups(self):
        """{customer: trace lines shipped to it}, customers by name."""
        self.ensure_one()
        groups = defaultdict(lambda: self.env["stock.serial.trace.line"])
        for line in self.line_ids.filtered("customer_id"):
            groups[line.customer_id] |= line
        return dict(sorted(groups.items(), key=lambda item: item[0].display_name))

    # ------------------------------------------------------------------
    def _serial_reopen(self):
        self.ensure_one()
        return self._get_records_action(
            name=_("Trace %(serial)s", serial=self.lot_id.name),
            target="new",
            # a trace is a wide table: the widest dialog, which the add-on's
            # style widens to the screen (static/src/scss/serial_trace.scss)
            context=dict(self.env.context, dialog_size="extra-large"),
        )

    def action_trace(self):
        """Follow the genealogy from the starting serials/lots and list every
        serial reached with its status, last document and customer."""
        self.ensure_one()
        starts = self.lot_id | self.extra_lot_ids
        rows = starts._serial_trace_rows(
            self.direction,
            self.max_depth or None,
            include_removed=self.include_removed,
        )
        best = {}
        for row in rows:
            known = best.get(row["lot_id"])
            if known is None or row["level"] < known["level"]:
                best[row["lot_id"]] = row
        # Only what the user may read (other companies' serials stay hidden).
        lots = self.env["stock.lot"].browse(list(best))._filtered_access("read")
        last_moves = self._serial_last_moves(lots)
        vals_list = []
        for lot in lots:
            row = best[lot.id]
            last = last_moves.get(lot.id, {})
            # Serials know their customer; a lot (several units, maybe several
            # customers) shows the customer of its latest delivery.
            if lot.product_id.tracking == "serial":
                shipped = lot.serial_status == "shipped"
                customer = lot.customer_id.id
                delivered = lot.shipped_date or last.get("date")
            else:
                shipped = last.get("move_type") == "ship"
                customer = last.get("partner_id")
                delivered = last.get("date")
            vals_list.append(
                {
                    "trace_id": self.id,
                    "level": row["level"],
                    "lot_id": lot.id,
                    "via_lot_id": row["via_lot_id"],
                    "production_id": row["production_id"],
                    "repair_id": row["repair_id"],
                    "removed_repair_id": row["removed_repair_id"],
                    "serial_status": lot.serial_status,
                    "last_move_type": last.get("move_type"),
                    "document_ref": last.get("reference"),
                    "document_model": last.get("model"),
                    "document_res_id": last.get("res_id"),
                    "customer_id": shipped and customer,
                    "delivery_date": shipped and delivered,
                }
            )
        self.line_ids.unlink()
        self.env["stock.serial.trace.line"].create(vals_list)
        self.traced = True
        return self._serial_reopen()

    def _serial_last_moves(self, lots):
        """{lot id: latest done movement (type, document)} in one query."""
        if not lots:
            return {}
        self.env["stock.move.line"].flush_model()
        self.env.cr.execute(SQL(LAST_MOVE_SQL, lots.ids))
        result = {}
        for row in self.env.cr.dictfetchall():
            for field, model in (
                ("picking_id", "stock.picking"),
                ("production_id", "mrp.production"),
                ("unbuild_id", "mrp.unbuild"),
                ("scrap_id", "stock.scrap"),
                ("repair_id", "repair.order"),
                ("move_id", "stock.move"),
            ):
                if row[field]:
                    row.update(model=model, res_id=row[field])
                    break
            result[row["lot_id"]] = row
        return result

    # ------------------------------------------------------------------
    def _serial_export_columns(self):
        return [
            _("Level"),
            _("Serial / Lot"),
            _("Product"),
            _("Internal Reference"),
            _("Status"),
            _("Last Operation"),
            _("Document"),
            _("Via"),
            _("Manufacturing Order"),
            _("Repair Order"),
            _("Removed in Repair"),
            _("Location"),
            _("Customer"),
            _("Delivery Date"),
        ]

    def _serial_export_rows(self):
        statuses = dict(SERIAL_STATUSES)
        types = dict(HISTORY_TYPES)
        for line in self.line_ids:
            yield [
                line.level,
                line.lot_id.name,
                line.product_id.display_name,
                line.product_id.default_code or "",
                statuses.get(line.serial_status, ""),
                types.get(line.last_move_type, ""),
                line.document_ref or "",
                line.via_lot_id.name or "",
                line.production_id.name or "",
                line.repair_id.name or "",
                line.removed_repair_id.name or "",
                line.location_id.display_name or "",
                line.customer_id.display_name or "",
                fields.Datetime.to_string(line.delivery_date) or "",
            ]

    def _serial_export_customer_rows(self):
        for customer, lines in self._serial_customer_groups().items():
            dates = [date for date in lines.mapped("delivery_date") if date]
            yield [
                customer.display_name,
                customer.email or "",
                customer.phone or "",
                len(lines),
                ", ".join(lines.lot_id.mapped("name")),
                fields.Datetime.to_string(max(dates)) if dates else "",
            ]

    def _serial_export_xlsx(self):
        """The trace as .xlsx bytes: sheet "Trace" (one row per serial) and
        sheet "Customers" (who to contact). Every cell is formula-safe."""
        return parsing.write_xlsx_sheets(
            [
                (
                    "Trace",
                    self._serial_export_columns(),
                    self._serial_export_rows(),
                ),
                (
                    "Customers",
                    [
                        _("Customer"),
                        _("Email"),
                        _("Phone"),
                        _("Serials"),
                        _("Serial Numbers"),
                        _("Last Delivery"),
                    ],
                    self._serial_export_customer_rows(),
                ),
            ]
        )

    def action_export_xlsx(self):
        """Download the trace (and the customers to contact) as .xlsx."""
        self.ensure_one()
        if not self.traced:
            self.action_trace()
        filename = f"trace-{self.lot_id.name}.xlsx"
        return xlsx_download(self, filename, self._serial_export_xlsx())


class StockSerialTraceLine(models.TransientModel):
    _name = "stock.serial.trace.line"
    _description = "Serial Number Trace Line"
    _order = "level, product_id, lot_id"

    trace_id = fields.Many2one(
        "stock.serial.trace", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="trace_id.company_id")
    level = fields.Integer(readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial / Lot", readonly=True)
    product_id = fields.Many2one(related="lot_id.product_id")
    location_id = fields.Many2one(related="lot_id.location_id", string="Location")
    serial_status = fields.Selection(SERIAL_STATUSES, string="Status", readonly=True)
    last_move_type = fields.Selection(
        HISTORY_TYPES, string="Last Operation", readonly=True
    )
    via_lot_id = fields.Many2one(
        "stock.lot",
        string="Via",
        readonly=True,
        help="The serial one level closer to where the trace started.",
    )
    production_id = fields.Many2one(
        "mrp.production",
        string="Manufacturing Order",
        readonly=True,
        help="The order that links this serial to the one it came via.",
    )
    repair_id = fields.Many2one(
        "repair.order",
        string="Repair Order",
        readonly=True,
        help="The repair that fitted this part in the serial it came via.",
    )
    removed_repair_id = fields.Many2one(
        "repair.order",
        string="Removed in Repair",
        readonly=True,
        help="The repair that took this part out of the serial it came via: "
        "it was inside, it is no longer.",
    )
    document_ref = fields.Char(string="Document", readonly=True)
    document_model = fields.Char(readonly=True)
    document_res_id = fields.Integer(readonly=True)
    customer_id = fields.Many2one("res.partner", readonly=True)
    delivery_date = fields.Datetime(readonly=True)

    def action_open_document(self):
        self.ensure_one()
        if not self.document_model or not self.document_res_id:
            raise UserError(_("This serial has no document yet."))
        return (
            self.env[self.document_model]
            .browse(self.document_res_id)
            .get_formview_action()
        )

    def action_open_lot(self):
        self.ensure_one()
        return self.lot_id.get_formview_action()
