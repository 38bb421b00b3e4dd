# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Label geometry and PDF measurement (lib/label_layout.py, SPEC C11)."""

import zlib

import pytest

from lib import label_layout as ll


def test_formats_fit_their_paper():
    for fmt in ll.FORMATS.values():
        right = fmt.left + (fmt.cols - 1) * fmt.pitch_x + fmt.label_width
        bottom = fmt.top + (fmt.rows - 1) * fmt.pitch_y + fmt.label_height
        assert right <= fmt.page_width + 1e-6, fmt.code
        assert bottom <= fmt.page_height + 1e-6, fmt.code
    assert ll.FORMATS["a4_3x8"].per_page == 24
    assert ll.FORMATS["letter_3x10"].per_page == 30
    assert set(ll.SINGLE_FORMATS) == {"50x25", "62x29", "100x50"}


def test_paginate_places_labels_row_by_row():
    fmt = ll.FORMATS["a4_3x8"]
    pages = ll.paginate(list(range(26)), fmt)
    assert [len(page) for page in pages] == [24, 2]
    assert pages[0][0] == (0, 0.5, 0)
    assert pages[0][1] == (70, 0.5, 1)
    assert pages[0][3] == (0, 37.5, 3)
    assert pages[1][1] == (70, 0.5, 25)
    single = ll.paginate(["a", "b"], ll.FORMATS["50x25"])
    assert single == [[(0, 0, "a")], [(0, 0, "b")]]


def test_geometry_stays_inside_the_label():
    for fmt in ll.FORMATS.values():
        for is_2d in (False, True):
            geometry = ll.label_geometry(fmt, is_2d, ll.FIELDS)
            left, top, width, height = geometry["barcode"]
            assert left >= 0 and top >= 0
            assert left + width <= fmt.label_width
            assert top + height <= fmt.label_height
            assert height > 5, (fmt.code, is_2d)


def test_serial_font_shrinks_then_wraps():
    fmt = ll.FORMATS["50x25"]
    assert ll.serial_font_pt(fmt, "SN-1", 47) == fmt.serial_pt
    small = ll.serial_font_pt(fmt, "X" * 32, 47)
    assert 4.5 <= small < fmt.serial_pt
    two_lines = ll.serial_font_pt(fmt, "X" * 32, 30, lines=2)
    assert two_lines > ll.serial_font_pt(fmt, "X" * 32, 30)


def _pdf(content, compress=True):
    stream = zlib.compress(content) if compress else content
    return b"%PDF-1.4\n1 0 obj\n<< >>\nstream\n" + stream + b"\nendstream\nendobj\n"


@pytest.mark.parametrize("compress", [True, False])
def test_measure_pdf_scale(compress):
    # What Debian's wkhtmltopdf writes: page at 0.75 pt/px, content at 0.768.
    content = (
        b"/GSa gs 0.75 0 0 -0.75 0 142 cm q 0.768 0 0 0.768 0 0 cm "
        b"0 0 490 38 re f Q q 0.768 0 0 0.768 0 0 cm 0 0 378 76 re f Q"
    )
    scale = ll.measure_pdf_scale(_pdf(content, compress))
    assert scale == pytest.approx(0.768, abs=0.002)
    assert ll.measure_pdf_scale(_pdf(b"0 0 10 10 re f")) is None


# ------------------------------------------------------------ designed formats
def _designed(**values):
    elements = (
        ll.Element("barcode", 2, 2, 22, 22, barcode_type="datamatrix"),
        ll.Element("text", 26, 3, 33, 5, field="serial", font_pt=9, bold=True),
    )
    base = {
        "code": "",
        "page_width": 60,
        "page_height": 30,
        "label_width": 60,
        "label_height": 30,
        "elements": elements,
        "sheet": False,
    }
    base.update(values)
    return ll.LabelFormat(**base)


def _codes(fmt):
    return [code for code, _values in ll.format_problems(fmt)]


def test_a_designed_label_that_fits_has_no_problem():
    assert _codes(_designed()) == []
    sheet = _designed(
        sheet=True, page_width=210, page_height=297, cols=3, rows=9,
        left=7.2, top=15.1, pitch_x=66, pitch_y=29.6, label_width=63.5,
        label_height=29.6, elements=(),
    )  # fmt: skip
    assert _codes(sheet) == []
    assert sheet.per_page == 27


