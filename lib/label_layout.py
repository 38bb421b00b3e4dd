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

    @property
    def is_sheet(self):
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
