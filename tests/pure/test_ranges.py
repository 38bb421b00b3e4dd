# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Range expansion and collapse (lib/ranges.py)."""

import random

import pytest

from lib import ranges
from lib.errors import SerialInputError

# ---------------------------------------------------------------- expand_range


def test_expand_with_count():
    assert ranges.expand_range("SN-", 1, count=3, padding=4) == [
        "SN-0001",
        "SN-0002",
        "SN-0003",
    ]


def test_expand_with_end_inclusive():
    assert ranges.expand_range("A", 8, end=11, suffix="-X") == [
        "A8-X",
        "A9-X",
        "A10-X",
        "A11-X",
    ]


def test_expand_defaults_and_single():
    assert ranges.expand_range(count=2) == ["1", "2"]
    assert ranges.expand_range("S", 5, end=5) == ["S5"]
    assert ranges.expand_range(None, 0, count=1, suffix=None) == ["0"]


def test_expand_padding_never_truncates():
    assert ranges.expand_range("", 998, count=3, padding=2) == ["998", "999", "1000"]
    assert ranges.expand_range("", 7, count=1, padding=20) == ["0" * 19 + "7"]


def test_expand_max_range_exactly():
    names = ranges.expand_range("SN-", 1, count=ranges.MAX_RANGE, padding=6)
    assert len(names) == 100_000
    assert names[-1] == "SN-100000"
    assert len(set(names)) == 100_000


@pytest.mark.parametrize(
    ("kwargs", "code", "text"),
    [
        ({"start": 1}, "bad_range", "exactly one"),
        ({"start": 1, "count": 2, "end": 3}, "bad_range", "exactly one"),
        ({"start": 1, "count": 0}, "bad_range", "at least 1"),
        ({"start": 1, "count": -4}, "bad_range", "at least 1"),
        ({"start": 5, "end": 4}, "bad_range", "lower than the start"),
        ({"start": -1, "count": 1}, "bad_range", "negative"),
        ({"start": 1, "count": 1, "padding": 21}, "bad_range", "padding"),
        ({"start": 1, "count": 1, "padding": -1}, "bad_range", "padding"),
        ({"start": 1, "count": 100_001}, "range_too_big", "at most 100,000"),
        ({"start": 0, "end": 100_000}, "range_too_big", "at most 100,000"),
        ({"start": 1.5, "count": 1}, "bad_range", "whole number"),
        ({"start": "1", "count": 1}, "bad_range", "whole number"),
        ({"start": 1, "count": 2.0}, "bad_range", "whole number"),
        ({"start": 1, "count": True}, "bad_range", "whole number"),
        ({"start": 1, "end": "9"}, "bad_range", "whole number"),
        ({"start": 1, "count": 1, "padding": None}, "bad_range", "whole number"),
    ],
)
def test_expand_refuses_bad_parameters(kwargs, code, text):
    with pytest.raises(SerialInputError) as info:
        ranges.expand_range("SN-", **kwargs)
    assert info.value.code == code
    assert text in info.value.message


# ---------------------------------------------------------------- split_counter


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("SN-0042", ("SN-", "0042", "")),
        ("SN-2026-0042A", ("SN-2026-", "0042", "A")),
        ("123", ("", "123", "")),
        ("A1B2C", ("A1B", "2", "C")),
        ("no digits", None),
        ("", None),
        ("X" + "9" * 41, None),
        ("é5", ("é", "5", "")),
        ("x\n5", ("x\n", "5", "")),
    ],
)
def test_split_counter(name, parts):
    assert ranges.split_counter(name) == parts


# ---------------------------------------------------------------- collapse


def test_collapse_simple_run():
    names = ranges.expand_range("SN-", 1, count=10, padding=4)
    assert ranges.collapse(names) == [("SN-0001", "SN-0010", 10)]


def test_collapse_mixed():
    names = ["SN-1", "SN-2", "SN-3", "X", "SN-5", "SN-6", "ABC", "ABC", "SN-9"]
    assert ranges.collapse(names) == [
        ("SN-1", "SN-3", 3),
        ("X", "X", 1),
        ("SN-5", "SN-6", 2),
        ("ABC", "ABC", 1),
        ("ABC", "ABC", 1),
        ("SN-9", "SN-9", 1),
    ]


