# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Serial name normalisation and format rules (SPEC C4 "Format").

A name is valid when it is not empty, not longer than the company's maximum
length and made only of the company's allowed characters. The allowed
characters are written as a small spec: literal characters plus ``X-Y`` ranges,
e.g. the default ``"A-Za-z0-9 _/,.-"`` (letters, digits, space and ``- _ / , .``).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

from .errors import SerialInputError

DEFAULT_ALLOWED_CHARS = "A-Za-z0-9 _/,.-"
DEFAULT_MAX_LENGTH = 32

EMPTY = "empty"
TOO_LONG = "too_long"
BAD_CHARS = "bad_chars"
REASON_CODES = (EMPTY, TOO_LONG, BAD_CHARS)

# Characters str.strip() keeps but that are invisible around pasted values
# (byte order mark, zero-width space/joiners, word joiner).
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"

_RANGE_CLASSES = ("AZ", "az", "09")


def normalize(name: str) -> str:
    """Return ``name`` without surrounding whitespace; inner text is untouched.

    Strips all Unicode whitespace (space, tab, CR/LF, no-break space...) and
    invisible zero-width characters (BOM, zero-width space) at both ends.
    """
    return name.strip().strip(_INVISIBLE).strip()


def _range_class(char: str) -> str | None:
    """Return the range class ("AZ", "az" or "09") of an ASCII alphanumeric."""
    for low_high in _RANGE_CLASSES:
        if low_high[0] <= char <= low_high[1]:
            return low_high
    return None


def _spec_error(spec: str, why: str, subcode: str, **data: str) -> SerialInputError:
    """``subcode`` names the broken rule: ``empty``, ``dash`` (a ``-`` in the
    middle), ``not_a_range`` or ``reversed`` (with ``first`` and ``last``)."""
    return SerialInputError(
        f'The allowed characters "{spec}" are not valid: {why}.',
        code="bad_allowed_spec",
        subcode=subcode,
        spec=spec,
        reason=why,
        **data,
    )


@functools.lru_cache(maxsize=64)
def compile_allowed(spec: str) -> frozenset[str]:
    """Parse an allowed-characters spec into the set of allowed characters.

    The spec lists literal characters and ``X-Y`` ranges between two ASCII
    letters of the same case or two digits (``A-Z``, ``a-k``, ``0-9``), with
    ``X <= Y``. A ``-`` that is the first or the last character is literal.
    Anything else (empty spec, ``Z-A``, ``A-z``, ``.-_``, a ``-`` in the middle
    that is not part of a range) raises :class:`SerialInputError`.
    Results are cached.
    """
    if not isinstance(spec, str) or not spec:
        raise _spec_error(spec or "", "the list is empty", "empty")
    allowed: set[str] = set()
    i, size = 0, len(spec)
    while i < size:
        char = spec[i]
        if i + 2 < size and spec[i + 1] == "-":
            allowed.update(_expand_spec_range(spec, char, spec[i + 2]))
            i += 3
            continue
        if char == "-" and 0 < i < size - 1:
            raise _spec_error(
                spec,
                'put "-" first or last to allow it, or use it between two '
                "letters or two digits to give a range",
                "dash",
            )
        allowed.add(char)
        i += 1
    return frozenset(allowed)


def _expand_spec_range(spec: str, first: str, last: str) -> list[str]:
    """Return the characters of the range ``first-last`` or raise."""
    cls = _range_class(first)
    if cls is None or cls != _range_class(last):
        raise _spec_error(
            spec,
            f'"{first}-{last}" is not a range: ranges go between two letters '
            'of the same case or two digits (put "-" first or last to allow it)',
            "not_a_range",
            first=first,
            last=last,
        )
    if first > last:
        raise _spec_error(
            spec,
            f'the range "{first}-{last}" is reversed',
            "reversed",
            first=first,
            last=last,
        )
    return [chr(c) for c in range(ord(first), ord(last) + 1)]


def bad_chars(name: str, spec: str) -> str:
    """Return the characters of ``name`` not allowed by ``spec``.

    In order of first appearance, each once (``"a#b!#"`` -> ``"#!"`` for the
    default spec).
    """
    allowed = compile_allowed(spec)
    return "".join(dict.fromkeys(c for c in name if c not in allowed))


def _has_limit(max_length: int | None) -> bool:
    return bool(max_length) and max_length > 0


def check_name(name: str, allowed_spec: str, max_length: int | None) -> str | None:
    """Check one (already normalized) name.

    Returns ``None`` when valid, else the first failing reason code among
    ``"empty"``, ``"too_long"`` (more than ``max_length`` characters; a
    ``max_length`` of ``0``/``None`` means no limit) and ``"bad_chars"``.
    """
    if not name:
        return EMPTY
    if _has_limit(max_length) and len(name) > max_length:
        return TOO_LONG
    if not compile_allowed(allowed_spec).issuperset(name):
        return BAD_CHARS
    return None


