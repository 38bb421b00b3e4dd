from odoo import _, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

HISTORY_TYPES = [
    ("receive", "Receipt"),
    ("ship", "Delivery"),
    ("return", "Customer Return"),
    ("vendor_return", "Return to Vendor"),
    ("move", "Internal Transfer"),
    ("adjust_in", "Inventory Adjustment (in)"),
    ("adjust_out", "Inventory Adjustment (out)"),
    ("build", "Produced"),
    ("consume", "Consumed"),
    ("unbuild", "Unbuilt"),
    ("scrap", "Scrapped"),
    ("reject", "Rejected"),
    ("hold", "On Hold"),
    ("release", "Hold Released"),
    ("repair_sent", "Sent to Repair"),
    ("repair", "Repaired"),
    ("repair_add", "Fitted in Repair"),
    ("repair_remove", "Removed in Repair"),
]

# The type of a done move line, from where it goes and why. Order matters:
# repair, manufacturing and scrap links win over location usages. A part
# fitted in a repair goes to a production location (it would read 'consume'),
# a part taken out comes from one (it would read 'build') and may go to a
# scrap location (it would read 'scrap'): the repair says what happened. The
# repaired unit's own move (repair, no part type) stays in stock; were it sent
# elsewhere (to a customer), the usages say where.
MOVE_TYPE_SQL = SQL("""
    CASE
        WHEN m.repair_id IS NOT NULL AND m.repair_line_type = 'add'
            THEN 'repair_add'
        WHEN m.repair_id IS NOT NULL AND m.repair_line_type IN ('remove', 'recycle')
            THEN 'repair_remove'
        WHEN m.repair_id IS NOT NULL AND m.repair_line_type IS NULL
             AND src.usage = 'internal' AND dst.usage = 'internal' THEN 'repair'
        WHEN m.scrap_id IS NOT NULL OR dst.scrap_location THEN 'scrap'
        WHEN m.consume_unbuild_id IS NOT NULL OR m.unbuild_id IS NOT NULL
            THEN 'unbuild'
        WHEN m.raw_material_production_id IS NOT NULL
             AND dst.usage = 'production' THEN 'consume'
        WHEN m.production_id IS NOT NULL AND src.usage = 'production' THEN 'build'
        WHEN src.usage = 'supplier' THEN 'receive'
        WHEN m.is_subcontract AND dst.usage = 'internal' THEN 'receive'
        WHEN dst.usage = 'supplier' THEN 'vendor_return'
        WHEN src.usage = 'customer' THEN 'return'
        WHEN dst.usage = 'customer' THEN 'ship'
        WHEN src.usage = 'inventory' THEN 'adjust_in'
        WHEN dst.usage = 'inventory' THEN 'adjust_out'
        WHEN src.usage = 'production' THEN 'build'
        WHEN dst.usage = 'production' THEN 'consume'
        WHEN dst.serial_is_reject AND NOT COALESCE(src.serial_is_reject, FALSE)
            THEN 'reject'
        ELSE 'move'
    END
""")

HISTORY_SELECT_SQL = SQL(
    """
    SELECT ml.id AS id,
           ml.lot_id AS lot_id,
           ml.product_id AS product_id,
           ml.company_id AS company_id,
           ml.date AS date,
           %(move_type)s AS move_type,
           COALESCE(ml.reference, m.reference) AS reference,
           ml.move_id AS move_id,
           ml.picking_id AS picking_id,
           COALESCE(m.production_id, m.raw_material_production_id)
               AS production_id,
           COALESCE(m.unbuild_id, m.consume_unbuild_id) AS unbuild_id,
           m.scrap_id AS scrap_id,
           m.workorder_id AS workorder_id,
           m.operation_id AS operation_id,
           m.repair_id AS repair_id,
           m.purchase_line_id AS purchase_line_id,
           ml.location_id AS location_id,
           ml.location_dest_id AS location_dest_id,
           COALESCE(sp.partner_id, m.partner_id) AS partner_id,
           ml.write_uid AS user_id,
           ml.quantity AS quantity,
           COALESCE(src.serial_is_reject, FALSE) AS from_reject
      FROM stock_move_line ml
      JOIN stock_move m ON m.id = ml.move_id
      JOIN stock_location src ON src.id = ml.location_id
      JOIN stock_location dst ON dst.id = ml.location_dest_id
      LEFT JOIN stock_picking sp ON sp.id = ml.picking_id
     WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL
""",
    move_type=MOVE_TYPE_SQL,
)

# Holds and releases are not moves: they join the history from their log, with
# negative ids that never clash with the move lines' ids yet grow with the log
# (later rows first among equal dates), no move and the same location on both
# sides (the serial stays where it is).
HOLD_SELECT_SQL = SQL("""
    SELECT h.id - 2147483647 AS id,
           h.lot_id AS lot_id,
           h.product_id AS product_id,
           h.company_id AS company_id,
           h.date AS date,
           h.action AS move_type,
           h.reason AS reference,
           NULL::integer AS move_id,
           NULL::integer AS picking_id,
           NULL::integer AS production_id,
           NULL::integer AS unbuild_id,
           NULL::integer AS scrap_id,
           NULL::integer AS workorder_id,
           NULL::integer AS operation_id,
           NULL::integer AS repair_id,
           NULL::integer AS purchase_line_id,
           h.location_id AS location_id,
           h.location_id AS location_dest_id,
           NULL::integer AS partner_id,
           h.user_id AS user_id,
           0.0::numeric AS quantity,
           FALSE AS from_reject
      FROM stock_serial_hold_log h
""")

