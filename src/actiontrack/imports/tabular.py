"""Uploaded spreadsheets as a table of strings: CSV in the encodings and delimiters spreadsheets write, and XLSX.

Nothing in a file is ever evaluated: XLSX formulas give the value the spreadsheet saved with them
(or nothing), and CSV cells stay text. Every refusal is a `TableError` whose message is marked for
translation and filled in where it is shown: `error.translated(gettext)`.

A small file may describe a huge table (a declared dimension of a million rows, one long shared
string referenced in every cell), and a damaged one may fail anywhere in it. So the limits count
what the file expands to, row by row while it is read (rows, columns, characters per cell, size of
the whole table), an XLSX sheet is read cell by cell as present in the file (never the rectangle it
declares), and the importers call `read_upload`, which reads in a child process with a time and
memory limit: a file can cost a request its answer, never the server its other requests.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import resource
import signal
import subprocess
import sys
import weakref
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import anyio

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
    # The size of the table read (its JSON, as an upload is stored between the steps); None: twice the
    # file's limit, which a CSV within that limit never reaches but an XLSX of shared strings can.
    max_table_bytes: int | None = None
    max_seconds: float = 60  # reading in the child process, start-up included
    max_memory: int = 1_500_000_000  # the child process's address space

    @property
    def table_bytes(self) -> int:
        return self.max_table_bytes if self.max_table_bytes is not None else 2 * self.max_bytes


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


NOT_XLSX = N_("This is not an Excel (.xlsx) file; save it again as .xlsx or CSV.")
DAMAGED = N_("This Excel file is damaged and cannot be read; open it in Excel and save it again, or save it as CSV.")
NOT_A_TABLE = N_("The file cannot be read as a table; save it again as .xlsx or CSV.")
TOO_LARGE = N_("The file is larger than %(limit)s MB; split it into smaller files.")
TABLE_TOO_LARGE = N_("Once read, the file holds more than %(limit)s MB of text; split it into smaller files.")
TOO_SLOW = N_("Reading the file took longer than %(seconds)s seconds; split it into smaller files or save it as CSV.")
UNREADABLE = N_("The file could not be read within the memory allowed; split it into smaller files or save it as CSV.")


def read_table(data: bytes, *, filename: str = "", limits: Limits = Limits(), sheet: str | None = None) -> Table:
    """The table in an uploaded file: XLSX when it is a zip, CSV otherwise."""
    if not data:
        raise TableError(N_("The file is empty."))
    if len(data) > limits.max_bytes:
        raise TableError(TOO_LARGE, limit=_megabytes(limits.max_bytes))
    name = filename.lower()
    if data.startswith(_OLE_MAGIC) or name.endswith(".xls"):
        raise TableError(N_("Old .xls files cannot be read; save the file as .xlsx or CSV."))
    if data.startswith(_ZIP_MAGIC):
        return read_xlsx(data, limits=limits, sheet=sheet)
    if name.endswith((".xlsx", ".xlsm")):
        raise TableError(NOT_XLSX)
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
    """The first sheet (or the one named) of an XLSX file, with cached formula values only.

    Only the cells present in the sheet are visited, whatever `<dimension>` it declares; anything that
    goes wrong inside a workbook (a truncated part, a number that is not one, a shared string that is
    not there) is a `TableError`.
    """
    from openpyxl import load_workbook  # a large import, needed only for spreadsheets

    if len(data) > limits.max_bytes:
        raise TableError(TOO_LARGE, limit=_megabytes(limits.max_bytes))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise TableError(NOT_XLSX) from error
    if unpacked > limits.max_bytes * MAX_UNPACKED_RATIO:
        raise TableError(TOO_LARGE, limit=_megabytes(limits.max_bytes))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a zip that is not a workbook
        raise TableError(NOT_XLSX) from error
    try:
        names = list(workbook.sheetnames)
        if not names:
            raise TableError(NOT_XLSX)
        if sheet is not None and sheet not in names:
            raise TableError(N_("The file has no sheet named “%(sheet)s”."), sheet=sheet)
        chosen = sheet if sheet is not None else names[0]
        table = _table(_present_cells(workbook, workbook[chosen], limits), limits)
    except (TableError, MemoryError):
        raise
    except Exception as error:  # a damaged part may fail in as many ways as there are cell types
        raise TableError(DAMAGED) from error
    finally:
        workbook.close()
    table.kind, table.sheet, table.sheets = "xlsx", chosen, names
    return table


def _present_cells(workbook: Any, worksheet: Any, limits: Limits) -> Iterable[tuple[int, list[str]]]:
    """Each row present in a read-only sheet with its cells as text, gaps as empty cells.

    openpyxl's own `iter_rows` fills in every cell of the rectangle the sheet declares (a few kilobytes
    can declare A1:XFD1048576); its sheet parser, which `iter_rows` uses, yields only the cells there are.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    with workbook._archive.open(worksheet._worksheet_path) as source:
        parser = WorkSheetParser(source, worksheet._shared_strings, data_only=True, epoch=workbook.epoch,
                                 date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, cells in parser.parse():
            present: dict[int, str] = {}
            for cell in cells:
                text = _cell_text(cell["value"])
                if not text.strip():
                    continue
                if cell["column"] > limits.max_columns:
                    raise TableError(N_("Row %(row)s has more than %(limit)s columns."), row=number,
                                     limit=limits.max_columns)
                present[cell["column"]] = text
            if present:
                width = max(present)
                yield number, [present.get(column, "") for column in range(1, width + 1)]


def _table(records: Iterable[tuple[int, list[str]]], limits: Limits) -> Table:
    headers: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    overlong: list[int] = []
    size = 0  # of the table as JSON (`table_json`), counted row by row
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
            size = _json_size(headers)
            continue
        if len(rows) >= limits.max_rows:
            raise TableError(
                N_("The file has more than %(limit)s rows; split it into smaller files."), limit=limits.max_rows
            )
        if len(cells) > len(headers):
            overlong.append(number)
            cells = cells[: len(headers)]
        row = cells + [""] * (len(headers) - len(cells))
        # What this row adds to the stored table: its cells, its number, and a comma for each.
        size += _json_size(row) + 2 * len(str(number)) + 4
        if size > limits.table_bytes:
            raise TableError(TABLE_TOO_LARGE, limit=_megabytes(limits.table_bytes))
        rows.append(row)
        numbers.append(number)
    if headers is None:
        raise TableError(N_("The file is empty."))
    return Table(headers=headers, rows=rows, row_numbers=numbers, overlong_rows=overlong)


TABLE_JSON_OVERHEAD = 200  # what `table_json` adds to the cells and row numbers: keys, kind, encoding, delimiter


def _json_size(cells: list[str]) -> int:
    return len(json.dumps(cells, ensure_ascii=False, separators=(",", ":")).encode())


def table_json(table: Table) -> bytes:
    """A table as compact JSON: how the child process hands it over and how an upload waits between steps.

    For a table `read_table` gave, at most `Limits.table_bytes` plus `TABLE_JSON_OVERHEAD` and the sheets' names.
    """
    return json.dumps({"headers": table.headers, "rows": table.rows, "row_numbers": table.row_numbers,
                       "overlong_rows": table.overlong_rows, "kind": table.kind, "encoding": table.encoding,
                       "delimiter": table.delimiter, "sheet": table.sheet, "sheets": table.sheets},
                      ensure_ascii=False, separators=(",", ":")).encode()


def table_from_json(content: bytes) -> Table:
    stored = json.loads(content)
    return Table(headers=stored["headers"], rows=stored["rows"], row_numbers=stored["row_numbers"],
                 overlong_rows=stored["overlong_rows"], kind=stored["kind"], encoding=stored.get("encoding"),
                 delimiter=stored.get("delimiter"), sheet=stored.get("sheet"), sheets=stored.get("sheets") or [])


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


# --- reading in a child process ------------------------------------------------------------------

# Where the child finds this package, whatever the parent's working directory.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
# Files read at once per worker process (each child may take `Limits.max_memory`); more wait their turn.
READERS_AT_ONCE = 2
_readers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = weakref.WeakKeyDictionary()


def _limiter() -> anyio.CapacityLimiter:
    """This event loop's limit on children (a limiter belongs to the loop that made it)."""
    loop = asyncio.get_running_loop()
    if loop not in _readers:
        _readers[loop] = anyio.CapacityLimiter(READERS_AT_ONCE)
    return _readers[loop]


async def read_upload(data: bytes, *, filename: str = "", limits: Limits = Limits(), sheet: str | None = None) -> Table:
    """`read_table` in a child process that is killed after `limits.max_seconds` or beyond `limits.max_memory`.

    The request that uploads waits for it in a worker thread; the event loop and the other requests do not.
    """
    if not data:
        raise TableError(N_("The file is empty."))
    if len(data) > limits.max_bytes:
        raise TableError(TOO_LARGE, limit=_megabytes(limits.max_bytes))
    request = {"filename": filename, "sheet": sheet, "limits": {
        "max_bytes": limits.max_bytes, "max_rows": limits.max_rows, "max_columns": limits.max_columns,
        "max_cell_chars": limits.max_cell_chars, "max_table_bytes": limits.table_bytes,
        "max_seconds": limits.max_seconds, "max_memory": limits.max_memory}}
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [_PACKAGE_ROOT, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])}

    def run() -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(  # our own module, run by the interpreter that runs us
            [sys.executable, "-m", "actiontrack.imports.tabular"], input=json.dumps(request).encode() + b"\n" + data,
            capture_output=True, timeout=limits.max_seconds, env=environment, check=False)

    try:
        # abandon_on_cancel: a request given up on does not wait; subprocess.run still kills the child in time.
        finished = await anyio.to_thread.run_sync(run, abandon_on_cancel=True, limiter=_limiter())
    except subprocess.TimeoutExpired as error:  # subprocess.run has killed the child
        raise TableError(TOO_SLOW, seconds=f"{limits.max_seconds:g}") from error
    if finished.returncode == -signal.SIGXCPU:  # the child's own CPU limit, when the machine is slower than its clock
        raise TableError(TOO_SLOW, seconds=f"{limits.max_seconds:g}")
    if finished.returncode != 0 or not finished.stdout:
        raise TableError(UNREADABLE)
    kind, _, payload = finished.stdout.partition(b"\n")
    if kind == b"error":
        answer = json.loads(payload)
        raise TableError(answer["message"], **answer["params"])
    return await anyio.to_thread.run_sync(table_from_json, payload)


