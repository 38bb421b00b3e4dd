# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Numbering templates for automatic serial names.

Grammar: literal text (any characters except ``[[`` and ``]]``) and tokens
between double square brackets. Token names are case-insensitive and may be
surrounded by spaces:

* ``[[INCNUM,RESET,DIGITS,START]]`` -- exactly one, all three parameters
  required: RESET is ``NONE``, ``DAILY``, ``MONTHLY`` or ``YEARLY`` (the
  counter restarts at START each day/month/year), DIGITS is the zero-padded
  width (1..20), START the first number (0..MAX_START);
* ``[[DATE]]`` (``YYYY-MM-DD``), ``[[YEAR]]`` (4 digits), ``[[YY]]`` (2 digits),
  ``[[MONTH]]`` (2 digits), ``[[DAY]]`` (2 digits);
* ``[[CODE]]`` -- the product's internal reference.

A counter that resets must have its period in the name (e.g. MONTHLY needs the
year and the month), otherwise names would repeat after each reset.

Example: ``SN-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4,1]]`` gives ``SN-202611-0001``
for the first serial of November 2026.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import SerialInputError, TemplateError
from .ranges import MAX_RANGE

RESETS = ("NONE", "DAILY", "MONTHLY", "YEARLY")
DATE_TOKENS = ("DATE", "YEAR", "YY", "MONTH", "DAY")
SIMPLE_TOKENS = (*DATE_TOKENS, "CODE")
MAX_DIGITS = 20
MAX_START = 2_147_483_647  # fits the counters' integer columns
INCNUM_HELP = "[[INCNUM,RESET,DIGITS,START]], e.g. [[INCNUM,NONE,5,1]]"

_TOKEN = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
_UNSIGNED = re.compile(r"[0-9]+", re.ASCII)
# Date parts each reset period needs in the name (any one set is enough).
_PERIOD_NEEDS = {
    "YEARLY": ({"YEAR"}, {"YY"}, {"DATE"}),
    "MONTHLY": ({"YEAR", "MONTH"}, {"YY", "MONTH"}, {"DATE"}),
    "DAILY": ({"YEAR", "MONTH", "DAY"}, {"YY", "MONTH", "DAY"}, {"DATE"}),
}
_PERIOD_TEXT = {
    "YEARLY": "year, so the name must contain the year ([[YEAR]], [[YY]] or [[DATE]])",
    "MONTHLY": "month, so the name must contain the year and the month "
    "([[DATE]], or [[YEAR]] or [[YY]] with [[MONTH]])",
    "DAILY": "day, so the name must contain the full date ([[DATE]], or "
    "[[YEAR]] or [[YY]] with [[MONTH]] and [[DAY]])",
}


@dataclass(frozen=True)
class Template:
    """A parsed numbering template (build it with :func:`parse_template`).

    ``parts`` is a tuple of ``("text", literal)`` and ``("token", NAME)``
    items, NAME among ``INCNUM`` and :data:`SIMPLE_TOKENS`.
    """

    source: str
    reset: str
    digits: int
    start: int
    parts: tuple[tuple[str, str], ...]

    @property
    def uses_code(self) -> bool:
        """True when the template contains ``[[CODE]]``."""
        return ("token", "CODE") in self.parts

    def period_key(self, d: dt.date) -> str:
        """Key of the counter period containing ``d``.

        ``''`` for NONE, ``'YYYY-MM-DD'`` DAILY, ``'YYYY-MM'`` MONTHLY,
        ``'YYYY'`` YEARLY. The counter restarts when the key changes.
        """
        d = _as_date(d)
        if self.reset == "DAILY":
            return d.isoformat()
        if self.reset == "MONTHLY":
            return f"{d.year:04d}-{d.month:02d}"
        if self.reset == "YEARLY":
            return f"{d.year:04d}"
        return ""

    def affixes(self, d: dt.date, code: str = "") -> tuple[str, str]:
        """Rendered text before and after the counter for date ``d``."""
        d = _as_date(d)
        code = (code or "").strip()
        if self.uses_code and not code:
            raise TemplateError(
                "the product has no internal reference for [[CODE]]", code="no_code"
            )
        values = {
            "DATE": d.isoformat(),
            "YEAR": f"{d.year:04d}",
            "YY": f"{d.year % 100:02d}",
            "MONTH": f"{d.month:02d}",
            "DAY": f"{d.day:02d}",
            "CODE": code,
        }
        head: list[str] = []
        tail: list[str] = []
        current = head
        for kind, value in self.parts:
            if kind == "text":
                current.append(value)
            elif value == "INCNUM":
                current = tail
            else:
                current.append(values[value])
        return "".join(head), "".join(tail)

    def render(self, number: int, d: dt.date, code: str = "") -> str:
        """Name for counter value ``number`` (>= 0) on date ``d``.

        The number is zero-padded to ``digits`` (wider numbers are kept whole).
        Raises :class:`TemplateError` when ``[[CODE]]`` is used and ``code``
        is empty.
        """
        _check_number(number)
        head, tail = self.affixes(d, code)
        return f"{head}{str(number).zfill(self.digits)}{tail}"


