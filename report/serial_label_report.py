# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import functools

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

from ..lib import gs1, label_barcode, label_layout, zpl
from ..lib.errors import SerialInputError

LABEL_FORMATS = [
    ("50x25", "Label 50 x 25 mm"),
    ("62x29", "Label 62 x 29 mm"),
    ("100x50", "Label 100 x 50 mm"),
    ("a4_3x8", "A4 sheet, 3 x 8 labels (70 x 37 mm)"),
    ("letter_3x10", "Letter sheet, 3 x 10 labels (2 5/8 x 1 in)"),
]
BARCODE_TYPES = [
    ("code128", "Code 128"),
    ("qr", "QR code"),
    ("datamatrix", "Data Matrix"),
    ("gs1_128", "GS1-128 (GTIN + serial)"),
    ("gs1_datamatrix", "GS1 DataMatrix (GTIN + serial)"),
]
# A GS1 label needs the product's GTIN; without one the serial alone is
# printed in the plain symbology.
GS1_PLAIN = {"gs1_128": "code128", "gs1_datamatrix": "datamatrix"}
PDF_REPORT = "stock_serial_tracking.report_serial_label"
ZPL_REPORT = "stock_serial_tracking.report_serial_label_zpl"
MAX_COPIES = 100
ZPL_DOTS_PER_MM = 8  # 203 dpi thermal printers, the most common resolution


# Narrowest Code 128 bar we print: 7.5 mil, the usual minimum X dimension
# (1.5 dots of a 203 dpi thermal printer). Below it a 2D code is used.
MIN_MODULE_MM = 0.19


@functools.lru_cache(maxsize=8192)
def _barcode(symbology, value):
    symbol = label_barcode.barcode_symbol(symbology, value)
    return symbol, label_barcode.svg_data_uri(label_barcode.symbol_svg(symbol))


def serial_barcode(symbology, value, width_mm):
    """(symbology used, data URI) of the barcode of ``value`` on a label whose
    linear barcode may be ``width_mm`` wide.

    Code 128 carries printable ASCII only, and a long serial on a small label
    would need bars too thin to print: those labels get a QR code instead, so
    that every label scans rather than printing something unreadable.
    """
    if symbology in label_barcode.LINEAR:
        # a GS1 code stays GS1: its 2D form is GS1 DataMatrix
        fallback = "gs1_datamatrix" if symbology == "gs1_128" else "qr"
        if not label_barcode.code128_supports(value):
            symbology = fallback
        elif _barcode(symbology, value)[0].width * MIN_MODULE_MM > width_mm:
            symbology = fallback
    return symbology, _barcode(symbology, value)[1]


def _gs1_carries(data, serial):
    """True when the element string ``data`` reads back with ``serial`` as its
    AI 21: that AI takes at most 20 characters of GS1's set, and a serial
    beyond it would make a symbol scanners refuse."""
    try:
        return gs1.parse(data).serial == serial
    except SerialInputError:
        return False


def label_code(symbology, lot):
    """(symbology, value) of a serial's label barcode: for GS1 symbologies
    the element string (01) GTIN + (21) serial, when the product has a GTIN."""
    if symbology in GS1_PLAIN:
        gtin = gs1.gtin14(lot.product_id.barcode)
        if gtin:
            data = gs1.element_string(gtin, lot.name)
            if _gs1_carries(data, lot.name):
                return symbology, data
        return GS1_PLAIN[symbology], lot.name
    return symbology, lot.name


