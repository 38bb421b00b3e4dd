# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Odoo side of ``lib/errors.py``: lib exceptions shown in the user's language.

The pure code in ``lib/`` raises :class:`~.lib.errors.SerialInputError` and
:class:`~.lib.errors.TemplateError` with an English ``message`` (for logs and
pure tests), a ``code`` and the message's parameters in ``data``. Users must
read that message in their own language, so every caller in models, wizards,
reports and controllers goes through this module instead of ``exc.message``:

* :func:`error_text` -- the translated text of a lib exception, worded again
  from its code (and ``data["subcode"]`` where a code has several wordings)
  with ``env._`` and a literal source string, so that the terms are extracted
  into the .pot like any other. A code without a template here (or data that
  does not fit it) falls back to the English ``message``: never a crash.
* :func:`raise_user_error` -- raise that text as a ``UserError`` (or another
  Odoo exception class).
* :func:`name_reason` / :func:`invalid_names` -- the translated reasons of the
  name rules of ``lib/names.py`` (``empty``, ``too_long``, ``bad_chars``).

In English each template renders exactly the lib's ``message``
(``tests/test_lib_errors.py`` checks it for every code raised in ``lib/``), so
a new code, subcode or parameter in ``lib/`` needs its template here.
"""

import logging

from odoo.exceptions import UserError

from .lib import names as name_rules

_logger = logging.getLogger(__name__)


def _n(value):
    """A count as the English messages show it (``100,000``)."""
    return f"{value:,}" if isinstance(value, int) else str(value)


def _megabytes(size):
    """A file size in MB with one decimal, as the English message shows it."""
    return f"{size / 1048576:.1f}"


def _quoted(items):
    return ", ".join(f'"{item}"' for item in items)


def _bad_extension(env, d):
    allowed = list(d["allowed"])
    filename = d.get("filename") or ""
    if len(allowed) == 1:
        return env._(
            'The file "%(filename)s" is not supported: use a %(kind)s file.',
            filename=filename,
            kind=allowed[0],
        )
    return env._(
        'The file "%(filename)s" is not supported: use a %(kinds)s or %(last)s file.',
        filename=filename,
        kinds=", ".join(allowed[:-1]),
        last=allowed[-1],
    )


def _bad_file(env, d):
    if d.get("detail"):
        return env._(
            'The file "%(filename)s" is not a valid %(extension)s file (%(detail)s).',
            filename=d.get("filename"),
            extension=d["extension"],
            detail=d["detail"],
        )
    return env._(
        'The file "%(filename)s" is not a valid %(extension)s file.',
        filename=d.get("filename"),
        extension=d["extension"],
    )


def _missing_columns(env, d):
    return env._(
        'The file "%(filename)s" lacks the column(s) %(missing)s. Columns found: '
        "%(found)s. Expected: %(expected)s.",
        filename=d.get("filename"),
        missing=_quoted(d["missing"]),
        found=_quoted(d["found"]) or env._("none"),
        expected=_quoted(d["expected"]),
    )


def _not_whole(env, d):
    value = repr(d["value"])
    field = d["field"]
    if field == "start":
        return env._(
            "The start number must be a whole number (got %(value)s).", value=value
        )
    if field == "padding":
        return env._("The padding must be a whole number (got %(value)s).", value=value)
    if field == "count":
        return env._("The count must be a whole number (got %(value)s).", value=value)
    return env._("The end number must be a whole number (got %(value)s).", value=value)


def _bad_reset_period(env, d):
    reset = d["reset"]
    if reset == "YEARLY":
        return env._(
            "the counter restarts every year, so the name must contain the year "
            "([[YEAR]], [[YY]] or [[DATE]]); otherwise names would repeat"
        )
    if reset == "MONTHLY":
        return env._(
            "the counter restarts every month, so the name must contain the year "
            "and the month ([[DATE]], or [[YEAR]] or [[YY]] with [[MONTH]]); "
            "otherwise names would repeat"
        )
    return env._(
        "the counter restarts every day, so the name must contain the full date "
        "([[DATE]], or [[YEAR]] or [[YY]] with [[MONTH]] and [[DAY]]); otherwise "
        "names would repeat"
    )


# (code, subcode) -> callable(env, data) -> translated text. Subcode None for
# codes with one wording. Every source string is a literal for the extractor.
TEMPLATES = {
    # lib/gs1.py
    ("bad_gs1", None): lambda env, d: env._(
        "%(scanned)s is not a valid GS1 code: %(reason)s",
        scanned=d["scanned"],
        reason=d["reason"],
    ),
    # lib/names.py
    ("bad_allowed_spec", "empty"): lambda env, d: env._(
        'The allowed characters "%(spec)s" are not valid: the list is empty.',
        spec=d["spec"],
    ),
    ("bad_allowed_spec", "dash"): lambda env, d: env._(
        'The allowed characters "%(spec)s" are not valid: put "-" first or last '
        "to allow it, or use it between two letters or two digits to give a "
        "range.",
        spec=d["spec"],
    ),
    ("bad_allowed_spec", "not_a_range"): lambda env, d: env._(
        'The allowed characters "%(spec)s" are not valid: "%(first)s-%(last)s" '
        "is not a range: ranges go between two letters of the same case or two "
        'digits (put "-" first or last to allow it).',
        spec=d["spec"],
        first=d["first"],
        last=d["last"],
    ),
    ("bad_allowed_spec", "reversed"): lambda env, d: env._(
        'The allowed characters "%(spec)s" are not valid: the range '
        '"%(first)s-%(last)s" is reversed.',
        spec=d["spec"],
        first=d["first"],
        last=d["last"],
    ),
    # lib/numbering.py
    ("empty", None): lambda env, d: env._("the template is empty"),
    ("unbalanced", "unclosed_token"): lambda env, d: env._(
        'unbalanced brackets: "[[" at position %(position)s is not closed by "]]"',
        position=d["position"],
    ),
    ("unbalanced", "unclosed"): lambda env, d: env._(
        'unbalanced brackets: "[[" is not closed by "]]" (%(text)s)',
        text=repr(d["text"]),
    ),
    ("unbalanced", "unopened"): lambda env, d: env._(
        'unbalanced brackets: "]]" has no "[[" (%(text)s)',
        text=repr(d["text"]),
    ),
    ("token_params", None): lambda env, d: env._(
        "the token [[%(name)s]] takes no parameters (found %(token)s)",
        name=d["name"],
        token=d["token"],
    ),
    ("unknown_token", None): lambda env, d: env._(
        "unknown token %(token)s", token=d["token"]
    ),
    ("incnum_count", None): lambda env, d: env._(
        "the template needs exactly one [[INCNUM,...]] token (found %(found)s): "
        "[[INCNUM,RESET,DIGITS,START]], e.g. [[INCNUM,NONE,5,1]]",
        found=d["found"],
    ),
    ("incnum_params", None): lambda env, d: env._(
        "the token %(token)s needs three parameters: "
        "[[INCNUM,RESET,DIGITS,START]], e.g. [[INCNUM,NONE,5,1]]",
        token=d["token"],
    ),
    ("bad_reset", None): lambda env, d: env._(
        'the reset "%(reset)s" in %(token)s must be NONE, DAILY, MONTHLY or YEARLY',
        reset=d["reset"],
        token=d["token"],
    ),
    ("bad_digits", None): lambda env, d: env._(
        'the number of digits "%(digits)s" in %(token)s must be a whole number '
        "from 1 to %(limit)s",
        digits=d["digits"],
        token=d["token"],
        limit=d["limit"],
    ),
    ("bad_start", None): lambda env, d: env._(
        'the start number "%(start)s" in %(token)s must be a whole number '
        "from 0 to %(limit)s",
        start=d["start"],
        token=d["token"],
        limit=d["limit"],
    ),
    ("reset_not_in_name", None): _bad_reset_period,
    ("no_code", None): lambda env, d: env._(
        "the product has no internal reference for [[CODE]]"
    ),
    ("bad_number", None): lambda env, d: env._(
        "the counter value must be a whole number >= 0 (got %(number)s)",
        number=repr(d["number"]),
    ),
    ("too_many_taken", None): lambda env, d: env._(
        'more than %(skipped)s names generated by the template "%(template)s" '
        "already exist; change the template or its start number",
        skipped=_n(d["skipped"] - 1),
        template=d["template"],
    ),
    ("bad_count", None): lambda env, d: env._(
        "The number of serials to generate must be between 0 and %(limit)s "
        "(got %(count)s).",
        limit=_n(d["limit"]),
        count=repr(d["count"]),
    ),
    # lib/parsing.py
    ("bad_extension", None): _bad_extension,
    ("too_big", "upload"): lambda env, d: env._(
        'The file "%(filename)s" is too big (%(size)s MB); the limit is %(limit)s MB.',
        filename=d.get("filename"),
        size=_megabytes(d["size"]),
        limit=d["limit"] // 1048576,
    ),
    ("too_big", "uncompressed"): lambda env, d: env._(
        'The file "%(filename)s" is too big once uncompressed.',
        filename=d.get("filename"),
    ),
    ("bad_file", None): _bad_file,
    ("too_many_rows", None): lambda env, d: env._(
        'The file "%(filename)s" has more than %(limit)s rows; split it into '
        "smaller files.",
        filename=d.get("filename"),
        limit=_n(d["limit"]),
    ),
    ("bad_encoding", "undecodable"): lambda env, d: env._(
        'The file "%(filename)s" is not readable text.', filename=d.get("filename")
    ),
    ("bad_encoding", "binary"): lambda env, d: env._(
        'The file "%(filename)s" is not a text file.', filename=d.get("filename")
    ),
    ("unknown_columns", None): lambda env, d: env._(
        'The file "%(filename)s" has several columns and none of its headers '
        '(%(found)s) names the serial numbers: head the serial column "Serial '
        'Number" (or "Serial", "Lot/Serial Number"), or upload a file with that '
        "column only.",
        filename=d.get("filename"),
        found=_quoted(d["found"]),
    ),
    ("missing_columns", None): _missing_columns,
    # lib/ranges.py
    ("bad_range", "not_whole"): _not_whole,
    ("bad_range", "negative_start"): lambda env, d: env._(
        "The start number cannot be negative."
    ),
    ("bad_range", "bad_padding"): lambda env, d: env._(
        "The padding must be between 0 and %(limit)s digits.", limit=d["limit"]
    ),
    ("bad_range", "count_or_end"): lambda env, d: env._(
        "Give either a count or an end number for the range (exactly one)."
    ),
    ("bad_range", "count_too_small"): lambda env, d: env._(
        "The count must be at least 1."
    ),
    ("bad_range", "end_before_start"): lambda env, d: env._(
        "The end number (%(end)s) is lower than the start number (%(start)s).",
        end=d["end"],
        start=d["start"],
    ),
    ("range_too_big", None): lambda env, d: env._(
        "A range can hold at most %(limit)s serial numbers (%(count)s asked).",
        limit=_n(d["limit"]),
        count=_n(d["count"]),
    ),
}


def error_text(env, exc):
    """The text of lib exception ``exc`` in the language of ``env``.

    Built from ``exc.code``, ``exc.data`` (and its ``subcode``); the English
    ``exc.message`` when the code has no template or its data does not fit.
    """
    data = getattr(exc, "data", None) or {}
    key = (getattr(exc, "code", None), data.get("subcode"))
    template = TEMPLATES.get(key)
    if template is None:
        _logger.debug("no translated template for lib error %r", key)
        return exc.message
    try:
        return template(env, data)
    except Exception:  # noqa: BLE001 - a message must never hide the error
        _logger.exception("cannot word lib error %r with %r", key, data)
        return exc.message


def raise_user_error(env, exc, error_class=UserError):
    """Raise lib exception ``exc`` as ``error_class`` (``UserError`` by
    default) with its translated text, chained to ``exc``."""
    raise error_class(error_text(env, exc)) from exc


def name_reason(env, code, data):
    """Translated reason of a name rule of ``lib/names.py``, to follow the name
    (``data`` as :func:`~.lib.names.reason_data` gives it)."""
    if code == name_rules.EMPTY:
        return env._("is empty")
    if code == name_rules.TOO_LONG:
        return env._("is longer than %(max)s characters", max=data["max_length"])
    if code == name_rules.BAD_CHARS:
        return env._(
            "contains characters that are not allowed: %(chars)s",
            chars=data["chars"],
        )
    return code


def invalid_names(env, company, names):
    """``{name: translated reason}`` for the names breaking ``company``'s name
    rules (allowed characters, maximum length), in input order."""
    spec = company.serial_allowed_chars or name_rules.DEFAULT_ALLOWED_CHARS
    max_length = company.serial_max_length or name_rules.DEFAULT_MAX_LENGTH
    return {
        name: name_reason(env, code, data)
        for name, (code, data) in name_rules.explain_names(
            names, spec, max_length
        ).items()
    }
