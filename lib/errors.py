# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Exceptions raised by the pure serial-number logic.

Every exception carries a plain-English ``message`` for logs and tests, plus
structured data so that the Odoo side can build its own translated message:

* ``code``: a stable, machine-readable reason (``"bad_extension"``, ...);
* ``names``: the offending serial names, if any (tuple, in input order);
* ``data``: any other parameters of the message (dict).
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

    ``code`` values used by this package: ``bad_extension``, ``too_big``,
    ``too_many_rows``, ``bad_file``, ``bad_encoding``, ``missing_columns``,
    ``unknown_columns``,
    ``bad_allowed_spec``, ``bad_range``, ``range_too_big``, ``bad_count``.
    """


class TemplateError(_LogicError):
    """Invalid numbering template (or a template that cannot be rendered).

    ``code`` values used by this package: ``empty``, ``unbalanced``,
    ``unknown_token``, ``incnum_count``, ``incnum_params``, ``bad_reset``,
    ``bad_digits``, ``bad_start``, ``reset_not_in_name``, ``no_code``,
    ``bad_number``, ``too_many_taken``.
    """