class SerialLabelOptions:
    """What to print: format, barcode type, fields and copies.

    Built from the report ``data`` (set by the layout wizard) or, when the
    report is printed straight from a Print menu, from the company's last
    choice.
    """

    def __init__(self, label_format, barcode_type, fields_shown, copies):
        if label_format not in label_layout.FORMATS:
            label_format = "a4_3x8"
        if barcode_type not in label_barcode.SYMBOLOGIES:
            barcode_type = "code128"
        self.label_format = label_format
        self.barcode_type = barcode_type
        self.fields = [f for f in label_layout.FIELDS if f in set(fields_shown)]
        self.copies = max(1, min(MAX_COPIES, int(copies or 1)))

    @property
    def format(self):
        return label_layout.FORMATS[self.label_format]

    def to_data(self):
        return {
            "label_format": self.label_format,
            "barcode_type": self.barcode_type,
            "fields": list(self.fields),
            "copies": self.copies,
        }

    @classmethod
    def from_company(cls, company):
        return cls(
            company.serial_label_format,
            company.serial_label_barcode_type,
            company._serial_label_fields(),
            company.serial_label_copies,
        )

    @classmethod
    def from_data(cls, env, data):
        options = (data or {}).get("serial_label_options")
        if options:
            return cls(
                options.get("label_format"),
                options.get("barcode_type"),
                options.get("fields") or (),
                options.get("copies"),
            )
        fmt = env.context.get("serial_label_format")
        options = cls.from_company(env.company)
        if fmt in label_layout.FORMATS:
            options.label_format = fmt
        return options


def _mm(value):
    return f"{value:.3f}mm"


def _box(left, top, width, height=None):
    style = f"left:{_mm(left)};top:{_mm(top)};width:{_mm(width)};"
    if height is not None:
        style += f"height:{_mm(height)};"
    return style


def label_css(options):
    """Style sheet of the labels; sizes in mm, nothing from the web assets.

    The labels must not depend on Bootstrap or on the report assets being
    fetched by wkhtmltopdf over HTTP (a wrong ``web.base.url`` would otherwise
    shift or unstyle every label), so everything they need is here.
    """
    fmt = options.format
    one = label_layout.label_geometry(fmt, False, options.fields)
    two = label_layout.label_geometry(fmt, True, options.fields)
    # A page box as high as the paper spills a sliver onto a blank page once
    # wkhtmltopdf rounds the paper to whole points and pixels: keep 1 mm.
    page_height = fmt.page_height - 1
    rules = [
        "html, body, body.container, body.o_body_pdf, .article, main, #wrapwrap"
        " {margin:0 !important;padding:0 !important;max-width:none !important;"
        "width:auto !important;background:#fff;}",
        ".ssl-page {position:relative;overflow:hidden;page-break-after:always;"
        f"page-break-inside:avoid;width:{_mm(fmt.page_width)};"
        f"height:{_mm(page_height)};}}",
        ".ssl-page.ssl-last {page-break-after:auto;}",
        ".ssl-label {position:absolute;overflow:hidden;box-sizing:border-box;"
        f"width:{_mm(fmt.label_width)};height:{_mm(fmt.label_height)};"
        "font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#000;"
        f"font-size:{fmt.small_pt}pt;line-height:1.2;}}",
        ".ssl-label div, .ssl-label img {position:absolute;display:block;}",
        ".ssl-line {overflow:hidden;white-space:nowrap;text-overflow:ellipsis;}",
        ".ssl-serial {font-weight:bold;overflow:hidden;word-wrap:break-word;"
        "word-break:break-all;}",
        f".ssl-1d .ssl-barcode {{{_box(*one['barcode'])}}}",
        f".ssl-1d .ssl-head {{{_box(*one['head'])}}}",
        f".ssl-1d .ssl-serial {{{_box(*one['serial'][:3])} text-align:center;}}",
        f".ssl-1d .ssl-foot {{{_box(*one['foot'])}}}",
        ".ssl-1d .ssl-foot .ssl-date {position:static;display:inline;float:right;"
        "margin-left:1mm;}",
        f".ssl-2d .ssl-barcode {{{_box(*two['barcode'])}}}",
        f".ssl-2d .ssl-column {{{_box(*two['column'])} overflow:hidden;}}",
        ".ssl-2d .ssl-column div {position:static;}",
        ".ssl-2d .ssl-product {white-space:normal;max-height:2.4em;}",
    ]
    return Markup("\n".join(rules))


