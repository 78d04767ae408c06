"""The quarterly and annual report as PDF (WeasyPrint, from the same indicator partial as the page), XLSX
(one sheet per indicator table, a definitions sheet) and CSV (one long table). Figures come from the same
selector as the page (`selectors.compute`) and are always suppressed: a report leaves the house."""

from __future__ import annotations

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from tafel.core import spreadsheet
from tafel.core.dates import nl_datetime
from tafel.core.spreadsheet import xlsx_append
from tafel.reports.indicators import GROUPS, Params, all_indicators
from tafel.reports.selectors import Monitor, compute_with_goals
from tafel.reports.suppression import display, export_value, legend

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": spreadsheet.XLSX_CONTENT_TYPE,
    "csv": spreadsheet.CSV_CONTENT_TYPE,
}


def report_title(params: Params) -> str:
    kind = {"quarter": "Kwartaalrapportage", "year": "Jaarrapportage"}.get(params.period.kind, "Rapportage")
    return f"{kind} {params.period.label}"


def report_filename(monitor: Monitor, fmt: str) -> str:
    parts = ["tafel-monitor", monitor.params.period.code.replace("..", "-tot-")]
    parts += [slugify(value) for label, value in monitor.filters if label != "Periode"]
    return re.sub(r"-+", "-", "-".join(parts)) + f".{fmt}"


def build_reports(params: Params, formats: list[str], *, progress=None, on_file=None) -> dict[str, tuple[bytes, str]]:
    """The report in each of `formats`, in that order, from one computation of the figures (the page's and
    the goals' together), so every format shows the same figures. `progress(done, total)` follows the
    figures; `on_file(fmt, content, filename)` is called as each file is ready."""
    monitor, goals = compute_with_goals(params, suppressed=True, per_quarter=True, progress=progress)
    builders = {"pdf": pdf_bytes, "xlsx": xlsx_bytes, "csv": csv_bytes}
    files = {}
    for fmt in formats:
        files[fmt] = (builders[fmt](monitor, goals), report_filename(monitor, fmt))
        if on_file:
            on_file(fmt, *files[fmt])
    return files


def build_report(params: Params, fmt: str, *, progress=None) -> tuple[bytes, str]:
    return build_reports(params, [fmt], progress=progress)[fmt]


def report_html(monitor: Monitor, goals) -> str:
    return render_to_string(
        "reports/report_pdf.html",
        {
            "monitor": monitor,
            "goals": goals,
            "title": report_title(monitor.params),
            "house_name": settings.TAFEL_HOUSE_NAME,
            "generated_at": timezone.localtime(monitor.generated_at),
        },
    )


def pdf_bytes(monitor: Monitor, goals) -> bytes:
    from tafel.core.pdf import render_pdf

    return render_pdf(report_html(monitor, goals))


# --- tables -----------------------------------------------------------------------------------------------


def table_rows(item) -> tuple[list[str], list[tuple[str, list]]]:
    """Header and rows (label, cells) of one indicator, the total row last."""
    result = item.result
    header = ["", *[c.label for c in result.columns]]
    rows = [(row.label, [row.cells.get(c.key) for c in result.columns]) for row in result.rows]
    if result.total:
        rows.append((result.total.label, [result.total.cells.get(c.key) for c in result.columns]))
    return header, rows


def summary_rows(item) -> list[tuple[str, object]]:
    result = item.result
    rows = []
    if result.headline is not None:
        rows.append((result.headline_label or item.indicator.headline, result.headline))
    rows += list(result.stats)
    return rows