def test_sheet_problems_are_named():
    grid = {"sheet": True, "page_width": 210, "page_height": 297, "elements": ()}
    assert "label_page" in _codes(
        _designed(**dict(grid, page_width=50), cols=1, rows=1)
    )
    too_many = _designed(**grid, cols=3, rows=10, pitch_x=60, pitch_y=30)
    ((code, values),) = ll.format_problems(too_many)
    assert code == "grid_y" and values["bottom"] == 300
    assert _codes(_designed(**grid, cols=4, rows=1, pitch_x=60, left=-1)) == [
        "margin",
        "grid_x",
    ]
    assert _codes(_designed(**grid, cols=2, rows=2, pitch_x=40, pitch_y=30)) == [
        "overlap_x"
    ]


def test_element_and_module_problems_are_named():
    outside = ll.Element("text", 50, 3, 20, 5)
    assert _codes(_designed(elements=(outside,))) == ["element_label"]
    thin = ll.Element("barcode", 0, 0, 40, 10, barcode_type="code128", module_mm=0.15)
    ((code, values),) = ll.format_problems(_designed(elements=(thin,)))
    assert (code, values["min"]) == ("module", 0.19)
    # 10 mm cannot hold the 66 modules of the shortest Code 128 at 0.19 mm
    narrow = ll.Element("barcode", 0, 0, 10, 10, barcode_type="code128")
    ((code, values),) = ll.format_problems(_designed(elements=(narrow,)))
    assert code == "module_box" and round(values["need"], 2) == 12.54
    small_2d = ll.Element("barcode", 0, 0, 3, 3, barcode_type="qr")
    assert _codes(_designed(elements=(small_2d,))) == ["module_box"]


def test_place_barcode_keeps_the_minimum_module():
    box = ll.Element("barcode", 2, 1, 40, 10, align="center")
    # 100 modules in 40 mm: 0.4 mm each, the box filled
    assert ll.place_barcode(box, 100, "code128") == (2, 1, 40, 10)
    # a module width given: narrower and centred
    fixed = ll.Element("barcode", 2, 1, 40, 10, align="center", module_mm=0.25)
    left, _top, width, _height = ll.place_barcode(fixed, 100, "code128")
    assert (round(left, 3), round(width, 3)) == (9.5, 25)
    # 250 modules would be 0.16 mm: refused, the caller prints a 2D code
    assert ll.place_barcode(box, 250, "code128") is None
    square = ll.place_barcode(ll.Element("barcode", 0, 0, 30, 10), 14, "datamatrix")
    assert square == (0, 0, 10, 10)


def test_fit_text_shrinks_then_wraps():
    assert ll.fit_text("SN-1", 30, 4, 9) == (9, 1)
    points, lines = ll.fit_text("X" * 40, 30, 4, 9, bold=True)
    assert lines == 1 and 4.5 <= points < 9
    points, lines = ll.fit_text("X" * 40, 30, 10, 9, bold=True)
    assert lines > 1 and points > ll.fit_text("X" * 40, 30, 4, 9, bold=True)[0]


def test_standard_elements_are_the_standard_layout():
    fmt = ll.FORMATS["62x29"]
    linear = ll.standard_elements(fmt, "code128", ll.FIELDS)
    assert [e.field for e in linear if e.kind == "text"] == [
        "product_full",
        "serial",
        "company",
        "received_date",
    ]
    geometry = ll.label_geometry(fmt, False, ll.FIELDS)
    assert (linear[0].x, linear[0].y, linear[0].width) == geometry["barcode"][:3]
    two_d = ll.standard_elements(fmt, "qr", ["serial", "product"])
    assert two_d[0].width == two_d[0].height  # the square code on the left
    assert [e.field for e in two_d[1:]] == ["product", "serial"]
    for elements in (linear, two_d):
        assert ll.format_problems(_designed(elements=elements, label_width=62,
                                            label_height=29)) == []  # fmt: skip