def check_names(
    names: Iterable[str], allowed_spec: str, max_length: int | None
) -> dict[str, str]:
    """Return ``{name: reason_code}`` for every invalid name (valid ones omitted).

    Names must already be normalized; the dict keeps input order.
    """
    allowed = compile_allowed(allowed_spec)
    limit = max_length if _has_limit(max_length) else None
    invalid: dict[str, str] = {}
    for name in names:
        if not name:
            invalid[name] = EMPTY
        elif limit is not None and len(name) > limit:
            invalid[name] = TOO_LONG
        elif not allowed.issuperset(name):
            invalid[name] = BAD_CHARS
    return invalid


# Control characters have no name in unicodedata; these are the ones a paste
# or a file brings in (their Unicode aliases).
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
}


def char_name(char: str) -> str:
    """``U+XXXX NAME`` of one character, e.g. ``U+0421 CYRILLIC CAPITAL LETTER
    ES``; control characters get their alias (``U+0000 NULL``)."""
    code = ord(char)
    label = unicodedata.name(char, "") or _CONTROL_NAMES.get(code, "")
    if not label and unicodedata.category(char) == "Cc":
        label = "CONTROL CHARACTER"
    return f"U+{code:04X} {label}".rstrip()


def display_char(char: str) -> str:
    """Show one character in a message so that it cannot be mistaken.

    Printable ASCII is quoted (``"#"``); any other character is named, as a
    look-alike (Cyrillic ``С`` beside Latin ``C``) or an invisible one would
    read wrong: ``"С" U+0421 CYRILLIC CAPITAL LETTER ES``, ``U+00A0 NO-BREAK
    SPACE``, ``U+0000 NULL``.
    """
    if char == " " or (char.isascii() and char.isprintable()):
        return f'"{char}"'
    if char.isprintable() and not char.isspace():
        return f'"{char}" {char_name(char)}'
    return char_name(char)


def unstorable_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, character)`` for each line of ``text`` holding a
    character PostgreSQL cannot store in text (NUL), 1-based, in order.

    Such text must be refused before it is written anywhere: the database
    raises a low-level error instead of a message naming the line."""
    if not text or "\x00" not in text:
        return []
    return [
        (number, "\x00")
        for number, line in enumerate(text.splitlines() or [text], start=1)
        if "\x00" in line
    ]


def explain_names(
    names: Iterable[str], allowed_spec: str, max_length: int | None
) -> dict[str, tuple[str, dict[str, object]]]:
    """``{name: (reason code, reason data)}`` for every invalid name, in input
    order: :func:`check_names` with the parameters of each explanation
    (:func:`reason_data`), for callers that word the reasons themselves."""
    return {
        name: (code, reason_data(code, name, allowed_spec, max_length))
        for name, code in check_names(names, allowed_spec, max_length).items()
    }


def unstorable_names(names: Iterable[str | None]) -> list[str]:
    """The names holding a character PostgreSQL cannot store (NUL), in order;
    they must be refused before any query compares them."""
    return [name for name in names if name and "\x00" in name]


def reason_data(
    code: str, name: str, allowed_spec: str, max_length: int | None
) -> dict[str, object]:
    """Parameters of the explanation of a reason code (see :func:`reason_text`).

    ``too_long``: ``max_length`` and ``length``; ``bad_chars``: ``chars`` (the
    refused characters as :func:`display_char` shows them, comma-separated)
    and ``bad`` (the raw characters); ``empty``: none. The Odoo side builds its
    translated reason from the code and these, as :func:`reason_text` does in
    English.
    """
    if code == EMPTY:
        return {}
    if code == TOO_LONG:
        return {"max_length": max_length, "length": len(name)}
    if code == BAD_CHARS:
        bad = bad_chars(name, allowed_spec)
        return {"chars": ", ".join(display_char(c) for c in bad), "bad": bad}
    raise ValueError(f"unknown reason code {code!r}")


def reason_text(code: str, name: str, allowed_spec: str, max_length: int | None) -> str:
    """English explanation of a reason code, to follow the name in a message.

    E.g. ``'contains characters not allowed: "#", "!"'``,
    ``'is longer than 32 characters'``, ``'is empty'``.
    """
    data = reason_data(code, name, allowed_spec, max_length)
    if code == TOO_LONG:
        return "is longer than {max_length} characters".format(**data)
    if code == BAD_CHARS:
        return "contains characters not allowed: {chars}".format(**data)
    return "is empty"


def describe_invalid(
    invalid: dict[str, str],
    allowed_spec: str,
    max_length: int | None,
    limit: int | None = 20,
) -> list[str]:
    """English lines ``'"name" reason'`` for a :func:`check_names` result.

    At most ``limit`` lines (``None``: all); the caller reports the rest count.
    """
    items = list(invalid.items())
    if limit is not None:
        items = items[:limit]
    return [
        f'"{name}" {reason_text(code, name, allowed_spec, max_length)}'
        for name, code in items
    ]
