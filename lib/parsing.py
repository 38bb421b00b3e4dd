# Copyright 2026 Serial Tracking Founders
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reading serial numbers from pasted text and uploaded files, writing sheets.

Pure functions used by the serial entry wizard, the purchase bulk
import and the exports. ``openpyxl`` is imported lazily, only when an
``.xlsx`` file is read or written.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import SerialInputError
from .names import normalize

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# Physical rows read (blank ones included): Excel's own limit.
MAX_PHYSICAL_ROWS = 1_048_576
# Sum of the uncompressed sizes of the parts of an .xlsx (zip bomb guard).
MAX_XLSX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024

SERIAL_FILE_TYPES = (".xlsx", ".csv", ".txt")
TABLE_FILE_TYPES = (".xlsx", ".csv")

# Header cells that name the serial column (compared after _header_key()).
SERIAL_HEADERS = frozenset(
    {
        "serial",
        "serials",
        "serial number",
        "serial numbers",
        "serial no",
        "serial no.",
        "serial #",
        "lot/serial number",
        "lot/serial numbers",
        "lot/serial",
        "lot number",
        "name",
        "sn",
        "s/n",
        # the same in the languages Odoo users export sheets in most
        "seriennummer",
        "seriennummern",
        "serienummer",
        "numéro de série",
        "numero de serie",
        "n° de série",
        "número de serie",
        "numero de série",
        "numero di serie",
        "número de série",
        "lot/numéro de série",
        "los/seriennummer",
    }
)

# Not GS (\x1d): inside a scanned GS1 code it separates fields, not serials.
_LINE_BREAKS = "\n\r\v\f\x1c\x1e\x85\u2028\u2029"
_STRONG_SEPARATORS = re.compile("[" + re.escape(_LINE_BREAKS + "\t;") + "]")
_CSV_DELIMITERS = ("\t", ";", ",")
_SNIFF_ROWS = 50
# Excel runs a cell as a formula when it starts with one of these
# (fullwidth variants included: some Excel locales accept them too).
_FORMULA_PREFIXES = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)


# ---------------------------------------------------------------- pasted text


def split_pasted(text: str) -> list[str]:
    """Split pasted text into normalized serial names, dropping empty items.

    Separators: line breaks (``\\n``, ``\\r\\n``, ``\\r`` and the other Unicode
    line breaks), tab and semicolon, always. The comma separates names ONLY when
    the text contains none of those: a comma is an allowed serial character,
    and a spreadsheet column (or a multi-column selection) pastes as lines and
    tabs, so ``"SN,1\\nSN,2"`` is two names but ``"SN1,SN2,SN3"`` is three.
    """
    if not text:
        return []
    if _STRONG_SEPARATORS.search(text):
        parts = _STRONG_SEPARATORS.split(text)
    else:
        parts = text.split(",")
    return [name for name in map(normalize, parts) if name]


