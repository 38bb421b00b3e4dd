# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Numbering templates (lib/numbering.py)."""

import dataclasses
import datetime as dt

import pytest

from lib import numbering
from lib.errors import SerialInputError, TemplateError
from lib.numbering import next_names, parse_template

DAY = dt.date(2026, 11, 5)


# ---------------------------------------------------------------- parsing


def test_spec_example():
    template = parse_template("SN-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4,1]]")
    assert template.render(1, DAY) == "SN-202611-0001"
    assert (template.reset, template.digits, template.start) == ("MONTHLY", 4, 1)
    assert template.parts == (
        ("text", "SN-"),
        ("token", "YEAR"),
        ("token", "MONTH"),
        ("text", "-"),
        ("token", "INCNUM"),
    )
    assert template.source == "SN-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4,1]]"


def test_all_tokens():
    template = parse_template(
        "[[CODE]]/[[DATE]]/[[YEAR]]/[[YY]]/[[MONTH]]/[[DAY]]/[[INCNUM,DAILY,3,7]]!"
    )
    assert template.render(7, dt.date(2009, 3, 4), "AB-1") == (
        "AB-1/2009-03-04/2009/09/03/04/007!"
    )


def test_tokens_case_insensitive_and_spaces():
    template = parse_template("x[[ year ]]-[[ incnum , yearly , 2 , 0 ]]")
    assert template.reset == "YEARLY"
    assert template.render(3, DAY) == "x2026-03"


def test_literal_text_may_contain_anything():
    source = "Ä [x] {y} % ,;-[[INCNUM,NONE,1,0]]] ~^_"
    assert parse_template(source).render(9, DAY) == "Ä [x] {y} % ,;-9] ~^_"


def test_incnum_only_and_start_zero():
    template = parse_template("[[INCNUM,NONE,1,0]]")
    assert template.render(0, DAY) == "0"
    assert template.start == 0


def test_parse_is_cached_and_frozen():
    first = parse_template("A[[INCNUM,NONE,3,1]]")
    assert parse_template("A[[INCNUM,NONE,3,1]]") is first
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.digits = 5


@pytest.mark.parametrize(
    ("source", "code", "text"),
    [
        ("", "empty", "empty"),
        ("   ", "empty", "empty"),
        (None, "empty", "empty"),
        ("SN-", "incnum_count", "exactly one [[INCNUM,...]] token (found 0)"),
        (
            "[[INCNUM,NONE,3,1]]-[[INCNUM,NONE,3,1]]",
            "incnum_count",
            "exactly one [[INCNUM,...]] token (found 2)",
        ),
        ("SN-[[FOO]]-[[INCNUM,NONE,3,1]]", "unknown_token", "unknown token [[FOO]]"),
        ("SN-[[]]-[[INCNUM,NONE,3,1]]", "unknown_token", "unknown token [[]]"),
        ("SN-[[YEAR-[[INCNUM,NONE,3,1]]", "unbalanced", "unbalanced"),
        ("SN-[[YEAR]-[[INCNUM,NONE,3,1]]", "unbalanced", "unbalanced"),
        ("SN-]]-[[INCNUM,NONE,3,1]]", "unbalanced", "unbalanced"),
        ("[[INCNUM,NONE,3,1]]-[[YEAR", "unbalanced", "unbalanced"),
        ("[[INCNUM]]", "incnum_params", "needs three parameters"),
        ("[[INCNUM,NONE]]", "incnum_params", "needs three parameters"),
        ("[[INCNUM,NONE,3,1,5]]", "incnum_params", "needs three parameters"),
        ("[[INCNUM,WEEKLY,3,1]]", "bad_reset", "NONE, DAILY, MONTHLY or YEARLY"),
        ("[[INCNUM,,3,1]]", "bad_reset", "NONE, DAILY"),
        ("[[INCNUM,NONE,0,1]]", "bad_digits", "from 1 to 20"),
        ("[[INCNUM,NONE,21,1]]", "bad_digits", "from 1 to 20"),
        ("[[INCNUM,NONE,x,1]]", "bad_digits", "from 1 to 20"),
        ("[[INCNUM,NONE,+3,1]]", "bad_digits", "from 1 to 20"),
        ("[[INCNUM,NONE,3,-1]]", "bad_start", "from 0 to"),
        ("[[INCNUM,NONE,3,1.5]]", "bad_start", "from 0 to"),
        ("[[INCNUM,NONE,3,]]", "bad_start", "from 0 to"),
        ("[[INCNUM,NONE,3,2147483648]]", "bad_start", "from 0 to"),
        ("[[INCNUM,NONE,3,99999999999999999999]]", "bad_start", "from 0 to"),
        ("[[YEAR,2]][[INCNUM,NONE,3,1]]", "token_params", "takes no parameters"),
        ("[[INCNUM,YEARLY,3,1]]", "reset_not_in_name", "the year"),
        ("[[MONTH]][[INCNUM,MONTHLY,3,1]]", "reset_not_in_name", "the month"),
        ("[[YEAR]][[DAY]][[INCNUM,DAILY,3,1]]", "reset_not_in_name", "full date"),
        ("[[CODE]][[INCNUM,DAILY,3,1]]", "reset_not_in_name", "full date"),
    ],
)
def test_invalid_templates(source, code, text):
    with pytest.raises(TemplateError) as info:
        parse_template(source)
    assert info.value.code == code
    assert text in info.value.message
    assert str(info.value) == info.value.message


