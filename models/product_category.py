from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..errors import error_text
from ..lib import numbering, serial_settings
from ..lib.errors import TemplateError

_INHERITED_HELP = (
    "Ticked: this category keeps its own value; unticked: it takes "
    "the value of its parent category."
)


class ProductCategory(models.Model):
    """Serial settings as defaults of a category's products.

    Each setting is stored and computed from the parent category unless its
    ``<setting>_custom`` flag is set; products compute theirs from their
    category the same way (``product.template``). A write on one category thus
    reaches its sub-categories and every inheriting product in the recompute
    of that write, never through a loop of product writes.
    """

    _name = "product.category"
    _inherit = ["product.category", "stock.serial.settings.mixin"]
    _serial_settings_source = "parent_id"

    serial_required_receipt = fields.Boolean(
        string="Serials Required on Receipt",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        recursive=True,
        help="Default of the category's products: receipts need serial numbers.",
    )
    serial_required_delivery = fields.Boolean(
        string="Serials Required on Delivery",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        recursive=True,
        help="Default of the category's products: deliveries need serial numbers.",
    )
    serial_required_sale = fields.Boolean(
        string="Serials Required on Sale",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        recursive=True,
        help="Default of the category's products: sale orders need serial numbers.",
    )
    serial_auto_generate = fields.Boolean(
        string="Auto-number Serials",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        recursive=True,
        help="Default of the category's products: receipts and manufacturing "
        "orders number their serials from the format.",
    )
    serial_auto_generate_scope = fields.Selection(
        serial_settings.AUTO_GENERATE_SCOPES,
        string="Auto-number On",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        recursive=True,
        help="Default of the category's products: where auto-numbering applies.",
    )
    serial_format = fields.Char(
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        recursive=True,
        help="Default numbering template of the category's products. Use "
        "[[CODE]] (the product's internal reference) so that each product gets "
        "its own numbers, e.g. [[CODE]]-[[YEAR]]-[[INCNUM,YEARLY,5,1]].",
    )
    serial_warranty_months = fields.Integer(
        string="Warranty (months)",
        compute="_compute_serial_settings",
        store=True,
        readonly=False,
        recursive=True,
        help="Default warranty of the category's products. 0: no warranty.",
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

    @api.depends(
        *(f"parent_id.{setting}" for setting in serial_settings.SETTINGS),
        *serial_settings.CUSTOM_FIELDS,
    )
    def _compute_serial_settings(self):
        self._serial_follow_source()

    @api.model_create_multi
    def create(self, vals_list):
        categories = super().create(vals_list)
        for category, flags in categories._serial_created_overrides(vals_list):
            super(ProductCategory, category).write(flags)
        return categories

    def write(self, vals):
        if not any(setting in vals for setting in serial_settings.SETTINGS):
            return super().write(vals)
        parent = None
        if "parent_id" in vals:
            parent = self.browse(vals["parent_id"])
        groups = {}
        for category in self:
            inherited = category._serial_inherited_values(parent)
            flags = tuple(serial_settings.overridden(vals, inherited))
            groups.setdefault(flags, self.browse())
            groups[flags] |= category
        for flags, categories in groups.items():
            flag_vals = {serial_settings.custom_field(s): True for s in flags}
            super(ProductCategory, categories).write(dict(vals, **flag_vals))
        return True

    def action_serial_use_parent(self, settings=None):
        """Go back to the parent's value for ``settings`` (default: all)."""
        settings = settings or self.env.context.get("serial_settings")
        settings = settings or serial_settings.SETTINGS
        self.write({serial_settings.custom_field(s): False for s in settings})
        return True

    @api.constrains(*serial_settings.SETTINGS)
    def _check_serial_settings(self):
        for category in self:
            if category.serial_warranty_months < 0:
                raise ValidationError(
                    _(
                        "Category %(category)s: a warranty cannot be negative.",
                        category=category.display_name,
                    )
                )
            if category.serial_auto_generate and not category.serial_format:
                raise ValidationError(
                    _(
                        "Category %(category)s auto-numbers its products' serials "
                        "but has no serial format.",
                        category=category.display_name,
                    )
                )
            if category.serial_format:
                try:
                    numbering.parse_template(category.serial_format)
                except TemplateError as exc:
                    raise ValidationError(
                        _(
                            "The serial format of category %(category)s is invalid: "
                            "%(reason)s",
                            category=category.display_name,
                            reason=error_text(self.env, exc),
                        )
                    ) from exc
