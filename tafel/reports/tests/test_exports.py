"""The quarterly report in PDF, XLSX and CSV holds exactly the figures the page shows (same selector, always
suppressed), and the management command makes it without a browser."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tafel.reports.exports import build_report, report_html
from tafel.reports.params import parse_params
from tafel.reports.selectors import compute

from .pagetables import as_number, html_tables, xlsx_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, history, ketenmanager):
    """The ketenmanager's dashboard for Hilversum in 2025Q2 (suppressed, like every report)."""
    query = {"period": "2025Q2", "municipality": str(history.hilversum.pk)}
    client.force_login(ketenmanager)
    html = client.get(reverse("reports:dashboard"), query).content.decode()
    return query, html_tables(html)


def test_xlsx_holds_the_figures_of_the_page(page):
    query, tables = page
    content, filename = build_report(parse_params(query), "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheets = xlsx_tables(book)

    assert filename == "tafel-monitor-2025Q2-hilversum.xlsx"
    assert "Definities" in book.sheetnames
    compared = 0
    for code, rows in tables.items():
        assert code in sheets, code
        expected = [[label, *[as_number(v) for v in values]] for label, *values in rows]
        actual = [
            [str(label), *[v if isinstance(v, str) else float(v) for v in values]] for label, *values in sheets[code]
        ]
        assert actual == expected, code
        compared += len(rows)
    assert compared > 100
    # A figure worked out by hand: 2 of the 3 routing decisions for Hilversum in Q2 were ZVH-aanpak COM
    # (A, D), and small cells are hidden in the report: "<5".
    routing = {row[0]: row[1:] for row in sheets["triage_uitkomst"]}
    assert routing["ZVH-aanpak: Casus-op-Maat"][0] == "<5"


def test_pdf_holds_the_figures_of_the_page(page):
    query, tables = page
    params = parse_params(query)
    if shutil.which("pdftotext"):
        content, filename = build_report(params, "pdf")
        assert content.startswith(b"%PDF")
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
        lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
        for code in ("aanmeldingen", "casussen_thema", "triage_uitkomst", "caseload", "doorlooptijd_triage"):
            for label, *values in tables[code]:
                first_word = label.split()[0]
                wanted = " ".join(values)
                assert any(line.startswith(first_word) and line.endswith(wanted) for line in lines), (code, label)
    else:  # pragma: no cover - without poppler-utils, check the HTML the PDF is made from
        html = report_html(compute(params, suppressed=True), [])
        for code, rows in html_tables(html).items():
            assert rows == tables[code]


def test_the_pdf_is_made_from_the_same_indicator_markup_as_the_page(page):
    query, tables = page
    html = report_html(compute(parse_params(query), suppressed=True), [])

    assert html_tables(html) == tables
    assert "<svg" in html and "Teller" in html


def test_csv_is_one_long_table_with_the_page_figures(page):
    query, tables = page
    content, filename = build_report(parse_params(query), "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))

    assert rows[0] == ["indicator_code", "indicator", "periode", "rij", "kolom", "waarde"]
    shown = {(r[0], r[3], r[4]): r[5] for r in rows[1:]}
    # Aanmeldingen in Hilversum in Q2: A, B, D and B's second one: 4 → "<5".
    assert shown[("aanmeldingen", "Totaal", "Aantal")] == "<5"
    assert shown[("aanmeldingen", "Veldaanmelding", "Aantal")] == tables["aanmeldingen"][2][1]


def test_management_command_writes_the_report(history, tmp_path):
    out = tmp_path / "q2.csv"

    call_command("report", "--quarter", "2025Q2", "--municipality", "Huizen", "--format", "csv", "--out", str(out))

    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";"))
    shown = {(r[0], r[3], r[4]): r[5] for r in rows[1:]}
    # Huizen, Q2: new cases C (jeugd) and G (overlast): 2 → "<5".
    assert shown[("casussen_thema", "Totaal", "Aantal")] == "<5"
    assert ("caseload", "Huizen", "Maximale caseload") in shown
    assert ("caseload", "Hilversum", "Maximale caseload") not in shown


def test_management_command_refuses_unknown_input(history, tmp_path):
    with pytest.raises(CommandError, match="Onbekende gemeente"):
        call_command("report", "--quarter", "2025Q2", "--municipality", "Atlantis", "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="Onbekende periode"):
        call_command("report", "--quarter", "2025Q5", "--out", str(tmp_path / "x"))
