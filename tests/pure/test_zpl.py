# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""ZPL labels and field escaping (lib/zpl.py, SPEC C11)."""

import random
import re

import pytest

from lib import zpl

FIELD = re.compile(r"\^FD(.*?)\^FS", re.DOTALL)


def unescape(data: str) -> str:
    """What a printer makes of ``^FH_`` field data: ``_XX`` -> byte XX."""
    raw = re.sub(
        rb"_([0-9A-F]{2})",
        lambda m: bytes([int(m.group(1), 16)]),
        data.encode("ascii"),
    )
    return raw.decode("utf-8")


def assert_safe_field(data: str) -> None:
    """Field data that cannot break out of its field."""
    assert data.isascii()
    assert "^" not in data and "~" not in data
    assert all(0x20 <= ord(c) < 0x7F for c in data)
    # every "_" starts a two-digit hexadecimal escape
    assert re.fullmatch(r"(?:[^_]|_[0-9A-F]{2})*", data)


# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SN-0001", "SN-0001"),
        ("A_B", "A_5FB"),
        ("A^FS^XZ", "A_5EFS_5EXZ"),
        ("~JA", "_7EJA"),
        ("é", "_C3_A9"),
        ("€", "_E2_82_AC"),
        ("a\tb\nc", "a_09b_0Ac"),
        ("\x7f", "_7F"),
        ("\\ / , . > < { } [ ] |", "\\ / , . > < { } [ ] |"),
        ("", ""),
    ],
)
def test_zpl_escape(text, expected):
    assert zpl.zpl_escape(text) == expected


def test_zpl_escape_none():
    assert zpl.zpl_escape(None) == ""


def test_zpl_escape_round_trip_random():
    rng = random.Random(11)
    alphabet = "AZaz09 _^~\\>é€😀\t\n\x00\x7f-/"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 25)))
        escaped = zpl.zpl_escape(text)
        assert_safe_field(escaped)
        assert unescape(escaped) == text


def test_code128_data_uses_invocation_codes():
    assert zpl.code128_data("A>B^C~D_E") == "A>0B><C>=D_5FE"
    assert zpl.code128_data("SN-1") == "SN-1"
    assert zpl.code128_data("é") == "_C3_A9"


def test_datamatrix_data_escapes_tilde():
    assert zpl.datamatrix_data("A~B_C") == "A_7Ed126B_5FC"
    assert zpl.datamatrix_data("_7E") == "_5F7E"


# ---------------------------------------------------------------- labels


def fields(label: str) -> list[str]:
    return FIELD.findall(label)


@pytest.mark.parametrize("barcode", zpl.BARCODE_TYPES)
def test_label_structure(barcode):
    label = zpl.zpl_label("SN-0001", ["Widget", "[A1]"], 400, 200, barcode, copies=3)
    lines = label.strip().splitlines()
    assert lines[0] == "^XA"
    assert lines[-1] == "^XZ"
    assert label.count("^XA") == 1 and label.count("^XZ") == 1
    assert "^CI28" in label
    assert "^PW400" in label and "^LL200" in label
    assert "^PQ3" in label
    assert label.count("^FH_^FD") == len(fields(label))
    assert "Widget" in fields(label) and "[A1]" in fields(label)


def test_label_barcode_commands():
    assert "^BCN," in zpl.zpl_label("S1", [], 400, 200, "code128")
    qr = zpl.zpl_label("S1", [], 400, 200, "qr")
    assert "^BQN,2," in qr
    assert "^FH_^FDMA,S1^FS" in qr
    dm = zpl.zpl_label("S1", [], 400, 200, "datamatrix")
    assert re.search(r"\^BXN,\d+,200,,,,~\^FH_\^FDS1\^FS", dm)


def test_gs1_labels_start_with_fnc1():
    data = "010950110102091721S1"
    linear = zpl.zpl_label("S1", [], 400, 200, "gs1_128", data=data)
    assert f"^FH_^FD>8{data}^FS" in linear
    square = zpl.zpl_label("S1", [], 400, 200, "gs1_datamatrix", data=data)
    assert re.search(rf"\^BXN,\d+,200,,,,~\^FH_\^FD~1{data}\^FS", square)
    assert "^FDS1^FS" in square, "the text under the code is the serial"


