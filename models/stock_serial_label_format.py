# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import dataclasses
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import label_layout

_logger = logging.getLogger(__name__)

PAGE_TYPES = [("single", "Single label (page = label)"), ("sheet", "Sheet of labels")]
UNITS = [("mm", "Millimetres"), ("inch", "Inches")]
PAPERS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
TEXT_FIELDS = [
    ("serial", "Serial number"),
    ("product", "Product name"),
    ("default_code", "Internal reference"),
    ("product_full", "[Reference] Product"),
    ("company", "Company"),
    ("received_date", "Received date"),
    ("customer", "Customer"),
    ("warranty_end", "Warranty end"),
    ("property", "Serial property (by name)"),
    ("fixed", "Fixed text"),
]
ALIGNS = [("left", "Left"), ("center", "Centre"), ("right", "Right")]
# The page and grid of a format: what its preview is drawn from and what must
# fit, together with its elements
_PAGE_FIELDS = (
    "page_type",
    "orientation",
    "page_width_mm",
    "page_height_mm",
    "label_width_mm",
    "label_height_mm",
    "rows",
    "columns",
    "margin_left_mm",
    "margin_top_mm",
    "pitch_x_mm",
    "pitch_y_mm",
)
# Fields entered in the unit of the format, stored in mm
_LENGTHS = (
    "page_width",
    "page_height",
    "label_width",
    "label_height",
    "margin_left",
    "margin_top",
    "pitch_x",
    "pitch_y",
)


def _inch_field(name, string):
    return fields.Float(
        string=string,
        compute="_compute_inches",
        inverse=f"_inverse_{name}_in",
        digits=(16, 5),
    )


