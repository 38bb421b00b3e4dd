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


MIN_MODULE_MM = label_layout.MIN_MODULE_MM["code128"]
# A linear code that cannot print becomes this 2D code (a GS1 code stays GS1)
_FALLBACK_2D = {"code128": "qr", "gs1_128": "gs1_datamatrix"}
SAMPLE_TEXTS = {
    "serial": "SN-2026-000123",
    "product": "Sample Product",
    "default_code": "REF-001",
    "product_full": "[REF-001] Sample Product",
    "received_date": "03/14/2026",
    "customer": "Sample Customer",
    "warranty_end": "03/14/2028",
}


@functools.lru_cache(maxsize=8192)
def _barcode(symbology, value):
    symbol = label_barcode.barcode_symbol(symbology, value)
    return symbol, label_barcode.svg_data_uri(label_barcode.symbol_svg(symbol))


def element_barcode(symbology, value, element):
    """(symbology used, data URI, box in mm) of ``value``'s barcode in a
    barcode ``element`` of a label.

    Code 128 carries printable ASCII only, and a long serial on a small label
    would need bars under the minimum module width: those labels get a 2D code
    instead, so that every label scans rather than printing something
    unreadable.
    """
    box = None
    if symbology in _FALLBACK_2D:
        try:
            symbol = _barcode(symbology, value)[0]
            box = label_layout.place_barcode(element, symbol.width, symbology)
        except ValueError:
            box = None
        if box is None:
            symbology = _FALLBACK_2D[symbology]
    symbol, uri = _barcode(symbology, value)
    if box is None:
        box = label_layout.place_barcode(element, symbol.width, symbology)
    if box is None:
        # too small for this symbol at the minimum module: print it anyway in
        # the box, the designer's validation warned about the box size
        side = min(element.width, element.height)
        box = (element.x, element.y, side, side)
    return symbology, uri, box


def serial_barcode(symbology, value, width_mm):
    """(symbology used, data URI) of the barcode of ``value`` on a label whose
    linear barcode may be ``width_mm`` wide (see :func:`element_barcode`)."""
    element = label_layout.Element("barcode", 0, 0, width_mm, width_mm)
    symbology, uri, _box = element_barcode(symbology, value, element)
    return symbology, uri


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
    """What to print: the format, the barcode type and fields of the standard
    layout, copies.

    The format is a ``stock.serial.label.format`` (or, for the designer's
    preview and test print, the definition of a form not saved yet). Built
    from the report ``data`` (set by the layout wizard, the old
    ``label_format`` keys included) or, when the report is printed straight
    from a Print menu, from the company's last choice.
    """

    def __init__(
        self,
        env,
        label_format=None,
        barcode_type=None,
        fields_shown=None,
        copies=1,
        format_record=None,
        definition=None,
        sample=False,
    ):
        formats = env["stock.serial.label.format"]
        company = env.company
        record = format_record or formats.browse()
        if definition is None:
            if not record and label_format:
                record = formats._serial_by_code(label_format)
            if not record:
                record = formats._serial_default_for(company)
            if record:
                definition = record._serial_label_definition()
            else:
                definition = label_layout.FORMATS.get(
                    label_format, label_layout.FORMATS["a4_3x8"]
                )
        if barcode_type not in label_barcode.SYMBOLOGIES:
            barcode_type = company.serial_label_barcode_type or "code128"
        if fields_shown is None:
            fields_shown = company._serial_label_fields()
        self.record = record
        self.format = definition
        self.label_format = definition.code or None
        self.barcode_type = barcode_type
        self.fields = [f for f in label_layout.FIELDS if f in set(fields_shown)]
        self.copies = max(1, min(MAX_COPIES, int(copies or 1)))
        self.sample = sample
        # A format without elements prints the standard layout.
        self.standard = not definition.elements
        if self.standard:
            self.elements = label_layout.standard_elements(
                definition, self.barcode_type, self.fields
            )
        else:
            self.elements = definition.elements

    def to_data(self):
        return {
            "label_format": self.label_format,
            "format_id": self.record.id or False,
            "barcode_type": self.barcode_type,
            "fields": list(self.fields),
            "copies": self.copies,
        }

    @classmethod
    def from_data(cls, env, data):
        data = data or {}
        context = env.context
        formats = env["stock.serial.label.format"]
        definition = data.get("serial_label_definition") or context.get(
            "serial_label_definition"
        )
        options = data.get("serial_label_options") or {}
        record = formats.browse()
        format_id = options.get("format_id") or context.get("serial_label_format_id")
        if format_id:
            record = formats.browse(int(format_id)).exists()
        label_format = options.get("label_format") or context.get("serial_label_format")
        return cls(
            env,
            label_format=label_format,
            barcode_type=options.get("barcode_type"),
            fields_shown=options.get("fields") if options else None,
            copies=options.get("copies")
            or (1 if definition else env.company.serial_label_copies),
            format_record=record,
            definition=(
                formats._serial_definition_from_data(definition) if definition else None
            ),
            sample=bool(data.get("serial_label_sample")),
        )


