# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Name normalisation and format rules (lib/names.py, SPEC C4 "Format")."""

import string
import subprocess
import sys

import pytest

from lib import errors, names
from lib.errors import SerialInputError

DEFAULT = names.DEFAULT_ALLOWED_CHARS


# ---------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SN-1", "SN-1"),
        ("  SN-1  ", "SN-1"),
        ("\tSN-1\r\n", "SN-1"),
        ("\u00a0SN-1\u00a0", "SN-1"),
        ("\ufeffSN-1", "SN-1"),
        ("\u200b SN-1 \u200b", "SN-1"),
        ("SN  1", "SN  1"),
        ("SN\u00a01", "SN\u00a01"),
        ("", ""),
        (" \t\r\n ", ""),
    ],
)
def test_normalize_strips_only_surrounding_whitespace(raw, expected):
    assert names.normalize(raw) == expected


def test_defaults():
    assert names.DEFAULT_ALLOWED_CHARS == "A-Za-z0-9 _/,.-"
    assert names.DEFAULT_MAX_LENGTH == 32


# ---------------------------------------------------------------- compile_allowed


def test_compile_default_spec():
    allowed = names.compile_allowed(DEFAULT)
    expected = set(string.ascii_letters + string.digits + " _/,.-")
    assert allowed == frozenset(expected)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("a-c", "abc"),
        ("0-3", "0123"),
        ("A-C0-1", "ABC01"),
        ("-A", "-A"),
        ("A-", "A-"),
        ("-", "-"),
        ("--", "-"),
        ("a-a", "a"),
        ("#!", "#!"),
        ("éß", "éß"),
        (" ", " "),
        ("a-c-", "abc-"),
        ("-0-2", "-012"),
    ],
)
def test_compile_allowed_ranges_and_literals(spec, expected):
    assert names.compile_allowed(spec) == frozenset(expected)


@pytest.mark.parametrize(
    "spec",
    ["", "Z-A", "9-0", "A-z", "a-Z", "a-9", ".-_", "A-Z-a", "A--", "---", "é-z"],
)
def test_compile_allowed_refuses_malformed_specs(spec):
    with pytest.raises(SerialInputError) as info:
        names.compile_allowed(spec)
    assert info.value.code == "bad_allowed_spec"
    assert info.value.data["spec"] == spec
    assert info.value.message == str(info.value)
    assert "not valid" in info.value.message


def test_compile_allowed_reversed_range_message():
    with pytest.raises(SerialInputError, match="reversed"):
        names.compile_allowed("Z-A")


def test_compile_allowed_none_is_refused():
    with pytest.raises(SerialInputError):
        names.compile_allowed(None)


def test_compile_allowed_is_cached():
    assert names.compile_allowed("A-F0-9") is names.compile_allowed("A-F0-9")


def test_errors_are_value_errors():
    assert issubclass(errors.SerialInputError, ValueError)
    assert issubclass(errors.TemplateError, ValueError)
    exc = errors.SerialInputError("boom", code="x", names=["a", "b"], extra=1)
    assert (exc.message, exc.code, exc.names, exc.data) == (
        "boom",
        "x",
        ("a", "b"),
        {"extra": 1},
    )


# ---------------------------------------------------------------- check_name


@pytest.mark.parametrize(
    "name", ["SN-0001", "a b", "A/B,C.D_E-F", "x" * 32, "0", "Serial 12"]
)
def test_check_name_valid(name):
    assert names.check_name(name, DEFAULT, 32) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "empty"),
        ("x" * 33, "too_long"),
        ("SN#1", "bad_chars"),
        ("SN\t1", "bad_chars"),
        ("SNé", "bad_chars"),
        ("#" * 40, "too_long"),
    ],
)
def test_check_name_reasons(name, code):
    assert names.check_name(name, DEFAULT, 32) == code


@pytest.mark.parametrize("limit", [0, None, -1])
def test_check_name_no_length_limit(limit):
    assert names.check_name("x" * 500, DEFAULT, limit) is None


def test_check_name_custom_spec():
    assert names.check_name("ABC123", "A-Z0-9", 10) is None
    assert names.check_name("abc", "A-Z0-9", 10) == "bad_chars"


def test_check_name_bad_spec_raises():
    with pytest.raises(SerialInputError):
        names.check_name("A", "Z-A", 32)


# ---------------------------------------------------------------- check_names


def test_check_names_returns_only_invalid_in_order():
    result = names.check_names(["ok", "bad#", "", "x" * 33, "fine"], DEFAULT, 32)
    assert result == {"bad#": "bad_chars", "": "empty", "x" * 33: "too_long"}
    assert list(result) == ["bad#", "", "x" * 33]


def test_check_names_all_valid():
    assert names.check_names(iter(["A", "B"]), DEFAULT, 32) == {}


def test_check_names_no_limit():
    assert names.check_names(["x" * 100], DEFAULT, 0) == {}


def test_check_names_on_100k_names():
    good = [f"SN-{n:06d}" for n in range(100_000)]
    bad = [f"SN#{n}" for n in range(10)]
    result = names.check_names(good + bad, DEFAULT, 32)
    assert result == dict.fromkeys(bad, "bad_chars")


def test_check_names_agrees_with_check_name():
    samples = ["", "a", "a#", "x" * 33, "x" * 32, "é", " a", "a,b"]
    result = names.check_names(samples, DEFAULT, 32)
    for sample in samples:
        assert result.get(sample) == names.check_name(sample, DEFAULT, 32)