class StockSerialLabelFormat(models.Model):
    _name = "stock.serial.label.format"
    _description = "Serial Label Format"
    _order = "sequence, id"

    # --- identity ---
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Empty: offered to every company.",
    )
    code = fields.Char(
        readonly=True,
        copy=False,
        help="Key of a shipped format, as older integrations pass it "
        "(50x25, 62x29, 100x50, a4_3x8, letter_3x10).",
    )
    standard_layout = fields.Boolean(
        copy=False,
        help="Prints the standard layout, with the barcode and the fields chosen "
        "when printing. Duplicate the format to design its content.",
    )

    # --- page ---
    page_type = fields.Selection(PAGE_TYPES, required=True, default="single")
    unit = fields.Selection(UNITS, string="Enter Sizes In", required=True, default="mm")
    paper = fields.Selection(
        [("a4", "A4"), ("letter", "US Letter"), ("custom", "Custom")],
        default="a4",
    )
    orientation = fields.Selection(
        [("portrait", "Portrait"), ("landscape", "Landscape")],
        required=True,
        default="portrait",
        help="Landscape turns the sheet: its width and height swap.",
    )
    page_width_mm = fields.Float("Page Width (mm)", digits=(16, 3), default=210)
    page_height_mm = fields.Float("Page Height (mm)", digits=(16, 3), default=297)
    label_width_mm = fields.Float(
        "Label Width (mm)", digits=(16, 3), required=True, default=50
    )
    label_height_mm = fields.Float(
        "Label Height (mm)", digits=(16, 3), required=True, default=25
    )
    rows = fields.Integer(default=1, required=True)
    columns = fields.Integer(default=1, required=True)
    margin_left_mm = fields.Float(
        "Left Margin (mm)", digits=(16, 3), help="First label's left edge on the page."
    )
    margin_top_mm = fields.Float(
        "Top Margin (mm)", digits=(16, 3), help="First label's top edge on the page."
    )
    pitch_x_mm = fields.Float(
        "Horizontal Pitch (mm)",
        digits=(16, 3),
        help="From one label's left edge to the next one's.",
    )
    pitch_y_mm = fields.Float(
        "Vertical Pitch (mm)",
        digits=(16, 3),
        help="From one label's top edge to the next one's.",
    )
    gap_x_mm = fields.Float(
        "Horizontal Gap (mm)",
        digits=(16, 3),
        compute="_compute_gaps",
        inverse="_inverse_gaps",
    )
    gap_y_mm = fields.Float(
        "Vertical Gap (mm)",
        digits=(16, 3),
        compute="_compute_gaps",
        inverse="_inverse_gaps",
    )
    page_width_in = _inch_field("page_width", "Page Width (in)")
    page_height_in = _inch_field("page_height", "Page Height (in)")
    label_width_in = _inch_field("label_width", "Label Width (in)")
    label_height_in = _inch_field("label_height", "Label Height (in)")
    margin_left_in = _inch_field("margin_left", "Left Margin (in)")
    margin_top_in = _inch_field("margin_top", "Top Margin (in)")
    pitch_x_in = _inch_field("pitch_x", "Horizontal Pitch (in)")
    pitch_y_in = _inch_field("pitch_y", "Vertical Pitch (in)")
    zpl_dots_per_mm = fields.Selection(
        [
            ("6", "6 dots/mm (152 dpi)"),
            ("8", "8 dots/mm (203 dpi)"),
            ("12", "12 dots/mm (300 dpi)"),
            ("24", "24 dots/mm (600 dpi)"),
        ],
        string="ZPL Resolution",
        default="8",
        required=True,
    )

    # --- content ---
    element_ids = fields.One2many(
        "stock.serial.label.element", "format_id", string="Elements", copy=True
    )
    preview_image = fields.Binary(
        compute="_compute_preview_image",
        help="The first page as the PDF prints it, with a sample serial.",
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "A shipped format's key is unique."),
    ]

    # ------------------------------------------------------------ computes
    @api.depends(*(f"{name}_mm" for name in _LENGTHS))
    def _compute_inches(self):
        for fmt in self:
            for name in _LENGTHS:
                fmt[f"{name}_in"] = fmt[f"{name}_mm"] / label_layout.MM_PER_INCH

    def _inverse_inches(self, name):
        for fmt in self:
            fmt[f"{name}_mm"] = round(fmt[f"{name}_in"] * label_layout.MM_PER_INCH, 4)

    def _inverse_page_width_in(self):
        self._inverse_inches("page_width")

    def _inverse_page_height_in(self):
        self._inverse_inches("page_height")

    def _inverse_label_width_in(self):
        self._inverse_inches("label_width")

    def _inverse_label_height_in(self):
        self._inverse_inches("label_height")

    def _inverse_margin_left_in(self):
        self._inverse_inches("margin_left")

    def _inverse_margin_top_in(self):
        self._inverse_inches("margin_top")

    def _inverse_pitch_x_in(self):
        self._inverse_inches("pitch_x")

    def _inverse_pitch_y_in(self):
        self._inverse_inches("pitch_y")

    @api.onchange(*(f"{name}_in" for name in _LENGTHS))
    def _onchange_inches(self):
        # the preview follows sizes typed in inches before the form is saved
        for name in _LENGTHS:
            millimetres = round(self[f"{name}_in"] * label_layout.MM_PER_INCH, 4)
            if abs(millimetres - self[f"{name}_mm"]) > 0.001:
                self[f"{name}_mm"] = millimetres

    @api.onchange("gap_x_mm", "gap_y_mm")
    def _onchange_gaps(self):
        self._inverse_gaps()

    @api.depends("pitch_x_mm", "pitch_y_mm", "label_width_mm", "label_height_mm")
    def _compute_gaps(self):
        for fmt in self:
            fmt.gap_x_mm = max(0.0, fmt.pitch_x_mm - fmt.label_width_mm)
            fmt.gap_y_mm = max(0.0, fmt.pitch_y_mm - fmt.label_height_mm)

    def _inverse_gaps(self):
        for fmt in self:
            fmt.pitch_x_mm = fmt.label_width_mm + fmt.gap_x_mm
            fmt.pitch_y_mm = fmt.label_height_mm + fmt.gap_y_mm

    @api.onchange("paper")
    def _onchange_paper(self):
        if self.paper in PAPERS:
            self.page_width_mm, self.page_height_mm = PAPERS[self.paper]

    @api.onchange("label_width_mm", "label_height_mm", "page_type")
    def _onchange_label_size(self):
        # A new grid starts edge to edge; a changed label keeps its gaps.
        if self.page_type == "sheet":
            if self.pitch_x_mm < self.label_width_mm:
                self.pitch_x_mm = self.label_width_mm
            if self.pitch_y_mm < self.label_height_mm:
                self.pitch_y_mm = self.label_height_mm

    @api.depends(
        *_PAGE_FIELDS,
        "standard_layout",
        "element_ids",
        "element_ids.kind",
        "element_ids.sequence",
        "element_ids.x_mm",
        "element_ids.y_mm",
        "element_ids.width_mm",
        "element_ids.height_mm",
        "element_ids.field",
        "element_ids.text",
        "element_ids.font_pt",
        "element_ids.bold",
        "element_ids.align",
        "element_ids.barcode_type",
        "element_ids.module_width_mm",
    )
    def _compute_preview_image(self):
        for fmt in self:
            fmt.preview_image = fmt._serial_preview_png()

    # ------------------------------------------------------------ definition
    def _serial_label_definition(self):
        """The format as :class:`lib.label_layout.LabelFormat` (pure values,
        also of a form not saved yet): what the PDF, the preview and ZPL
        print."""
        self.ensure_one()
        sheet = self.page_type == "sheet"
        label_w, label_h = self.label_width_mm, self.label_height_mm
        if sheet:
            page_w, page_h = self.page_width_mm, self.page_height_mm
            if self.orientation == "landscape":
                page_w, page_h = page_h, page_w
        else:
            page_w, page_h = label_w, label_h
        base = label_layout.FORMATS.get(self.code or "")
        fonts = {}
        if base:
            fonts = {
                "small_pt": base.small_pt,
                "serial_pt": base.serial_pt,
                "padding": base.padding,
            }
        elements = ()
        if not self.standard_layout:
            elements = tuple(
                element._serial_element()
                for element in self.element_ids.sorted(lambda e: e.sequence)
            )
        return label_layout.LabelFormat(
            code=self.code or "",
            page_width=page_w,
            page_height=page_h,
            label_width=label_w,
            label_height=label_h,
            cols=max(1, self.columns) if sheet else 1,
            rows=max(1, self.rows) if sheet else 1,
            left=self.margin_left_mm if sheet else 0.0,
            top=self.margin_top_mm if sheet else 0.0,
            pitch_x=self.pitch_x_mm if sheet else label_w,
            pitch_y=self.pitch_y_mm if sheet else label_h,
            elements=elements,
            sheet=sheet,
            **fonts,
        )

    @api.model
    def _serial_definition_to_data(self, definition):
        values = dataclasses.asdict(definition)
        values["elements"] = [dataclasses.asdict(e) for e in definition.elements]
        return values

    @api.model
    def _serial_definition_from_data(self, values):
        values = dict(values)
        values["elements"] = tuple(
            label_layout.Element(**element) for element in values.get("elements", ())
        )
        return label_layout.LabelFormat(**values)

    @api.model
    def _serial_by_code(self, code):
        """The shipped format of an old format key, if any (this company's
        copy first)."""
        if not code:
            return self.browse()
        return self.with_context(active_test=False).search(
            [
                ("code", "=", code),
                ("company_id", "in", [False, *self.env.companies.ids]),
            ],
            limit=1,
        )

    @api.model
    def _serial_default_for(self, company):
        """The company's last used format, else its shipped one, else any."""
        fmt = company.serial_label_format_id
        if fmt and fmt.active:
            return fmt
        return self._serial_by_code(company.serial_label_format) or self.search(
            [("company_id", "in", [False, company.id])], limit=1
        )

    # ------------------------------------------------------------ validation
    def _serial_problem_messages(self, problems):
        messages = {
            "label_size": _("The label needs a width and a height."),
            "grid_empty": _("A sheet needs at least one row and one column."),
            "label_page": _("The label does not fit its page."),
            "margin": _("The margins cannot be negative."),
            "overlap_x": _(
                "The horizontal pitch is smaller than the label width: labels "
                "would overlap."
            ),
            "overlap_y": _(
                "The vertical pitch is smaller than the label height: labels "
                "would overlap."
            ),
            "grid_x": _(
                "The sheet grid exceeds the page: its labels reach %(right).1f mm, "
                "the page is %(page).1f mm wide."
            ),
            "grid_y": _(
                "The sheet grid exceeds the page: its labels reach %(bottom).1f mm, "
                "the page is %(page).1f mm high."
            ),
            "element_size": _("Element %(index)s needs a width and a height."),
            "element_label": _("Element %(index)s does not fit the label."),
            "module": _(
                "The barcode of element %(index)s has modules of %(module).2f mm, "
                "below the minimum module width of %(min).2f mm for its type."
            ),
            "module_box": _(
                "The barcode of element %(index)s is too small: it would print "
                "modules of %(module).2f mm, below the minimum module width of "
                "%(min).2f mm for its type (give it at least %(need).1f mm)."
            ),
        }
        return [messages[code] % values for code, values in problems]

    @api.constrains(*_PAGE_FIELDS, "element_ids")
    def _check_fits(self):
        for fmt in self:
            definition = fmt._serial_label_definition()
            problems = label_layout.format_problems(definition)
            if problems:
                raise ValidationError(
                    _("Label format %(name)s: ", name=fmt.name)
                    + " ".join(fmt._serial_problem_messages(problems))
                )

    # ------------------------------------------------------------ preview, print
    def _serial_render_pdf(self, sample=True):
        self.ensure_one()
        definition = self._serial_definition_to_data(self._serial_label_definition())
        report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, serial_label_definition=definition
        )
        data = {"serial_label_definition": definition, "serial_label_sample": sample}
        pdf, _type = report._render_qweb_pdf(
            "stock_serial_tracking.action_report_serial_label", None, data=data
        )
        return pdf

    def _serial_preview_png(self):
        """PNG of the first page of this format's PDF (sample serial), made
        by the PDF report itself and pdftoppm; False when it cannot be made
        (an invalid format, no wkhtmltopdf or pdftoppm)."""
        self.ensure_one()
        if not shutil.which("pdftoppm") or not self.label_width_mm:
            return False
        if label_layout.format_problems(self._serial_label_definition()):
            return False
        try:
            pdf = self._serial_render_pdf()
        except (UserError, OSError) as error:
            _logger.info("No label preview: %s", error)
            return False
        if not pdf.startswith(b"%PDF"):
            return False
        with tempfile.TemporaryDirectory(prefix="serial_label_") as folder:
            pdf_path = Path(folder) / "preview.pdf"
            pdf_path.write_bytes(pdf)
            size = "900" if self.page_type == "sheet" else "600"
            subprocess.run(
                ["pdftoppm", "-png", "-singlefile", "-f", "1", "-l", "1",
                 "-scale-to", size, str(pdf_path), str(Path(folder) / "page")],
                capture_output=True, timeout=60, check=False,
            )  # fmt: skip
            png = Path(folder) / "page.png"
            if not png.exists():
                return False
            return base64.b64encode(png.read_bytes())

    def action_test_print(self):
        """Print one page of this format with a sample serial (a full sheet
        of sample labels for a sheet format)."""
        self.ensure_one()
        definition = self._serial_definition_to_data(self._serial_label_definition())
        report = self.env.ref(
            "stock_serial_tracking.action_report_serial_label"
        ).with_context(serial_label_definition=definition)
        return report.report_action(
            None,
            data={"serial_label_definition": definition, "serial_label_sample": True},
            config=False,
        )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for fmt, vals in zip(self, vals_list, strict=True):
            vals["name"] = _("%s (copy)", fmt.name)
            if "company_id" not in (default or {}):
                # a copy of a shared format is the company's own
                vals["company_id"] = fmt.company_id.id or self.env.company.id
            if fmt.standard_layout and not (default or {}).get("element_ids"):
                # the copy is designed: start from what the standard prints
                company = self.env.company
                elements = label_layout.standard_elements(
                    fmt._serial_label_definition(),
                    company.serial_label_barcode_type,
                    company._serial_label_fields(),
                )
                vals["element_ids"] = [
                    (0, 0, self.env["stock.serial.label.element"]._serial_vals(e))
                    for e in elements
                ]
        return vals_list


