"""The tabular reader: CSV as spreadsheets write it, XLSX without evaluating anything, and clear limits."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from actiontrack.imports.tabular import Limits, TableError, read_csv, read_table, read_xlsx


def xlsx(rows: list[list[object]], *, title: str = "Blad1", more_sheets: dict[str, list[list[object]]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for name, other_rows in (more_sheets or {}).items():
        other = workbook.create_sheet(name)
        for row in other_rows:
            other.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_utf8_with_bom_and_semicolons() -> None:
    table = read_table("\ufeffAfdeling;Score\nVerkoop;5\nLogistiek;4\n".encode("utf-8"))
    assert table.headers == ["Afdeling", "Score"]
    assert table.rows == [["Verkoop", "5"], ["Logistiek", "4"]]
    assert (table.kind, table.encoding, table.delimiter) == ("csv", "utf-8-sig", ";")


def test_windows_1252_is_read_when_utf8_fails() -> None:
    data = "Département;Commentaire\nVente;Très déçu, trop de réunions\n".encode("cp1252")
    table = read_table(data, filename="export.csv")
    assert table.encoding == "cp1252"
    assert table.rows == [["Vente", "Très déçu, trop de réunions"]]


def test_utf16_as_excel_unicode_text_with_tabs() -> None:
    table = read_table("Name\tScore\r\nÉlodie\t3\r\n".encode("utf-16"))
    assert (table.delimiter, table.rows) == ("\t", [["Élodie", "3"]])


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_each_delimiter_is_found_even_with_commas_in_text(delimiter: str) -> None:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerows([["Horodateur", "Pourquoi, en quelques mots ?", "Score"], *[["2026-01-05", "Salaire, horaires", "4"]] * 2])
    table = read_csv(text.getvalue().encode())
    assert table.delimiter == delimiter
    assert table.headers == ["Horodateur", "Pourquoi, en quelques mots ?", "Score"]
    assert table.rows[0] == ["2026-01-05", "Salaire, horaires", "4"]


def test_quoted_newlines_stay_in_their_cell_and_blank_lines_are_skipped() -> None:
    data = b'id,comment\r\n\r\n1,"first line\r\nsecond line"\r\n\r\n2,plain\r\n'
    table = read_csv(data)
    assert table.rows == [["1", "first line\r\nsecond line"], ["2", "plain"]]
    # Row numbers count records as a spreadsheet shows them, blank ones included.
    assert table.row_numbers == [3, 5]


def test_short_rows_are_padded_and_long_rows_reported() -> None:
    table = read_csv(b"a;b;c\n1\n1;2;3;4\n1;2;3;;\n")
    assert table.rows == [["1", "", ""], ["1", "2", "3"], ["1", "2", "3"]]
    assert table.overlong_rows == [3]


def test_xlsx_dates_and_numbers_become_consistent_text() -> None:
    data = xlsx([
        ["Datum", "Score", "Gemiddelde", "Tijd"],
        [date(2026, 3, 31), 5, 4.5, datetime(2026, 3, 31, 14, 5)],
        [datetime(2026, 4, 1), 3.0, None, None],
    ])
    table = read_table(data, filename="export.xlsx")
    assert table.kind == "xlsx" and table.sheet == "Blad1"
    assert table.rows == [["2026-03-31", "5", "4.5", "2026-03-31 14:05:00"], ["2026-04-01", "3", "", ""]]


def test_xlsx_formulas_are_never_evaluated() -> None:
    # openpyxl saves no cached value for a formula, so the reader sees an empty cell, not "=1+1" nor 2.
    table = read_xlsx(xlsx([["a", "b", "c"], ["=1+1", '=HYPERLINK("http://x","y")', "kept"]]))
    assert table.rows == [["", "", "kept"]]


def test_xlsx_sheet_can_be_chosen() -> None:
    data = xlsx([["first"], ["1"]], more_sheets={"Antwoorden": [["second"], ["2"]]})
    table = read_xlsx(data, sheet="Antwoorden")
    assert (table.headers, table.rows, table.sheets) == (["second"], [["2"]], ["Blad1", "Antwoorden"])
    with pytest.raises(TableError) as raised:
        read_xlsx(data, sheet="Missing")
    assert "Missing" in str(raised.value)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(TableError) as raised:
        read_table(buffer.getvalue(), filename="x.xlsx")
    assert "not an Excel" in str(raised.value)


def test_a_renamed_text_file_is_not_an_xlsx() -> None:
    with pytest.raises(TableError, match="not an Excel"):
        read_table(b"a;b\n1;2\n", filename="export.xlsx")


def test_old_xls_is_refused_with_advice() -> None:
    with pytest.raises(TableError, match=r"\.xls files"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, filename="export.xls")


def test_binary_garbage_is_not_a_csv() -> None:
    with pytest.raises(TableError, match="not a CSV"):
        read_table(b"\x00\x01\x02abc\x00")


def test_limits_are_clear() -> None:
    limits = Limits(max_bytes=100, max_rows=2, max_columns=3, max_cell_chars=5)
    with pytest.raises(TableError, match="larger than"):
        read_table(b"a\n" * 60, limits=limits)
    with pytest.raises(TableError, match="more than 2 rows"):
        read_table(b"a\n1\n2\n3\n", limits=limits)
    with pytest.raises(TableError, match="more than 3 columns"):
        read_table(b"a;b;c;d\n", limits=limits)
    with pytest.raises(TableError, match="longer than 5"):
        read_table(b"a\n123456\n", limits=limits)
    with pytest.raises(TableError, match="empty"):
        read_table(b"\n\n;;\n")


def test_an_xlsx_that_unpacks_too_large_is_refused_before_reading() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 50_000)
    with pytest.raises(TableError, match="larger than"):
        read_table(buffer.getvalue(), limits=Limits(max_bytes=2_000))


def test_error_messages_are_translated_where_shown() -> None:
    error = TableError("The file has more than %(limit)s rows; split it into smaller files.", limit=5)
    assert error.translated(lambda text: text.replace("The file has", "Het bestand heeft")).startswith(
        "Het bestand heeft more than 5 rows"
    )


def test_random_tables_survive_a_round_trip_through_csv_and_xlsx() -> None:
    """Whatever cells a spreadsheet writes (quotes, delimiters, newlines, accents), the reader gives them back."""
    rng = random.Random(13)
    alphabet = "ab é;,\t\"'\n=+-1.5€ß"
    for _ in range(40):
        width = rng.randint(1, 5)
        headers = [f"h{index}" for index in range(width)]
        rows = [
            ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))).strip() for _ in range(width)]
            for _ in range(rng.randint(1, 6))
        ]
        rows = [row for row in rows if any(row)]
        # Leading "=" would be a formula in XLSX; CSV keeps it as text.
        text = io.StringIO()
        writer = csv.writer(text, delimiter=rng.choice(";,"), lineterminator="\r\n")
        writer.writerows([headers, *rows])
        encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252"])
        table = read_csv(text.getvalue().encode(encoding))
        expected = [[cell for cell in row] for row in rows]
        assert table.headers == headers
        assert table.rows == expected, (encoding, text.getvalue())
        safe_rows = [[cell.lstrip("=").strip() for cell in row] for row in rows]
        safe_rows = [row for row in safe_rows if any(row)]
        assert read_xlsx(xlsx([headers, *safe_rows])).rows == safe_rows


