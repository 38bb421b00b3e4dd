# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""GS1 element strings as scanned from GS1-128 and GS1 DataMatrix labels.

A scanner sends a GS1 symbol as its element strings: ``01`` + GTIN, ``21`` +
serial, ``10`` + lot, ``17``/``11`` dates, variable-length fields closed by the
GS character (FNC1, ``\\x1d``), often preceded by a symbology identifier
(``]C1`` GS1-128, ``]d2`` GS1 DataMatrix, ``]Q3`` GS1 QR). People paste the
human-readable form printed under the symbol: ``(01)09501101020917(21)SN-1``.

The parsing itself is the ``biip`` package's (it knows every application
identifier, their lengths and check digits); this module only decides what is
a GS1 string and what a serial entry needs from it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .errors import SerialInputError

GS = "\x1d"
_SYMBOLOGY_IDS = ("]C1", "]e0", "]d2", "]Q3", "]J1")
# A plain element string starts with AI 01 or 02 and a 14-digit GTIN; anything
# else without brackets, GS or a symbology identifier is a plain serial number.
_PLAIN_GS1 = re.compile(r"^0[12]\d{14}")


@dataclass(frozen=True)
class GS1Code:
    """What a scanned GS1 element string says about one unit."""

    raw: str
    serial: str | None = None
    gtin: str | None = None
    lot: str | None = None
    expiry: dt.date | None = None
    production_date: dt.date | None = None


def looks_like_gs1(code: str) -> bool:
    """True when ``code`` is to be read as GS1 element strings, not a name."""
    code = code or ""
    return (
        code.startswith(_SYMBOLOGY_IDS)
        or GS in code
        or re.match(r"^\(\d{2,4}\)", code) is not None
        or _PLAIN_GS1.match(code) is not None
    )


def parse(code: str) -> GS1Code:
    """Parse one GS1 element string (raw, with GS separators and an optional
    symbology identifier, or in the bracketed human-readable form).

    Raises ``SerialInputError`` (code ``bad_gs1``) naming the string and what
    is wrong: an unknown application identifier, a value of the wrong length or
    characters (often a missing GS separator), a bad GTIN check digit.
    """
    from biip import ParseError
    from biip.gs1_messages import GS1Message

    raw = code
    try:
        if code.startswith("("):
            message = GS1Message.parse_hri(code)
        else:
            for prefix in _SYMBOLOGY_IDS:
                if code.startswith(prefix):
                    code = code[len(prefix) :]
                    break
            message = GS1Message.parse(code.lstrip(GS))
    except ParseError as exc:
        raise SerialInputError(
            f"{printable(raw)} is not a valid GS1 code: {exc}",
            code="bad_gs1",
            names=[raw],
            scanned=printable(raw),
            reason=str(exc),
        ) from exc
    values = {}
    for element in message.element_strings:
        ai = element.ai.ai
        if element.gtin_error:
            raise SerialInputError(
                f"{printable(raw)} is not a valid GS1 code: {element.gtin_error}",
                code="bad_gs1",
                names=[raw],
                scanned=printable(raw),
                reason=element.gtin_error,
            )
        values[ai] = element
    gtin = values.get("01") or values.get("02")
    return GS1Code(
        raw=raw,
        serial=values["21"].value if "21" in values else None,
        gtin=gtin.value if gtin else None,
        lot=values["10"].value if "10" in values else None,
        expiry=values["17"].date if "17" in values else None,
        production_date=values["11"].date if "11" in values else None,
    )


def read(code: str) -> tuple[str | None, GS1Code | None]:
    """What a scanned or typed code names: ``(serial name, GS1 code or None)``.

    A plain code is a serial name as it is. A code marked as GS1 (symbology
    identifier, GS separator, bracketed AIs) must parse (``SerialInputError``
    otherwise) and gives its AI 21, or None when it has none. A code that only
    starts like an element string (01/02 + 14 digits) is read as GS1 when it
    parses with a serial, and as a plain name otherwise: a numeric serial may
    start that way too.
    """
    if not looks_like_gs1(code):
        return code, None
    marked = not _PLAIN_GS1.match(code) or GS in code
    try:
        scanned = parse(code)
    except SerialInputError:
        if marked:
            raise
        return code, None
    if not scanned.serial and not marked:
        return code, None
    return scanned.serial, scanned


def same_gtin(gtin: str, barcode: str | None) -> bool:
    """True when a product barcode (EAN-8/13, UPC-A, GTIN-14) is that GTIN:
    GTINs are compared as 14 digits, left-padded with zeros."""
    barcode = (barcode or "").strip()
    if not barcode.isdigit() or len(barcode) > 14:
        return False
    return barcode.zfill(14) == (gtin or "").zfill(14)


def barcodes_of(gtin: str) -> list[str]:
    """The product barcodes that are this GTIN (:func:`same_gtin`): the GTIN-14
    and its forms without leading zeros (GTIN-13, UPC-A, EAN-8...)."""
    digits = (gtin or "").zfill(14)
    significant = len(digits.lstrip("0")) or 1
    return [digits[start:] for start in range(0, 14 - significant + 1)]


def gtin14(barcode: str | None) -> str | None:
    """The product barcode as a GTIN-14 for a GS1 label, or None when the
    barcode is no GTIN (not 8, 12, 13 or 14 digits, or a bad check digit)."""
    barcode = (barcode or "").strip()
    if not barcode.isdigit() or len(barcode) not in (8, 12, 13, 14):
        return None
    digits = barcode.zfill(14)
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:13]))
    if (10 - total % 10) % 10 != int(digits[13]):
        return None
    return digits


def element_string(gtin: str, serial: str) -> str:
    """The (01)+(21) element string of a GS1 label, in raw form: AI 01 has a
    fixed length, AI 21 is last, so no GS separator is needed."""
    return f"01{gtin}21{serial}"


def printable(code: str) -> str:
    """The code as people can read it in a message: GS shown as <GS>."""
    return code.replace(GS, "<GS>")
