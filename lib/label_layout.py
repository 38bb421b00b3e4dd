# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Geometry of serial labels: formats, where each label goes, what fits on it.

Everything is in millimetres and computed here, so that the QWeb template only
places boxes: a 50x25 mm label is a 50x25 mm box on a 50x25 mm page, and a sheet
label sits at its true position on the sheet.

Also :func:`measure_pdf_scale`, which reads back how large wkhtmltopdf really
drew a box of known size. Builds of wkhtmltopdf without Qt patches (Debian's,
Ubuntu's) ignore ``--disable-smart-shrinking`` and ``--zoom`` and draw every
page at about 77 % of its size (76.8 / screen dpi); the report measures that
once per process and zooms the labels back to their real size.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class LabelFormat:
    """A label size on a page; ``cols`` x ``rows`` labels per page."""

    code: str
    page_width: float
    page_height: float
    label_width: float
    label_height: float
    cols: int = 1
    rows: int = 1
    left: float = 0.0  # first label's left edge on the page
    top: float = 0.0
    pitch_x: float = 0.0  # distance between two columns' left edges
    pitch_y: float = 0.0
    small_pt: float = 6.0  # font size of product, reference, company, date
    serial_pt: float = 8.0  # font size of the serial text
    padding: float = 1.5
    # What the label shows (:class:`Element`), in order; empty for the
    # standard layout, made by :func:`standard_elements` at print time.
    elements: tuple = ()
    sheet: bool | None = None  # None: a sheet when it has several labels

    @property
    def is_sheet(self):
        if self.sheet is not None:
            return self.sheet
        return self.cols * self.rows > 1

    @property
    def per_page(self):
        return self.cols * self.rows


FORMATS = {
    fmt.code: fmt
    for fmt in (
        LabelFormat("50x25", 50, 25, 50, 25, small_pt=6, serial_pt=8.5),
        LabelFormat("62x29", 62, 29, 62, 29, small_pt=6.5, serial_pt=9.5),
        LabelFormat("100x50", 100, 50, 100, 50, small_pt=10, serial_pt=14, padding=3),
        # 24 labels 70 x 37 mm, edge to edge (Avery 3474 / Herma 4453 type).
        LabelFormat(
            "a4_3x8",
            210,
            297,
            70,
            37,
            cols=3,
            rows=8,
            top=0.5,
            pitch_x=70,
            pitch_y=37,
            small_pt=7,
            serial_pt=10,
            padding=3,
        ),
        # 30 labels 2 5/8 x 1 inch (Avery 5160 type).
        LabelFormat(
            "letter_3x10",
            215.9,
            279.4,
            66.675,
            25.4,
            cols=3,
            rows=10,
            left=4.7625,
            top=12.7,
            pitch_x=69.85,
            pitch_y=25.4,
            small_pt=6,
            serial_pt=8.5,
            padding=1.5,
        ),
    )
}

SINGLE_FORMATS = tuple(code for code, fmt in FORMATS.items() if not fmt.is_sheet)

FIELDS = ("product", "default_code", "serial", "company", "received_date")
# Texts a designed label may show: FIELDS, the product as "[ref] name", the
# customer, the warranty end, a value of the serial's properties, fixed text.
TEXT_FIELDS = (
    *FIELDS,
    "product_full",
    "customer",
    "warranty_end",
    "property",
    "fixed",
)
ALIGNS = ("left", "center", "right")
LINEAR = ("code128", "gs1_128")
# Narrowest module we print: 7.5 mil (0.19 mm, 1.5 dots of a 203 dpi thermal
# printer) for linear codes, the usual minimum X dimension; a 2D module is a
# square that needs two whole dots (0.25 mm).
MIN_MODULE_MM = {
    "code128": 0.19,
    "gs1_128": 0.19,
    "qr": 0.25,
    "datamatrix": 0.25,
    "gs1_datamatrix": 0.25,
}
# Fewest modules of a symbol with its quiet zones: Code 128 of one character
# (start, symbol, check, stop and 10X each side), a 10x10 Data Matrix, a 21x21
# QR code, both with 2 modules around.
MIN_MODULES = {
    "code128": 66,
    "gs1_128": 77,
    "qr": 25,
    "datamatrix": 14,
    "gs1_datamatrix": 14,
}
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Element:
    """One thing printed on a label, in a box (mm from the label's top left).

    ``kind`` is ``barcode`` (``barcode_type``; ``module_mm`` its module
    width, 0 to fill the box) or ``text`` (``field`` of :data:`TEXT_FIELDS`,
    ``text`` the fixed text or the property's name).
    """

    kind: str
    x: float
    y: float
    width: float
    height: float
    field: str = "serial"
    text: str = ""
    font_pt: float = 8.0
    bold: bool = False
    align: str = "left"
    barcode_type: str = "code128"
    module_mm: float = 0.0


# A text line is 1.2 em high. Bold digits and capitals of DejaVu Sans, the
# widest of the fonts the labels ask for, advance about 0.7 em.
_LINE = 1.2
_GLYPH = 0.72
_MIN_SERIAL_PT = 4.5


def _line_mm(points):
    return points / PT_PER_MM * _LINE


def serial_font_pt(fmt, text, width, lines=1):
    """Font size that fits ``text`` in ``lines`` lines of ``width`` mm, at most
    the format's serial size; never below a legible minimum (the text then
    wraps). A second line is used only when one line would need a font under
    three quarters of the format's size."""
    if not text:
        return fmt.serial_pt
    fit = width * PT_PER_MM / (len(text) * _GLYPH)
    if lines > 1 and fit < 0.75 * fmt.serial_pt:
        # Wrapping breaks anywhere, so a line is not always full: keep 10 %.
        fit = fit * lines * 0.9
    return round(max(_MIN_SERIAL_PT, min(fmt.serial_pt, fit)), 2)


def label_geometry(fmt, is_2d, fields):
    """Boxes (mm) of one label: ``barcode`` (left, top, width, height), the text
    ``column`` (left, top, width) and which text lines are shown.

    Linear codes: product line on top, bars across the label, serial and
    footer below. 2D codes: the square code on the left, text on the right.
    """
    fields = set(fields)
    pad = fmt.padding
    inner_w = fmt.label_width - 2 * pad
    inner_h = fmt.label_height - 2 * pad
    small = _line_mm(fmt.small_pt)
    geometry = {"fields": fields}
    if is_2d:
        size = min(inner_h, inner_w * 0.5)
        gap = pad
        geometry["barcode"] = (pad, pad + (inner_h - size) / 2, size, size)
        geometry["column"] = (pad + size + gap, pad, inner_w - size - gap, inner_h)
        return geometry
    head = small if fields & {"product", "default_code"} else 0.0
    serial = _line_mm(fmt.serial_pt) if "serial" in fields else 0.0
    foot = small if fields & {"company", "received_date"} else 0.0
    gaps = 0.4 * sum(1 for part in (head, serial, foot) if part)
    bars = inner_h - head - serial - foot - gaps
    geometry["head"] = (pad, pad, inner_w, head)
    geometry["barcode"] = (pad, pad + head + (0.4 if head else 0), inner_w, bars)
    geometry["serial"] = (
        pad,
        pad + inner_h - foot - serial - (0.4 if foot else 0),
        inner_w,
        serial,
    )
    geometry["foot"] = (pad, pad + inner_h - foot, inner_w, foot)
    return geometry


def paginate(items, fmt):
    """Split ``items`` into pages, each item with its (left, top) in mm."""
    per_page = fmt.per_page
    pages = []
    for start in range(0, len(items), per_page):
        page = []
        for index, item in enumerate(items[start : start + per_page]):
            row, col = divmod(index, fmt.cols)
            left = fmt.left + col * fmt.pitch_x
            top = fmt.top + row * fmt.pitch_y
            page.append((round(left, 3), round(top, 3), item))
        pages.append(page)
    return pages


def standard_elements(fmt, barcode_type, fields):
    """The elements of the standard layout (:func:`label_geometry`) of
    ``fmt`` for a barcode type and the :data:`FIELDS` shown: what the five
    shipped formats print with the wizard's barcode and field choices."""
    fields = [name for name in FIELDS if name in set(fields)]
    is_2d = barcode_type not in LINEAR
    geometry = label_geometry(fmt, is_2d, fields)
    small = fmt.small_pt
    elements = [Element("barcode", *geometry["barcode"], barcode_type=barcode_type)]

    def text(field, box, **options):
        elements.append(Element("text", *box, field=field, **options))

    if not is_2d:
        if "product" in fields or "default_code" in fields:
            head = (
                "product_full"
                if {"product", "default_code"} <= set(fields)
                else ("product" if "product" in fields else "default_code")
            )
            text(head, geometry["head"], font_pt=small)
        if "serial" in fields:
            text(
                "serial", geometry["serial"], font_pt=fmt.serial_pt, bold=True,
                align="center",
            )  # fmt: skip
        left, top, width, height = geometry["foot"]
        if "company" in fields:
            share = 0.62 if "received_date" in fields else 1.0
            text("company", (left, top, width * share, height), font_pt=small)
        if "received_date" in fields:
            text("received_date", geometry["foot"], font_pt=small, align="right")
        return tuple(elements)
    left, top, width, height = geometry["column"]
    bottom = top + height
    line = _line_mm(small)
    for field, lines, points, bold in (
        ("product", 2, small, False),
        ("default_code", 1, small, False),
        ("serial", 2, fmt.serial_pt, True),
        ("company", 1, small, False),
        ("received_date", 1, small, False),
    ):
        if field not in fields:
            continue
        box_h = min(lines * _line_mm(points), bottom - top)
        if box_h < line * 0.8:
            break
        text(field, (left, top, width, box_h), font_pt=points, bold=bold)
        top += box_h
    return tuple(elements)


def fit_text(text, width, height, font_pt, bold=False):
    """(font size, lines) printing ``text`` in a ``width`` x ``height`` mm
    box: the element's size if one line fits, else smaller down to a legible
    minimum, then wrapped on as many lines as the box holds."""
    if not text or width <= 0:
        return font_pt, 1
    glyph = _GLYPH if bold else _GLYPH * 0.85
    fit = width * PT_PER_MM / (len(text) * glyph)
    if fit >= font_pt:
        return font_pt, 1
    lines = max(1, int(height / _line_mm(font_pt) + 0.05))
    if lines > 1 and fit < 0.75 * font_pt:
        # Wrapping breaks anywhere, so a line is not always full: keep 10 %.
        wrapped = fit * lines * 0.9
        points = max(_MIN_SERIAL_PT, min(font_pt, wrapped))
        return round(points, 2), max(1, int(height / _line_mm(points) + 0.05))
    return round(max(_MIN_SERIAL_PT, fit), 2), 1


def place_barcode(element, modules, symbology):
    """Box (left, top, width, height) in mm of a barcode of ``modules``
    modules wide (quiet zones included) in ``element``'s box, or None when
    its modules would be narrower than :data:`MIN_MODULE_MM` allows."""
    width, height = element.width, element.height
    if symbology in LINEAR:
        module = width / modules
        if element.module_mm:
            module = min(module, element.module_mm)
        drawn_w, drawn_h = modules * module, height
    else:
        side = min(width, height)
        if element.module_mm:
            side = min(side, modules * element.module_mm)
        module = side / modules
        drawn_w = drawn_h = side
    if module < MIN_MODULE_MM.get(symbology, 0.19) - 1e-9:
        return None
    left = element.x
    if element.align == "center":
        left += (width - drawn_w) / 2
    elif element.align == "right":
        left += width - drawn_w
    top = element.y + (height - drawn_h) / 2 if symbology not in LINEAR else element.y
    return (left, top, drawn_w, drawn_h)


def format_problems(fmt):
    """What makes ``fmt`` unprintable, as (code, values) pairs: the label
    does not fit its page, the sheet grid exceeds the page or its labels
    overlap, an element leaves the label, a barcode's modules would be under
    the minimum width for its type."""
    problems = []
    eps = 0.01
    if fmt.label_width <= 0 or fmt.label_height <= 0:
        return [("label_size", {})]
    if fmt.is_sheet:
        if fmt.cols < 1 or fmt.rows < 1:
            problems.append(("grid_empty", {}))
            return problems
        if fmt.label_width > fmt.page_width + eps or (
            fmt.label_height > fmt.page_height + eps
        ):
            problems.append(("label_page", {}))
        if fmt.left < -eps or fmt.top < -eps:
            problems.append(("margin", {}))
        if fmt.cols > 1 and fmt.pitch_x < fmt.label_width - eps:
            problems.append(("overlap_x", {}))
        if fmt.rows > 1 and fmt.pitch_y < fmt.label_height - eps:
            problems.append(("overlap_y", {}))
        right = fmt.left + (fmt.cols - 1) * fmt.pitch_x + fmt.label_width
        bottom = fmt.top + (fmt.rows - 1) * fmt.pitch_y + fmt.label_height
        if right > fmt.page_width + eps:
            problems.append(("grid_x", {"right": right, "page": fmt.page_width}))
        if bottom > fmt.page_height + eps:
            problems.append(("grid_y", {"bottom": bottom, "page": fmt.page_height}))
    for index, element in enumerate(fmt.elements, start=1):
        if element.width <= 0 or element.height <= 0:
            problems.append(("element_size", {"index": index}))
            continue
        if (
            element.x < -eps
            or element.y < -eps
            or element.x + element.width > fmt.label_width + eps
            or element.y + element.height > fmt.label_height + eps
        ):
            problems.append(("element_label", {"index": index}))
        if element.kind != "barcode":
            continue
        minimum = MIN_MODULE_MM.get(element.barcode_type, 0.19)
        if element.module_mm and element.module_mm < minimum - 1e-9:
            problems.append(
                (
                    "module",
                    {"index": index, "module": element.module_mm, "min": minimum},
                )
            )
            continue
        room = (
            element.width
            if element.barcode_type in LINEAR
            else min(element.width, element.height)
        )
        smallest = MIN_MODULES.get(element.barcode_type, 14)
        if room / smallest < minimum - 1e-9:
            problems.append(
                (
                    "module_box",
                    {
                        "index": index,
                        "module": room / smallest,
                        "min": minimum,
                        "need": smallest * minimum,
                    },
                )
            )
    return problems


# ------------------------------------------------------------- PDF measurement

_TOKEN = re.compile(
    rb"/[^\s/\[\]()<>{}%]+"  # name
    rb"|\((?:\\.|[^\\)])*\)"  # string
    rb"|<<|>>|<[0-9A-Fa-f\s]*>"  # dictionary marks, hex string
    rb"|[-+]?(?:\d+\.?\d*|\.\d+)"  # number
    rb"|[A-Za-z'\"*]+"  # operator
    rb"|\[|\]"
)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)