def _as_date(d: dt.date) -> dt.date:
    return d.date() if isinstance(d, dt.datetime) else d


def _check_number(number: int) -> None:
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise TemplateError(
            f"the counter value must be a whole number >= 0 (got {number!r})",
            code="bad_number",
            number=number,
        )


def _check_count(count: int) -> None:
    if (
        isinstance(count, bool)
        or not isinstance(count, int)
        or not (0 <= count <= MAX_RANGE)
    ):
        raise SerialInputError(
            f"The number of serials to generate must be between 0 and {MAX_RANGE:,} "
            f"(got {count!r}).",
            code="bad_count",
            count=count,
            limit=MAX_RANGE,
        )


def _error(message: str, code: str, source: str, **data) -> TemplateError:
    return TemplateError(message, code=code, template=source, **data)


@functools.lru_cache(maxsize=256)
def parse_template(source: str) -> Template:
    """Parse and validate a numbering template; raise :class:`TemplateError`.

    The error's ``message`` gives the reason, e.g. ``unknown token [[FOO]]``
    or ``the template needs exactly one [[INCNUM,...]] token (found 2)``.
    Results are cached.
    """
    if not isinstance(source, str) or not source.strip():
        raise _error("the template is empty", "empty", source or "")
    parts: list[tuple[str, str]] = []
    incnums: list[tuple[str, int, int]] = []
    position = 0
    for match in _TOKEN.finditer(source):
        _add_text(parts, source, source[position : match.start()])
        content = match.group(1)
        if "[[" in content:
            raise _error(
                f'unbalanced brackets: "[[" at position {match.start() + 1} '
                'is not closed by "]]"',
                "unbalanced",
                source,
                subcode="unclosed_token",
                position=match.start() + 1,
            )
        name, params = _split_token(content)
        if name == "INCNUM":
            incnums.append(_incnum_params(source, match.group(0), params))
        elif name in SIMPLE_TOKENS:
            if params:
                raise _error(
                    f"the token [[{name}]] takes no parameters "
                    f"(found {match.group(0)})",
                    "token_params",
                    source,
                    token=match.group(0),
                    name=name,
                )
        else:
            raise _error(
                f"unknown token {match.group(0)}",
                "unknown_token",
                source,
                token=match.group(0),
            )
        parts.append(("token", name))
        position = match.end()
    _add_text(parts, source, source[position:])
    if len(incnums) != 1:
        raise _error(
            "the template needs exactly one [[INCNUM,...]] token "
            f"(found {len(incnums)}): {INCNUM_HELP}",
            "incnum_count",
            source,
            found=len(incnums),
        )
    reset, digits, start = incnums[0]
    _check_reset_in_name(source, reset, parts)
    return Template(source, reset, digits, start, tuple(parts))


def _add_text(parts: list[tuple[str, str]], source: str, text: str) -> None:
    """Append a literal segment, refusing stray ``[[`` / ``]]``."""
    for marker, why, subcode in (
        ("[[", 'is not closed by "]]"', "unclosed"),
        ("]]", 'has no "[["', "unopened"),
    ):
        if marker in text:
            raise _error(
                f'unbalanced brackets: "{marker}" {why} ({text!r})',
                "unbalanced",
                source,
                subcode=subcode,
                text=text,
            )
    if text:
        parts.append(("text", text))


def _split_token(content: str) -> tuple[str, list[str]]:
    name, *params = content.split(",")
    return name.strip().upper(), [param.strip() for param in params]


def _incnum_params(source: str, token: str, params: list[str]) -> tuple[str, int, int]:
    """Validate ``RESET,DIGITS,START``; return ``(reset, digits, start)``."""
    if len(params) != 3:
        raise _error(
            f"the token {token} needs three parameters: {INCNUM_HELP}",
            "incnum_params",
            source,
            token=token,
        )
    reset, digits, start = params
    reset = reset.upper()
    if reset not in RESETS:
        raise _error(
            f'the reset "{params[0]}" in {token} must be NONE, DAILY, MONTHLY '
            "or YEARLY",
            "bad_reset",
            source,
            token=token,
            reset=params[0],
        )
    if not _UNSIGNED.fullmatch(digits) or not 1 <= int(digits) <= MAX_DIGITS:
        raise _error(
            f'the number of digits "{digits}" in {token} must be a whole number '
            f"from 1 to {MAX_DIGITS}",
            "bad_digits",
            source,
            token=token,
            digits=digits,
            limit=MAX_DIGITS,
        )
    if not _UNSIGNED.fullmatch(start) or len(start) > 10 or int(start) > MAX_START:
        raise _error(
            f'the start number "{start}" in {token} must be a whole number '
            f"from 0 to {MAX_START}",
            "bad_start",
            source,
            token=token,
            start=start,
            limit=MAX_START,
        )
    return reset, int(digits), int(start)


