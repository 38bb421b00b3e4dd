# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Pasted text, uploaded files and exported sheets (lib/parsing.py)."""

import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest

from lib import parsing
from lib.errors import SerialInputError

# ---------------------------------------------------------------- split_pasted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SN1\nSN2\nSN3", ["SN1", "SN2", "SN3"]),
        ("SN1\r\nSN2\r\n", ["SN1", "SN2"]),
        ("SN1\rSN2", ["SN1", "SN2"]),
        ("SN1\tSN2", ["SN1", "SN2"]),
        ("SN1;SN2; SN3", ["SN1", "SN2", "SN3"]),
        ("SN1,SN2, SN3", ["SN1", "SN2", "SN3"]),
        ("SN1\u2028SN2\x0bSN3\x0cSN4", ["SN1", "SN2", "SN3", "SN4"]),
        ("SN,1\nSN,2", ["SN,1", "SN,2"]),
        ("A,B;C", ["A,B", "C"]),
        ("A,B\tC", ["A,B", "C"]),
        ("only one", ["only one"]),
        ("ACME,12", ["ACME", "12"]),
        ("  SN1  \n\n \n  SN2\u00a0\n", ["SN1", "SN2"]),
        ("\ufeffSN1\nSN2", ["SN1", "SN2"]),
        (",,,", []),
        ("\n\n;\t", []),
        ("", []),
    ],
)
def test_split_pasted(text, expected):
    assert parsing.split_pasted(text) == expected


def test_split_pasted_spreadsheet_block():
    """Two columns copied from a spreadsheet: tabs and lines both separate."""
    text = "SN-1\tSN-2\r\nSN-3\tSN-4\r\n"
    assert parsing.split_pasted(text) == ["SN-1", "SN-2", "SN-3", "SN-4"]


def test_split_pasted_keeps_duplicates_and_inner_spaces():
    assert parsing.split_pasted("A  B\nA  B") == ["A  B", "A  B"]


def test_split_pasted_100k_lines():
    text = "\n".join(f"SN-{n:06d}" for n in range(100_000))
    result = parsing.split_pasted(text + "\n")
    assert len(result) == 100_000
    assert result[0] == "SN-000000"
    assert result[-1] == "SN-099999"


# ---------------------------------------------------------------- dedupe


def test_dedupe_keeps_first_seen_order():
    unique, duplicates = parsing.dedupe(["b", "a", "b", "c", "a", "b"])
    assert unique == ["b", "a", "c"]
    assert duplicates == ["b", "a"]


def test_dedupe_duplicates_in_order_of_first_repeat():
    unique, duplicates = parsing.dedupe(["x", "y", "y", "x"])
    assert unique == ["x", "y"]
    assert duplicates == ["y", "x"]


def test_dedupe_without_duplicates_and_from_iterator():
    assert parsing.dedupe(iter(["a", "b"])) == (["a", "b"], [])
    assert parsing.dedupe([]) == ([], [])


def test_dedupe_is_case_sensitive():
    assert parsing.dedupe(["sn1", "SN1"]) == (["sn1", "SN1"], [])


def test_dedupe_100k():
    names = [f"SN-{n}" for n in range(100_000)]
    unique, duplicates = parsing.dedupe(names + names[:10] + names[5:7])
    assert unique == names
    assert duplicates == names[:10]


# ---------------------------------------------------------------- file checks


@pytest.mark.parametrize(
    "filename", ["serials.xls", "serials.pdf", "serials", "", None, "a.xlsx.exe"]
)
def test_read_serial_file_refuses_other_types(filename):
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file(filename, b"SN1")
    assert info.value.code == "bad_extension"
    assert ".xlsx, .csv or .txt" in info.value.message
    assert info.value.data["allowed"] == (".xlsx", ".csv", ".txt")


@pytest.mark.parametrize("filename", ["S.TXT", "s.Csv", "dir.v2/s.txt"])
def test_extension_is_case_insensitive(filename):
    assert parsing.read_serial_file(filename, b"SN1\nSN2") == ["SN1", "SN2"]


