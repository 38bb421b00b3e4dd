# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Barcodes for serial labels, drawn as vector SVG without any HTTP round trip.

The label report embeds every barcode into the HTML it sends to wkhtmltopdf, so a
sheet of a thousand labels is one document with no per-label ``/report/barcode``
request that could time out and leave a label blank.

Three symbologies:

* ``code128`` -- reportlab's encoder (shortest mix of sets B and C); values that
  Code 128 cannot carry (anything outside printable ASCII) raise ``ValueError``
  so that the caller can switch that label to a 2D code;
* ``qr`` -- the ``qrcode`` library, error correction level M, UTF-8 data;
* ``datamatrix`` -- an ECC 200 encoder written here (reportlab's only knows the
  44x44 symbol): ASCII mode with digit pairs, the smallest square symbol that
  fits, ECI 26 (UTF-8) for text outside Latin-1.

and their GS1 forms, for GS1 element strings such as ``01<GTIN>21<serial>``:

* ``gs1_128`` -- Code 128 starting with FNC1 (read back as ``]C1``);
* ``gs1_datamatrix`` -- Data Matrix whose first codeword is FNC1 (``]d2``).

Everything is pure Python (no Odoo) and returns plain strings.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

SYMBOLOGIES = ("code128", "qr", "datamatrix", "gs1_128", "gs1_datamatrix")
LINEAR = ("code128", "gs1_128")
# FNC1: as the first character, it marks the data as GS1 element strings
# (reportlab's Code 128 writes it for "\xf1"; Data Matrix codeword 232)
_FNC1 = "\xf1"
_DM_FNC1 = 232

# Quiet zones, in modules, on each side (Code 128: 10X; QR: 4 by the standard,
# 2 is read by every current scanner and saves room on small labels; Data
# Matrix: 1 by the standard, 2 for margin).
_QUIET = {"code128": 10, "qr": 2, "datamatrix": 2, "gs1_128": 10, "gs1_datamatrix": 2}


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


# --------------------------------------------------------------------- Code 128


def code128_supports(value):
    """True if ``value`` can be carried by Code 128 as is (printable ASCII)."""
    return bool(value) and all(32 <= ord(c) <= 126 for c in value)


def code128_widths(value, gs1=False):
    """Bar/space widths (modules) of ``value``, starting with a bar; with
    ``gs1``, FNC1 first (GS1-128).

    :raises ValueError: if ``value`` is empty or not printable ASCII.
    """
    if not code128_supports(value):
        raise ValueError(f"Code 128 cannot encode {value!r}")
    if gs1:
        value = _FNC1 + value
    from reportlab.graphics.barcode.code128 import Code128

    code = Code128(value)
    code.validate()
    code.encode()
    # reportlab writes bars as upper-case and spaces as lower-case letters,
    # 'A'/'a' being one module wide.
    return [ord(c.lower()) - ord("a") + 1 for c in code.decompose()]


def _code128_symbol(value, symbology="code128"):
    quiet = _QUIET[symbology]
    rects = []
    x = quiet
    for index, width in enumerate(code128_widths(value, gs1=symbology == "gs1_128")):
        if index % 2 == 0:
            rects.append((x, 0, width, 1))
        x += width
    return Symbol(symbology, x + quiet, 1, tuple(rects))


# ---------------------------------------------------------------------- QR code


def qr_matrix(value):
    """Rows of booleans (True = dark) of the QR code of ``value`` (no border)."""
    if not value:
        raise ValueError("QR code of an empty value")
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    code.add_data(value.encode("utf-8"))
    code.make(fit=True)
    return code.get_matrix()


# ------------------------------------------------------------------ Data Matrix

# Square ECC 200 symbols: (size, data codewords, error codewords, data region
# size, interleaved blocks). ISO/IEC 16022 table 7.
_DM_SYMBOLS = (
    (10, 3, 5, 8, 1),
    (12, 5, 7, 10, 1),
    (14, 8, 10, 12, 1),
    (16, 12, 12, 14, 1),
    (18, 18, 14, 16, 1),
    (20, 22, 18, 18, 1),
    (22, 30, 20, 20, 1),
    (24, 36, 24, 22, 1),
    (26, 44, 28, 24, 1),
    (32, 62, 36, 14, 1),
    (36, 86, 42, 16, 1),
    (40, 114, 48, 18, 1),
    (44, 144, 56, 20, 1),
    (48, 174, 68, 22, 1),
    (52, 204, 84, 24, 2),
    (64, 280, 112, 14, 2),
    (72, 368, 144, 16, 4),
    (80, 456, 192, 18, 4),
    (88, 576, 224, 20, 4),
    (96, 696, 272, 22, 4),
    (104, 816, 336, 24, 6),
)

