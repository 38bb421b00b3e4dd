# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Exceptions raised by the pure serial-number logic.

Every exception carries a plain-English ``message`` for logs and tests, plus
structured data so that the Odoo side can build its own translated message:

* ``code``: a stable, machine-readable reason (``"bad_extension"``, ...);
* ``names``: the offending serial names, if any (tuple, in input order);
* ``data``: every other parameter of the message (dict), so that the message can
  be worded again from ``code`` and ``data`` alone. A code whose English message
  comes in several wordings also has ``data["subcode"]`` telling which.

The add-on's ``errors.py`` (Odoo side) holds one translatable template per code
(and subcode) and shows users that text in their language; ``message`` stays
the English text for logs and these pure tests. A new code or a new parameter
needs its template there too (``tests/test_lib_errors.py`` checks every code
raised here has one that renders the same English text).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class _LogicError(ValueError):
    """Common base: a message plus structured data about what is wrong."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        names: Iterable[str] = (),
        **data: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.names = tuple(names)
        self.data = data

    def __str__(self) -> str:
        return self.message


class SerialInputError(_LogicError):
    """Malformed user input: pasted text, uploaded file, range parameters...

    ``code`` values used by this package (subcodes in brackets):
    ``bad_extension``, ``too_big`` (``upload``, ``uncompressed``),
    ``too_many_rows``, ``bad_file``, ``bad_encoding`` (``undecodable``,
    ``binary``), ``missing_columns``, ``unknown_columns``, ``bad_gs1``,
    ``bad_allowed_spec`` (``empty``, ``dash``, ``not_a_range``, ``reversed``),
    ``bad_range`` (``not_whole``, ``negative_start``, ``bad_padding``,
    ``count_or_end``, ``count_too_small``, ``end_before_start``),
    ``range_too_big``, ``bad_count``.
    """


class TemplateError(_LogicError):
    """Invalid numbering template (or a template that cannot be rendered).

    ``code`` values used by this package (subcodes in brackets): ``empty``,
    ``unbalanced`` (``unclosed_token``, ``unclosed``, ``unopened``),
    ``token_params``, ``unknown_token``, ``incnum_count``, ``incnum_params``,
    ``bad_reset``, ``bad_digits``, ``bad_start``, ``reset_not_in_name`` (one
    message per ``data["reset"]``), ``no_code``, ``bad_number``,
    ``too_many_taken``.
    """