def dedupe(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Remove repeated names.

    Returns ``(unique, duplicates)``: the unique names in first-seen order, and
    each name that occurred more than once, listed once, in the order its first
    repetition was met.
    """
    names = names if isinstance(names, list) else list(names)
    unique = list(dict.fromkeys(names))
    if len(unique) == len(names):
        return unique, []
    seen: set[str] = set()
    duplicates: dict[str, None] = {}
    for name in names:
        if name in seen:
            duplicates[name] = None
        else:
            seen.add(name)
    return unique, list(duplicates)


# ---------------------------------------------------------------- files: common


def _extension(filename: str | None) -> str:
    return os.path.splitext(filename or "")[1].lower()


def _check_upload(filename: str | None, data: bytes, allowed: Sequence[str]) -> str:
    """Validate extension and size; return the lower-case extension."""
    ext = _extension(filename)
    if ext not in allowed:
        kinds = allowed[-1]
        if len(allowed) > 1:
            kinds = ", ".join(allowed[:-1]) + " or " + kinds
        raise SerialInputError(
            f'The file "{filename or ""}" is not supported: use a {kinds} file.',
            code="bad_extension",
            filename=filename,
            allowed=tuple(allowed),
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise SerialInputError(
            f'The file "{filename}" is too big ({len(data) / 1048576:.1f} MB); '
            f"the limit is {MAX_UPLOAD_BYTES // 1048576} MB.",
            code="too_big",
            subcode="upload",
            filename=filename,
            size=len(data),
            limit=MAX_UPLOAD_BYTES,
        )
    return ext


def _bad_file(filename: str | None, ext: str, detail: str = "") -> SerialInputError:
    extra = f" ({detail})" if detail else ""
    return SerialInputError(
        f'The file "{filename}" is not a valid {ext} file{extra}.',
        code="bad_file",
        filename=filename,
        extension=ext,
        detail=detail,
    )


def _too_many_rows(filename: str | None, limit: int) -> SerialInputError:
    return SerialInputError(
        f'The file "{filename}" has more than {limit:,} rows; '
        "split it into smaller files.",
        code="too_many_rows",
        filename=filename,
        limit=limit,
    )


def decode_text(data: bytes, filename: str | None = None) -> str:
    """Decode uploaded text: UTF-16 (with BOM), UTF-8 (BOM optional), else
    Windows-1252, else Latin-1. Refuses binary content (NUL characters).
    """
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    text = data.decode("latin-1")
    except UnicodeDecodeError as exc:
        raise SerialInputError(
            f'The file "{filename}" is not readable text.',
            code="bad_encoding",
            subcode="undecodable",
            filename=filename,
        ) from exc
    if "\x00" in text:
        raise SerialInputError(
            f'The file "{filename}" is not a text file.',
            code="bad_encoding",
            subcode="binary",
            filename=filename,
        )
    return text


def cell_text(value: Any) -> str:
    """Text of a spreadsheet cell, normalized; ``""`` for an empty cell.

    Integral floats lose their ``.0`` (``1234.0`` -> ``"1234"``), dates become
    ISO text (``2026-11-05``, or ``2026-11-05 08:30:00`` with a time).
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return normalize(str(value))


def _header_key(value: Any) -> str:
    """Comparable form of a header cell: case-folded, spaces collapsed."""
    return " ".join(cell_text(value).replace("_", " ").split()).casefold()


def _sniff_delimiter(text: str) -> str:
    """Pick the CSV delimiter among tab, semicolon and comma.

    The winner splits the most of the first rows into several fields (quotes
    respected); ties go to tab, then semicolon, then comma (the default).
    """
    best, best_score = ",", 0
    for delimiter in _CSV_DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        score = 0
        try:
            for index, row in enumerate(reader):
                if index >= _SNIFF_ROWS:
                    break
                score += len(row) > 1
        except csv.Error:
            continue
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(filename: str | None, data: bytes) -> Iterator[list[str]]:
    """Yield the records of an uploaded CSV file."""
    text = decode_text(data, filename)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text[:65536])
    )
    try:
        yield from reader
    except csv.Error as exc:
        raise _bad_file(filename, ".csv", str(exc)) from exc


