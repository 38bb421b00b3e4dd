# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""ZPL II labels for thermal printers (SPEC C11), with safe field data.

Every field is written as ``^FH_^FD<escaped>^FS``: ``^FH_`` makes ``_XX`` a
hexadecimal byte, so the ZPL command prefixes ``^`` and ``~`` (and the
indicator ``_`` itself) never reach the printer raw, and non-ASCII text is sent
as UTF-8 bytes (the label selects UTF-8 with ``^CI28``).
"""

from __future__ import annotations

BARCODE_TYPES = ("code128", "qr", "datamatrix", "gs1_128", "gs1_datamatrix")
# FNC1 first marks GS1 element strings: ">8" in ^BC field data, "~1" in ^BX
# field data with "~" as its escape character
_GS1_PREFIX = {"gs1_128": ">8", "gs1_datamatrix": "~1"}
MAX_COPIES = 99_999_999

_ESCAPED = {"_": "_5F", "^": "_5E", "~": "_7E"}
# Code 128 (ZPL ^BC) treats ">" as an invocation code; subset B encodes the
# characters ">" as ">0", "^" as "><" and "~" as ">=" (ZPL II guide, ^BC).
_CODE128_INVOCATION = {">": ">0", "^": "><", "~": ">="}
# Data Matrix ECC 200 escape character (^BX parameter g), sent explicitly so
# that old firmware (default "_") and new firmware (default "~") agree.
_DATAMATRIX_ESCAPE = "~"
# Byte capacities: QR version 1.. (ECC M, byte mode) and square ECC 200 sizes.
_QR_CAPACITY = (14, 26, 42, 62, 84, 106, 122, 152, 180, 213)
_DATAMATRIX_SIZES = (
    (10, 3),
    (12, 5),
    (14, 8),
    (16, 12),
    (18, 18),
    (20, 22),
    (22, 30),
    (24, 36),
    (26, 44),
    (32, 62),
    (36, 86),
    (40, 114),
    (44, 144),
)


def _escape_char(char: str) -> str:
    if char in _ESCAPED:
        return _ESCAPED[char]
    if " " <= char <= "}":
        return char
    return "".join(f"_{byte:02X}" for byte in char.encode("utf-8"))


def zpl_escape(text: str) -> str:
    """Escape ``text`` for ``^FH_^FD...^FS`` field data.

    ``_`` -> ``_5F``, ``^`` -> ``_5E``, ``~`` -> ``_7E``; control characters,
    DEL and non-ASCII characters become their UTF-8 bytes as ``_XX`` (upper
    case hex), e.g. ``"é"`` -> ``"_C3_A9"``. Printable ASCII is kept.
    """
    return "".join(map(_escape_char, text or ""))


def code128_data(text: str) -> str:
    """Escaped ``^BC`` field data: Code 128 invocation codes for ``> ^ ~``."""
    return "".join(
        _CODE128_INVOCATION[char] if char in _CODE128_INVOCATION else _escape_char(char)
        for char in text
    )


def datamatrix_data(text: str) -> str:
    """Escaped ``^BX`` (ECC 200) field data: ``~`` written as ``~d126``."""
    return zpl_escape(text).replace("_7E", "_7Ed126")


def _fit_qr(data: str, size: int) -> tuple[int, int]:
    """QR magnification fitting ``size`` dots, and the symbol's size in dots."""
    length = len(data.encode("utf-8"))
    version = next(
        (v for v, cap in enumerate(_QR_CAPACITY, start=1) if length <= cap),
        len(_QR_CAPACITY) + 4,
    )
    modules = 17 + 4 * version + 8  # symbol plus quiet zone
    mag = max(1, min(10, size // modules))
    return mag, modules * mag


def _fit_datamatrix(data: str, size: int) -> tuple[int, int]:
    """Data Matrix module size fitting ``size`` dots, and the symbol's size."""
    length = len(data.encode("utf-8"))
    modules = next((m for m, cap in _DATAMATRIX_SIZES if length <= cap), 52)
    module = max(1, min(20, size // (modules + 2)))
    return module, modules * module


def _barcode(kind: str, serial: str, x: int, y: int, width: int, height: int):
    """ZPL commands drawing the barcode of ``serial`` in a box; its size."""
    prefix = _GS1_PREFIX.get(kind, "")
    if kind in ("code128", "gs1_128"):
        modules = 11 * (len(serial.encode("utf-8")) + bool(prefix)) + 35
        module = max(1, min(4, width // max(modules, 1)))
        return (
            f"^FO{x},{y}^BY{module}^BCN,{height},N,N,N"
            f"^FH_^FD{prefix}{code128_data(serial)}^FS",
            (modules * module, height),
        )
    side = min(width, height)
    if kind == "qr":
        mag, size = _fit_qr(serial, side)
        # ^BQ draws a quiet zone of its own at the top: no offset needed.
        return (
            f"^FO{x},{y}^BQN,2,{mag}^FH_^FDMA,{zpl_escape(serial)}^FS",
            (size, size),
        )
    module, size = _fit_datamatrix(prefix + serial, side)
    return (
        f"^FO{x},{y}^BXN,{module},200,,,,{_DATAMATRIX_ESCAPE}"
        f"^FH_^FD{prefix}{datamatrix_data(serial)}^FS",
        (size, size),
    )


def _text_field(text: str, x: int, y: int, height: int, avail: int) -> str:
    """One line of text in font 0, shrunk (down to 14 dots) then cut to fit."""
    # Font 0 characters are about 0.6 x height wide on average.
    height = max(14, min(height, int(avail / (0.6 * max(len(text), 1)))))
    max_chars = max(1, int(avail / (0.6 * height)))
    if len(text) > max_chars:
        text = text[: max(1, max_chars - 3)] + "..."
    return f"^FO{x},{y}^A0N,{height},{height}^FH_^FD{zpl_escape(text)}^FS"


def _check_args(barcode: str, width: int, height: int, copies: int) -> None:
    if barcode not in BARCODE_TYPES:
        raise ValueError(f"barcode must be one of {BARCODE_TYPES}, not {barcode!r}")
    for label, value in (("width_dots", width), ("height_dots", height)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 40:
            raise ValueError(f"{label} must be an integer >= 40, not {value!r}")
    if isinstance(copies, bool) or not isinstance(copies, int):
        raise ValueError(f"copies must be an integer, not {copies!r}")
    if not 1 <= copies <= MAX_COPIES:
        raise ValueError(f"copies must be between 1 and {MAX_COPIES}")


def zpl_label(
    serial: str,
    lines: list[str],
    width_dots: int,
    height_dots: int,
    barcode: str = "code128",
    copies: int = 1,
    data: str | None = None,
) -> str:
    """One complete ZPL label (``^XA ... ^XZ``) for ``serial``.

    Layout: for ``code128`` the barcode across the top and the serial text and
    ``lines`` (product, reference, company, date...) below it; for ``qr`` and
    ``datamatrix`` the square code on the left and the texts on its right.
    Texts that would not fit are shrunk then cut; lines that do not fit are
    dropped. All field data is escaped (:func:`zpl_escape`); ``^CI28`` selects
    UTF-8, ``^PQ`` prints ``copies`` copies. Dimensions are printer dots
    (8 dots/mm at 203 dpi). Invalid arguments raise :class:`ValueError`.
    ``data`` is what the barcode carries when it is not the serial itself
    (the GS1 element string of ``gs1_128`` and ``gs1_datamatrix``).
    """
    _check_args(barcode, width_dots, height_dots, copies)
    serial = serial or ""
    margin = max(8, min(width_dots, height_dots) // 20)
    inner_w = width_dots - 2 * margin
    inner_h = height_dots - 2 * margin
    out = ["^XA", "^CI28", f"^PW{width_dots}", f"^LL{height_dots}", "^LH0,0"]
    texts = [serial, *(line for line in lines or () if line)]
    data = data or serial
    if barcode in ("code128", "gs1_128"):
        bar_height = max(20, inner_h * 45 // 100)
        command, _size = _barcode(barcode, data, margin, margin, inner_w, bar_height)
        text_x, text_y = margin, margin + bar_height + margin // 2
        text_w = inner_w
    else:
        command, (side, _h) = _barcode(
            barcode, data, margin, margin, inner_w // 2, inner_h
        )
        text_x, text_y = margin + side + margin, margin
        text_w = width_dots - text_x - margin
    out.append(command)
    out.extend(_text_block(texts, text_x, text_y, text_w, height_dots - margin))
    out.append(f"^PQ{copies}")
    out.append("^XZ")
    return "\n".join(out) + "\n"


def _text_block(texts: list[str], x: int, y: int, avail_w: int, bottom: int):
    """Text lines from (x, y) down to ``bottom``: the first (serial) larger."""
    room = bottom - y
    if room < 14 or avail_w < 20:
        return []
    count = len(texts)
    # The first line is 1.3 x higher when others follow; gaps are 1/5 line.
    first = 1.3 if count > 1 else 1.0
    line_h = max(14, min(40, int(room / ((count - 1 + first) * 1.2))))
    fields = []
    for index, text in enumerate(texts):
        height = int(line_h * first) if index == 0 else line_h
        if y + height > bottom:
            break
        fields.append(_text_field(text, x, y, height, avail_w))
        y += height + height // 5
    return fields


_ALIGN = {"left": "L", "center": "C", "right": "R"}
_PT_MM = 25.4 / 72


def _element_text(text, element, dots_per_mm):
    """A text element: its box, font size (shrunk to fit, then cut) and
    alignment (``^FB`` field block)."""
    x = int(round(element.x * dots_per_mm))
    y = int(round(element.y * dots_per_mm))
    width = max(1, int(round(element.width * dots_per_mm)))
    box_h = max(1, int(round(element.height * dots_per_mm)))
    height = max(10, int(round(element.font_pt * _PT_MM * dots_per_mm)))
    # Font 0 characters are about 0.6 x height wide on average.
    fit = int(width / (0.6 * max(len(text), 1)))
    height = max(min(10, height), min(height, fit))
    lines = max(1, box_h // max(height, 1))
    max_chars = max(1, int(width / (0.6 * height))) * lines
    if len(text) > max_chars:
        text = text[: max(1, max_chars - 3)] + "..."
    align = _ALIGN.get(element.align, "L")
    return (
        f"^FO{x},{y}^A0N,{height},{height}^FB{width},{lines},0,{align},0"
        f"^FH_^FD{zpl_escape(text)}^FS"
    )


def _element_barcode(kind, value, element, dots_per_mm):
    x = int(round(element.x * dots_per_mm))
    y = int(round(element.y * dots_per_mm))
    width = max(1, int(round(element.width * dots_per_mm)))
    height = max(1, int(round(element.height * dots_per_mm)))
    if kind in ("code128", "gs1_128"):
        modules = 11 * (len(value.encode("utf-8")) + (kind == "gs1_128")) + 35
        printable = all(" " <= char <= "~" for char in value)
        if not printable or modules > width:
            # as in the PDF: no bar narrower than a dot, no text Code 128
            # cannot carry; a 2D code instead
            kind = "gs1_datamatrix" if kind == "gs1_128" else "qr"
    return _barcode(kind, value, x, y, width, height)[0]


def zpl_elements(
    fields, width_dots: int, height_dots: int, dots_per_mm: int, copies: int = 1
) -> str:
    """One complete ZPL label (``^XA ... ^XZ``) from a designed format.

    ``fields`` are ``("text", element, text, None)`` and ``("barcode",
    element, symbology, data)`` with the elements of
    :class:`lib.label_layout.Element` (boxes in mm), converted to dots at
    ``dots_per_mm``. Field data is escaped (:func:`zpl_escape`); ``^CI28``
    selects UTF-8, ``^PQ`` prints ``copies`` copies.
    """
    _check_args("code128", width_dots, height_dots, copies)
    out = ["^XA", "^CI28", f"^PW{width_dots}", f"^LL{height_dots}", "^LH0,0"]
    for kind, element, first, second in fields:
        if kind == "barcode":
            out.append(_element_barcode(first, second, element, dots_per_mm))
        else:
            out.append(_element_text(first, element, dots_per_mm))
    out.append(f"^PQ{copies}")
    out.append("^XZ")
    return "\n".join(out) + "\n"
