# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import label_layout
from ..report.serial_label_report import (
    BARCODE_TYPES,
    LABEL_FORMATS,
    MAX_COPIES,
    SerialLabelOptions,
)

# wizard field -> res.company field remembering it
_REMEMBERED = {
    "label_format": "serial_label_format",
    "barcode_type": "serial_label_barcode_type",
    "show_product": "serial_label_show_product",
    "show_default_code": "serial_label_show_default_code",
    "show_serial": "serial_label_show_serial",
    "show_company": "serial_label_show_company",
    "show_received_date": "serial_label_show_received_date",
    "copies": "serial_label_copies",
}


class StockSerialLabelWizard(models.TransientModel):
    _name = "stock.serial.label.wizard"
    _description = "Print Serial Labels"

    lot_ids = fields.Many2many("stock.lot", string="Serial Numbers")
    lot_count = fields.Integer(compute="_compute_counts", string="Serials")
    label_count = fields.Integer(compute="_compute_counts", string="Labels")
    format_id = fields.Many2one(
        "stock.serial.label.format",
        compute="_compute_format_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('company_id', 'in', [False, current_company_id])]",
    )
    format_standard = fields.Boolean(related="format_id.standard_layout")
    format_page_type = fields.Selection(related="format_id.page_type")
    # The shipped format by its old key (integrations pass it): sets format_id.
    label_format = fields.Selection(
        LABEL_FORMATS,
        string="Shipped Format",
        default=lambda self: self._default_label_format(),
    )
    barcode_type = fields.Selection(
        BARCODE_TYPES,
        string="Barcode",
        required=True,
        default=lambda self: self.env.company.serial_label_barcode_type,
    )
    show_product = fields.Boolean(
        string="Product",
        default=lambda self: self.env.company.serial_label_show_product,
    )
    show_default_code = fields.Boolean(
        string="Internal Reference",
        default=lambda self: self.env.company.serial_label_show_default_code,
    )
    show_serial = fields.Boolean(
        string="Serial Number Text",
        default=lambda self: self.env.company.serial_label_show_serial,
    )
    show_company = fields.Boolean(
        string="Company",
        default=lambda self: self.env.company.serial_label_show_company,
    )
    show_received_date = fields.Boolean(
        string="Received Date",
        default=lambda self: self.env.company.serial_label_show_received_date,
    )
    copies = fields.Integer(
        string="Copies per Serial",
        required=True,
        default=lambda self: self.env.company.serial_label_copies or 1,
    )
    output = fields.Selection(
        [("pdf", "PDF"), ("zpl", "ZPL (thermal printer)")],
        string="Print As",
        required=True,
        default="pdf",
    )

    @api.model
    def _default_label_format(self):
        company = self.env.company
        if company.serial_label_format_id:
            return company.serial_label_format_id.code or False
        return company.serial_label_format

    @api.depends("label_format")
    def _compute_format_id(self):
        formats = self.env["stock.serial.label.format"]
        for wizard in self:
            if wizard.label_format and wizard.format_id.code != wizard.label_format:
                wizard.format_id = formats._serial_by_code(wizard.label_format)
            if not wizard.format_id:
                wizard.format_id = formats._serial_default_for(self.env.company)

    @api.onchange("format_id")
    def _onchange_format_id(self):
        self.label_format = self.format_id.code or False

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "lot_ids" in fields_list
            and not values.get("lot_ids")
            and context.get("active_model") == "stock.lot"
            and context.get("active_ids")
        ):
            values["lot_ids"] = [(6, 0, context["active_ids"])]
        return values

    @api.depends("lot_ids", "copies")
    def _compute_counts(self):
        for wizard in self:
            wizard.lot_count = len(wizard.lot_ids)
            wizard.label_count = wizard.lot_count * max(wizard.copies, 0)

    @api.constrains("copies")
    def _check_copies(self):
        for wizard in self:
            if not 1 <= wizard.copies <= MAX_COPIES:
                raise ValidationError(
                    _(
                        "Copies per serial must be between 1 and %(max)s.",
                        max=MAX_COPIES,
                    )
                )

    @api.onchange("output")
    def _onchange_output(self):
        if self.output == "zpl" and self.format_id.page_type == "sheet":
            self.format_id = self.env["stock.serial.label.format"].search(
                [
                    ("page_type", "=", "single"),
                    ("company_id", "in", [False, self.env.company.id]),
                ],
                limit=1,
            )
            self.label_format = self.format_id.code or False

    def _serial_label_options(self):
        self.ensure_one()
        shown = [name for name in label_layout.FIELDS if self[f"show_{name}"]]
        return SerialLabelOptions(
            self.env,
            barcode_type=self.barcode_type,
            fields_shown=shown,
            copies=self.copies,
            format_record=self.format_id,
        )

    def _serial_remember_layout(self):
        """Store this layout on the company as the next default."""
        company = self.env.company
        vals = {
            company_field: self[wizard_field]
            for wizard_field, company_field in _REMEMBERED.items()
            if company[company_field] != self[wizard_field]
        }
        if company.serial_label_format_id != self.format_id:
            vals["serial_label_format_id"] = self.format_id.id
        if not self.label_format:
            vals.pop("serial_label_format", None)  # a designed format has no key
        if vals:
            # Stock users print labels but may not edit their company.
            company.sudo().write(vals)

    def action_print(self):
        """Print the labels of ``lot_ids`` with this layout (PDF or ZPL)."""
        self.ensure_one()
        if not self.lot_ids:
            raise UserError(_("There is no serial number to print a label for."))
        if not self.format_id:
            raise UserError(_("Choose a label format."))
        if self.output == "zpl" and self.format_id.page_type == "sheet":
            raise UserError(
                _(
                    "Thermal printers print single labels: %(format)s is a sheet, "
                    "choose a single-label format for ZPL.",
                    format=self.format_id.display_name,
                )
            )
        self._serial_remember_layout()
        options = self._serial_label_options()
        data = {
            "serial_label_options": options.to_data(),
            "serial_lot_ids": self.lot_ids.ids,
        }
        xmlid = (
            "stock_serial_tracking.action_report_serial_label_zpl"
            if self.output == "zpl"
            else "stock_serial_tracking.action_report_serial_label"
        )
        report = self.env.ref(xmlid).with_context(
            serial_label_format=self.format_id.code or False,
            serial_label_format_id=self.format_id.id,
        )
        action = report.report_action(self.lot_ids, data=data, config=False)
        action["close_on_report_download"] = True
        return action

    @api.model
    def _serial_open_for(self, lots):
        """Window action opening this wizard on ``lots`` (serial-tracked only)."""
        lots = lots.filtered(lambda lot: lot.product_id.tracking == "serial")
        if not lots:
            raise UserError(_("There are no serial numbers on this document yet."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Print Serial Labels"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_lot_ids": [(6, 0, lots.ids)]},
        }