class StockSerialLabelElement(models.Model):
    _name = "stock.serial.label.element"
    _description = "Serial Label Element"
    _order = "format_id, sequence, id"

    format_id = fields.Many2one(
        "stock.serial.label.format", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="format_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("text", "Text"), ("barcode", "Barcode")], required=True, default="text"
    )
    field = fields.Selection(TEXT_FIELDS, string="Shows", default="serial")
    text = fields.Char(
        translate=True, help="The fixed text, or the name of the serial's property."
    )
    barcode_type = fields.Selection(
        [
            ("code128", "Code 128"),
            ("qr", "QR code"),
            ("datamatrix", "Data Matrix"),
            ("gs1_128", "GS1-128 (GTIN + serial)"),
            ("gs1_datamatrix", "GS1 DataMatrix (GTIN + serial)"),
        ],
        default="code128",
    )
    module_width_mm = fields.Float(
        "Module Width (mm)",
        digits=(16, 3),
        help="Width of the narrowest bar or of a 2D module; 0 fills the box.",
    )
    x_mm = fields.Float("X (mm)", digits=(16, 2))
    y_mm = fields.Float("Y (mm)", digits=(16, 2))
    width_mm = fields.Float("Width (mm)", digits=(16, 2), default=20)
    height_mm = fields.Float("Height (mm)", digits=(16, 2), default=4)
    font_pt = fields.Float("Font Size (pt)", digits=(16, 1), default=8)
    bold = fields.Boolean()
    align = fields.Selection(ALIGNS, default="left", required=True)

    @api.constrains(
        "kind", "x_mm", "y_mm", "width_mm", "height_mm", "barcode_type",
        "module_width_mm",
    )  # fmt: skip
    def _check_fits(self):
        self.format_id._check_fits()

    def _serial_element(self):
        self.ensure_one()
        return label_layout.Element(
            kind=self.kind,
            x=self.x_mm,
            y=self.y_mm,
            width=self.width_mm,
            height=self.height_mm,
            field=self.field or "serial",
            text=self.text or "",
            font_pt=self.font_pt or 8.0,
            bold=self.bold,
            align=self.align or "left",
            barcode_type=self.barcode_type or "code128",
            module_mm=self.module_width_mm or 0.0,
        )

    @api.model
    def _serial_vals(self, element):
        """Create values of an element from a :class:`label_layout.Element`."""
        return {
            "kind": element.kind,
            "x_mm": round(element.x, 2),
            "y_mm": round(element.y, 2),
            "width_mm": round(element.width, 2),
            "height_mm": round(element.height, 2),
            "field": element.field if element.kind == "text" else False,
            "text": element.text,
            "font_pt": element.font_pt,
            "bold": element.bold,
            "align": element.align,
            "barcode_type": element.barcode_type,
            "module_width_mm": element.module_mm,
        }