def _content_streams(pdf):
    for match in _STREAM.finditer(pdf):
        raw = match.group(1)
        try:
            yield zlib.decompress(raw)
        except zlib.error:
            yield raw


def pdf_rectangles(pdf):
    """(width, height) in points of every rectangle path (``re``) in ``pdf``,
    with the scaling of the current transformation matrix applied."""
    found = []
    for data in _content_streams(pdf):
        scale = (1.0, 1.0)
        stack = []
        operands = []
        for token in _TOKEN.findall(data):
            first = token[:1]
            if first.isdigit() or first in b"-+.":
                operands.append(float(token))
                continue
            if first in b"/([<]" or token == b">>":
                operands.append(None)
                continue
            if token == b"q":
                stack.append(scale)
            elif token == b"Q":
                scale = stack.pop() if stack else (1.0, 1.0)
            elif token == b"cm" and len(operands) >= 6 and None not in operands[-6:]:
                a, b, c, d = operands[-6:-2]
                scale = (scale[0] * abs(a or c), scale[1] * abs(d or b))
            elif token == b"re" and len(operands) >= 4 and None not in operands[-2:]:
                width, height = operands[-2:]
                found.append((abs(width * scale[0]), abs(height * scale[1])))
            operands = []
    return found


CALIBRATION_HTML = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
    '<body style="margin:0;padding:0">'
    '<div style="width:100mm;height:20mm;background:#000"></div>'
    "</body></html>"
)


def measure_pdf_scale(pdf):
    """Drawn size / CSS size of the 100 x 20 mm box of :data:`CALIBRATION_HTML`
    in the PDF ``pdf`` made from it, or None if the box is not found."""
    target = 100 * PT_PER_MM
    for width, height in pdf_rectangles(pdf):
        if height and 4.5 < width / height < 5.5 and width > 10:
            return width / target
    return None
