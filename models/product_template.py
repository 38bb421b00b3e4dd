from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from ..errors import error_text
from ..lib import numbering, serial_settings
from ..lib.errors import TemplateError

_INHERITED_HELP = (
    "Ticked: this product keeps its own value; unticked: it takes the value of "
    "its category."
)


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "stock.serial.settings.mixin"]
    _serial_settings_source = "categ_id"

    # Each setting follows the category (stored, recomputed when the category
    # changes) unless its ``_custom`` flag says the product keeps its own.
    serial_required_receipt = fields.Boolean(
        string="Serials Required on Receipt",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        help="When unticked, receipts of this product may be validated without "
        "serial numbers; they can be assigned later.",
    )
    serial_required_delivery = fields.Boolean(
        string="Serials Required on Delivery",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        help="When unticked, deliveries of this product may be validated without "
        "serial numbers.",
    )
    serial_required_sale = fields.Boolean(
        string="Serials Required on Sale",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        help="Sale orders of this product need their serial numbers chosen.",
    )
    serial_auto_generate = fields.Boolean(
        string="Auto-number Serials",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        help="Serial numbers not entered by hand are taken from the numbering "
        "format: on receipts when they are validated, on manufacturing orders "
        "of one unit when they are confirmed (see Auto-number On).",
    )
    serial_auto_generate_scope = fields.Selection(
        serial_settings.AUTO_GENERATE_SCOPES,
        string="Auto-number On",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        help="Where auto-numbering applies: a product bought with the vendor's "
        "serials but built with our own numbers auto-numbers on manufacturing "
        "only.",
    )
    serial_format = fields.Char(
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        help="Numbering template, e.g. SN-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4,1]].\n"
        "[[INCNUM,RESET,DIGITS,START]]: counter (RESET is NONE, DAILY, MONTHLY or "
        "YEARLY); [[DATE]], [[YEAR]], [[YY]], [[MONTH]], [[DAY]]: today; "
        "[[CODE]]: internal reference.",
    )
    serial_required_receipt_custom = fields.Boolean(
        string="Own Receipt Setting", help=_INHERITED_HELP
    )
    serial_required_delivery_custom = fields.Boolean(
        string="Own Delivery Setting", help=_INHERITED_HELP
    )
    serial_required_sale_custom = fields.Boolean(
        string="Own Sale Setting", help=_INHERITED_HELP
    )
    serial_auto_generate_custom = fields.Boolean(
        string="Own Auto-numbering Setting", help=_INHERITED_HELP
    )
    serial_auto_generate_scope_custom = fields.Boolean(
        string="Own Auto-numbering Scope", help=_INHERITED_HELP
    )
    serial_format_custom = fields.Boolean(string="Own Format", help=_INHERITED_HELP)
    serial_warranty_months_custom = fields.Boolean(
        string="Own Warranty", help=_INHERITED_HELP
    )
    serial_format_preview = fields.Char(
        string="Next Serial", compute="_compute_serial_format_preview"
    )

    @api.constrains("serial_format", "serial_auto_generate")
    def _check_serial_format(self):
        for template in self:
            if template.serial_auto_generate and not template.serial_format:
                raise ValidationError(
                    _(
                        "Product %(product)s auto-numbers its serials but has no "
                        "serial format.",
                        product=template.display_name,
                    )
                )
            if template.serial_format:
                try:
                    numbering.parse_template(template.serial_format)
                except TemplateError as exc:
                    raise ValidationError(
                        _(
                            "The serial format of %(product)s is invalid: %(reason)s",
                            product=template.display_name,
                            reason=error_text(self.env, exc),
                        )
                    ) from exc

    @api.depends("serial_format", "default_code")
    def _compute_serial_format_preview(self):
        for template in self:
            variant = template.product_variant_ids[:1]
            preview = False
            if template.serial_format and variant:
                try:
                    preview = variant._serial_preview_name()
                except TemplateError as exc:
                    preview = error_text(self.env, exc)
                except (UserError, ValidationError) as exc:
                    preview = str(exc)
            template.serial_format_preview = preview

    serial_uninitialized_qty = fields.Float(
        string="Units Without Serial",
        compute="_compute_serial_uninitialized_qty",
    )

    @api.depends("product_variant_ids", "tracking")
    def _compute_serial_uninitialized_qty(self):
        for template in self:
            template.serial_uninitialized_qty = sum(
                template.product_variant_ids.mapped("serial_uninitialized_qty")
            )

    def write(self, vals):
        res = True
        for templates, template_vals in self._serial_write_batches(vals):
            res = super(ProductTemplate, templates).write(template_vals) and res
        if vals.get("tracking"):
            # Lots of a product switched to (or from) serial tracking get
            # (or lose) their status; nothing is ever deleted.
            lots = self.env["stock.lot"].search(
                [("product_id.product_tmpl_id", "in", self.ids)]
            )
            lots._serial_recompute_status()
        return res

    def action_serial_initialize(self):
        """Name the units in stock that have no serial yet."""
        self.ensure_one()
        variants = self.product_variant_ids.filtered("serial_uninitialized_qty")
        return (variants or self.product_variant_ids)[:1].action_serial_initialize()

    # --- after-sales: customer returns and warranty ---
    serial_warranty_months = fields.Integer(
        string="Warranty (months)",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        help="Warranty of each serial, counted from the date it was shipped to the "
        "customer. 0: no warranty.",
    )

    @api.constrains("serial_warranty_months")
    def _check_serial_warranty_months(self):
        negative = self.filtered(lambda template: template.serial_warranty_months < 0)
        if negative:
            raise ValidationError(
                _(
                    "A warranty cannot be negative: %(products)s",
                    products=", ".join(negative.mapped("display_name")),
                )
            )

    # --- category defaults ---
    def _auto_init(self):
        # On an upgrade from the version without category defaults, products
        # keep the values they had: every value other than the default becomes
        # an override, the rest follows the category from now on.
        cr = self.env.cr
        upgrading = column_exists(
            cr, "product_template", "serial_required_receipt"
        ) and not column_exists(cr, "product_template", "serial_format_custom")
        res = super()._auto_init()
        if upgrading:
            cr.execute(
                SQL(
                    "UPDATE product_template SET "
                    "serial_required_receipt_custom = serial_required_receipt IS FALSE,"
                    " serial_required_delivery_custom ="
                    " serial_required_delivery IS FALSE,"
                    " serial_auto_generate_custom = serial_auto_generate IS TRUE,"
                    " serial_format_custom = COALESCE(serial_format, '') != '',"
                    " serial_warranty_months_custom ="
                    " COALESCE(serial_warranty_months, 0) != 0"
                )
            )
        return res

    @api.depends(
        *(f"categ_id.{setting}" for setting in serial_settings.SETTINGS),
        *serial_settings.CUSTOM_FIELDS,
    )
    def _compute_serial_settings(self):
        self._serial_follow_source()

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        for template, flags in templates._serial_created_overrides(vals_list):
            super(ProductTemplate, template).write(flags)
        return templates

    def _serial_write_batches(self, vals):
        """``(records, vals)`` to write so that the settings written with a
        value other than the category's are flagged as overrides in the same
        write."""
        if not any(setting in vals for setting in serial_settings.SETTINGS):
            return [(self, vals)]
        category = None
        if "categ_id" in vals:
            category = self.env["product.category"].browse(vals["categ_id"])
        groups = {}
        for template in self:
            inherited = template._serial_inherited_values(category)
            flags = tuple(serial_settings.overridden(vals, inherited))
            groups[flags] = groups.get(flags, self.browse()) | template
        return [
            (
                templates,
                dict(vals, **{serial_settings.custom_field(s): True for s in flags}),
            )
            for flags, templates in groups.items()
        ]

    def action_serial_use_category(self, settings=None):
        """Go back to the category's value for ``settings`` (default: all)."""
        settings = settings or self.env.context.get("serial_settings")
        settings = settings or serial_settings.SETTINGS
        self.write({serial_settings.custom_field(s): False for s in settings})
        return True