def test_max_start_accepted():
    template = parse_template(f"[[INCNUM,NONE,3,{numbering.MAX_START}]]")
    assert template.start == numbering.MAX_START


@pytest.mark.parametrize(
    "source",
    [
        "[[YEAR]]-[[INCNUM,YEARLY,3,1]]",
        "[[YY]]-[[INCNUM,YEARLY,3,1]]",
        "[[DATE]]-[[INCNUM,YEARLY,3,1]]",
        "[[YY]][[MONTH]]-[[INCNUM,MONTHLY,3,1]]",
        "[[DATE]]-[[INCNUM,MONTHLY,3,1]]",
        "[[DATE]]-[[INCNUM,DAILY,3,1]]",
        "[[DAY]][[MONTH]][[YEAR]]-[[INCNUM,DAILY,3,1]]",
        "[[YY]][[MONTH]][[DAY]]-[[INCNUM,DAILY,3,1]]",
    ],
)
def test_reset_period_present_in_name(source):
    assert parse_template(source).reset in numbering.RESETS


# ---------------------------------------------------------------- rendering


def test_period_keys():
    day = dt.date(2026, 1, 9)
    sources = {
        "NONE": ("[[INCNUM,NONE,2,1]]", ""),
        "DAILY": ("[[DATE]][[INCNUM,DAILY,2,1]]", "2026-01-09"),
        "MONTHLY": ("[[DATE]][[INCNUM,MONTHLY,2,1]]", "2026-01"),
        "YEARLY": ("[[YEAR]][[INCNUM,YEARLY,2,1]]", "2026"),
    }
    for reset, (source, key) in sources.items():
        template = parse_template(source)
        assert template.reset == reset
        assert template.period_key(day) == key
        assert template.period_key(dt.datetime(2026, 1, 9, 23, 59)) == key


def test_render_padding_and_wider_numbers():
    template = parse_template("S[[INCNUM,NONE,3,1]]")
    assert template.render(5, DAY) == "S005"
    assert template.render(12345, DAY) == "S12345"


def test_render_accepts_datetime():
    template = parse_template("[[DATE]]-[[INCNUM,NONE,1,1]]")
    assert template.render(1, dt.datetime(2026, 2, 3, 4, 5)) == "2026-02-03-1"


def test_render_small_years():
    template = parse_template("[[YEAR]][[YY]]-[[INCNUM,NONE,1,1]]")
    assert template.render(1, dt.date(5, 1, 1)) == "000505-1"


@pytest.mark.parametrize("number", [-1, 1.0, "1", None, True])
def test_render_refuses_bad_numbers(number):
    template = parse_template("S[[INCNUM,NONE,3,1]]")
    with pytest.raises(TemplateError) as info:
        template.render(number, DAY)
    assert info.value.code == "bad_number"


def test_code_token():
    template = parse_template("[[CODE]]-[[INCNUM,NONE,4,1]]")
    assert template.uses_code is True
    assert template.render(2, DAY, " FURN_001 ") == "FURN_001-0002"
    for empty in ("", None, "  "):
        with pytest.raises(TemplateError) as info:
            template.render(2, DAY, empty)
        assert info.value.code == "no_code"
        assert info.value.message == (
            "the product has no internal reference for [[CODE]]"
        )
    assert parse_template("X[[INCNUM,NONE,4,1]]").uses_code is False


def test_affixes():
    template = parse_template("A[[YEAR]]B[[INCNUM,NONE,4,1]]C[[MONTH]]")
    assert template.affixes(DAY) == ("A2026B", "C11")


# ---------------------------------------------------------------- next_names


class Taken:
    """Fake database: records each batch it is asked about."""

    def __init__(self, existing=()):
        self.existing = set(existing)
        self.calls = []

    def __call__(self, batch):
        assert isinstance(batch, list)
        self.calls.append(list(batch))
        return [name for name in batch if name in self.existing]


TEMPLATE = "SN-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4,1]]"


def test_next_names_simple():
    taken = Taken()
    names, counter = next_names(parse_template(TEMPLATE), 1, 3, DAY, "", taken)
    assert names == ["SN-202611-0001", "SN-202611-0002", "SN-202611-0003"]
    assert counter == 4
    assert len(taken.calls) == 1