# ---------------------------------------------------------------- messages


def test_bad_chars_in_order_unique():
    assert names.bad_chars("a#b!#c!?", DEFAULT) == "#!?"
    assert names.bad_chars("valid", DEFAULT) == ""


def test_reason_text_bad_chars():
    text = names.reason_text("bad_chars", "SN#1!#", DEFAULT, 32)
    assert text == 'contains characters not allowed: "#", "!"'


def test_reason_text_shows_invisible_characters():
    text = names.reason_text("bad_chars", "A\tB\u00a0C", DEFAULT, 32)
    assert "U+0009" in text
    assert "U+00A0 NO-BREAK SPACE" in text


def test_look_alike_and_control_characters_are_named():
    text = names.reason_text("bad_chars", "SN-\u0421\x001", DEFAULT, 32)
    assert text == (
        'contains characters not allowed: "\u0421" U+0421 CYRILLIC CAPITAL '
        "LETTER ES, U+0000 NULL"
    )
    assert names.char_name("\x01") == "U+0001 CONTROL CHARACTER"
    assert names.display_char("#") == '"#"'
    assert (
        names.display_char("\u00e9")
        == '"\u00e9" U+00E9 LATIN SMALL LETTER E WITH ACUTE'
    )


def test_unstorable_lines():
    assert names.unstorable_lines("SN1\nSN2") == []
    assert names.unstorable_lines("SN1\nS\x00N2\nSN3\n\x00") == [
        (2, "\x00"),
        (4, "\x00"),
    ]
    assert names.unstorable_lines("") == []


def test_reason_text_too_long_and_empty():
    assert names.reason_text("too_long", "x" * 40, DEFAULT, 32) == (
        "is longer than 32 characters"
    )
    assert names.reason_text("empty", "", DEFAULT, 32) == "is empty"


def test_reason_text_unknown_code():
    with pytest.raises(ValueError, match="unknown reason"):
        names.reason_text("nope", "a", DEFAULT, 32)


def test_describe_invalid_lines_and_limit():
    invalid = names.check_names(["a#", "", "b!"], DEFAULT, 32)
    lines = names.describe_invalid(invalid, DEFAULT, 32)
    assert lines == [
        '"a#" contains characters not allowed: "#"',
        '"" is empty',
        '"b!" contains characters not allowed: "!"',
    ]
    assert names.describe_invalid(invalid, DEFAULT, 32, limit=1) == lines[:1]
    assert names.describe_invalid(invalid, DEFAULT, 32, limit=None) == lines


# ---------------------------------------------------------------- packaging


def test_lib_imports_without_odoo():
    """``lib`` must stay importable (and import nothing of odoo) on its own."""
    root = names.__file__.rsplit("/lib/", 1)[0]
    code = (
        "import sys; import lib; "
        "from lib import errors, names, numbering, parsing, ranges, zpl; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'odoo'], 'odoo'; "
        "assert 'openpyxl' not in sys.modules, 'openpyxl imported eagerly'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)


def test_lib_sources_have_no_odoo_import():
    from pathlib import Path

    lib_dir = Path(names.__file__).parent
    for path in lib_dir.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import odoo" not in text, path
        assert "from odoo" not in text, path


def test_lib_also_importable_as_addon_subpackage():
    """conftest maps ``stock_serial_tracking`` without running its __init__."""
    from stock_serial_tracking.lib import names as addon_names

    assert addon_names.check_name("SN-1", DEFAULT, 32) is None
    # the stub package: the add-on's own __init__.py (which imports odoo) never ran
    assert getattr(sys.modules["stock_serial_tracking"], "__file__", None) is None


def test_reason_data_gives_the_parameters_of_each_reason():
    assert names.reason_data("empty", "", DEFAULT, 32) == {}
    assert names.reason_data("too_long", "x" * 40, DEFAULT, 32) == {
        "max_length": 32,
        "length": 40,
    }
    assert names.reason_data("bad_chars", "a#b!#", DEFAULT, 32) == {
        "chars": '"#", "!"',
        "bad": "#!",
    }
    with pytest.raises(ValueError, match="unknown reason code"):
        names.reason_data("nope", "a", DEFAULT, 32)


def test_explain_names_keeps_input_order_with_codes_and_data():
    assert names.explain_names(["ok", "b#", "", "x" * 6], DEFAULT, 5) == {
        "b#": ("bad_chars", {"chars": '"#"', "bad": "#"}),
        "": ("empty", {}),
        "x" * 6: ("too_long", {"max_length": 5, "length": 6}),
    }


def test_unstorable_names():
    assert names.unstorable_names(["A", None, "B\x00", "", "\x00C"]) == [
        "B\x00",
        "\x00C",
    ]


@pytest.mark.parametrize(
    ("spec", "subcode", "extra"),
    [
        ("", "empty", {}),
        ("a-b-c", "dash", {}),
        ("A-z", "not_a_range", {"first": "A", "last": "z"}),
        ("Z-A", "reversed", {"first": "Z", "last": "A"}),
    ],
)
def test_bad_spec_subcodes(spec, subcode, extra):
    with pytest.raises(errors.SerialInputError) as info:
        names.compile_allowed(spec)
    data = info.value.data
    assert data["subcode"] == subcode
    assert {key: data[key] for key in extra} == extra