@pytest.mark.parametrize(
    "barcode", [b for b in zpl.BARCODE_TYPES if not b.startswith("gs1_")]
)
def test_label_escapes_hostile_serial_and_lines(barcode):
    serial = "X^XZ^XA~JA_é"
    label = zpl.zpl_label(serial, ["^FS~DG", "Ünïcode"], 800, 400, barcode)
    assert label.count("^XA") == 1 and label.count("^XZ") == 1
    for data in fields(label):
        assert_safe_field(data.replace(">", ""))
    texts = [unescape(data) for data in fields(label)[1:]]
    assert texts[0] == serial
    assert "^FS~DG" in texts and "Ünïcode" in texts


def test_label_code128_field_data():
    label = zpl.zpl_label("A>1", [], 400, 200, "code128")
    assert "^FH_^FDA>01^FS" in label


def test_label_text_fits_and_lines_dropped():
    lines = [f"line {n}" for n in range(30)]
    label = zpl.zpl_label("SN-1", lines, 400, 200, "code128")
    positions = [
        (int(x), int(y), int(h))
        for x, y, h in re.findall(r"\^FO(\d+),(\d+)\^A0N,(\d+),\d+", label)
    ]
    assert positions, label
    assert all(y + h <= 200 for _x, y, h in positions)
    assert len(positions) < 31


def test_label_long_text_is_cut():
    label = zpl.zpl_label("S", ["W" * 500], 400, 200, "qr")
    texts = [unescape(data) for data in fields(label)]
    assert any(text.endswith("...") and len(text) < 100 for text in texts)


def test_label_skips_empty_lines():
    label = zpl.zpl_label("S", ["", None, "kept"], 400, 200, "code128")
    assert [unescape(d) for d in fields(label)[1:]] == ["S", "kept"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"barcode": "ean13"},
        {"copies": 0},
        {"copies": 1.5},
        {"copies": True},
        {"copies": zpl.MAX_COPIES + 1},
        {"width_dots": 10},
        {"height_dots": "200"},
    ],
)
def test_label_invalid_arguments(kwargs):
    args = {"width_dots": 400, "height_dots": 200, "barcode": "code128", "copies": 1}
    args.update(kwargs)
    with pytest.raises(ValueError):
        zpl.zpl_label("S", [], **args)


def test_labels_concatenate():
    labels = "".join(zpl.zpl_label(f"S{n}", [], 400, 200) for n in range(3))
    assert labels.count("^XA") == 3 and labels.count("^XZ") == 3


def test_zpl_from_designed_elements():
    from lib import label_layout as ll

    barcode = ll.Element("barcode", 2, 2, 22, 22, barcode_type="datamatrix")
    serial = ll.Element("text", 26, 3, 33, 5, field="serial", font_pt=9)
    right = ll.Element("text", 26, 18, 33, 4, field="fixed", font_pt=7, align="right")
    text = zpl.zpl_elements(
        [
            ("barcode", barcode, "datamatrix", "SN^1"),
            ("text", serial, "SN^1", None),
            ("text", right, "Made in ~", None),
        ],
        480,
        240,
        8,
        copies=2,
    )
    assert text.startswith("^XA\n^CI28\n^PW480\n^LL240")
    assert "^FO16,16^BXN" in text
    assert "^FO208,24^A0N,25,25^FB264,1,0,L,0^FH_^FDSN_5E1^FS" in text
    assert "^FB264,1,0,R,0^FH_^FDMade in _7E^FS" in text
    assert text.rstrip().endswith("^PQ2\n^XZ")
    # a linear code too long for its box becomes a QR code, as in the PDF
    narrow = ll.Element("barcode", 0, 0, 10, 10, barcode_type="code128")
    assert "^BQN" in zpl.zpl_elements(
        [("barcode", narrow, "code128", "X" * 30)], 80, 80, 8
    )