_GF_EXP = [0] * 512
_GF_LOG = [0] * 256


def _init_gf():
    value = 1
    for power in range(255):
        _GF_EXP[power] = value
        _GF_LOG[value] = power
        value <<= 1
        if value & 0x100:
            value ^= 0x12D  # x^8 + x^5 + x^3 + x^2 + 1
    for power in range(255, 512):
        _GF_EXP[power] = _GF_EXP[power - 255]


_init_gf()
_GENERATORS = {}


def _gf_mul(a, b):
    if not a or not b:
        return 0
    return _GF_EXP[_GF_LOG[a] + _GF_LOG[b]]


def _generator(degree):
    if degree not in _GENERATORS:
        poly = [1]
        for root in range(1, degree + 1):
            alpha = _GF_EXP[root]
            nxt = poly + [0]
            for index, coef in enumerate(poly):
                nxt[index + 1] ^= _gf_mul(coef, alpha)
            poly = nxt
        _GENERATORS[degree] = poly
    return _GENERATORS[degree]


def _reed_solomon(data, degree):
    gen = _generator(degree)
    remainder = [0] * degree
    for codeword in data:
        factor = codeword ^ remainder[0]
        remainder = remainder[1:] + [0]
        for index in range(degree):
            remainder[index] ^= _gf_mul(gen[index + 1], factor)
    return remainder


def _dm_codewords(value):
    """ASCII-mode codewords of ``value`` (digit pairs packed, upper shift)."""
    if value.isascii():
        data = value.encode("ascii")
        codewords = []
    else:
        # Readers guess the charset of bytes above 127 differently; ECI 26
        # states UTF-8 so that "Ä" comes back as "Ä" everywhere.
        data = value.encode("utf-8")
        codewords = [241, 27]
    index = 0
    while index < len(data):
        byte = data[index]
        if 48 <= byte <= 57 and index + 1 < len(data) and 48 <= data[index + 1] <= 57:
            codewords.append(130 + (byte - 48) * 10 + data[index + 1] - 48)
            index += 2
            continue
        if byte < 128:
            codewords.append(byte + 1)
        else:
            codewords += [235, byte - 127]
        index += 1
    return codewords


def _dm_place(nrow, ncol):
    """Annex F placement: for each module (row, col) -> (codeword, bit) or None."""
    grid = [[None] * ncol for _ in range(nrow)]

    def module(row, col, chr_, bit):
        if row < 0:
            row += nrow
            col += 4 - ((nrow + 4) % 8)
        if col < 0:
            col += ncol
            row += 4 - ((ncol + 4) % 8)
        grid[row][col] = (chr_, bit)

    def utah(row, col, chr_):
        module(row - 2, col - 2, chr_, 1)
        module(row - 2, col - 1, chr_, 2)
        module(row - 1, col - 2, chr_, 3)
        module(row - 1, col - 1, chr_, 4)
        module(row - 1, col, chr_, 5)
        module(row, col - 2, chr_, 6)
        module(row, col - 1, chr_, 7)
        module(row, col, chr_, 8)

    def corner(chr_, cells):
        for bit, (row, col) in enumerate(cells, start=1):
            module(row, col, chr_, bit)

    corners = {
        1: lambda: (
            (nrow - 1, 0),
            (nrow - 1, 1),
            (nrow - 1, 2),
            (0, ncol - 2),
            (0, ncol - 1),
            (1, ncol - 1),
            (2, ncol - 1),
            (3, ncol - 1),
        ),
        2: lambda: (
            (nrow - 3, 0),
            (nrow - 2, 0),
            (nrow - 1, 0),
            (0, ncol - 4),
            (0, ncol - 3),
            (0, ncol - 2),
            (0, ncol - 1),
            (1, ncol - 1),
        ),
        3: lambda: (
            (nrow - 3, 0),
            (nrow - 2, 0),
            (nrow - 1, 0),
            (0, ncol - 2),
            (0, ncol - 1),
            (1, ncol - 1),
            (2, ncol - 1),
            (3, ncol - 1),
        ),
        4: lambda: (
            (nrow - 1, 0),
            (nrow - 1, ncol - 1),
            (0, ncol - 3),
            (0, ncol - 2),
            (0, ncol - 1),
            (1, ncol - 3),
            (1, ncol - 2),
            (1, ncol - 1),
        ),
    }
    chr_ = 0
    row, col = 4, 0
    while True:
        if row == nrow and col == 0:
            corner(chr_, corners[1]())
            chr_ += 1
        if row == nrow - 2 and col == 0 and ncol % 4:
            corner(chr_, corners[2]())
            chr_ += 1
        if row == nrow - 2 and col == 0 and ncol % 8 == 4:
            corner(chr_, corners[3]())
            chr_ += 1
        if row == nrow + 4 and col == 2 and not ncol % 8:
            corner(chr_, corners[4]())
            chr_ += 1
        while True:
            if row < nrow and col >= 0 and grid[row][col] is None:
                utah(row, col, chr_)
                chr_ += 1
            row -= 2
            col += 2
            if not (row >= 0 and col < ncol):
                break
        row += 1
        col += 3
        while True:
            if row >= 0 and col < ncol and grid[row][col] is None:
                utah(row, col, chr_)
                chr_ += 1
            row += 2
            col -= 2
            if not (row < nrow and col >= 0):
                break
        row += 3
        col += 1
        if not (row < nrow or col < ncol):
            break
    return grid