def test_next_names_counter_below_start():
    template = parse_template("X[[INCNUM,NONE,2,10]]")
    names, counter = next_names(template, 0, 2, DAY, "", Taken())
    assert (names, counter) == (["X10", "X11"], 12)
    names, counter = next_names(template, None, 1, DAY, "", Taken())
    assert (names, counter) == (["X10"], 11)


def test_next_names_continue_from_counter():
    template = parse_template("X[[INCNUM,NONE,2,1]]")
    assert next_names(template, 41, 2, DAY, "", Taken()) == (["X41", "X42"], 43)


def test_next_names_skips_taken_names_in_batches():
    template = parse_template("X[[INCNUM,NONE,3,1]]")
    taken = Taken({"X002", "X003", "X005"} | {f"X{n:03d}" for n in range(7, 40)})
    names, counter = next_names(template, 1, 4, DAY, "", taken)
    assert names == ["X001", "X004", "X006", "X040"]
    assert counter == 41
    # Batches, not one call per name; batches grow when names collide.
    assert len(taken.calls) <= 5
    assert all(len(call) >= 1 for call in taken.calls)
    assert [len(c) for c in taken.calls] == sorted(len(c) for c in taken.calls)


def test_next_names_taken_may_return_any_iterable():
    template = parse_template("X[[INCNUM,NONE,1,1]]")

    def taken(batch):
        return (name for name in batch if name == "X1")

    assert next_names(template, 1, 1, DAY, "", taken) == (["X2"], 3)


def test_next_names_zero_count():
    template = parse_template("X[[INCNUM,NONE,1,5]]")
    taken = Taken()
    assert next_names(template, 2, 0, DAY, "", taken) == ([], 5)
    assert next_names(template, 9, 0, DAY, "", taken) == ([], 9)
    assert taken.calls == []


@pytest.mark.parametrize("count", [-1, 100_001, 1.0, "3", True])
def test_next_names_bad_count(count):
    with pytest.raises(SerialInputError) as info:
        next_names(parse_template(TEMPLATE), 1, count, DAY, "", Taken())
    assert info.value.code == "bad_count"


def test_next_names_needs_code():
    template = parse_template("[[CODE]][[INCNUM,NONE,1,1]]")
    with pytest.raises(TemplateError, match="internal reference"):
        next_names(template, 1, 1, DAY, "", Taken())
    assert next_names(template, 1, 1, DAY, "P1-", Taken()) == (["P1-1"], 2)


def test_next_names_gives_up_when_everything_is_taken():
    template = parse_template("X[[INCNUM,NONE,1,1]]")
    calls = []

    def everything(batch):
        calls.append(len(batch))
        return batch

    with pytest.raises(TemplateError) as info:
        next_names(template, 1, 2, DAY, "", everything)
    assert info.value.code == "too_many_taken"
    assert info.value.data["skipped"] == 10 * 2 + 1000 + 1
    assert len(calls) < 15


def test_next_names_100k():
    template = parse_template("[[YY]]-[[INCNUM,YEARLY,6,1]]")
    taken = Taken({"26-000010"})
    names, counter = next_names(template, 1, 100_000, DAY, "", taken)
    assert len(names) == len(set(names)) == 100_000
    assert "26-000010" not in names
    assert names[-1] == "26-100001"
    assert counter == 100_002
    assert [len(call) for call in taken.calls] == [100_000, 4]


def _draw_from(values):
    iterator = iter(values)

    def draw(n):
        return [next(iterator) for _ in range(n)]

    return draw


def test_names_from_numbers_skips_taken_and_gaps():
    template = numbering.parse_template("K-[[INCNUM,NONE,2,7]]")
    day = dt.date(2026, 1, 1)
    # numbers another worker took are simply missing: gaps, never repeats
    draw = _draw_from([7, 8, 11, 12, 13])
    names = numbering.names_from_numbers(
        template, draw, 3, day, "", lambda batch: {"K-08"} & set(batch)
    )
    assert names == ["K-07", "K-11", "K-12"]


def test_names_from_numbers_below_start_and_zero_count():
    template = numbering.parse_template("K-[[INCNUM,NONE,1,5]]")
    day = dt.date(2026, 1, 1)
    draw = _draw_from([1, 5, 6])
    assert numbering.names_from_numbers(
        template, draw, 1, day, "", lambda batch: ()
    ) == ["K-5"]
    assert numbering.names_from_numbers(template, draw, 0, day, "", set) == []


def test_names_from_numbers_too_many_taken():
    template = numbering.parse_template("K-[[INCNUM,NONE,1,1]]")
    draw = _draw_from(range(1, 10_000))
    with pytest.raises(TemplateError) as info:
        numbering.names_from_numbers(
            template, draw, 1, dt.date(2026, 1, 1), "", lambda batch: batch
        )
    assert info.value.code == "too_many_taken"
