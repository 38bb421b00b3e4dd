from odoo import api, fields, models

from ..errors import error_text
from ..lib import numbering
from ..lib.errors import TemplateError


class StockSerialReadiness(models.TransientModel):
    """What still needs doing before the serial products of a catalogue are
    ready, one line per product and problem, each with the action that fixes
    it. Lines are made when the report is opened (the checks need the
    numbering grammar, which is Python), for the companies the user works in.
    """

    _name = "stock.serial.readiness"
    _description = "Serial Tracking Readiness"
    _order = "kind, product_tmpl_id"

    company_id = fields.Many2one("res.company", required=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product")
    categ_id = fields.Many2one(related="product_tmpl_id.categ_id", string="Category")
    kind = fields.Selection(
        [
            ("uninitialized", "Serials not initialized"),
            ("invalid_format", "Invalid format"),
            ("collision", "Format collides with existing serials"),
            ("warranty", "No warranty, the category has one"),
        ],
        string="Problem",
        required=True,
    )
    detail = fields.Char()

    @api.model
    def action_serial_open(self):
        """Check the serial products again and open the list of problems."""
        lines = self.create(self._serial_findings())
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_serial_tracking.action_stock_serial_readiness"
        )
        action["domain"] = [("id", "in", lines.ids)]
        return action

    @api.model
    def _serial_findings(self):
        _ = self.env._
        company = self.env.company
        templates = self.env["product.template"].search([("tracking", "=", "serial")])
        variants = templates.product_variant_ids
        findings = []

        def add(template, kind, detail):
            findings.append(
                {
                    "company_id": company.id,
                    "product_tmpl_id": template.id,
                    "kind": kind,
                    "detail": detail,
                }
            )

        for variant in variants.filtered("serial_uninitialized_qty"):
            add(
                variant.product_tmpl_id,
                "uninitialized",
                _(
                    "%(qty)s units in stock have no serial.",
                    qty=variant.serial_uninitialized_qty,
                ),
            )
        for template in templates.filtered("serial_auto_generate"):
            variant = template.product_variant_ids[:1]
            try:
                parsed = numbering.parse_template(template.serial_format or "")
            except TemplateError as exc:
                add(template, "invalid_format", error_text(self.env, exc))
                continue
            if parsed.uses_code and not variant.default_code:
                add(
                    template,
                    "invalid_format",
                    _("[[CODE]] needs an internal reference"),
                )
                continue
            name = variant._serial_unskipped_next_name(parsed)
            if name in variant._serial_taken_names(company)([name]):
                add(
                    template,
                    "collision",
                    _(
                        "The next number %(name)s already exists: numbers "
                        "already taken are skipped.",
                        name=name,
                    ),
                )
        for template in templates.filtered(
            lambda t: (
                t.serial_warranty_months_custom
                and not t.serial_warranty_months
                and t.categ_id.serial_warranty_months
            )
        ):
            add(
                template,
                "warranty",
                _(
                    "The category gives %(months)s months.",
                    months=template.categ_id.serial_warranty_months,
                ),
            )
        return findings

    def action_serial_fix(self):
        """Open what fixes this line: the entry wizard for stock without
        serials, the category's warranty, or the product form."""
        self.ensure_one()
        template = self.product_tmpl_id
        if self.kind == "uninitialized":
            return template.action_serial_initialize()
        if self.kind == "warranty":
            template.action_serial_use_category(["serial_warranty_months"])
            self.unlink()
            return {"type": "ir.actions.client", "tag": "soft_reload"}
        return template.get_formview_action()
