# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Barcodes for serial labels, drawn as vector SVG without any HTTP round trip.

The label report embeds every barcode into the HTML it sends to wkhtmltopdf, so a
sheet of a thousand labels is one document with no per-label ``/report/barcode``
request that could time out and leave a label blank.

The symbols come from zxing-cpp (``zxingcpp.create_barcode``, whose writer is
zint): Code 128 (at most 102 symbol characters, zint's limit: longer
serials get a 2D code on the label anyway), QR code (level M, UTF-8 with ECI 26
for non-ASCII text), square ECC 200 Data Matrix of every size, and
their GS1 forms for element strings such as ``01<GTIN>21<serial>``:

* ``gs1_128`` -- Code 128 starting with FNC1 (read back as ``]C1``);
* ``gs1_datamatrix`` -- Data Matrix whose first codeword is FNC1 (``]d2``).

:func:`barcode_symbol` turns the writer's SVG (``write_barcode_to_svg``) into
dark rectangles on a module grid with our own quiet zones, so that the label
layout knows a symbol's size in modules (the minimum module width rule) and
linear codes can be stretched to any height.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

SYMBOLOGIES = ("code128", "qr", "datamatrix", "gs1_128", "gs1_datamatrix")
LINEAR = ("code128", "gs1_128")

# Quiet zones, in modules, on each side (Code 128: 10X; QR: 4 by the standard,
# 2 is read by every current scanner and saves room on small labels; Data
# Matrix: 1 by the standard, 2 for margin).
_QUIET = {"code128": 10, "qr": 2, "datamatrix": 2, "gs1_128": 10, "gs1_datamatrix": 2}
_RECT = re.compile(r"M(\d+) (\d+)h(\d+)v(\d+)h-\d+Z")
_SIZE = re.compile(r'<svg width="(\d+)" height="(\d+)"')
# (01) GTIN-14 then (21) serial, the element string of our GS1 labels
_GS1_01_21 = re.compile(r"01(\d{14})21(.+)", re.S)


@dataclass(frozen=True)
class Symbol:
    """A barcode as dark rectangles on a module grid.

    ``width``/``height`` include the quiet zone. For a linear code ``height`` is
    1 and every rectangle spans it (the caller stretches it vertically).
    """

    symbology: str
    width: int
    height: int
    rects: tuple  # ((x, y, w, h), ...) in modules

    @property
    def is_2d(self):
        return self.symbology not in LINEAR


def code128_supports(value):
    """True if ``value`` can be carried by Code 128 as is (printable ASCII)."""
    return bool(value) and all(32 <= ord(c) <= 126 for c in value)


def _gs1_input(value):
    """The writer's GS1 input (AIs in brackets) of a raw element string."""
    match = _GS1_01_21.fullmatch(value or "")
    if not match:
        raise ValueError(f"Not a (01)+(21) GS1 element string: {value!r}")
    return f"[01]{match.group(1)}[21]{match.group(2)}"


def _create(symbology, value):
    import zxingcpp

    formats = {
        "code128": zxingcpp.BarcodeFormat.Code128,
        "gs1_128": zxingcpp.BarcodeFormat.Code128,
        "qr": zxingcpp.BarcodeFormat.QRCode,
        "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
        "gs1_datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
    }
    if symbology not in formats:
        raise ValueError(f"Unknown symbology {symbology!r}")
    if not value:
        raise ValueError(f"{symbology} of an empty value")
    options = {}
    if symbology.startswith("gs1_"):
        value = _gs1_input(value)
        options["gs1"] = True
    elif symbology == "code128" and not code128_supports(value):
        raise ValueError(f"Code 128 cannot encode {value!r}")
    if symbology == "qr":
        options["ec_level"] = "M"
    if not value.isascii():
        # Without an ECI, readers guess the bytes' encoding (Latin-1 text
        # reads back as Shift JIS): say UTF-8.
        options["eci"] = "UTF8"
    if symbology.endswith("datamatrix"):
        # rectangular symbols are smaller but do not fit a square box
        options["forceSquare"] = True
    try:
        barcode = zxingcpp.create_barcode(value, formats[symbology], **options)
    except (ValueError, RuntimeError) as error:
        raise ValueError(f"{symbology} cannot encode {value!r}: {error}") from error
    return zxingcpp.write_barcode_to_svg(barcode, add_quiet_zones=False)


def barcode_symbol(symbology, value):
    """The :class:`Symbol` of ``value`` in ``symbology``.

    :raises ValueError: if the symbology is unknown or cannot carry ``value``.
    """
    svg = _create(symbology, value)
    width, height = map(int, _SIZE.search(svg).groups())
    quiet = _QUIET[symbology]
    linear = symbology in LINEAR
    rects = tuple(
        (x + quiet, 0, w, 1) if linear else (x + quiet, y + quiet, w, h)
        for x, y, w, h in (map(int, found) for found in _RECT.findall(svg))
    )
    return Symbol(
        symbology,
        width + 2 * quiet,
        1 if linear else height + 2 * quiet,
        rects,
    )


def symbol_svg(symbol):
    """Standalone SVG document of ``symbol``, one path, in module units.

    Linear codes use ``preserveAspectRatio="none"`` so that the caller can
    stretch the bars to any height while each bar keeps its exact width ratio.
    """
    path = "".join(f"M{x} {y}h{w}v{h}h-{w}z" for x, y, w, h in symbol.rects)
    aspect = "xMidYMid meet" if symbol.is_2d else "none"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'viewBox="0 0 {symbol.width} {symbol.height}" '
        f'preserveAspectRatio="{aspect}" shape-rendering="crispEdges">'
        f'<path fill="#000" d="{path}"/></svg>'
    )


def svg_data_uri(svg):
    """``data:`` URI of an SVG document (base64, safe in any attribute)."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return "data:image/svg+xml;base64," + encoded