def test_upload_too_big(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_UPLOAD_BYTES", 10)
    assert parsing.read_serial_file("a.txt", b"0123456789") == ["0123456789"]
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("a.txt", b"0123456789A")
    assert info.value.code == "too_big"
    assert info.value.data["size"] == 11


def test_real_upload_limit_is_20_mb():
    assert parsing.MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    assert parsing.MAX_ROWS == 200_000
    with pytest.raises(SerialInputError, match="too big"):
        parsing.read_serial_file("a.txt", b"x" * (parsing.MAX_UPLOAD_BYTES + 1))


@pytest.mark.parametrize("filename", ["a.txt", "a.csv", "a.xlsx"])
def test_too_many_rows(monkeypatch, make_xlsx, filename):
    monkeypatch.setattr(parsing, "MAX_ROWS", 5)
    rows = [[f"SN{n}"] for n in range(6)]
    text = "\n".join(row[0] for row in rows).encode()
    data = make_xlsx(rows) if filename.endswith("xlsx") else text
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file(filename, data)
    assert info.value.code == "too_many_rows"
    ok = make_xlsx(rows[:5]) if filename.endswith("xlsx") else text.rsplit(b"\n", 1)[0]
    assert len(parsing.read_serial_file(filename, ok)) == 5


def test_too_many_physical_rows(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_PHYSICAL_ROWS", 3)
    with pytest.raises(SerialInputError, match="more than 3 rows"):
        parsing.read_serial_file("a.csv", b"A\n\n\n\nB\n")


# ---------------------------------------------------------------- .txt


def test_txt_utf8_with_and_without_bom():
    assert parsing.read_serial_file("a.txt", "SNé1\nSN2".encode()) == ["SNé1", "SN2"]
    data = "\ufeffSN1\r\nSN2".encode()
    assert parsing.read_serial_file("a.txt", data) == ["SN1", "SN2"]


def test_txt_utf16_with_bom():
    data = "SN1\tSN2\r\nSNé".encode("utf-16")
    assert parsing.read_serial_file("a.txt", data) == ["SN1", "SN2", "SNé"]


def test_txt_windows_1252_and_latin1_fallbacks():
    assert parsing.read_serial_file("a.txt", b"SN\xe91\nSN\x80") == ["SN\xe91", "SN€"]
    # 0x81 is undefined in Windows-1252: Latin-1 decodes everything.
    assert parsing.read_serial_file("a.txt", b"SN\x81") == ["SN\x81"]


def test_txt_comma_separated_single_line():
    assert parsing.read_serial_file("a.txt", b"A,B,C\n") == ["A,B,C"]
    assert parsing.read_serial_file("a.txt", b"A,B,C") == ["A", "B", "C"]


def test_txt_binary_content_is_refused():
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("a.txt", b"\x00\x01\x02SN")
    assert info.value.code == "bad_encoding"


def test_txt_bad_utf16_is_refused():
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("a.txt", b"\xff\xfeA")  # odd byte count
    assert info.value.code == "bad_encoding"


def test_empty_files():
    assert parsing.read_serial_file("a.txt", b"") == []
    assert parsing.read_serial_file("a.csv", b"") == []
    assert parsing.read_serial_file("a.csv", b"\n\n") == []


# ---------------------------------------------------------------- .csv


def test_csv_without_header_reads_first_column():
    data = b"SN1,foo\nSN2,bar\n,baz\nSN3,qux\n"
    assert parsing.read_serial_file("a.csv", data) == ["SN1", "SN2", "SN3"]


@pytest.mark.parametrize(
    "header",
    [
        "Serial",
        "serial number",
        "Lot/Serial Number",
        "NAME",
        " Serial_Number ",
        "Serial No.",
        "serials",
    ],
)
def test_csv_header_selects_column(header):
    data = f"Product;{header};Qty\nP1;SN1;1\nP1;;1\nP2; SN2 ;1\n".encode()
    assert parsing.read_serial_file("a.csv", data) == ["SN1", "SN2"]


def test_csv_unknown_header_of_a_single_column_is_skipped():
    data = b"Code\nSN1\n"
    assert parsing.read_serial_file("a.csv", data) == ["SN1"]
    details = parsing.read_serial_file_details("a.csv", b"Nummer\nSN-1\nSN-2\n")
    assert details.names == ["SN-1", "SN-2"]
    assert details.describe() == 'column A ("Nummer")'


def test_csv_foreign_serial_header_is_recognised():
    data = b"Artikel;Seriennummer\nW;SN-1\nW;SN-2\n"
    details = parsing.read_serial_file_details("a.csv", data)
    assert details.names == ["SN-1", "SN-2"]
    assert details.describe() == 'column B ("Seriennummer")'


def test_csv_letters_only_serials_are_data():
    assert parsing.read_serial_file("a.csv", b"ALPHA\nBETA\n") == ["ALPHA", "BETA"]


def test_csv_without_header_says_which_column():
    details = parsing.read_serial_file_details("a.csv", b";SN1;x\n;SN2;y\n")
    assert details.names == ["SN1", "SN2"]
    assert details.column == 1
    assert details.describe() == "column B (no header row)"


def test_csv_with_unknown_columns_is_refused():
    data = b"Reference,Product,Quantity\nWH/IN/00001,Widget,2\nWH/IN/00002,Gadget,1\n"
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("export.csv", data)
    assert info.value.code == "unknown_columns"
    assert '"Reference", "Product", "Quantity"' in info.value.message
    assert "Serial Number" in info.value.message


def test_xlsx_with_unknown_columns_is_refused(make_xlsx):
    rows = [["Bezeichnung", "Menge"], ["Widget", 2], ["Gadget", 1]]
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("a.xlsx", make_xlsx(rows))
    assert info.value.code == "unknown_columns"


def test_column_letters():
    assert parsing.SerialFile([], 0).column_letter == "A"
    assert parsing.SerialFile([], 25).column_letter == "Z"
    assert parsing.SerialFile([], 26).column_letter == "AA"
    assert parsing.SerialFile([]).describe() == ""


@pytest.mark.parametrize(
    "data, expected",
    [
        pytest.param(
            "\ufeffproduct\tserial\nP\tSN-1\nP\tSN-2\n".encode(),
            ["SN-1", "SN-2"],
            id="tab-delimited-with-bom",
        ),
        pytest.param(b'"SN,1"\n"SN,2"\n', ["SN,1", "SN,2"], id="quoted-commas"),
        pytest.param(
            b'serial,qty\n"SN,1",1\n"SN,2",1\n',
            ["SN,1", "SN,2"],
            id="quoted-commas-with-header",
        ),
        pytest.param(
            b"serial;note\nSN-1;a,b\nSN-2;c,d\n",
            ["SN-1", "SN-2"],
            id="semicolons-with-commas-in-values",
        ),
        pytest.param(
            b"\n,\n,Serial\n,SN1\n,SN2\n", ["SN1", "SN2"], id="leading-blanks-comma"
        ),
        pytest.param(
            b"\n;;\n;SN1;x\n;SN2;y\n", ["SN1", "SN2"], id="leading-blanks-semicolon"
        ),
        pytest.param(b"serial\n", [], id="header-only"),
    ],
)
def test_csv_layouts(data, expected):
    """Delimiters, quoting, a BOM, blank leading rows and columns, a header alone."""
    assert parsing.read_serial_file("a.csv", data) == expected


def test_csv_malformed_is_refused():
    data = b'serial\n"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("a.csv", data)
    assert info.value.code == "bad_file"
    assert "not a valid .csv file" in info.value.message


def test_csv_values_normalized():
    data = "serial\n\u00a0SN1 \n  SN2\u200b\n".encode()
    assert parsing.read_serial_file("a.csv", data) == ["SN1", "SN2"]


# ---------------------------------------------------------------- .xlsx


def test_xlsx_header_and_types(make_xlsx):
    rows = [
        ["Product", "Serial Number"],
        ["P", "SN-1"],
        ["P", 1234],
        ["P", 1234.0],
        ["P", 12.5],
        ["P", None],
        ["P", "  SN-2  "],
        ["P", dt.datetime(2026, 11, 5)],
        ["P", dt.datetime(2026, 11, 5, 8, 30)],
        ["P", dt.date(2026, 1, 2)],
    ]
    result = parsing.read_serial_file("a.XLSX", make_xlsx(rows))
    assert result == [
        "SN-1",
        "1234",
        "1234",
        "12.5",
        "SN-2",
        "2026-11-05",
        "2026-11-05 08:30:00",
        "2026-01-02",
    ]


def test_xlsx_without_header_reads_first_column(make_xlsx):
    rows = [["SN1", "x"], ["SN2", "y"], [None, "z"], ["SN3"]]
    assert parsing.read_serial_file("a.xlsx", make_xlsx(rows)) == ["SN1", "SN2", "SN3"]


def test_xlsx_data_starting_lower_right(make_xlsx):
    rows = [[], [None, None, "serial"], [None, None, "SN1"], [None, None, "SN2"]]
    assert parsing.read_serial_file("a.xlsx", make_xlsx(rows)) == ["SN1", "SN2"]


def test_xlsx_reads_first_sheet_only(make_xlsx):
    data = make_xlsx([["SN1"]], sheets={"Other": [["NOT-ME"]]})
    assert parsing.read_serial_file("a.xlsx", data) == ["SN1"]


def test_xlsx_formula_without_cached_value_is_skipped(make_xlsx):
    data = make_xlsx([["serial"], ["SN1"], ['=A2&"X"']])
    assert parsing.read_serial_file("a.xlsx", data) == ["SN1"]


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"PK\x03\x04garbage"],
)
def test_xlsx_corrupt(data):
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("a.xlsx", data)
    assert info.value.code == "bad_file"
    assert 'The file "a.xlsx" is not a valid .xlsx file' in info.value.message