def _check_xlsx_archive(filename: str | None, data: bytes) -> None:
    """Refuse what is not a zip archive or would inflate to a huge size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise _bad_file(filename, ".xlsx") from exc
    if inflated > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise SerialInputError(
            f'The file "{filename}" is too big once uncompressed.',
            code="too_big",
            subcode="uncompressed",
            filename=filename,
            size=inflated,
            limit=MAX_XLSX_UNCOMPRESSED_BYTES,
        )


def _xlsx_rows(filename: str | None, data: bytes) -> Iterator[tuple]:
    """Yield the rows (tuples of values) of the first sheet of an .xlsx file."""
    _check_xlsx_archive(filename, data)
    import openpyxl  # lazy: only needed for .xlsx

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise _bad_file(filename, ".xlsx") from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # The stored dimension may be wrong (some generators write "A1"):
        # read every row and cell actually present instead.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(min_row=1, values_only=True)
    except Exception as exc:  # corrupt sheet XML is only seen while reading
        raise _bad_file(filename, ".xlsx") from exc
    finally:
        workbook.close()


def _rows(filename: str | None, data: bytes, ext: str) -> Iterator[Sequence[Any]]:
    """Rows of an uploaded sheet (.csv or .xlsx), at most MAX_PHYSICAL_ROWS."""
    rows = _xlsx_rows(filename, data) if ext == ".xlsx" else _csv_rows(filename, data)
    for index, row in enumerate(rows):
        if index >= MAX_PHYSICAL_ROWS:
            raise _too_many_rows(filename, MAX_PHYSICAL_ROWS)
        yield row


def _is_blank(row: Sequence[Any]) -> bool:
    return not any(cell_text(value) for value in row)


# ---------------------------------------------------------------- serial files


@dataclass(frozen=True)
class SerialFile:
    """What :func:`read_serial_file_details` read: the names, and where from.

    ``column`` is the 0-based column the names were read from (None for a
    ``.txt`` file), ``header`` the text of its header cell (None when the
    file has no header row).
    """

    names: list[str]
    column: int | None = None
    header: str | None = None

    @property
    def column_letter(self) -> str | None:
        """The column as a spreadsheet shows it (``A``, ``B``, ... ``AA``)."""
        if self.column is None:
            return None
        letters, number = "", self.column + 1
        while number:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("A") + rest) + letters
        return letters

    def describe(self) -> str:
        """English note saying which column was read, e.g. ``column B
        ("Serial Number")``; empty for a ``.txt`` file."""
        if self.column is None:
            return ""
        if self.header:
            return f'column {self.column_letter} ("{self.header}")'
        return f"column {self.column_letter} (no header row)"


def read_serial_file(filename: str, data: bytes) -> list[str]:
    """Read serial names from an uploaded ``.xlsx``, ``.csv`` or ``.txt`` file
    (the names of :func:`read_serial_file_details`)."""
    return read_serial_file_details(filename, data).names


def read_serial_file_details(filename: str, data: bytes) -> SerialFile:
    """Read serial names from an uploaded ``.xlsx``, ``.csv`` or ``.txt`` file,
    and say which column they came from.

    * The extension decides the format (case-insensitive); any other type, a
      file over ``MAX_UPLOAD_BYTES`` or with more than ``MAX_ROWS`` serials
      raises :class:`SerialInputError`, as does a corrupt file.
    * ``.txt``: decoded (UTF-8 with or without BOM, UTF-16 with BOM, else
      Windows-1252/Latin-1) and split like pasted text (:func:`split_pasted`).
    * ``.csv`` (delimiter sniffed among ``,`` ``;`` tab) and ``.xlsx`` (first
      sheet, cached formula values): the first non-blank row is a header if
      one of its cells is a serial header (``serial``, ``serial number``,
      ``lot/serial number``, ``name``, ``Seriennummer``...; case-insensitive),
      and that column is read below it. A first row that looks like a header
      (no digit in any cell, while the values below have digits) but names no
      serial column is skipped when the file has a single column, and refused
      (``code`` = ``"unknown_columns"``) when it has several: which one holds
      the serials cannot be told. A file without a header row is read from
      the column of the first non-empty cell. Empty cells are skipped.

    Names are normalized (:func:`names.normalize`); duplicates are kept (see
    :func:`dedupe`).
    """
    ext = _check_upload(filename, data, SERIAL_FILE_TYPES)
    if ext == ".txt":
        names = split_pasted(decode_text(data, filename))
        if len(names) > MAX_ROWS:
            raise _too_many_rows(filename, MAX_ROWS)
        return SerialFile(names)
    return _serial_column(filename, _rows(filename, data, ext))


def _has_digit(text: str) -> bool:
    return any(char.isdigit() for char in text)


def _serial_column(filename: str, rows: Iterator[Sequence[Any]]) -> SerialFile:
    """Collect the serial column of ``rows`` (see :func:`read_serial_file`)."""
    rows = iter(rows)
    first = None
    for row in rows:
        if not _is_blank(row):
            first = row
            break
    if first is None:
        return SerialFile([])
    cells = [cell_text(value) for value in first]
    keys = [_header_key(value) for value in first]
    header = next((i for i, k in enumerate(keys) if k in SERIAL_HEADERS), None)
    if header is not None:
        return SerialFile(_read_column(filename, rows, header), header, cells[header])
    filled = [i for i, text in enumerate(cells) if text]
    if any(_has_digit(cells[i]) for i in filled):
        # data from the first row on
        column = filled[0]
        return SerialFile(_read_column(filename, rows, column, cells[column]), column)
    # The first row has no digit: a header row in another wording, or serials
    # made of letters only. The values below it tell.
    rest = list(rows)
    used = set(filled)
    below_digits = False
    for row in rest:
        for index, value in enumerate(row):
            text = cell_text(value)
            if text:
                used.add(index)
                below_digits = below_digits or _has_digit(text)
    column = filled[0]
    if not below_digits:
        names = _read_column(filename, iter(rest), column, cells[column])
        return SerialFile(names, column)
    if len(used) == 1:
        return SerialFile(
            _read_column(filename, iter(rest), column), column, cells[column]
        )
    found = [text for text in cells if text]
    raise SerialInputError(
        f'The file "{filename}" has several columns and none of its headers '
        f"({_quoted(found)}) names the serial numbers: head the serial column "
        '"Serial Number" (or "Serial", "Lot/Serial Number"), or upload a file '
        "with that column only.",
        code="unknown_columns",
        filename=filename,
        found=tuple(found),
    )


def _read_column(
    filename: str, rows: Iterator[Sequence[Any]], column: int, first: str = ""
) -> list[str]:
    """The non-empty cells of ``column`` in ``rows``, after ``first`` if any."""
    names: list[str] = [first] if first else []
    for row in rows:
        if column < len(row):
            name = cell_text(row[column])
            if name:
                names.append(name)
                if len(names) > MAX_ROWS:
                    raise _too_many_rows(filename, MAX_ROWS)
    return names


# ---------------------------------------------------------------- tables


def read_table(filename: str, data: bytes, columns: Sequence[str]) -> list[dict]:
    """Read a sheet with a header row (``.xlsx`` or ``.csv``) into dicts.

    The first non-blank row is the header; its cells are matched to
    ``columns`` case-insensitively after stripping (other columns are ignored).
    A missing column raises :class:`SerialInputError` (``code`` =
    ``"missing_columns"``, ``data["missing"]``, ``data["found"]``).
    Each returned dict maps every name of ``columns`` (as given) to the
    normalized cell text (``""`` when empty) and ``"_row"`` to the row number
    as the spreadsheet shows it (1-based, header included). Rows whose
    requested cells are all empty are skipped. At most ``MAX_ROWS`` rows.
    """
    ext = _check_upload(filename, data, TABLE_FILE_TYPES)
    positions: dict[str, int] | None = None
    result: list[dict] = []
    for number, row in enumerate(_rows(filename, data, ext), start=1):
        if positions is None:
            if not _is_blank(row):
                positions = _match_columns(filename, row, columns)
            continue
        record: dict[str, Any] = {
            col: cell_text(row[pos]) if pos < len(row) else ""
            for col, pos in positions.items()
        }
        if not any(record.values()):
            continue
        record["_row"] = number
        result.append(record)
        if len(result) > MAX_ROWS:
            raise _too_many_rows(filename, MAX_ROWS)
    if positions is None:
        _match_columns(filename, (), columns)
    return result


def _match_columns(
    filename: str, header: Sequence[Any], columns: Sequence[str]
) -> dict[str, int]:
    """Map each wanted column to its index in ``header`` or raise."""
    found = [cell_text(value) for value in header]
    index: dict[str, int] = {}
    for position, title in enumerate(found):
        if title:
            index.setdefault(title.casefold(), position)
    missing = [col for col in columns if col.strip().casefold() not in index]
    if missing:
        found_titles = [title for title in found if title]
        raise SerialInputError(
            f'The file "{filename}" lacks the column(s) '
            f"{_quoted(missing)}. Columns found: {_quoted(found_titles) or 'none'}. "
            f"Expected: {_quoted(columns)}.",
            code="missing_columns",
            filename=filename,
            missing=tuple(missing),
            found=tuple(found_titles),
            expected=tuple(columns),
        )
    return {col: index[col.strip().casefold()] for col in columns}


def _quoted(items: Iterable[str]) -> str:
    return ", ".join(f'"{item}"' for item in items)


# ---------------------------------------------------------------- writing


def safe_cell(value: Any) -> Any:
    """Make a value safe to export to a spreadsheet (formula injection).

    Text starting with ``=``, ``+``, ``-``, ``@``, tab, CR, LF (or a fullwidth
    ``＝ ＋ － ＠``) gets a leading apostrophe (``"=1+1"`` -> ``"'=1+1"``), so
    that Excel/LibreOffice show it instead of running it. Other values are
    returned unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _row_values(row: Sequence[Any] | Mapping[str, Any], columns: Sequence[str]):
    if isinstance(row, Mapping):
        return [safe_cell(row.get(col)) for col in columns]
    return [safe_cell(value) for value in row]


