# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""GS1 element strings scanned into serial entry (lib/gs1.py)."""

import datetime as dt

import pytest

from lib import gs1, parsing
from lib.errors import SerialInputError

GTIN = "09501101020917"


@pytest.mark.parametrize(
    "code",
    [
        f"01{GTIN}21SN-0001",  # raw, AI 21 last needs no separator
        f"]d201{GTIN}21SN-0001",  # GS1 DataMatrix symbology identifier
        f"]C101{GTIN}21SN-0001\x1d10LOT7",  # GS1-128, separator after AI 21
        f"(01){GTIN}(21)SN-0001",  # human-readable form
        f"(01){GTIN}(17)261231(21)SN-0001(10)LOT7",
    ],
)
def test_valid_codes_give_serial_and_gtin(code):
    scanned = gs1.parse(code)
    assert scanned.serial == "SN-0001"
    assert scanned.gtin == GTIN


def test_lot_and_dates():
    scanned = gs1.parse(f"01{GTIN}172612311126010110LOT7\x1d21A1")
    assert scanned.expiry == dt.date(2026, 12, 31)
    assert scanned.production_date == dt.date(2026, 1, 1)
    assert scanned.lot == "LOT7"
    assert scanned.serial == "A1"
    assert gs1.parse(f"(01){GTIN}(10)LOT7(21)A1").lot == "LOT7"


def test_bad_check_digit_is_refused():
    with pytest.raises(SerialInputError, match="check digit") as info:
        gs1.parse("(01)09501101020918(21)X")
    assert info.value.names == ("(01)09501101020918(21)X",)


def test_unknown_application_identifier_is_refused():
    with pytest.raises(SerialInputError, match="not a valid GS1 code"):
        gs1.parse(f"01{GTIN}891234")


def test_missing_separator_makes_the_serial_too_long():
    # without GS after the serial, AI 10 and its lot run into AI 21 (X..20)
    with pytest.raises(SerialInputError, match="not a valid GS1 code"):
        gs1.parse(f"01{GTIN}21SERIAL-0000000000000110LOT7")


def test_message_shows_the_separator():
    with pytest.raises(SerialInputError, match="<GS>"):
        gs1.parse(f"01{GTIN}21{'X' * 25}\x1d10LOT")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (f"01{GTIN}21A", True),
        (f"]d2{GTIN}", True),
        ("(21)A", True),
        ("A\x1dB", True),
        ("SN-0001", False),
        ("0123456789", False),  # digits, too short for AI 01 + GTIN
        ("(draft) 7", False),
    ],
)
def test_looks_like_gs1(code, expected):
    assert gs1.looks_like_gs1(code) is expected


def test_gtin_matches_product_barcode():
    assert gs1.same_gtin(GTIN, "9501101020917")  # EAN-13, padded to 14 digits
    assert gs1.same_gtin(GTIN, GTIN)
    assert not gs1.same_gtin(GTIN, "9501101020924")
    assert not gs1.same_gtin(GTIN, None)
    assert not gs1.same_gtin(GTIN, "ABC")


def test_barcodes_of_a_gtin():
    barcodes = gs1.barcodes_of(GTIN)
    assert "9501101020917" in barcodes and GTIN in barcodes
    assert all(gs1.same_gtin(GTIN, barcode) for barcode in barcodes)
    assert gs1.barcodes_of("00000096385074")[-1] == "96385074"


def test_gtin14_for_labels():
    assert gs1.gtin14("9501101020917") == GTIN
    assert gs1.gtin14("96385074") == "00000096385074"  # EAN-8
    assert gs1.gtin14("9501101020918") is None  # bad check digit
    assert gs1.gtin14("SKU-1") is None
    assert gs1.element_string(GTIN, "SN-1") == f"01{GTIN}21SN-1"


def test_pasted_lines_keep_the_group_separator():
    text = f"01{GTIN}21A\x1d10L1\n01{GTIN}21B"
    assert parsing.split_pasted(text) == [f"01{GTIN}21A\x1d10L1", f"01{GTIN}21B"]