def test_xlsx_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("a.xlsx", buffer.getvalue())
    assert info.value.code == "bad_file"


def test_xlsx_with_broken_sheet_xml(make_xlsx):
    data = _rewrite_sheet(make_xlsx([["SN1"]]), lambda xml: xml[: len(xml) // 2])
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("a.xlsx", data)
    assert info.value.code == "bad_file"


def _rewrite_sheet(data, transform):
    """Copy of an .xlsx with its first sheet's XML passed through ``transform``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = transform(content)
            archive.writestr(info, content)
    return buffer.getvalue()


def test_xlsx_with_wrong_stored_dimension(make_xlsx):
    """Some generators write <dimension ref="A1"/>: all rows are still read."""
    data = make_xlsx([["x", "serial"], ["a", "SN1"], ["b", "SN2"], ["c", "SN3"]])

    def shrink(xml):
        new = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', xml)
        assert new != xml
        return new

    assert parsing.read_serial_file("a.xlsx", _rewrite_sheet(data, shrink)) == [
        "SN1",
        "SN2",
        "SN3",
    ]
    rows = parsing.read_table("a.xlsx", _rewrite_sheet(data, shrink), ["serial"])
    assert [row["serial"] for row in rows] == ["SN1", "SN2", "SN3"]


def test_xlsx_inflating_too_much_is_refused(monkeypatch, make_xlsx):
    monkeypatch.setattr(parsing, "MAX_XLSX_UNCOMPRESSED_BYTES", 100)
    with pytest.raises(SerialInputError) as info:
        parsing.read_serial_file("a.xlsx", make_xlsx([["SN1"]]))
    assert info.value.code == "too_big"


# ---------------------------------------------------------------- cell_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  a ", "a"),
        (7, "7"),
        (7.0, "7"),
        (-3.0, "-3"),
        (0.25, "0.25"),
        (True, "True"),
        (dt.time(8, 5), "08:05:00"),
    ],
)
def test_cell_text(value, expected):
    assert parsing.cell_text(value) == expected


# ---------------------------------------------------------------- read_table

COLUMNS = ("order", "product", "serial")


def test_read_table_csv():
    data = (
        b"Serial , ORDER,Product,Note\n"
        b"SN1,P00001,[A1] Widget,x\n"
        b",,,only a note\n"
        b"SN2, P00001 ,[A1] Widget,\n"
    )
    rows = parsing.read_table("import.csv", data, COLUMNS)
    assert rows == [
        {"order": "P00001", "product": "[A1] Widget", "serial": "SN1", "_row": 2},
        {"order": "P00001", "product": "[A1] Widget", "serial": "SN2", "_row": 4},
    ]
    assert list(rows[0]) == ["order", "product", "serial", "_row"]


def test_read_table_xlsx_row_numbers(make_xlsx):
    data = make_xlsx(
        [
            [],
            ["order", "product", "serial"],
            ["P1", "Prod", 1001.0],
            [None, None, None],
            ["P1", "Prod", "SN-2"],
            ["P2"],
        ]
    )
    rows = parsing.read_table("import.xlsx", data, COLUMNS)
    assert rows == [
        {"order": "P1", "product": "Prod", "serial": "1001", "_row": 3},
        {"order": "P1", "product": "Prod", "serial": "SN-2", "_row": 5},
        {"order": "P2", "product": "", "serial": "", "_row": 6},
    ]


def test_read_table_column_names_as_given():
    rows = parsing.read_table("a.csv", b"Order,SERIAL\nP1,S1\n", ["Order ", "Serial"])
    assert rows == [{"Order ": "P1", "Serial": "S1", "_row": 2}]


def test_read_table_duplicate_header_uses_first():
    rows = parsing.read_table("a.csv", b"serial,serial\nA,B\n", ["serial"])
    assert rows == [{"serial": "A", "_row": 2}]


def test_read_table_missing_columns():
    with pytest.raises(SerialInputError) as info:
        parsing.read_table("import.csv", b"Order,Lot\nP1,S1\n", COLUMNS)
    exc = info.value
    assert exc.code == "missing_columns"
    assert exc.data["missing"] == ("product", "serial")
    assert exc.data["found"] == ("Order", "Lot")
    assert '"product", "serial"' in exc.message
    assert 'Columns found: "Order", "Lot"' in exc.message


@pytest.mark.parametrize("data", [b"", b"\n\n"])
def test_read_table_empty_file_misses_all_columns(data):
    with pytest.raises(SerialInputError) as info:
        parsing.read_table("import.csv", data, COLUMNS)
    assert info.value.data["missing"] == COLUMNS
    assert "Columns found: none" in info.value.message


def test_read_table_header_only():
    assert parsing.read_table("a.csv", b"order,product,serial\n", COLUMNS) == []


def test_read_table_refuses_txt():
    with pytest.raises(SerialInputError) as info:
        parsing.read_table("import.txt", b"order", COLUMNS)
    assert info.value.code == "bad_extension"
    assert ".xlsx or .csv" in info.value.message


def test_read_table_too_many_rows(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 2)
    data = b"serial\nA\nB\nC\n"
    with pytest.raises(SerialInputError) as info:
        parsing.read_table("a.csv", data, ["serial"])
    assert info.value.code == "too_many_rows"


def test_read_table_corrupt_xlsx():
    with pytest.raises(SerialInputError) as info:
        parsing.read_table("a.xlsx", b"nope", COLUMNS)
    assert info.value.code == "bad_file"


# ---------------------------------------------------------------- safe_cell


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\tx",
        "\rx",
        "\nx",
        "\uff1d1+1",
        '=HYPERLINK("x")',
    ],
)
def test_safe_cell_neutralizes_formulas(value):
    assert parsing.safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["SN-1", "", "a=b", " =1", 5, -5, 1.5, None])
def test_safe_cell_leaves_other_values(value):
    assert parsing.safe_cell(value) == value


# ---------------------------------------------------------------- writing


def test_write_template_csv_round_trip():
    data = parsing.write_template_csv(COLUMNS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data == "\ufefforder,product,serial\r\n".encode()
    assert parsing.read_table("t.csv", data, COLUMNS) == []


def test_write_template_csv_with_examples():
    data = parsing.write_template_csv(
        COLUMNS,
        [["P1", "Prod, big", "=1+1"], {"order": "P2", "serial": "SN,2"}],
    )
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["order", "product", "serial"],
        ["P1", "Prod, big", "'=1+1"],
        ["P2", "", "SN,2"],
    ]


def test_write_template_xlsx():
    data = parsing.write_template_xlsx(
        COLUMNS,
        [["P00001", "[A1] Widget", "SN-0001"], ["P1", "x", "=cmd|' /C calc'!A0"]],
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].value == "SN-0001"
    assert sheet["C2"].number_format == "@"
    assert sheet["C3"].data_type == "s"
    assert sheet["C3"].value == "'=cmd|' /C calc'!A0"
    rows = parsing.read_table("t.xlsx", data, COLUMNS)
    assert rows[0] == {
        "order": "P00001",
        "product": "[A1] Widget",
        "serial": "SN-0001",
        "_row": 2,
    }


def test_write_xlsx_sheets_each_as_write_xlsx():
    data = parsing.write_xlsx_sheets(
        [
            ("Summary", ["product", "found"], [["Widget", 3]]),
            ("Lines", COLUMNS, [["P1", "x", "=cmd|' /C calc'!A0"]]),
        ]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Summary", "Lines"]
    summary, lines = workbook.worksheets
    assert [c.value for c in summary[2]] == ["Widget", 3]
    assert [c.value for c in lines[1]] == list(COLUMNS)
    for sheet in (summary, lines):
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
    assert lines["C2"].value == "'=cmd|' /C calc'!A0"
    assert lines["C2"].number_format == "@"


def test_write_xlsx_mapping_rows_and_values():
    data = parsing.write_xlsx(
        ["serial", "qty", "date"],
        [{"serial": "+A", "qty": 3, "date": dt.date(2026, 1, 1)}],
        sheet_title="A very long sheet title that Excel would refuse",
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert len(sheet.title) <= 31
    assert [c.value for c in sheet[2]][:2] == ["'+A", 3]
    assert sheet["C2"].value.date() == dt.date(2026, 1, 1)
