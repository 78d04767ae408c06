"""Reading the indicator tables back out of the dashboard HTML, the XLSX and the PDF text (test helper)."""

from __future__ import annotations

import html as html_lib
import re


def _text(fragment: str) -> str:
    fragment = re.sub(r'<span class="tafel-visually-hidden">.*?</span>', "", fragment, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def html_tables(page: str) -> dict[str, list[list[str]]]:
    """{indicator code: [[row label, shown figure, ...], ...]} for every indicator table of a page."""
    tables = {}
    for match in re.finditer(r'<table[^>]*data-indicator="([\w-]+)"[^>]*>(.*?)</table>', page, re.S):
        rows = []
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(2), re.S):
            if "<td" not in tr:
                continue  # the header row
            label = _text(re.search(r"<th[^>]*>(.*?)</th>", tr, re.S).group(1))
            rows.append([label, *[_text(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]])
        tables[match.group(1)] = rows
    return tables


def as_number(text: str):
    """ "1.234" → 1234, "75,0%" → 75.0, "6,5" → 6.5; "<5", "×" and "–" stay text."""
    plain = text.replace(".", "").replace("%", "").replace(",", ".")
    try:
        return float(plain)
    except ValueError:
        return text


def xlsx_tables(workbook) -> dict[str, list[list]]:
    """{sheet name: [[row label, value, ...], ...]}: the rows under each sheet's header row."""
    tables = {}
    for sheet in workbook.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header = next((i for i, r in enumerate(rows) if r and r[0] in ("", None) and any(r[1:])), None)
        if header is None:
            continue
        width = sum(1 for v in rows[header] if v not in (None, ""))
        body = []
        for r in rows[header + 1 :]:
            if not r or r[0] in (None, "") or all(v is None for v in r[1 : width + 1]):
                break
            body.append([r[0], *r[1 : width + 1]])
        tables[sheet.title] = body
    return tables