def xlsx_bytes(monitor: Monitor, goals) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    book = Workbook()
    about = book.active
    about.title = "Toelichting"
    xlsx_append(about, [report_title(monitor.params)])
    about["A1"].font = Font(bold=True, size=14)
    xlsx_append(about, [settings.TAFEL_HOUSE_NAME])
    xlsx_append(about, [])
    for label, value in monitor.filters:
        xlsx_append(about, [str(label), str(value)])
    xlsx_append(about, ["Gemaakt op", nl_datetime(monitor.generated_at)])
    xlsx_append(about, [])
    xlsx_append(about, ["Leeswijzer", legend(monitor.threshold)])
    xlsx_append(about, ["Definities", "Zie het tabblad ‘Definities’; elk tabblad heeft de code van zijn indicator."])
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 100

    for item in monitor.items:
        sheet = book.create_sheet(title=item.code[:31])
        xlsx_append(sheet, [item.indicator.name])
        sheet["A1"].font = Font(bold=True, size=12)
        if not item.result.available:
            xlsx_append(sheet, [item.result.notes[0] if item.result.notes else "Nog geen gegevens."])
            continue
        for label, cell in summary_rows(item):
            xlsx_append(sheet, [str(label), export_value(cell)])
        xlsx_append(sheet, [])
        header, rows = table_rows(item)
        xlsx_append(sheet, [str(h) for h in header])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for label, cells in rows:
            xlsx_append(sheet, [str(label), *[export_value(c) for c in cells]])
        for note in item.result.notes:
            xlsx_append(sheet, [note])
        sheet.column_dimensions["A"].width = 50
        for letter in "BCDEF":
            sheet.column_dimensions[letter].width = 18

    definitions = book.create_sheet(title="Definities")
    xlsx_append(
        definitions, ["Code", "Indicator", "Groep", "Teller", "Noemer", "Tijdvenster", "Uitsluitingen", "Status"]
    )
    for cell in definitions[1]:
        cell.font = bold
    for indicator in all_indicators():
        d = indicator.definition
        xlsx_append(
            definitions,
            [
                indicator.code,
                indicator.name,
                GROUPS[indicator.group],
                d.numerator,
                d.denominator,
                d.window,
                d.exclusions,
                "beschikbaar" if indicator.available else indicator.unavailable_reason,
            ],
        )
    for letter, width in zip("ABCDEFGH", (24, 40, 18, 60, 50, 30, 50, 30), strict=True):
        definitions.column_dimensions[letter].width = width
    for row in definitions.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    if goals:
        sheet = book.create_sheet(title="Doelen")
        quarters = goals[0].quarters
        xlsx_append(
            sheet,
            [
                "Doel",
                "Soort overleg",
                "Indicator",
                "Streefwaarde",
                "Richting",
                *[q.period.code for q in quarters],
            ],
        )
        for cell in sheet[1]:
            cell.font = bold
        for view in goals:
            goal = view.goal
            xlsx_append(
                sheet,
                [
                    goal.title,
                    goal.overleg_type.name if goal.overleg_type_id else "Hele huis",
                    view.indicator.name if view.indicator else goal.indicator_code,
                    float(goal.target_value),
                    goal.get_direction_display(),
                    *[f"{q.display} ({q.status})" for q in view.quarters],
                ],
            )
    return spreadsheet.xlsx_bytes(book)


def csv_bytes(monitor: Monitor, goals) -> bytes:
    """One long table: indicator, row, column, value (as on the page). Semicolons and a byte-order mark, as
    Dutch spreadsheet programs expect (the decimal separator is a comma)."""
    return spreadsheet.csv_bytes(
        ["indicator_code", "indicator", "periode", "rij", "kolom", "waarde"], _csv_rows(monitor, goals)
    )


def _csv_rows(monitor: Monitor, goals):
    period = monitor.params.period.code
    for item in monitor.items:
        if not item.result.available:
            yield [item.code, item.indicator.name, period, "", "", "nog geen gegevens"]
            continue
        for label, cell in summary_rows(item):
            yield [item.code, item.indicator.name, period, "kopcijfer", label, display(cell)]
        header, rows = table_rows(item)
        for label, cells in rows:
            for column, cell in zip(header[1:], cells, strict=True):
                yield [item.code, item.indicator.name, period, label, column, display(cell)]
    for view in goals:
        code = f"doel:{view.goal.indicator_code}"
        for quarter in view.quarters:
            yield [code, view.goal.title, quarter.period.code, "streefwaarde", "", view.target_display]
            yield [code, view.goal.title, quarter.period.code, "gemeten", quarter.status, quarter.display]