# A repair order taking a serial in is no move either (the unit stays where it
# is until the repair is done): it joins the history from the order, dated
# when it was confirmed, under negative ids from the other end of the range
# than the hold log's (-1, -2, ... against -2147483646, ...), so that neither
# clashes with the other unless both held a billion rows. It stays after the
# repair is done or cancelled: the unit was sent to repair.
REPAIR_SENT_SELECT_SQL = SQL("""
    SELECT -r.id AS id,
           r.lot_id AS lot_id,
           r.product_id AS product_id,
           r.company_id AS company_id,
           r.serial_sent_date AS date,
           'repair_sent' AS move_type,
           r.name AS reference,
           NULL::integer AS move_id,
           NULL::integer AS picking_id,
           NULL::integer AS production_id,
           NULL::integer AS unbuild_id,
           NULL::integer AS scrap_id,
           NULL::integer AS workorder_id,
           NULL::integer AS operation_id,
           r.id AS repair_id,
           NULL::integer AS purchase_line_id,
           r.product_location_src_id AS location_id,
           r.product_location_src_id AS location_dest_id,
           r.partner_id AS partner_id,
           r.user_id AS user_id,
           r.product_qty AS quantity,
           FALSE AS from_reject
      FROM repair_order r
     WHERE r.lot_id IS NOT NULL AND r.serial_sent_date IS NOT NULL
""")


class StockSerialHistory(models.Model):
    _name = "stock.serial.history"
    _description = "Serial Number History"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "reference"
    # What the view reads: a search flushes these first, so that the history
    # shows what was just written in the same transaction (Odoo's own
    # subcontracting dates its build a second before the receipt by a write).
    _depends = {
        "stock.move.line": [
            "lot_id",
            "product_id",
            "company_id",
            "date",
            "state",
            "reference",
            "move_id",
            "picking_id",
            "location_id",
            "location_dest_id",
            "quantity",
        ],
        "stock.move": [
            "reference",
            "production_id",
            "raw_material_production_id",
            "unbuild_id",
            "consume_unbuild_id",
            "scrap_id",
            "workorder_id",
            "operation_id",
            "purchase_line_id",
            "partner_id",
            "is_subcontract",
            "repair_id",
            "repair_line_type",
        ],
        "stock.location": ["usage", "scrap_location", "serial_is_reject"],
        "stock.picking": ["partner_id"],
        "stock.serial.hold.log": [
            "lot_id",
            "product_id",
            "company_id",
            "date",
            "action",
            "reason",
            "location_id",
            "user_id",
        ],
        "repair.order": [
            "lot_id",
            "product_id",
            "company_id",
            "serial_sent_date",
            "name",
            "product_location_src_id",
            "partner_id",
            "user_id",
            "product_qty",
        ],
    }

    lot_id = fields.Many2one("stock.lot", string="Serial Number", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Datetime(readonly=True)
    move_type = fields.Selection(HISTORY_TYPES, string="Type", readonly=True)
    reference = fields.Char(string="Document", readonly=True)
    move_id = fields.Many2one("stock.move", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    production_id = fields.Many2one("mrp.production", readonly=True)
    unbuild_id = fields.Many2one("mrp.unbuild", readonly=True)
    scrap_id = fields.Many2one("stock.scrap", readonly=True)
    workorder_id = fields.Many2one("mrp.workorder", string="Work Order", readonly=True)
    operation_id = fields.Many2one("mrp.routing.workcenter", readonly=True)
    repair_id = fields.Many2one("repair.order", string="Repair Order", readonly=True)
    purchase_line_id = fields.Many2one("purchase.order.line", readonly=True)
    location_id = fields.Many2one("stock.location", string="From", readonly=True)
    location_dest_id = fields.Many2one("stock.location", string="To", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    user_id = fields.Many2one("res.users", string="Done By", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    from_reject = fields.Boolean(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # the view reads the hold log and the repairs' sent date: the table
        # and the column must exist first, whatever order the registry
        # initialises models in
        self.env["stock.serial.hold.log"]._auto_init()
        self.env["repair.order"]._auto_init()
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s UNION ALL %s UNION ALL %s)",
                SQL.identifier(self._table),
                HISTORY_SELECT_SQL,
                HOLD_SELECT_SQL,
                REPAIR_SENT_SELECT_SQL,
            )
        )

    def action_open_document(self):
        """Open the document behind this history line."""
        self.ensure_one()
        for record in (
            self.picking_id,
            self.production_id,
            self.unbuild_id,
            self.scrap_id,
            self.purchase_line_id.order_id,
            self.repair_id,
            self.move_id,
        ):
            if record:
                return record.get_formview_action()
        raise UserError(_("This history line has no document."))