def _check_reset_in_name(source: str, reset: str, parts: list[tuple[str, str]]) -> None:
    """A resetting counter needs its period in the name, or names repeat."""
    if reset == "NONE":
        return
    tokens = {value for kind, value in parts if kind == "token"}
    if not any(need <= tokens for need in _PERIOD_NEEDS[reset]):
        raise _error(
            f"the counter restarts every {_PERIOD_TEXT[reset]}; otherwise "
            "names would repeat",
            "reset_not_in_name",
            source,
            reset=reset,
        )


def next_names(
    template: Template,
    counter_value: int,
    count: int,
    d: dt.date,
    code: str,
    taken: Callable[[list[str]], Iterable[str]],
) -> tuple[list[str], int]:
    """Generate ``count`` new names, skipping names that already exist.

    Numbers start at ``max(counter_value, template.start)``. ``taken`` gets a
    whole batch of candidate names and returns those that already exist (one
    call per batch, never per name). Returns ``(names, new_counter_value)``
    where ``new_counter_value`` is the last number used + 1 (unchanged start
    number when ``count`` is 0).

    Raises :class:`SerialInputError` for a bad ``count`` (0..MAX_RANGE), and
    :class:`TemplateError` for a missing ``[[CODE]]`` value or when more than
    ``10 * count + 1000`` names in a row are taken (``too_many_taken``).
    """
    _check_count(count)
    number = max(counter_value or 0, template.start)
    _check_number(number)
    if not count:
        return [], number
    head, tail = template.affixes(d, code)
    width = template.digits
    names: list[str] = []
    skipped, max_skipped = 0, 10 * count + 1000
    batch_size = count
    while True:
        batch = [
            f"{head}{str(n).zfill(width)}{tail}"
            for n in range(number, number + batch_size)
        ]
        existing = set(taken(batch))
        for offset, name in enumerate(batch):
            if name in existing:
                skipped += 1
                if skipped > max_skipped:
                    raise _too_many_taken(template, skipped)
                continue
            names.append(name)
            if len(names) == count:
                return names, number + offset + 1
        number += batch_size
        # Ask for twice what is missing plus twice the collisions just met:
        # few round trips when names are dense, small batches when sparse.
        missing = count - len(names)
        batch_size = min(2 * (missing + len(existing)), MAX_RANGE)


def names_from_numbers(
    template: Template,
    draw: Callable[[int], Iterable[int]],
    count: int,
    d: dt.date,
    code: str,
    taken: Callable[[list[str]], Iterable[str]],
) -> list[str]:
    """Generate ``count`` new names from numbers handed out by ``draw``.

    ``draw(n)`` returns ``n`` numbers never handed out before (e.g. the next
    values of a database sequence, shared by concurrent workers: they need not
    follow each other). Names that ``taken`` reports as existing are skipped
    and replaced by more numbers, as in :func:`next_names`; numbers below
    ``template.start`` are skipped too. Returns the names in the order of
    their numbers.
    """
    _check_count(count)
    if not count:
        return []
    head, tail = template.affixes(d, code)
    width = template.digits
    names: list[str] = []
    skipped, max_skipped = 0, 10 * count + 1000
    missing = count
    while missing:
        numbers = sorted(n for n in draw(missing) if n >= template.start)
        for number in numbers:
            _check_number(number)
        batch = [f"{head}{str(n).zfill(width)}{tail}" for n in numbers]
        existing = set(taken(batch)) if batch else set()
        skipped += len(existing) + (missing - len(batch))
        if skipped > max_skipped:
            raise _too_many_taken(template, skipped)
        names.extend(name for name in batch if name not in existing)
        missing = count - len(names)
    return names


def _too_many_taken(template: Template, skipped: int) -> TemplateError:
    return TemplateError(
        f"more than {skipped - 1:,} names generated by the template "
        f'"{template.source}" already exist; change the template or its start '
        "number",
        code="too_many_taken",
        template=template.source,
        skipped=skipped,
    )
