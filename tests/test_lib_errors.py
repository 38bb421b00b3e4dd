"""Errors of the pure code (``lib/``) reach users in their language.

Every code raised in ``lib/`` has a template in the add-on's ``errors.py``
that, in English, words exactly the lib's own message; a user whose language
has a translation reads that translation through the real flows.
"""

import ast
import base64
import contextlib
import datetime as dt
import io
import pathlib
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools.translate import code_translations

from odoo.addons.stock_serial_tracking import errors as serial_errors
from odoo.addons.stock_serial_tracking.lib import (
    gs1,
    names,
    numbering,
    parsing,
    ranges,
)
from odoo.addons.stock_serial_tracking.lib.errors import (
    SerialInputError,
    TemplateError,
)

from .common import SerialCase

LIB = pathlib.Path(__file__).resolve().parents[1] / "lib"
DAY = dt.date(2026, 11, 5)
INCNUM = "[[INCNUM,NONE,5,1]]"


def _codes_in_lib():
    """``(codes, subcodes)``: the literal codes and subcodes lib/ raises.

    Read from the source so that a new code cannot go without a template:
    ``code="..."``/``subcode="..."`` keywords, and the positional code or
    subcode of lib's own error builders."""
    positional = {"_error": ("code", 1), "_range_error": ("subcode", 1)}
    positional["_spec_error"] = ("subcode", 2)
    found = {"code": set(), "subcode": set()}
    for path in sorted(LIB.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg in found and isinstance(keyword.value, ast.Constant):
                    found[keyword.arg].add(keyword.value.value)
            name = getattr(node.func, "id", None)
            if name in positional:
                kind, index = positional[name]
                arg = node.args[index] if len(node.args) > index else None
                if isinstance(arg, ast.Constant):
                    found[kind].add(arg.value)
    return found["code"] - {"invalid"}, found["subcode"]


def _throw(exc):
    raise exc


def _taken_all(batch):
    return batch


# One call per code and wording: each must raise a lib error.
CASES = {
    "gs1 check digit": lambda: gs1.parse("(01)09501101020918(21)SN1"),
    "gs1 syntax": lambda: gs1.parse("(01)0950110102091"),
    "spec empty": lambda: names.compile_allowed(""),
    "spec dash": lambda: names.compile_allowed("a-b-c"),
    "spec not a range": lambda: names.compile_allowed("A-z"),
    "spec reversed": lambda: names.compile_allowed("Z-A"),
    "template empty": lambda: numbering.parse_template(" "),
    "unclosed token": lambda: numbering.parse_template("[[YEAR" + INCNUM),
    "unclosed": lambda: numbering.parse_template(INCNUM + "-[["),
    "unopened": lambda: numbering.parse_template("]]-" + INCNUM),
    "token params": lambda: numbering.parse_template("[[YEAR,2]]" + INCNUM),
    "unknown token": lambda: numbering.parse_template("[[FOO]]" + INCNUM),
    "incnum count": lambda: numbering.parse_template("SN-"),
    "incnum params": lambda: numbering.parse_template("[[INCNUM,NONE]]"),
    "bad reset": lambda: numbering.parse_template("[[INCNUM,WEEKLY,5,1]]"),
    "bad digits": lambda: numbering.parse_template("[[INCNUM,NONE,0,1]]"),
    "bad start": lambda: numbering.parse_template("[[INCNUM,NONE,5,x]]"),
    "yearly": lambda: numbering.parse_template("[[INCNUM,YEARLY,5,1]]"),
    "monthly": lambda: numbering.parse_template("[[YEAR]][[INCNUM,MONTHLY,5,1]]"),
    "daily": lambda: numbering.parse_template("[[YY]][[INCNUM,DAILY,5,1]]"),
    "no code": lambda: numbering.parse_template("[[CODE]]" + INCNUM).render(1, DAY),
    "bad number": lambda: numbering.parse_template(INCNUM).render(-1, DAY),
    "too many taken": lambda: numbering.next_names(
        numbering.parse_template(INCNUM), 0, 1, DAY, "", _taken_all
    ),
    "bad count": lambda: numbering.next_names(
        numbering.parse_template(INCNUM), 0, -1, DAY, "", _taken_all
    ),
    "extension": lambda: parsing.read_serial_file_details("a.pdf", b"x"),
    "extension of one kind": lambda: parsing._check_upload("a.pdf", b"", (".csv",)),
    "extension, no name": lambda: parsing.read_table(None, b"x", ["Serial"]),
    "too big": lambda: parsing._check_upload("a.csv", b"x" * 3, (".csv",)),
    "too big unzipped": lambda: parsing._check_xlsx_archive("a.xlsx", _xlsx()),
    "bad xlsx": lambda: parsing.read_serial_file_details("a.xlsx", b"no zip"),
    "bad csv": lambda: _throw(parsing._bad_file("a.csv", ".csv", "line 3: quote")),
    "too many rows": lambda: parsing.read_serial_file_details(
        "a.csv", b"S1\nS2\nS3\nS4\n"
    ),
    "undecodable": lambda: parsing.decode_text(b"\xff\xfeA", "a.txt"),
    "binary": lambda: parsing.decode_text(b"S1\x00S2", "a.txt"),
    "unknown columns": lambda: parsing.read_serial_file_details(
        "a.csv", b"Foo,Bar\nA1,B1\n"
    ),
    "missing columns": lambda: parsing.read_table(
        "a.csv", b"Order,Lot\n1,2\n", ["Product", "Serial"]
    ),
    "missing columns, none found": lambda: parsing.read_table(
        "a.csv", b"", ["Product"]
    ),
    "start not whole": lambda: ranges.expand_range(start=1.5, count=1),
    "padding not whole": lambda: ranges.expand_range(padding="4", count=1),
    "count not whole": lambda: ranges.expand_range(count=2.5),
    "end not whole": lambda: ranges.expand_range(end="9"),
    "negative start": lambda: ranges.expand_range(start=-1, count=1),
    "bad padding": lambda: ranges.expand_range(padding=21, count=1),
    "count or end": lambda: ranges.expand_range(start=1),
    "count too small": lambda: ranges.expand_range(count=0),
    "end before start": lambda: ranges.expand_range(start=5, end=2),
    "range too big": lambda: ranges.expand_range(count=ranges.MAX_RANGE + 1),
}


def _xlsx():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["S1"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Cases that reach a limit of parsing only with a smaller one: (name, value).
SMALL_LIMITS = {
    "too big": ("MAX_UPLOAD_BYTES", 2),
    "too big unzipped": ("MAX_XLSX_UNCOMPRESSED_BYTES", 10),
    "too many rows": ("MAX_ROWS", 2),
}


def _raise(case):
    """The lib error ``CASES[case]`` raises."""
    limit = SMALL_LIMITS.get(case)
    with patch.object(parsing, *limit) if limit else contextlib.nullcontext():
        try:
            CASES[case]()
        except (SerialInputError, TemplateError) as exc:
            return exc
    raise AssertionError(f"{case}: no lib error raised")


class TestLibErrors(SerialCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.fr_user = new_test_user(
            cls.env,
            login="serial_fr_user",
            groups="stock.group_stock_user",
            lang="fr_FR",
        )
        # what the web client gives a request of this user: its language
        cls.fr_env = cls.env(user=cls.fr_user, context={"lang": "fr_FR"})
        cls.en_env = cls.env(context={"lang": "en_US"})

    def _french(self, translations):
        """Code translations of the add-on in French, as a fr.po would load."""
        return patch.dict(
            code_translations.python_translations,
            {("stock_serial_tracking", "fr_FR"): translations},
        )

    def test_every_case_words_the_lib_message_in_english(self):
        for case in CASES:
            with self.subTest(case=case):
                exc = _raise(case)
                key = (exc.code, exc.data.get("subcode"))
                self.assertIn(key, serial_errors.TEMPLATES, case)
                self.assertEqual(
                    serial_errors.error_text(self.en_env, exc), exc.message, case
                )

    def test_every_code_raised_in_lib_has_a_template(self):
        codes, subcodes = _codes_in_lib()
        # the walk finds the codes (a broken walk would pass vacuously)
        self.assertGreaterEqual(len(codes), 25)
        self.assertIn("range_too_big", codes)
        self.assertIn("end_before_start", subcodes)
        with_template = {code for code, _subcode in serial_errors.TEMPLATES}
        self.assertEqual(codes - with_template, set())
        self.assertEqual(
            subcodes - {sub for _code, sub in serial_errors.TEMPLATES}, set()
        )
        # and each template is exercised by a case above
        exercised = {(exc.code, exc.data.get("subcode")) for exc in map(_raise, CASES)}
        self.assertEqual(set(serial_errors.TEMPLATES) - exercised, set())

    def test_unknown_code_or_odd_data_gives_the_english_message(self):
        unknown = SerialInputError("Something odd.", code="not_a_known_code")
        self.assertEqual(
            serial_errors.error_text(self.fr_env, unknown), "Something odd."
        )
        no_data = SerialInputError("Too many.", code="range_too_big")
        with self.assertLogs("odoo.addons.stock_serial_tracking.errors", "ERROR"):
            self.assertEqual(
                serial_errors.error_text(self.fr_env, no_data), "Too many."
            )
        with self.assertRaisesRegex(UserError, "^Something odd.$"):
            serial_errors.raise_user_error(self.fr_env, unknown)

    def test_range_too_big_in_the_users_language(self):
        picking = self._receipt(1)
        move = picking.move_ids.with_env(self.fr_env)
        action = move.action_open_serial_entry()
        wizard = (
            self.fr_env["stock.serial.entry"]
            .with_context(**action["context"])
            .create(
                {
                    "input_method": "range",
                    "range_prefix": "SN-",
                    "range_start": 1,
                    "range_count": ranges.MAX_RANGE + 1,
                }
            )
        )
        french = {
            "A range can hold at most %(limit)s serial numbers (%(count)s asked).": (
                "Une plage contient au plus %(limit)s numéros de série "
                "(%(count)s demandés)."
            )
        }
        with self._french(french), self.assertRaises(UserError) as caught:
            wizard.action_add()
        self.assertEqual(
            str(caught.exception),
            "Une plage contient au plus 100,000 numéros de série (100,001 demandés).",
        )
        # the same refusal in English for an English user
        with self._french(french), self.assertRaises(UserError) as caught:
            wizard.with_context(lang="en_US").action_add()
        self.assertEqual(
            str(caught.exception),
            "A range can hold at most 100,000 serial numbers (100,001 asked).",
        )
        self.assertFalse(wizard._names())

    def test_bad_file_in_the_users_language(self):
        picking = self._receipt(1)
        action = picking.move_ids.with_env(self.fr_env).action_open_serial_entry()
        wizard = (
            self.fr_env["stock.serial.entry"]
            .with_context(**action["context"])
            .create(
                {
                    "input_method": "upload",
                    "upload_filename": "serials.xlsx",
                    "upload_file": base64.b64encode(b"not a workbook"),
                }
            )
        )
        french = {
            'The file "%(filename)s" is not a valid %(extension)s file.': (
                "Le fichier « %(filename)s » n'est pas un fichier %(extension)s valide."
            )
        }
        with self._french(french), self.assertRaises(UserError) as caught:
            wizard.action_add()
        self.assertEqual(
            str(caught.exception),
            "Le fichier « serials.xlsx » n'est pas un fichier .xlsx valide.",
        )

    def test_name_rules_in_the_users_language(self):
        french = {
            "is longer than %(max)s characters": "dépasse %(max)s caractères",
            "contains characters that are not allowed: %(chars)s": (
                "contient des caractères interdits : %(chars)s"
            ),
        }
        picking = self._receipt(2)
        action = picking.move_ids.with_env(self.fr_env).action_open_serial_entry()
        wizard = (
            self.fr_env["stock.serial.entry"]
            .with_context(**action["context"])
            .create({"serial_text": "OK-1\nBAD#2\n" + "X" * 40})
        )
        with self._french(french):
            wizard.action_add()
        self.assertEqual(wizard._names(), ["OK-1"])
        self.assertIn('contient des caractères interdits : "#"', wizard.report)
        self.assertIn("dépasse 32 caractères", wizard.report)
        # the same rule refuses a lot written directly, in French too
        lots = self.env["stock.lot"].with_env(self.fr_env)
        with self._french(french), self.assertRaises(ValidationError) as caught:
            lots.create(
                {
                    "name": "Y" * 40,
                    "product_id": self.product.id,
                    "company_id": self.company.id,
                }
            )
        self.assertIn(f"{'Y' * 40}: dépasse 32 caractères", str(caught.exception))
        self.assertFalse(self._lots(["Y" * 40]))
