# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Label barcodes drawn as SVG (lib/label_barcode.py, SPEC C11)."""

import base64
import re

import pytest

from lib import label_barcode as lb

SERIALS = [
    "SN-0001",
    "12345678901234567890",
    "A",
    "a b/c,d.e_f-g",
    "SN ^XA~JA#1",
    "x" * 32,
    "ÄÖÜ-ß-123",
    "序列号-42",
    "LONG-" + "9" * 60,
    "Z" * 150,
    "Z" * 190,  # two interleaved Reed-Solomon blocks
]


def render(symbol, scale=4, bar_height=60):
    from PIL import Image, ImageDraw

    height = symbol.height * scale if symbol.is_2d else bar_height
    image = Image.new("L", (symbol.width * scale, height), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w, h in symbol.rects:
        top, bottom = (y * scale, (y + h) * scale - 1) if symbol.is_2d else (0, height)
        draw.rectangle([x * scale, top, (x + w) * scale - 1, bottom], fill=0)
    return image


@pytest.mark.parametrize(
    ("value", "size"),
    [("A", 10), ("123456", 10), ("SN-0001", 12), ("x" * 32, 22)],
)
def test_datamatrix_is_the_smallest_square(value, size):
    symbol = lb.barcode_symbol("datamatrix", value)
    quiet = 2 * lb._QUIET["datamatrix"]
    assert (symbol.width - quiet, symbol.height - quiet) == (size, size)
    # the finder pattern: a solid left edge
    left = [rect for rect in symbol.rects if rect[0] == lb._QUIET["datamatrix"]]
    assert sum(rect[3] for rect in left) == size


def test_code128_size_and_fallback():
    symbol = lb.barcode_symbol("code128", "SN-0001")
    bars = symbol.width - 2 * lb._QUIET["code128"]
    # start + symbols + check (11 modules each) + stop (13 modules)
    assert bars % 11 == 2
    # Digits pairs in set C make a number shorter than its text.
    assert (
        lb.barcode_symbol("code128", "12345678").width
        < lb.barcode_symbol("code128", "ABCDEFGH").width
    )
    assert lb.code128_supports("SN ^~#1")
    assert not lb.code128_supports("序列号")
    assert not lb.code128_supports("tab\there")
    with pytest.raises(ValueError):
        lb.barcode_symbol("code128", "序列号")
    with pytest.raises(ValueError):
        lb.barcode_symbol("ean13", "123")
    with pytest.raises(ValueError):
        lb.barcode_symbol("qr", "")


def test_svg_is_one_path_and_a_data_uri():
    symbol = lb.barcode_symbol("datamatrix", "SN-0001")
    svg = lb.symbol_svg(symbol)
    assert svg.count("<path") == 1
    assert f'viewBox="0 0 {symbol.width} {symbol.height}"' in svg
    assert 'preserveAspectRatio="xMidYMid meet"' in svg
    linear = lb.symbol_svg(lb.barcode_symbol("code128", "SN-0001"))
    assert 'preserveAspectRatio="none"' in linear
    uri = lb.svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg
    assert not re.search(r"[\s\"'<>]", uri)


PLAIN = [s for s in lb.SYMBOLOGIES if not s.startswith("gs1_")]


@pytest.mark.parametrize(
    ("symbology", "identifier"), [("gs1_128", "]C1"), ("gs1_datamatrix", "]d2")]
)
def test_gs1_symbols_read_back_as_gs1(symbology, identifier):
    zxingcpp = pytest.importorskip("zxingcpp")
    data = "010950110102091721SN-0001"
    (result,) = zxingcpp.read_barcodes(render(lb.barcode_symbol(symbology, data)))
    assert result.symbology_identifier == identifier
    assert result.text.replace("(", "").replace(")", "") == data
    plain = {"gs1_128": "code128", "gs1_datamatrix": "datamatrix"}[symbology]
    (result,) = zxingcpp.read_barcodes(render(lb.barcode_symbol(plain, data)))
    assert result.symbology_identifier != identifier, "plain codes are not GS1"


@pytest.mark.parametrize("symbology", PLAIN)
@pytest.mark.parametrize("value", SERIALS)
def test_barcodes_decode_to_the_serial(symbology, value):
    zxingcpp = pytest.importorskip("zxingcpp")
    if symbology == "code128" and (not lb.code128_supports(value) or len(value) > 100):
        # Code 128 cannot carry it (or zint's 102 symbol characters are not
        # enough): refused, and the report uses a QR code
        with pytest.raises(ValueError):
            lb.barcode_symbol(symbology, value)
        return
    results = zxingcpp.read_barcodes(render(lb.barcode_symbol(symbology, value)))
    assert [result.text for result in results] == [value]
