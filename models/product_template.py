from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import numbering
from ..lib.errors import TemplateError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    serial_required_receipt = fields.Boolean(
        string="Serials Required on Receipt",
        default=True,
        help="When unticked, receipts of this product may be validated without "
        "serial numbers; they can be assigned later.",
    )
    serial_required_delivery = fields.Boolean(
        string="Serials Required on Delivery",
        default=True,
        help="When unticked, deliveries of this product may be validated without "
        "serial numbers.",
    )
    serial_auto_generate = fields.Boolean(
        string="Auto-number Serials",
        help="Receipts and manufacturing orders get their serial numbers from the "
        "numbering format as soon as the quantity is known.",
    )
    serial_format = fields.Char(
        help="Numbering template, e.g. SN-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4,1]].\n"
        "[[INCNUM,RESET,DIGITS,START]]: counter (RESET is NONE, DAILY, MONTHLY or "
        "YEARLY); [[DATE]], [[YEAR]], [[YY]], [[MONTH]], [[DAY]]: today; "
        "[[CODE]]: internal reference.",
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
                            reason=exc.message,
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
                except (TemplateError, UserError, ValidationError) as exc:
                    preview = getattr(exc, "message", None) or str(exc)
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
        res = super().write(vals)
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

    # --- after-sales (issue 7) ---
    serial_warranty_months = fields.Integer(
        string="Warranty (months)",
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