def write_csv(columns: Sequence[str], rows: Iterable[Any] = ()) -> bytes:
    """CSV bytes (UTF-8 with BOM, comma, CRLF) with a header and ``rows``.

    A row is a sequence (positional) or a mapping keyed by column name. Every
    value goes through :func:`safe_cell`.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(col) for col in columns])
    for row in rows:
        writer.writerow(["" if v is None else v for v in _row_values(row, columns)])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(
    columns: Sequence[str], rows: Iterable[Any] = (), sheet_title: str = "Serials"
) -> bytes:
    """In-memory ``.xlsx`` bytes: a bold, frozen header row and ``rows``.

    Rows as in :func:`write_csv`. Text cells use the Text number format so that
    values typed later (``0001``) stay text; every value goes through
    :func:`safe_cell`, so nothing is ever written as a formula.
    """
    return write_xlsx_sheets([(sheet_title, columns, rows)])


def write_xlsx_sheets(
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Any]]],
) -> bytes:
    """In-memory ``.xlsx`` bytes of several sheets, in order: each
    ``(title, columns, rows)`` written as :func:`write_xlsx` writes its one."""
    import openpyxl  # lazy

    workbook = openpyxl.Workbook()
    for index, (title, columns, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title[:31]
        _fill_sheet(sheet, columns, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet, columns: Sequence[str], rows: Iterable[Any]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.append([safe_cell(col) for col in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(col)) for col in columns]
    for row in rows:
        values = _row_values(row, columns)
        sheet.append(values)
        for index, value in enumerate(values[: len(widths)]):
            widths[index] = max(widths[index], len(str(value or "")))
    for index, width in enumerate(widths, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = min(max(width + 2, 12), 60)
        dimension.number_format = "@"
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    sheet.freeze_panes = "A2"


def write_template_csv(
    columns: Sequence[str], example_rows: Iterable[Any] = ()
) -> bytes:
    """Downloadable CSV import template: header row plus optional examples."""
    return write_csv(columns, example_rows)


def write_template_xlsx(
    columns: Sequence[str], example_rows: Iterable[Any] = ()
) -> bytes:
    """Downloadable ``.xlsx`` import template: header row plus example rows."""
    return write_xlsx(columns, example_rows, sheet_title="Import")
