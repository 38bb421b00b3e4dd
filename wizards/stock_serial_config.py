from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero

from ..errors import error_text
from ..lib import numbering, serial_settings
from ..lib.errors import TemplateError

_MODES = [
    ("keep", "Keep"),
    ("set", "Set"),
    ("category", "Use Category's"),
]


class StockSerialConfig(models.TransientModel):
    """Switch many products to serial tracking and set their serial settings.

    Everything is checked before anything is written: the check lists what the
    switch implies for each product and what cannot be done; one refusal
    refuses the whole run, naming every product concerned.
    """

    _name = "stock.serial.config"
    _description = "Configure Serial Tracking"

    product_tmpl_ids = fields.Many2many(
        "product.template", string="Products", required=True
    )
    product_count = fields.Integer(compute="_compute_product_count")
    switch_tracking = fields.Boolean(
        string="Track by Serial Number",
        default=True,
        help="Switch the products to tracking by unique serial number (and make "
        "them storable when they are not).",
    )
    serial_required_receipt_mode = fields.Selection(_MODES, default="keep")
    serial_required_receipt = fields.Boolean(
        string="Serials Required on Receipt", default=True
    )
    serial_required_delivery_mode = fields.Selection(_MODES, default="keep")
    serial_required_delivery = fields.Boolean(
        string="Serials Required on Delivery", default=True
    )
    serial_required_sale_mode = fields.Selection(_MODES, default="keep")
    serial_required_sale = fields.Boolean(
        string="Serials Required on Sale", default=True
    )
    serial_auto_generate_mode = fields.Selection(_MODES, default="keep")
    serial_auto_generate = fields.Boolean(string="Auto-number Serials")
    serial_auto_generate_scope_mode = fields.Selection(_MODES, default="keep")
    serial_auto_generate_scope = fields.Selection(
        serial_settings.AUTO_GENERATE_SCOPES,
        string="Auto-number On",
        default="both",
    )
    serial_format_mode = fields.Selection(_MODES, default="keep")
    serial_format = fields.Char(
        help="Use [[CODE]] so that each product gets its own numbers, e.g. "
        "[[CODE]]-[[YEAR]]-[[INCNUM,YEARLY,5,1]]."
    )
    serial_warranty_months_mode = fields.Selection(_MODES, default="keep")
    serial_warranty_months = fields.Integer(string="Warranty (months)")
    line_ids = fields.One2many(
        "stock.serial.config.line",
        "wizard_id",
        string="Check",
        compute="_compute_line_ids",
        store=True,
    )
    refusal_count = fields.Integer(compute="_compute_line_ids", store=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if "product_tmpl_ids" in fields_list and not res.get("product_tmpl_ids"):
            model = self.env.context.get("active_model")
            ids = self.env.context.get("active_ids") or []
            if model == "product.product":
                templates = self.env["product.product"].browse(ids).product_tmpl_id
                ids = templates.ids
            if model in ("product.template", "product.product"):
                res["product_tmpl_ids"] = [Command.set(ids)]
        return res

    @api.depends(
        "product_tmpl_ids",
        "switch_tracking",
        "serial_format_mode",
        "serial_format",
        "serial_auto_generate_mode",
        "serial_auto_generate",
        "serial_warranty_months_mode",
        "serial_warranty_months",
    )
    def _compute_line_ids(self):
        for wizard in self:
            findings = wizard._serial_check()
            wizard.line_ids = [Command.clear()] + [
                Command.create(vals) for vals in findings
            ]
            wizard.refusal_count = sum(1 for v in findings if v["kind"] == "refused")

    # its own method: the check is stored, the count is not (the ORM warns
    # about one method computing both)
    @api.depends("product_tmpl_ids")
    def _compute_product_count(self):
        for wizard in self:
            wizard.product_count = len(wizard.product_tmpl_ids)

    # ------------------------------------------------------------------
    # check
    # ------------------------------------------------------------------
    def _serial_chosen_values(self):
        """{setting: value} to set and the settings to take from the category."""
        to_set, to_inherit = {}, []
        for setting in serial_settings.SETTINGS:
            mode = self[f"{setting}_mode"]
            if mode == "set":
                to_set[setting] = serial_settings.normalize(setting, self[setting])
            elif mode == "category":
                to_inherit.append(setting)
        return to_set, to_inherit

    def _serial_check(self):
        """What applying would imply and refuse, as line values (product,
        kind ``refused`` or ``note``, message). Reads in a few grouped queries
        whatever the number of products."""
        self.ensure_one()
        env = self.env
        templates = self.product_tmpl_ids._origin
        findings = []

        def add(template, kind, message):
            findings.append(
                {"product_tmpl_id": template.id, "kind": kind, "message": message}
            )

        variants = templates.with_context(active_test=False).product_variant_ids
        sudo_lines = env["stock.move.line"].sudo()
        done = {
            product.product_tmpl_id
            for [product] in sudo_lines._read_group(
                [("product_id", "in", variants.ids), ("state", "=", "done")],
                ["product_id"],
            )
        }
        reserved = {
            product.product_tmpl_id
            for [product] in sudo_lines._read_group(
                [
                    ("product_id", "in", variants.ids),
                    ("state", "in", ["partially_available", "assigned"]),
                ],
                ["product_id"],
            )
        }
        open_moves = {
            product.product_tmpl_id: count
            for product, count in env["stock.move"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", variants.ids),
                    ("state", "not in", ["done", "cancel", "draft"]),
                ],
                ["product_id"],
                ["__count"],
            )
        }
        untracked = {}
        for product, qty in (
            env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", variants.ids),
                    ("lot_id", "=", False),
                    ("location_id.usage", "=", "internal"),
                ],
                ["product_id"],
                ["quantity:sum"],
            )
        ):
            untracked[product.product_tmpl_id] = (
                untracked.get(product.product_tmpl_id, 0) + qty
            )
        lot_counts = {
            product.product_tmpl_id: count
            for product, count in env["stock.lot"]
            .sudo()
            ._read_group(
                [("product_id", "in", variants.ids)], ["product_id"], ["__count"]
            )
        }
        multi_unit_lots = {}
        for lot, _qty in (
            env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("product_id", "in", variants.ids),
                    ("lot_id", "!=", False),
                    ("location_id.usage", "=", "internal"),
                ],
                ["lot_id"],
                ["quantity:sum"],
                having=[("quantity:sum", ">", 1)],
            )
        ):
            multi_unit_lots.setdefault(lot.product_id.product_tmpl_id, []).append(
                lot.name
            )

        to_set, _to_inherit = self._serial_chosen_values()
        parsed = None
        if "serial_format" in to_set and to_set["serial_format"]:
            try:
                parsed = numbering.parse_template(to_set["serial_format"])
            except TemplateError as exc:
                for template in templates:
                    add(
                        template,
                        "refused",
                        env._(
                            "The serial format is invalid: %(reason)s",
                            reason=error_text(env, exc),
                        ),
                    )
                    break
        for template in templates:
            self._serial_check_template(
                template,
                add,
                done=template in done,
                reserved=template in reserved,
                open_moves=open_moves.get(template, 0),
                untracked=untracked.get(template, 0.0),
                lots=lot_counts.get(template, 0),
                multi_unit_lots=multi_unit_lots.get(template, []),
                parsed=parsed,
                to_set=to_set,
            )
        return findings

    def _serial_check_template(self, template, add, **facts):
        _ = self.env._
        switch = self.switch_tracking and template.tracking != "serial"
        if switch:
            if template.type != "consu":
                add(
                    template,
                    "refused",
                    _("A service or combo product cannot be tracked by serial number."),
                )
                return
            if not template.is_storable and facts["done"]:
                add(
                    template,
                    "refused",
                    _(
                        "Not tracked in inventory and already used in done "
                        "operations: Odoo refuses to change its inventory tracking."
                    ),
                )
            elif not template.is_storable and facts["reserved"]:
                add(
                    template,
                    "refused",
                    _(
                        "Reserved on an operation: Odoo refuses to change its "
                        "inventory tracking until it is unreserved."
                    ),
                )
            if facts["multi_unit_lots"]:
                add(
                    template,
                    "refused",
                    _(
                        "Lots with more than one unit in stock cannot become "
                        "serials: %(lots)s",
                        lots=", ".join(sorted(facts["multi_unit_lots"])),
                    ),
                )
            qty = facts["untracked"]
            rounding = template.uom_id.rounding
            if not float_is_zero(qty, precision_rounding=rounding):
                if not float_is_zero(qty % 1, precision_digits=6):
                    add(
                        template,
                        "refused",
                        _(
                            "%(qty)s units in stock without serial: a fractional "
                            "quantity cannot be named with serials.",
                            qty=qty,
                        ),
                    )
                else:
                    add(
                        template,
                        "note",
                        _(
                            "Serials not initialized: %(qty)s units in stock have "
                            "no serial yet (name them from the product).",
                            qty=int(qty),
                        ),
                    )
            if facts["open_moves"]:
                add(
                    template,
                    "note",
                    _(
                        "%(count)s open operations: their lines will need serials.",
                        count=facts["open_moves"],
                    ),
                )
            if template.tracking == "lot" and facts["lots"]:
                add(
                    template,
                    "note",
                    _(
                        "Tracked by lot with %(count)s lots: they become its serials.",
                        count=facts["lots"],
                    ),
                )
        parsed = facts["parsed"]
        if parsed is not None and parsed.uses_code and not template.default_code:
            add(
                template,
                "refused",
                _(
                    "The format uses [[CODE]] but the product has no internal "
                    "reference."
                ),
            )
        to_set = facts["to_set"]
        auto = to_set.get("serial_auto_generate", template.serial_auto_generate)
        fmt = to_set.get("serial_format", template.serial_format)
        if self.serial_format_mode == "category":
            fmt = template.categ_id.serial_format
        if self.serial_auto_generate_mode == "category":
            auto = template.categ_id.serial_auto_generate
        if auto and not fmt:
            add(template, "refused", _("Auto-numbering needs a serial format."))
        if to_set.get("serial_warranty_months", 0) < 0:
            add(template, "refused", _("A warranty cannot be negative."))

    # ------------------------------------------------------------------
    # apply
    # ------------------------------------------------------------------
    def action_apply(self):
        """Apply to every product, or refuse naming every product that cannot
        be configured, with nothing written."""
        self.ensure_one()
        findings = self._serial_check()
        refused = [f for f in findings if f["kind"] == "refused"]
        if refused:
            names = self.env["product.template"].browse(
                [f["product_tmpl_id"] for f in refused]
            )
            by_id = {t.id: t.display_name for t in names}
            raise UserError(
                self.env._(
                    "Nothing was changed; %(count)s products cannot be "
                    "configured:\n%(lines)s",
                    count=len({f["product_tmpl_id"] for f in refused}),
                    lines="\n".join(
                        f"- {by_id[f['product_tmpl_id']]}: {f['message']}"
                        for f in refused
                    ),
                )
            )
        templates = self.product_tmpl_ids._origin
        if self.switch_tracking:
            to_switch = templates.filtered(lambda t: t.tracking != "serial")
            to_store = to_switch.filtered(lambda t: not t.is_storable)
            if to_store:
                to_store.write({"is_storable": True})
            if to_switch:
                to_switch.write({"tracking": "serial"})
        to_set, to_inherit = self._serial_chosen_values()
        if to_set:
            # an explicit value is an override, even when it equals the
            # category's today
            templates.write(
                dict(
                    to_set,
                    **{serial_settings.custom_field(s): True for s in to_set},
                )
            )
        if to_inherit:
            templates.action_serial_use_category(to_inherit)
        return templates._get_records_action(
            name=self.env._("Configured Products"), target="current"
        )


class StockSerialConfigLine(models.TransientModel):
    _name = "stock.serial.config.line"
    _description = "Configure Serial Tracking: Check"
    _order = "kind desc, id"

    wizard_id = fields.Many2one(
        "stock.serial.config", required=True, ondelete="cascade"
    )
    product_tmpl_id = fields.Many2one("product.template", string="Product")
    kind = fields.Selection(
        [("refused", "Refused"), ("note", "Implies")], required=True
    )
    message = fields.Char(required=True)
