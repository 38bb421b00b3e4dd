# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Serial ranges: expand ``prefix + number + suffix`` ranges, and collapse a list
of names back into consecutive runs for display.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import SerialInputError

MAX_RANGE = 100_000
MAX_PADDING = 20
# Longer digit groups are not treated as counters (int() limits, nonsense).
_MAX_COUNTER_DIGITS = 40
# Prefix ends with a non-digit (or is empty); the LAST digit group is the counter.
_COUNTER = re.compile(r"(.*\D)?(\d+)(\D*)", re.ASCII | re.DOTALL)
RANGE_DASH = " \u2013 "  # en dash with spaces


def _range_error(message: str, subcode: str, **data) -> SerialInputError:
    """A ``bad_range`` error; ``subcode`` tells which rule the range broke."""
    return SerialInputError(message, code="bad_range", subcode=subcode, **data)


# Label of each parameter in the English messages (the Odoo side has its own).
_FIELD_LABELS = {
    "start": "start number",
    "padding": "padding",
    "count": "count",
    "end": "end number",
}


def _check_int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _range_error(
            f"The {_FIELD_LABELS[field]} must be a whole number (got {value!r}).",
            "not_whole",
            field=field,
            value=value,
        )
    return value


def expand_range(
    prefix: str = "",
    start: int = 1,
    count: int | None = None,
    end: int | None = None,
    padding: int = 0,
    suffix: str = "",
) -> list[str]:
    """Expand a range into names ``prefix + str(n).zfill(padding) + suffix``.

    Give exactly one of ``count`` (>= 1) and ``end`` (>= ``start``, inclusive).
    ``start`` >= 0, ``padding`` 0..20, at most ``MAX_RANGE`` names; otherwise
    :class:`SerialInputError` (``code`` ``"bad_range"`` or ``"range_too_big"``).
    Names are returned as built: the caller normalizes and validates them.
    """
    prefix = prefix or ""
    suffix = suffix or ""
    start = _check_int(start, "start")
    padding = _check_int(padding, "padding")
    if start < 0:
        raise _range_error(
            "The start number cannot be negative.",
            "negative_start",
            field="start",
            start=start,
        )
    if not 0 <= padding <= MAX_PADDING:
        raise _range_error(
            f"The padding must be between 0 and {MAX_PADDING} digits.",
            "bad_padding",
            field="padding",
            padding=padding,
            limit=MAX_PADDING,
        )
    if (count is None) == (end is None):
        raise _range_error(
            "Give either a count or an end number for the range (exactly one).",
            "count_or_end",
            field="count",
        )
    if count is not None:
        count = _check_int(count, "count")
        if count < 1:
            raise _range_error(
                "The count must be at least 1.",
                "count_too_small",
                field="count",
                count=count,
            )
    else:
        end = _check_int(end, "end")
        if end < start:
            raise _range_error(
                f"The end number ({end}) is lower than the start number ({start}).",
                "end_before_start",
                field="end",
                start=start,
                end=end,
            )
        count = end - start + 1
    if count > MAX_RANGE:
        raise SerialInputError(
            f"A range can hold at most {MAX_RANGE:,} serial numbers ({count:,} asked).",
            code="range_too_big",
            count=count,
            limit=MAX_RANGE,
        )
    return [
        f"{prefix}{str(n).zfill(padding)}{suffix}" for n in range(start, start + count)
    ]


def split_counter(name: str) -> tuple[str, str, str] | None:
    """Split a name around its LAST group of ASCII digits.

    ``"SN-2026-0042A"`` -> ``("SN-2026-", "0042", "A")``; ``None`` when the
    name has no digit (or an absurdly long digit group).
    """
    match = _COUNTER.fullmatch(name)
    if match is None or len(match.group(2)) > _MAX_COUNTER_DIGITS:
        return None
    return match.group(1) or "", match.group(2), match.group(3)


def collapse(names: Sequence[str]) -> list[tuple[str, str, int]]:
    """Group consecutive runs of names into ``(first, last, count)`` tuples, O(n).

    A run (in the given order, nothing is sorted) is names sharing the same
    prefix and suffix around their last digit group, whose numbers increase by
    exactly 1 and keep the run's digit pattern: a zero-padded first number
    (``0007``) fixes the width (``0007, 0008, 0009, 0010``); an unpadded one
    (``7``) continues unpadded (``7, 8, 9, 10``). Names without digits, and
    repeated names, make groups of their own (``(name, name, 1)``).
    """
    groups: list[tuple[str, str, int]] = []
    first = last = expected = None
    count = 0
    prefix = suffix = ""
    number = width = 0
    for name in names:
        if name == expected:
            last = name
            count += 1
            number += 1
            expected = f"{prefix}{str(number + 1).zfill(width)}{suffix}"
            continue
        if first is not None:
            groups.append((first, last, count))
        first = last = name
        count = 1
        parts = split_counter(name)
        if parts is None:
            expected = None
            continue
        prefix, digits, suffix = parts
        number = int(digits)
        width = len(digits) if digits[0] == "0" and len(digits) > 1 else 0
        expected = f"{prefix}{str(number + 1).zfill(width)}{suffix}"
    if first is not None:
        groups.append((first, last, count))
    return groups


def format_groups(
    groups: Sequence[tuple[str, str, int]], limit: int | None = None
) -> list[str]:
    """Display lines for :func:`collapse` groups.

    ``"SN-0001 – SN-0010 (10)"`` (en dash with spaces) for a run, the plain
    name for a single one. With ``limit``, only the first ``limit`` groups are
    formatted (the caller says how many more there are).
    """
    if limit is not None:
        groups = groups[:limit]
    return [
        f"{first}{RANGE_DASH}{last} ({count})" if count > 1 else first
        for first, last, count in groups
    ]
