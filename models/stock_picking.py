# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import gs1
from ..lib.errors import SerialInputError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def serial_action_print_labels(self):
        """Open the serial label wizard on the serials of these transfers."""
        lots = self.move_line_ids.lot_id
        return self.env["stock.serial.label.wizard"]._serial_open_for(lots)

    def _get_lot_move_lines_for_sanity_check(
        self, none_done_picking_ids, separate_pickings=True
    ):
        # Products that do not require serials on this side may be validated
        # without them (serials assigned later).
        lines = super()._get_lot_move_lines_for_sanity_check(
            none_done_picking_ids, separate_pickings
        )
        return lines.filtered(lambda ml: not ml._serial_lot_optional())

    def serial_action_scan(self, code):
        """A serial scanned on this open transfer: put it on the line of its
        product, checked as in the serial entry wizard. Return what to tell
        the user: ``{"type": "success" | "warning" | "danger", "message"}``."""
        self.ensure_one()
        if not isinstance(code, str) or not code.strip():
            return {"type": "danger", "message": self.env._("Nothing was scanned.")}
        code = code.strip()
        if "\x00" in code:
            return {
                "type": "danger",
                "message": self.env._(
                    "The scanned code holds a character that cannot be stored."
                ),
            }
        moves = self.move_ids.filtered(
            lambda m: (
                m.product_id.tracking == "serial"
                and m.state not in ("draft", "done", "cancel")
            )
        )
        if not moves:
            return {
                "type": "danger",
                "message": self.env._(
                    "%(picking)s has no line waiting for serial numbers.",
                    picking=self.display_name,
                ),
            }
        move = self._serial_move_for_code(moves, code)
        if not move:
            return {
                "type": "danger",
                "message": self.env._(
                    "%(code)s matches no product of %(picking)s.",
                    code=gs1.printable(code),
                    picking=self.display_name,
                ),
            }
        wizard = (
            self.env["stock.serial.entry"]
            .with_context(**move.action_open_serial_entry()["context"])
            .create({})
        )
        state, message = wizard._serial_apply_one_scan(code)
        kind = {"ok": "success", "repeat": "warning"}.get(state, "danger")
        return {
            "type": kind,
            "message": f"{move.product_id.display_name}: {message} "
            f"({move.serial_progress})",
        }

    def _serial_move_for_code(self, moves, code):
        """The move a scanned code belongs to: by the GTIN of a GS1 code, by
        an existing serial of that name, or the only serial product's move;
        among several moves of the product, the first still missing serials."""
        try:
            name, scanned = gs1.read(code)
        except SerialInputError:
            name, scanned = None, None
        gtin = scanned and scanned.gtin
        products = moves.product_id
        if gtin:
            products = products.filtered(lambda p: gs1.same_gtin(gtin, p.barcode))
        elif len(products) > 1 and name:
            named = (
                self.env["stock.lot"]
                .search([("name", "=", name), ("product_id", "in", products.ids)])
                .product_id
            )
            products = named or products
        if len(products) != 1:
            return self.env["stock.move"]
        candidates = moves.filtered(lambda m: m.product_id == products)
        # the move that already holds the serial (reserved there), else the
        # first one still missing serials
        holding = candidates.filtered(
            lambda m: (
                name in m.move_line_ids.lot_id.mapped("name")
                or name in m.move_line_ids.mapped("lot_name")
            )
        )
        return (
            holding[:1]
            or candidates.filtered(lambda m: m.serial_tracing_state != "complete")[:1]
            or candidates[:1]
        )

    def _sanity_check(self, separate_pickings=True):
        # the first step of validation that sees the lines of a draft receipt
        # confirmed by Validate: the auto-numbered serials are named here,
        # before Odoo and the add-on look for missing serials (and after the
        # subcontracted components are checked: a refusal takes no number)
        self._serial_check_subcontract_components()
        self.move_ids._serial_autonumber_unnamed_lines()
        self._serial_check_missing_serials()
        return super()._sanity_check(separate_pickings=separate_pickings)

    def _serial_check_subcontract_components(self):
        """The component serials recorded for a subcontracted receipt must be
        at the subcontractor. Odoo marks the subcontracting orders done after
        the receipt: checked before, the refusal writes nothing."""
        productions = self.move_ids.filtered("is_subcontract")
        productions = productions._get_subcontract_production().filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        lines = productions.move_raw_ids.move_line_ids.filtered(
            lambda ml: (
                ml.lot_id and ml.quantity > 0 and ml.product_id.tracking == "serial"
            )
        )
        errors = lines._serial_check_source()
        if errors:
            raise UserError("\n".join(errors))

    def _serial_check_missing_serials(self):
        """Say, per line, how many serials are missing ("3 of 4 serial numbers
        for [SW] Widget on WH/OUT/00012") rather than Odoo's generic "You need
        to supply a Lot/Serial number"."""
        using_lots = self.filtered(
            lambda p: (
                p.picking_type_id.use_create_lots or p.picking_type_id.use_existing_lots
            )
        )
        # the lines Odoo's own check looks at, for its message to never show
        lines = using_lots._get_lot_move_lines_for_sanity_check(set())
        moves = lines.filtered(
            lambda ml: (
                ml.product_id.tracking == "serial" and not ml.lot_id and not ml.lot_name
            )
        ).move_id
        if not moves:
            return
        lines_by_move = defaultdict(lambda: lines.browse())
        for line in lines:
            lines_by_move[line.move_id] |= line
        details = []
        for move in moves:
            checked = lines_by_move[move]
            named = checked.filtered(lambda ml: ml.lot_id or ml.lot_name)
            units = move.product_uom._compute_quantity(
                sum(checked.mapped("quantity")), move.product_id.uom_id, round=False
            )
            details.append(
                _(
                    "%(entered)s of %(required)s serial numbers for %(product)s "
                    "on %(reference)s",
                    entered=len(named),
                    required=int(round(units)),
                    product=move.product_id.display_name,
                    reference=move.picking_id.name or move.reference,
                )
            )
        raise UserError(
            _(
                "Serial numbers are missing:\n%(details)s\nEnter them with the "
                "Serials button of each line, or lower the quantity.",
                details="\n".join(f"- {line}" for line in details),
            )
        )

    # --- after-sales: customer returns and warranty ---
    serial_is_customer_return = fields.Boolean(
        compute="_compute_serial_is_customer_return",
        help="Technical: goods come back from a customer location.",
    )
    serial_return_override_reason = fields.Text(
        string="Accept Serials Anyway",
        copy=False,
        groups="stock_serial_tracking.group_serial_manager",
        help="Serial managers only. A customer return brings back only serials "
        "shipped to that customer; give a reason here to accept the others on "
        "this return. The reason and your name are logged on each such serial.",
    )
    serial_return_override_user_id = fields.Many2one(
        "res.users",
        string="Override By",
        readonly=True,
        copy=False,
        groups="stock_serial_tracking.group_serial_manager",
    )

    @api.depends("location_id.usage", "move_ids.location_id.usage")
    def _compute_serial_is_customer_return(self):
        for picking in self:
            picking.serial_is_customer_return = picking.location_id.usage == (
                "customer"
            ) or "customer" in picking.move_ids.location_id.mapped("usage")

    @api.model
    def _serial_override_vals(self, vals):
        # Field access (manager group) is checked by the ORM on create/write;
        # remember who gave the reason.
        if "serial_return_override_reason" not in vals:
            return vals
        reason = (vals["serial_return_override_reason"] or "").strip()
        return dict(
            vals,
            serial_return_override_reason=reason or False,
            serial_return_override_user_id=self.env.uid if reason else False,
        )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._serial_override_vals(v) for v in vals_list])

    def write(self, vals):
        return super().write(self._serial_override_vals(vals))

    def _serial_return_override(self):
        """True when a serial manager gave a reason to accept, on this customer
        return, serials that were not shipped to its customer."""
        self.ensure_one()
        picking = self.sudo()
        user = picking.serial_return_override_user_id
        return bool(
            picking.serial_return_override_reason
            and user
            and user.has_group("stock_serial_tracking.group_serial_manager")
        )