def test_collapse_unpadded_grows_in_width():
    assert ranges.collapse(["S8", "S9", "S10", "S11"]) == [("S8", "S11", 4)]


def test_collapse_padded_keeps_width():
    names = ["S0998", "S0999", "S1000", "S1001"]
    assert ranges.collapse(names) == [("S0998", "S1001", 4)]
    assert ranges.collapse(["S09", "S10"]) == [("S09", "S10", 2)]


def test_collapse_width_pattern_must_match():
    assert ranges.collapse(["S9", "S010"]) == [("S9", "S9", 1), ("S010", "S010", 1)]
    assert ranges.collapse(["S0009", "S10"]) == [
        ("S0009", "S0009", 1),
        ("S10", "S10", 1),
    ]
    assert ranges.collapse(["S001", "S0002"]) == [
        ("S001", "S001", 1),
        ("S0002", "S0002", 1),
    ]


def test_collapse_prefix_and_suffix_must_match():
    assert ranges.collapse(["A1X", "A2X", "A3Y", "B4Y"]) == [
        ("A1X", "A2X", 2),
        ("A3Y", "A3Y", 1),
        ("B4Y", "B4Y", 1),
    ]


def test_collapse_uses_last_digit_group():
    names = ["LOT-2026-0001", "LOT-2026-0002", "LOT-2027-0003"]
    assert ranges.collapse(names) == [
        ("LOT-2026-0001", "LOT-2026-0002", 2),
        ("LOT-2027-0003", "LOT-2027-0003", 1),
    ]


def test_collapse_keeps_given_order():
    assert ranges.collapse(["S3", "S2", "S1"]) == [
        ("S3", "S3", 1),
        ("S2", "S2", 1),
        ("S1", "S1", 1),
    ]
    assert ranges.collapse(["S1", "S3", "S2"]) == [
        ("S1", "S1", 1),
        ("S3", "S3", 1),
        ("S2", "S2", 1),
    ]


def test_collapse_zero_and_edge_cases():
    assert ranges.collapse([]) == []
    assert ranges.collapse(["0", "1", "2"]) == [("0", "2", 3)]
    assert ranges.collapse(["00", "01"]) == [("00", "01", 2)]
    assert ranges.collapse(["x"]) == [("x", "x", 1)]
    long_digits = "N" + "9" * 60
    assert ranges.collapse([long_digits, long_digits]) == [
        (long_digits, long_digits, 1),
        (long_digits, long_digits, 1),
    ]


def test_collapse_counts_sum_to_input_length_random():
    rng = random.Random(20261105)
    names = []
    expected = []
    for index in range(300):
        prefix = rng.choice(["SN-", "LOT/", "", "X"]) + str(index % 7) + "-"
        padding = rng.choice([0, 3, 6])
        start = rng.randrange(0, 2000)
        count = rng.randrange(1, 30)
        block = ranges.expand_range(prefix, start, count=count, padding=padding)
        names.extend(block)
        expected.append((block[0], block[-1], count))
    groups = ranges.collapse(names)
    assert sum(count for _f, _l, count in groups) == len(names)
    # Consecutive blocks never continue each other here (prefix changes).
    assert groups == expected


def test_collapse_100k():
    names = ranges.expand_range("SN-", 1, count=50_000, padding=6)
    names += [f"ODD{n}X{n * 7}" for n in range(50_000)]
    groups = ranges.collapse(names)
    assert groups[0] == ("SN-000001", "SN-050000", 50_000)
    assert len(groups) == 1 + 50_000


# ---------------------------------------------------------------- format_groups


def test_format_groups():
    groups = ranges.collapse(["SN-0001", "SN-0002", "SN-0003", "X"])
    assert ranges.format_groups(groups) == ["SN-0001 \u2013 SN-0003 (3)", "X"]


def test_format_groups_limit():
    groups = ranges.collapse(["A", "B", "C"])
    assert ranges.format_groups(groups, limit=2) == ["A", "B"]
    assert ranges.format_groups(groups, limit=0) == []
    assert ranges.format_groups([]) == []
