"""The rows an import skipped, with why, for the done page and as a CSV that HR can correct and import again.

The rows keep no place on the server: at the import they go into one sealed form field of the done page
(`actiontrack.sealed`), which HR's browser sends back to download them as a CSV. The page and the CSV are
sent with no-store; after `MAX_AGE` the field is refused and the rows are gone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta

from actiontrack import sealed
from actiontrack.i18n import gettext as _
from actiontrack.imports.mapping import CheckedFile
from actiontrack.imports.tabular import Table
from actiontrack.settings import Settings

PURPOSE = "skipped-import-rows"
MAX_AGE = timedelta(hours=8)


@dataclass(frozen=True)
class SkippedRow:
    """A row of the file that was not imported: its number, its cells as they were, and why."""

    number: int
    cells: list[str]
    problems: list[str]


def skipped_rows(table: Table, checked: CheckedFile) -> list[SkippedRow]:
    """Every row not imported, in the file's order, each with its reasons in the page's language."""
    cells = dict(zip(table.row_numbers, table.rows, strict=True))
    skipped = []
    for row in checked.rows:
        if row.importable:
            continue
        if row.problems:
            problems = row.problems
        elif row.imported:
            problems = [_("Imported before.")]
        else:
            problems = [_("The same answers as row %(other)s.") % {"other": row.duplicate_of}]
        skipped.append(SkippedRow(row.number, cells[row.number], problems))
    return skipped


def seal_rows(settings: Settings, headers: list[str], rows: list[SkippedRow]) -> str:
    return sealed.seal(settings, PURPOSE, {"h": headers, "r": [[row.number, row.cells, row.problems] for row in rows]})


def unseal_rows(settings: Settings, value: str) -> tuple[list[str], list[SkippedRow]] | None:
    document = sealed.unseal(settings, PURPOSE, value, max_age=MAX_AGE)
    if document is None:
        return None
    return document["h"], [SkippedRow(number, cells, problems) for number, cells, problems in document["r"]]


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting like a formula; the file's text must stay text.
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


def skipped_csv(headers: list[str], rows: list[SkippedRow]) -> bytes:
    """The skipped rows' cells under the file's headers, with a last column saying what to correct.

    UTF-8 with a byte order mark and semicolons, as Excel opens it in Belgium; the import reads it back.
    """
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([*(_cell(header) for header in headers), _("Problem")])
    for row in rows:
        writer.writerow([*(_cell(cell) for cell in row.cells), _cell("; ".join(row.problems))])
    return text.getvalue().encode("utf-8-sig")