def datamatrix_matrix(value, gs1=False):
    """Rows of booleans (True = dark) of the ECC 200 Data Matrix of ``value``;
    with ``gs1``, FNC1 first (GS1 DataMatrix).

    :raises ValueError: if ``value`` is empty or too long for a 104x104 symbol.
    """
    if not value:
        raise ValueError("Data Matrix of an empty value")
    codewords = ([_DM_FNC1] if gs1 else []) + _dm_codewords(value)
    fitting = [entry for entry in _DM_SYMBOLS if len(codewords) <= entry[1]]
    if not fitting:
        raise ValueError(f"Too long for a Data Matrix: {value!r}")
    size, n_data, n_ecc, region, blocks = fitting[0]
    data = list(codewords)
    if len(data) < n_data:
        data.append(129)
    while len(data) < n_data:
        pos = len(data) + 1
        pad = 129 + ((149 * pos) % 253) + 1
        data.append(pad - 254 if pad > 254 else pad)
    # Interleave blocks: codeword i belongs to block i % blocks.
    ecc_per_block = n_ecc // blocks
    ecc = [0] * n_ecc
    for block in range(blocks):
        block_ecc = _reed_solomon(data[block::blocks], ecc_per_block)
        for index, codeword in enumerate(block_ecc):
            ecc[block + index * blocks] = codeword
    stream = data + ecc

    regions = size // (region + 2)
    nmap = region * regions
    grid = _dm_place(nmap, nmap)
    mapped = [[False] * nmap for _ in range(nmap)]
    for row in range(nmap):
        for col in range(nmap):
            cell = grid[row][col]
            if cell is not None:
                chr_, bit = cell
                mapped[row][col] = bool((stream[chr_] >> (8 - bit)) & 1)
    if grid[nmap - 1][nmap - 1] is None:
        # Annex F fixed pattern for the unused bottom-right corner.
        mapped[nmap - 1][nmap - 1] = mapped[nmap - 2][nmap - 2] = True

    matrix = [[False] * size for _ in range(size)]
    block_size = region + 2
    for row in range(size):
        in_row = row % block_size
        for col in range(size):
            in_col = col % block_size
            if in_col == 0 or in_row == block_size - 1:
                dark = True  # solid "L" finder: left column and bottom row
            elif in_row == 0:
                dark = in_col % 2 == 0  # top clock track
            elif in_col == block_size - 1:
                dark = in_row % 2 == 1  # right clock track
            else:
                map_row = (row // block_size) * region + in_row - 1
                map_col = (col // block_size) * region + in_col - 1
                dark = mapped[map_row][map_col]
            matrix[row][col] = dark
    return matrix


# ---------------------------------------------------------------------- drawing


def _matrix_symbol(symbology, matrix):
    quiet = _QUIET[symbology]
    rects = []
    for y, row in enumerate(matrix):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                rects.append((start + quiet, y + quiet, x - start, 1))
            else:
                x += 1
    size_x = len(matrix[0]) + 2 * quiet
    size_y = len(matrix) + 2 * quiet
    return Symbol(symbology, size_x, size_y, tuple(rects))


def barcode_symbol(symbology, value):
    """The :class:`Symbol` of ``value`` in ``symbology``.

    :raises ValueError: if the symbology is unknown or cannot carry ``value``.
    """
    if symbology in LINEAR:
        return _code128_symbol(value, symbology)
    if symbology == "qr":
        return _matrix_symbol("qr", qr_matrix(value))
    if symbology in ("datamatrix", "gs1_datamatrix"):
        matrix = datamatrix_matrix(value, gs1=symbology == "gs1_datamatrix")
        return _matrix_symbol(symbology, matrix)
    raise ValueError(f"Unknown symbology {symbology!r}")


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
