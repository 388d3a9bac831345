"""Uploaded spreadsheets as a table of strings: CSV in the encodings and delimiters spreadsheets write, and XLSX.

Nothing in a file is ever evaluated: XLSX formulas give the value the spreadsheet saved with them
(or nothing), and CSV cells stay text. Every refusal is a `TableError` whose message is marked for
translation and filled in where it is shown: `error.translated(gettext)`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from actiontrack.i18n import N_

MEGABYTE = 1_000_000  # as people count file sizes (and ACTIONTRACK_IMPORT_MAX_BYTES: 10 MB = 10,000,000)
# An XLSX is a zip of XML; a small file may unpack into a huge one. Refuse what unpacks beyond this
# multiple of the size limit before any XML is read.
MAX_UNPACKED_RATIO = 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and other Office 97 files)
_DELIMITERS = (";", ",", "\t")
_SAMPLE_CHARS = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of a file the reader accepts."""

    max_bytes: int = 10 * MEGABYTE
    max_rows: int = 20_000
    max_columns: int = 200
    max_cell_chars: int = 10_000


@dataclass
class Table:
    """The header row and the data rows of a file, every cell a stripped string, every row as wide as the header.

    `row_numbers[i]` is where `rows[i]` sits in the file (the row number a spreadsheet shows, the header
    being the first non-blank one); `overlong_rows` lists the row numbers that had filled cells beyond the
    last header (those cells are dropped, so the caller can report them).
    """

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int] = field(default_factory=list)
    overlong_rows: list[int] = field(default_factory=list)
    kind: Literal["csv", "xlsx"] = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)

    def column(self, index: int) -> list[str]:
        """Every data row's cell in one column."""
        return [row[index] for row in self.rows]


class TableError(ValueError):
    """A file that cannot be read as a table; `message` is marked for translation, `params` fill it in."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of `gettext`."""
        text = gettext(self.message)
        return text % self.params if self.params else text


def read_table(data: bytes, *, filename: str = "", limits: Limits = Limits(), sheet: str | None = None) -> Table:
    """The table in an uploaded file: XLSX when it is a zip, CSV otherwise."""
    if not data:
        raise TableError(N_("The file is empty."))
    if len(data) > limits.max_bytes:
        raise TableError(
            N_("The file is larger than %(limit)s MB; split it into smaller files."),
            limit=_megabytes(limits.max_bytes),
        )
    name = filename.lower()
    if data.startswith(_OLE_MAGIC) or name.endswith(".xls"):
        raise TableError(N_("Old .xls files cannot be read; save the file as .xlsx or CSV."))
    if data.startswith(_ZIP_MAGIC):
        return read_xlsx(data, limits=limits, sheet=sheet)
    if name.endswith((".xlsx", ".xlsm")):
        raise TableError(N_("This is not an Excel (.xlsx) file; save it again as .xlsx or CSV."))
    return read_csv(data, limits=limits)


def read_csv(data: bytes, *, limits: Limits = Limits()) -> Table:
    """A CSV file in UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252, delimited by ; , or tab."""
    text, encoding = _decode(data)
    if "\x00" in text:
        raise TableError(N_("This is not a CSV or Excel file."))
    delimiter = _delimiter(text[:_SAMPLE_CHARS])
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)
    try:
        table = _table(((number, record) for number, record in enumerate(records, start=1)), limits)
    except csv.Error as error:  # e.g. a field larger than the csv module's own limit
        raise TableError(N_("The CSV file cannot be read: %(reason)s"), reason=str(error)) from error
    table.kind, table.encoding, table.delimiter = "csv", encoding, delimiter
    return table


def read_xlsx(data: bytes, *, limits: Limits = Limits(), sheet: str | None = None) -> Table:
    """The first sheet (or the one named) of an XLSX file, with cached formula values only."""
    from openpyxl import load_workbook  # a large import, needed only for spreadsheets

    if len(data) > limits.max_bytes:
        raise TableError(
            N_("The file is larger than %(limit)s MB; split it into smaller files."),
            limit=_megabytes(limits.max_bytes),
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise TableError(N_("This is not an Excel (.xlsx) file; save it again as .xlsx or CSV.")) from error
    if unpacked > limits.max_bytes * MAX_UNPACKED_RATIO:
        raise TableError(
            N_("The file is larger than %(limit)s MB; split it into smaller files."),
            limit=_megabytes(limits.max_bytes),
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a zip that is not a workbook
        raise TableError(N_("This is not an Excel (.xlsx) file; save it again as .xlsx or CSV.")) from error
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            raise TableError(N_("The file has no sheet named “%(sheet)s”."), sheet=sheet)
        chosen = sheet if sheet is not None else names[0]
        rows = workbook[chosen].iter_rows(values_only=True)
        table = _table(
            ((number, [_cell_text(value) for value in values]) for number, values in enumerate(rows, start=1)),
            limits,
        )
    finally:
        workbook.close()
    table.kind, table.sheet, table.sheets = "xlsx", chosen, names
    return table


def _table(records: Iterable[tuple[int, list[str]]], limits: Limits) -> Table:
    headers: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    overlong: list[int] = []
    for number, record in records:
        cells = [cell.strip() for cell in record]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue  # blank lines, also between the header and the data
        if len(cells) > limits.max_columns:
            raise TableError(
                N_("Row %(row)s has more than %(limit)s columns."), row=number, limit=limits.max_columns
            )
        for cell in cells:
            if len(cell) > limits.max_cell_chars:
                raise TableError(
                    N_("A cell in row %(row)s is longer than %(limit)s characters."),
                    row=number,
                    limit=limits.max_cell_chars,
                )
        if headers is None:
            headers = [cell.lstrip("\ufeff") for cell in cells]
            continue
        if len(rows) >= limits.max_rows:
            raise TableError(
                N_("The file has more than %(limit)s rows; split it into smaller files."), limit=limits.max_rows
            )
        if len(cells) > len(headers):
            overlong.append(number)
            cells = cells[: len(headers)]
        rows.append(cells + [""] * (len(headers) - len(cells)))
        numbers.append(number)
    if headers is None:
        raise TableError(N_("The file is empty."))
    return Table(headers=headers, rows=rows, row_numbers=numbers, overlong_rows=overlong)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise TableError(N_("The file's text encoding is not readable; save it as CSV UTF-8.")) from error
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Five bytes have no meaning in Windows-1252; Latin-1 reads every byte.
        return data.decode("latin-1"), "latin-1"


def _delimiter(sample: str) -> str:
    """The delimiter that splits the sample's records most consistently into the most columns.

    csv.Sniffer alone guesses "," for a ";" file whose free text holds commas; it only breaks ties here.
    """
    cut = sample.rfind("\n")
    sample = sample[: cut + 1] if cut > 0 else sample
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None

    def score(delimiter: str) -> tuple[int, int, bool]:
        records = [record for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter) if record]
        if not records or len(records[0]) < 2:
            return (0, 0, delimiter == sniffed)
        width = len(records[0])
        return (sum(len(record) == width for record in records), width, delimiter == sniffed)

    best = max(_DELIMITERS, key=score)
    return best if score(best)[1] else (sniffed or ",")


def _cell_text(value: object) -> str:
    """A spreadsheet value as text: ISO dates, whole numbers without .0, empty for no value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _megabytes(size: int) -> str:
    return f"{round(size / MEGABYTE, 1):g}"