def _mm(value):
    return f"{value:.3f}mm"


def _box(left, top, width, height=None):
    style = f"left:{_mm(left)};top:{_mm(top)};width:{_mm(width)};"
    if height is not None:
        style += f"height:{_mm(height)};"
    return style


# DejaVu Sans first (its metrics are what lib.label_layout measures), then Noto
# Sans CJK (Debian fonts-noto-cjk) for Chinese, Japanese and Korean serials,
# which would otherwise print blank.
FONT_FAMILY = (
    "'DejaVu Sans','Noto Sans CJK SC','Noto Sans CJK JP','Noto Sans CJK KR',"
    "'Noto Sans',Arial,Helvetica,sans-serif"
)


def label_css(options):
    """Style sheet of the labels; sizes in mm, nothing from the web assets.

    The labels must not depend on Bootstrap or on the report assets being
    fetched by wkhtmltopdf over HTTP (a wrong ``web.base.url`` would otherwise
    shift or unstyle every label), so everything they need is here. Each
    element of the format is a class ``ssl-e<index>`` placing its box.
    """
    fmt = options.format
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
        f"font-family:{FONT_FAMILY};color:#000;line-height:1.2;}}",
        ".ssl-label div, .ssl-label img {position:absolute;display:block;"
        "overflow:hidden;}",
        ".ssl-label div {white-space:nowrap;text-overflow:ellipsis;}",
        ".ssl-label div.ssl-wrap {white-space:normal;word-wrap:break-word;"
        "word-break:break-all;}",
    ]
    for index, element in enumerate(options.elements):
        if element.kind != "text":
            continue
        box = _box(element.x, element.y, element.width, element.height)
        rules.append(
            f".ssl-e{index} {{{box}"
            f"font-size:{element.font_pt}pt;"
            f"font-weight:{'bold' if element.bold else 'normal'};"
            f"text-align:{element.align};}}"
        )
    return Markup("\n".join(rules))


