from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..errors import error_text
from ..lib import names as name_rules
from ..lib.errors import SerialInputError


class ResCompany(models.Model):
    _inherit = "res.company"

    serial_unique_scope = fields.Selection(
        [
            ("product", "Per product"),
            ("company", "Across all products"),
        ],
        string="Serial Uniqueness",
        default="product",
        required=True,
        help="Per product: a serial number is unique for one product within the "
        "company (Odoo's rule). Across all products: a serial number can be used "
        "only once in the company, whatever the product.",
    )
    serial_allowed_chars = fields.Char(
        string="Allowed Serial Characters",
        default=name_rules.DEFAULT_ALLOWED_CHARS,
        required=True,
        help="Characters allowed in serial numbers. Ranges such as A-Z, a-z and "
        "0-9 are accepted; a '-' at the start or the end stands for itself.",
    )
    serial_max_length = fields.Integer(
        string="Maximum Serial Length",
        default=name_rules.DEFAULT_MAX_LENGTH,
        required=True,
    )
    serial_reject_location_id = fields.Many2one(
        "stock.location",
        string="Reject Location",
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [id, False])]",
        help="Serials rejected by quality control are moved here.",
    )
    serial_count_missing_location_id = fields.Many2one(
        "stock.location",
        string="Missing Serials Location",
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [id, False])]",
        help="Serial counts propose to move the serials nobody scanned here "
        "(instead of writing them off); each count may change it.",
    )

    # --- labels ---
    # Last layout chosen in the serial label wizard, reused by the next print
    # (and by the Print menu, which prints without asking). Same choices as
    # report/serial_label_report.py LABEL_FORMATS and BARCODE_TYPES.
    serial_label_format = fields.Selection(
        [
            ("50x25", "Label 50 x 25 mm"),
            ("62x29", "Label 62 x 29 mm"),
            ("100x50", "Label 100 x 50 mm"),
            ("a4_3x8", "A4 sheet, 3 x 8 labels (70 x 37 mm)"),
            ("letter_3x10", "Letter sheet, 3 x 10 labels (2 5/8 x 1 in)"),
        ],
        default="a4_3x8",
        required=True,
    )
    serial_label_barcode_type = fields.Selection(
        [
            ("code128", "Code 128"),
            ("qr", "QR code"),
            ("datamatrix", "Data Matrix"),
            ("gs1_128", "GS1-128 (GTIN + serial)"),
            ("gs1_datamatrix", "GS1 DataMatrix (GTIN + serial)"),
        ],
        string="Serial Label Barcode",
        default="code128",
        required=True,
    )
    serial_label_show_product = fields.Boolean(default=True)
    serial_label_show_default_code = fields.Boolean(default=True)
    serial_label_show_serial = fields.Boolean(default=True)
    serial_label_show_company = fields.Boolean(default=False)
    serial_label_show_received_date = fields.Boolean(default=False)
    serial_label_copies = fields.Integer(default=1)
    serial_label_format_id = fields.Many2one(
        "stock.serial.label.format",
        string="Last Serial Label Format",
        help="The label format chosen last, offered first at the next print.",
    )

    def _serial_label_fields(self):
        """Fields printed on serial labels (names of ``lib.label_layout.FIELDS``)."""
        self.ensure_one()
        return [
            name
            for name in (
                "product",
                "default_code",
                "serial",
                "company",
                "received_date",
            )
            if self[f"serial_label_show_{name}"]
        ]

    # --- end labels ---

    @api.constrains("serial_allowed_chars", "serial_max_length")
    def _check_serial_rules(self):
        for company in self:
            if not 1 <= company.serial_max_length <= 255:
                raise ValidationError(
                    _("The maximum serial length must be between 1 and 255.")
                )
            try:
                name_rules.compile_allowed(company.serial_allowed_chars)
            except SerialInputError as exc:
                raise ValidationError(
                    _(
                        "Invalid allowed characters: %(reason)s",
                        reason=error_text(self.env, exc),
                    )
                ) from exc

    def write(self, vals):
        res = super().write(vals)
        if "serial_unique_scope" in vals:
            self._serial_apply_scope()
        if "serial_reject_location_id" in vals:
            self.serial_reject_location_id.serial_is_reject = True
        return res

    def _serial_apply_scope(self):
        """Copy the uniqueness scope onto the company's lots (the database
        exclusion constraint reads it), refusing when duplicates exist."""
        self.env["stock.lot"].flush_model(["name", "serial_company_id"])
        for company in self:
            scoped = company.serial_unique_scope == "company"
            if scoped:
                self.env.cr.execute(
                    SQL(
                        """
                        SELECT name, COUNT(*) FROM stock_lot
                         WHERE serial_company_id = %s
                         GROUP BY name HAVING COUNT(*) > 1
                         ORDER BY name LIMIT 20
                        """,
                        company.id,
                    )
                )
                duplicates = [row[0] for row in self.env.cr.fetchall()]
                if duplicates:
                    raise ValidationError(
                        _(
                            "Serial numbers cannot be made unique across products in "
                            "%(company)s: these names are used by several products: "
                            "%(names)s",
                            company=company.name,
                            names=", ".join(duplicates),
                        )
                    )
            self.env.cr.execute(
                SQL(
                    "UPDATE stock_lot SET serial_scope_company_id = %s "
                    "WHERE serial_company_id = %s",
                    company.id if scoped else None,
                    company.id,
                )
            )
        self.env["stock.lot"].invalidate_model(["serial_scope_company_id"])

    def _serial_get_reject_location(self):
        """The company's reject location, created on first use."""
        self.ensure_one()
        if self.serial_reject_location_id:
            return self.serial_reject_location_id
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.id)], limit=1
        )
        parent = warehouse.view_location_id or self.env.ref(
            "stock.stock_location_locations"
        )
        location = (
            self.env["stock.location"]
            .sudo()
            .create(
                {
                    "name": _("Rejected"),
                    "usage": "internal",
                    "location_id": parent.id,
                    "company_id": self.id,
                    "serial_is_reject": True,
                }
            )
        )
        self.sudo().serial_reject_location_id = location
        return location
