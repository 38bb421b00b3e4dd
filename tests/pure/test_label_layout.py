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