class ReportSerialLabel(models.AbstractModel):
    _name = "report.stock_serial_tracking.report_serial_label"
    _description = "Serial Number Labels"

    @api.model
    def _serial_label_lots(self, docids, data):
        ids = (data or {}).get("serial_lot_ids") or docids or []
        return self.env["stock.lot"].browse(ids)

    @api.model
    def _serial_label_wanted(self, options):
        wanted = {e.field for e in options.elements if e.kind == "text"}
        if options.standard:
            wanted &= set(options.fields) | {"product_full"}
        return wanted

    @api.model
    def _serial_label_texts(self, lot, options):
        """Texts printed on ``lot``'s label, by field (``("property", name)``
        for a value of its properties)."""
        texts = {}
        wanted = self._serial_label_wanted(options)
        product = lot.product_id
        if "product" in wanted:
            texts["product"] = product.with_context(
                display_default_code=False
            ).display_name
        if "default_code" in wanted and product.default_code:
            texts["default_code"] = product.default_code
        if "product_full" in wanted:
            texts["product_full"] = product.display_name
        if "serial" in wanted:
            texts["serial"] = lot.name
        if "company" in wanted:
            # Lots shared between companies have none: print the current one.
            texts["company"] = (lot.company_id or self.env.company).name
        if "received_date" in wanted and lot.received_date:
            local = fields.Datetime.context_timestamp(lot, lot.received_date)
            texts["received_date"] = format_date(self.env, local.date())
        if "customer" in wanted and lot.customer_id:
            texts["customer"] = lot.customer_id.display_name
        if "warranty_end" in wanted and lot.warranty_end_date:
            texts["warranty_end"] = format_date(self.env, lot.warranty_end_date)
        if "property" in wanted:
            # read() gives each property with its definition (name, label,
            # type, selection) beside its value
            for prop in lot.read(["lot_properties"])[0]["lot_properties"] or ():
                value = prop.get("value")
                if prop.get("type") == "selection":
                    value = dict(prop.get("selection") or ()).get(value, value)
                elif prop.get("type") == "tags" and value:
                    labels = {tag[0]: tag[1] for tag in prop.get("tags") or ()}
                    value = [labels.get(tag, tag) for tag in value]
                if isinstance(value, list | tuple):
                    # many2one (id, name), tags and selections: the names
                    value = (
                        value[1]
                        if prop.get("type") == "many2one"
                        else ", ".join(
                            str(part[1] if isinstance(part, list | tuple) else part)
                            for part in value
                        )
                    )
                if value not in (None, False, ""):
                    for key in (prop.get("string"), prop.get("name")):
                        if key:
                            texts[("property", key.strip().lower())] = str(value)
        return texts

    @api.model
    def _serial_element_text(self, element, texts, options):
        """The text a text ``element`` prints on a label of ``texts``."""
        if element.field == "fixed":
            return element.text
        if element.field == "property":
            return texts.get(("property", (element.text or "").strip().lower()))
        if element.field == "default_code" and options.standard:
            return texts.get("default_code") and f"[{texts['default_code']}]"
        return texts.get(element.field)

    @api.model
    def _serial_label_pieces(self, texts, code_of, options):
        """What the label prints, element by element: text boxes and barcode
        images, with the label's own font sizes and barcode boxes."""
        pieces = []
        used = None
        for index, element in enumerate(options.elements):
            if element.kind == "barcode":
                symbology, value = code_of(element.barcode_type)
                if not value:
                    continue
                symbology, uri, box = element_barcode(symbology, value, element)
                used = used or symbology
                pieces.append({"barcode": uri, "cls": "ssl-bc", "style": _box(*box)})
                continue
            text = self._serial_element_text(element, texts, options)
            if not text:
                continue
            points, lines = label_layout.fit_text(
                text, element.width, element.height, element.font_pt, element.bold
            )
            style = f"font-size:{points}pt;" if points != element.font_pt else ""
            cls = f"ssl-e{index} ssl-wrap" if lines > 1 else f"ssl-e{index}"
            pieces.append({"text": text, "cls": cls, "style": style})
        return used, pieces

    @api.model
    def _serial_label_items(self, lots, options):
        items = []
        for lot in lots:
            texts = self._serial_label_texts(lot, options)
            symbology, pieces = self._serial_label_pieces(
                texts,
                lambda kind, lot=lot: label_code(kind, lot),
                options,
            )
            item = {
                "serial": lot.name,
                "symbology": symbology,
                "pieces": pieces,
                "texts": texts,
            }
            items.extend([item] * options.copies)
        return items

    @api.model
    def _serial_sample_items(self, options):
        """One page of sample labels (designer preview and test print)."""
        texts = dict(SAMPLE_TEXTS, company=self.env.company.name)
        serial = texts["serial"]

        def code_of(kind):
            if kind in GS1_PLAIN:
                return kind, gs1.element_string("09506000134352", serial)
            return kind, serial

        symbology, pieces = self._serial_label_pieces(texts, code_of, options)
        item = {"serial": serial, "symbology": symbology, "pieces": pieces,
                "texts": texts}  # fmt: skip
        return [item] * options.format.per_page

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        options = SerialLabelOptions.from_data(self.env, data)
        if options.sample:
            lots = self.env["stock.lot"]
            items = self._serial_sample_items(options)
        else:
            lots = self._serial_label_lots(docids, data)
            items = self._serial_label_items(lots, options)
        pages = label_layout.paginate(items, options.format)
        zoom = 1.0
        if data.get("report_type") == "pdf" or options.sample:
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
    def _serial_zpl_label(self, texts, code_of, options, dots_per_mm):
        """One ZPL label from the format's elements, as the PDF places them."""
        fmt = options.format
        width = int(round(fmt.label_width * dots_per_mm))
        height = int(round(fmt.label_height * dots_per_mm))
        pdf_report = self.env["report.stock_serial_tracking.report_serial_label"]
        fields_zpl = []
        for element in options.elements:
            if element.kind == "barcode":
                symbology, value = code_of(element.barcode_type)
                if value:
                    fields_zpl.append(("barcode", element, symbology, value))
            else:
                text = pdf_report._serial_element_text(element, texts, options)
                if text:
                    fields_zpl.append(("text", element, text, None))
        return zpl.zpl_elements(
            fields_zpl, width, height, dots_per_mm, copies=options.copies
        )

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        options = SerialLabelOptions.from_data(self.env, data)
        if options.format.is_sheet:
            # Thermal printers print single labels: a sheet choice falls back
            # to the small label.
            options = SerialLabelOptions(
                self.env,
                label_format="50x25",
                barcode_type=options.barcode_type,
                fields_shown=options.fields,
                copies=options.copies,
            )
        dots = int((options.record and options.record.zpl_dots_per_mm) or 8)
        pdf_report = self.env["report.stock_serial_tracking.report_serial_label"]
        lots = pdf_report._serial_label_lots(docids, data)
        labels = []
        for lot in lots:
            texts = pdf_report._serial_label_texts(lot, options)
            # The ZPL text is escaped by lib.zpl; Markup only keeps QWeb from
            # HTML-escaping it again in this text/plain report.
            labels.append(
                Markup(
                    self._serial_zpl_label(
                        texts,
                        lambda kind, lot=lot: label_code(kind, lot),
                        options,
                        dots,
                    )
                )
            )
        return {
            "doc_ids": lots.ids,
            "doc_model": "stock.lot",
            "docs": lots,
            "zpl_labels": labels,
        }