def _child() -> None:
    """Read the request and the file from stdin, answer `table` or `error` and its JSON on stdout."""
    # Loaded before the memory limit, which is then the file's alone.
    import openpyxl.reader.excel
    import openpyxl.worksheet._reader  # noqa: F401

    header = sys.stdin.buffer.readline()
    request = json.loads(header)
    limits = Limits(**request["limits"])
    # The child's own bounds, in case the parent's clock does not get to it first: CPU seconds and memory.
    seconds = int(limits.max_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory, limits.max_memory))
    data = sys.stdin.buffer.read()
    try:
        table = read_table(data, filename=request["filename"], limits=limits, sheet=request["sheet"])
    except TableError as error:
        if _out_of_memory(error.__cause__):
            sys.exit(1)
        answer = b"error\n" + json.dumps({"message": error.message, "params": error.params}).encode()
    except Exception as error:  # a reader's bug on a strange file is still the file's refusal, not a server error
        if _out_of_memory(error):
            sys.exit(1)
        answer = b"error\n" + json.dumps({"message": NOT_A_TABLE, "params": {}}).encode()
    else:
        answer = b"table\n" + table_json(table)
    sys.stdout.buffer.write(answer)
    sys.stdout.buffer.flush()


def _out_of_memory(error: BaseException | None) -> bool:
    """Whether an error comes from the memory limit: C extensions report a failed allocation in other words."""
    while error is not None:
        if isinstance(error, MemoryError | SystemError):
            return True
        error = error.__cause__ or error.__context__
    return False


if __name__ == "__main__":
    _child()