class ReportSerialLabel(models.AbstractModel):
    _name = "report.stock_serial_tracking.report_serial_label"
    _description = "Serial Number Labels"

    @api.model
    def _serial_label_lots(self, docids, data):
        ids = (data or {}).get("serial_lot_ids") or docids or []
        return self.env["stock.lot"].browse(ids)

    @api.model
    def _serial_label_texts(self, lot, options):
        """Texts printed on ``lot``'s label, by field."""
        texts = {}
        wanted = set(options.fields)
        product = lot.product_id
        if "product" in wanted:
            texts["product"] = product.with_context(
                display_default_code=False
            ).display_name
        if "default_code" in wanted and product.default_code:
            texts["default_code"] = product.default_code
        if "serial" in wanted:
            texts["serial"] = lot.name
        if "company" in wanted:
            # Lots shared between companies have none: print the current one.
            texts["company"] = (lot.company_id or self.env.company).name
        if "received_date" in wanted and lot.received_date:
            local = fields.Datetime.context_timestamp(lot, lot.received_date)
            texts["received_date"] = format_date(self.env, local.date())
        return texts

    @api.model
    def _serial_label_items(self, lots, options):
        fmt = options.format
        items = []
        two_d_width = label_layout.label_geometry(fmt, True, options.fields)["column"][
            2
        ]
        one_d_width = fmt.label_width - 2 * fmt.padding
        for lot in lots:
            symbology, value = label_code(options.barcode_type, lot)
            symbology, uri = serial_barcode(symbology, value, one_d_width)
            is_2d = symbology not in label_barcode.LINEAR
            texts = self._serial_label_texts(lot, options)
            width = two_d_width if is_2d else one_d_width
            serial_pt = label_layout.serial_font_pt(
                fmt, texts.get("serial"), width, lines=2 if is_2d else 1
            )
            head = " ".join(
                part
                for part in (
                    texts.get("default_code") and f"[{texts['default_code']}]",
                    texts.get("product"),
                )
                if part
            )
            item = {
                "lot": lot,
                "kind": "ssl-2d" if is_2d else "ssl-1d",
                "symbology": symbology,
                "barcode": uri,
                "head": head,
                "texts": texts,
                "serial_style": f"font-size:{serial_pt}pt;",
            }
            items.extend([item] * options.copies)
        return items

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        options = SerialLabelOptions.from_data(self.env, data)
        lots = self._serial_label_lots(docids, data)
        items = self._serial_label_items(lots, options)
        pages = label_layout.paginate(items, options.format)
        zoom = 1.0
        if data.get("report_type") == "pdf":
            zoom = self.env["ir.actions.report"]._serial_label_zoom()
        return {
            "doc_ids": lots.ids,
            "doc_model": "stock.lot",
            "docs": lots,
            "options": options,
            "pages": pages,
            "label_style": label_css(options),
            "zoom": f"{zoom:.6f}",
            "mm": _mm,
        }


class ReportSerialLabelZpl(models.AbstractModel):
    _name = "report.stock_serial_tracking.report_serial_label_zpl"
    _description = "Serial Number Labels (ZPL)"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        options = SerialLabelOptions.from_data(self.env, data)
        fmt = options.format
        if fmt.is_sheet:
            # Thermal printers print single labels: a sheet choice falls back
            # to the small label.
            fmt = label_layout.FORMATS["50x25"]
        width = int(round(fmt.label_width * ZPL_DOTS_PER_MM))
        height = int(round(fmt.label_height * ZPL_DOTS_PER_MM))
        pdf_report = self.env["report.stock_serial_tracking.report_serial_label"]
        lots = pdf_report._serial_label_lots(docids, data)
        labels = []
        for lot in lots:
            texts = pdf_report._serial_label_texts(lot, options)
            lines = [
                texts.get(key)
                for key in ("product", "default_code", "company", "received_date")
                if texts.get(key)
            ]
            # The ZPL text is escaped by lib.zpl; Markup only keeps QWeb from
            # HTML-escaping it again in this text/plain report.
            symbology, value = label_code(options.barcode_type, lot)
            labels.append(
                Markup(
                    zpl.zpl_label(
                        lot.name,
                        lines,
                        width,
                        height,
                        barcode=symbology,
                        data=value,
                        copies=options.copies,
                    )
                )
            )
        return {
            "doc_ids": lots.ids,
            "doc_model": "stock.lot",
            "docs": lots,
            "zpl_labels": labels,
        }
