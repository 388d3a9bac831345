"""Three ways to read an XLSX, on a normal export and on hostile files: time, peak memory, outcome.

- `openpyxl iter_rows`: how the importers read before issue 23 (read-only mode, `iter_rows`), which
  walks the rectangle a sheet declares and gives shared strings as often as cells use them;
- `actiontrack`: `imports.tabular.read_table` as the importers run it now (openpyxl's sheet parser, the
  cells present only, limits counted row by row), without the child process around it;
- `python-calamine`: the Rust reader, which reads only present cells but builds the rectangle between
  the first and the last one in memory before Python sees a row.

Each read runs in its own process with a wall-clock limit and an address-space limit, so a reader that
runs away is stopped and reported (`killed`, `out of memory`) instead of taking the machine.
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook

from bench.imports import HEADERS, export_rows

READERS = ("openpyxl iter_rows", "actiontrack", "python-calamine")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook(rows: str, *, shared: tuple[str, ...], dimension: str | None = None) -> bytes:
    """An XLSX written part by part, as a hostile file is: `rows` are the sheet's <row> elements."""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET}.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (f'<Relationships xmlns="{PACKAGE}">'
                        f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" '
                        'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
                            '<sheets><sheet name="Blad1" sheetId="1" '
                            'r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
            f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (f'<worksheet xmlns="{MAIN}">'
                                     + (f'<dimension ref="{dimension}"/>' if dimension else "")
                                     + f"<sheetData>{rows}</sheetData></worksheet>"),
        "xl/sharedStrings.xml": (f'<sst xmlns="{MAIN}">' + "".join(f"<si><t>{text}</t></si>" for text in shared)
                                 + "</sst>"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + part)
    return buffer.getvalue()


def normal_export(rows: int) -> bytes:
    """The bench's Microsoft Forms export, saved as Excel saves it (shared strings)."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in export_rows(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def declared(last: str) -> bytes:
    """A cell in A1 and one in A10000, under a declared dimension of A1:`last`."""
    return workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                    '<row r="10000"><c r="A10000" t="s"><v>0</v></c></row>',
                    shared=("Afdeling",), dimension=f"A1:{last}")


def far_apart(last: str) -> bytes:
    """Two cells present: A1 and `last` (no dimension declared)."""
    row = last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                    f'<row r="{row}"><c r="{last}" t="s"><v>0</v></c></row>',
                    shared=("Afdeling",))


def shared_strings(rows: int = 2_000, columns: int = 5, length: int = 9_999) -> bytes:
    """Every cell the same shared string of `length` characters (issue 23: 35 KB that read as 100 MB)."""
    letters = "ABCDEFGHIJ"
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{letters[c]}{r}" t="s"><v>0</v></c>' for c in range(columns))
                   + "</row>" for r in range(1, rows + 1))
    return workbook(body, shared=("x" * length,))


def files(rows: int) -> dict[str, bytes]:
    return {
        f"normal export, {rows:,} rows": normal_export(rows),
        "declared A1:XFD10000": declared("XFD10000"),
        "declared A1:XFD1048576": declared("XFD1048576"),
        "shared string 2,000 x 5 x 9,999": shared_strings(),
        "cells at A1 and ZZ20000": far_apart("ZZ20000"),
        "cells at A1 and XFD10000": far_apart("XFD10000"),
    }


_CHILD = """
import io, json, sys, time
reader, data = sys.argv[1], sys.stdin.buffer.read()
# Each reader's modules are loaded before the clock starts: the figures are reading alone.
if reader == "openpyxl iter_rows":
    from openpyxl import load_workbook
elif reader == "python-calamine":
    from python_calamine import CalamineWorkbook
else:
    from actiontrack.imports.tabular import TableError, read_table
    import openpyxl.reader.excel, openpyxl.worksheet._reader
began = time.perf_counter()
cells = characters = 0
outcome = "read"
try:
    if reader == "openpyxl iter_rows":
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for row in book[book.sheetnames[0]].iter_rows(values_only=True):
            for value in row:
                if value is not None:
                    cells += 1
                    characters += len(str(value))
    elif reader == "python-calamine":
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for row in book.get_sheet_by_index(0).iter_rows():
            for value in row:
                if value != "":
                    cells += 1
                    characters += len(str(value))
    else:
        try:
            table = read_table(data, filename="bench.xlsx")
            for row in [table.headers, *table.rows]:
                cells += sum(1 for value in row if value)
                characters += sum(len(value) for value in row)
        except TableError as error:
            outcome = "refused: " + str(error)[:60]
except MemoryError:
    outcome = "out of memory"
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would report the bench's own peak.
peak = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"seconds": time.perf_counter() - began, "cells": cells, "characters": characters,
                  "outcome": outcome, "peak_mb": peak}))
"""


@dataclass
class Reading:
    file: str
    size: int
    reader: str
    seconds: float | None
    peak_mb: float | None
    cells: int | None
    characters: int | None
    outcome: str


def _limit_memory(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def read_once(name: str, data: bytes, reader: str, *, seconds: float, memory: int) -> Reading:
    try:
        finished = subprocess.run([sys.executable, "-c", _CHILD, reader], input=data, capture_output=True,
                                  timeout=seconds, preexec_fn=lambda: _limit_memory(memory), check=False)
    except subprocess.TimeoutExpired:
        return Reading(name, len(data), reader, None, None, None, None, f"killed after {seconds:g} s")
    if finished.returncode != 0:
        last = (finished.stderr.decode(errors="replace").strip().splitlines() or ["?"])[-1]
        outcome = "out of memory (aborted)" if finished.returncode < 0 else f"failed: {last[:60]}"
        return Reading(name, len(data), reader, None, None, None, None, outcome)
    result = json.loads(finished.stdout)
    return Reading(name, len(data), reader, result["seconds"], result["peak_mb"], result["cells"],
                   result["characters"], result["outcome"])


def measure_xlsx(*, rows: int, seconds: float, memory: int) -> list[Reading]:
    return [read_once(name, data, reader, seconds=seconds, memory=memory)
            for name, data in files(rows).items() for reader in READERS]


def report_xlsx(readings: list[Reading]) -> None:
    print(f"{'file':<34}{'bytes':>9}  {'reader':<20}{'seconds':>8}{'peak MB':>9}{'cells':>9}"
          f"{'characters':>12}  outcome")
    for item in readings:
        seconds = f"{item.seconds:.2f}" if item.seconds is not None else "-"
        peak = f"{item.peak_mb:.0f}" if item.peak_mb is not None else "-"
        cells = f"{item.cells:,}" if item.cells is not None else "-"
        characters = f"{item.characters:,}" if item.characters is not None else "-"
        print(f"{item.file:<34}{item.size:>9,}  {item.reader:<20}{seconds:>8}{peak:>9}{cells:>9}{characters:>12}  "
              f"{item.outcome}")
