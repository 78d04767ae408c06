"""The three indicators that became measurable: closures by kind and criterion, goals reached at closure, and
agreements done on time. Figures are worked out by hand from the tables in the `closures` and `due_actions`
fixtures of conftest.py, never by calling the code under test."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from tafel.reports.exports import build_report
from tafel.reports.indicators import get
from tafel.reports.params import parse_params

from .conftest import at
from .test_api import token_get

pytestmark = pytest.mark.django_db


def run(code, params):
    return get(code).run(params)


def figures(result, column: str = "aantal") -> dict[str, object]:
    return {row.key: row.cells[column].value for row in result.rows}


def references(qs) -> set[str]:
    return set(qs.values_list("reference", flat=True))


# --- afsluitredenen -------------------------------------------------------------------------------------------


def test_closures_by_kind_count_the_last_closure_of_each_case_in_the_period(history, closures, q2):
    # Last closure in Q2 per case: A afsluiting, B afsluiting (20-06), C afschaling, D riec, E afsluiting
    # (01-06; its closure on 02-07 is Q3). 5 in all: 3 afsluitingen (60.0%), 1 afschaling, 1 riec (20.0%).
    result = run("afsluitredenen", q2)

    assert result.available
    assert result.total.cells["aantal"].value == 5
    counts = figures(result)
    assert (counts["afsluiting"], counts["afschaling"], counts["riec"]) == (3, 1, 1)
    assert result.row("afsluiting").cells["aandeel"].value == 60.0
    assert result.row("riec").cells["aandeel"].value == 20.0


def test_closure_criteria_count_once_per_closure_and_a_closure_may_meet_several(history, closures, q2):
    # Of the 3 afsluitingen: care_started A and B (B's last closure) = 2 → 66.7%; justice_started A and E = 2;
    # family_refuses 0 (only B's earlier closure had it); A meets two criteria → "meer dan één" 1 of 3 = 33.3%.
    result = run("afsluitredenen", q2)

    counts = figures(result)
    assert (counts["care_started"], counts["justice_started"], counts["family_refuses"]) == (2, 2, 0)
    assert counts["meerdere"] == 1
    assert result.row("care_started").cells["noemer"].value == 3
    assert result.row("care_started").cells["aandeel"].value == 66.7
    assert result.row("meerdere").cells["aandeel"].value == 33.3
    assert result.headline.value == 66.7


def test_closure_reasons_follow_the_municipality_filter(history, closures, q2):
    # Huizen: only C (afschaling).
    result = run("afsluitredenen", q2.replace(municipality_id=history.huizen.pk))

    assert result.total.cells["aantal"].value == 1
    assert figures(result) == {
        "afsluiting": 0,
        "afschaling": 1,
        "riec": 0,
        "care_started": 0,
        "justice_started": 0,
        "family_refuses": 0,
        "meerdere": 0,
    }
    assert result.headline.value is None  # no afsluitingen: no share


def test_closure_reasons_drill_down_to_the_cases(history, closures, q2):
    cases = get("afsluitredenen").cases
    ref = {name: history.cases[name].reference for name in "ABCDE"}

    assert references(cases(q2, "care_started", "aantal")) == {ref["A"], ref["B"]}
    assert references(cases(q2, "care_started", "noemer")) == {ref["A"], ref["B"], ref["E"]}
    assert references(cases(q2, "family_refuses", "aantal")) == set()
    assert references(cases(q2, "riec", "aantal")) == {ref["D"]}
    assert references(cases(q2, "totaal", "aantal")) == set(ref.values())


# --- doelen_bereikt ---------------------------------------------------------------------------------------


def test_goals_reached_counts_unknown_for_old_closures_and_leaves_out_riec(history, closures, q2):
    # Afsluiting or afschaling as last closure in Q2: A bereikt, B deels (20-06; not its earlier "niet"),
    # C bereikt, E unknown (NULL). D went to the RIEC: left out. 4 cases: 2 (50.0%), 1, 0, 1 (25.0%).
    # Headline: bereikt among those with an answer: 2 of 3 = 66.7%.
    result = run("doelen_bereikt", q2)

    assert result.available
    assert figures(result) == {"bereikt": 2, "deels": 1, "niet": 0, "onbekend": 1}
    assert result.total.cells["aantal"].value == 4
    assert result.row("bereikt").cells["aandeel"].value == 50.0
    assert result.row("onbekend").cells["aandeel"].value == 25.0
    assert result.headline.value == 66.7
    assert dict(result.stats)["Casussen met een vastgelegd antwoord"].value == 3


def test_goals_reached_drill_down_to_the_unknown_cases(history, closures, q2):
    cases = get("doelen_bereikt").cases

    assert references(cases(q2, "onbekend", "aantal")) == {history.cases["E"].reference}
    assert references(cases(q2, "bereikt", "aantal")) == {history.cases["A"].reference, history.cases["C"].reference}


def test_goals_reached_in_the_next_quarter_sees_the_later_closure(history, closures):
    from tafel.reports.indicators import Params
    from tafel.reports.periods import parse_period

    # Q3: E's closure of 02-07 (bereikt) only.
    result = run("doelen_bereikt", Params(period=parse_period("2025Q3")))

    assert figures(result) == {"bereikt": 1, "deels": 0, "niet": 0, "onbekend": 0}
    assert result.headline.value == 100.0


# --- acties_op_tijd ---------------------------------------------------------------------------------------


def test_actions_on_time_compare_the_local_completion_date_with_the_deadline(history, due_actions, q2):
    # See the table of `due_actions`: on time a1, a3, a9'; late a2 (done 00:30 the day after); not done a4;
    # open past its deadline a5. Without deadline, vervallen, Q3 deadline, carried, draft, undated: out.
    result = run("acties_op_tijd", q2)

    assert result.available
    assert figures(result) == {"op_tijd": 3, "te_laat": 1, "niet_gedaan": 1, "open_verlopen": 1}
    assert result.total.cells["aantal"].value == 6
    assert result.headline.value == 50.0
    assert result.row("te_laat").cells["aandeel"].value == 16.7
    # a11 is done without a completion date: said in a note, not counted.
    assert any("afronddatum" in note for note in result.notes)


def test_an_open_action_whose_deadline_has_not_passed_does_not_count_yet(history, due_actions, q2):
    # On 15-06-2025 a5 (deadline 20-06) is still open and not yet due: 5 count, on time 3 of 5 = 60.0%.
    with time_machine.travel(at(2025, 6, 15), tick=False):
        result = run("acties_op_tijd", q2)

    assert figures(result) == {"op_tijd": 3, "te_laat": 1, "niet_gedaan": 1, "open_verlopen": 0}
    assert result.headline.value == 60.0
    assert dict(result.stats)["Nog open, deadline nog niet verstreken (telt nog niet mee)"].value == 1


def test_actions_on_time_follow_the_case_filters(history, due_actions, q2):
    # Huizen: only C's a4 (not done). Theme huiselijk_geweld: A's actions (5; a4 is C's, jeugd).
    huizen = run("acties_op_tijd", q2.replace(municipality_id=history.huizen.pk))
    violence = run("acties_op_tijd", q2.replace(theme="huiselijk_geweld"))

    assert figures(huizen) == {"op_tijd": 0, "te_laat": 0, "niet_gedaan": 1, "open_verlopen": 0}
    assert huizen.headline.value == 0.0
    assert figures(violence) == {"op_tijd": 3, "te_laat": 1, "niet_gedaan": 0, "open_verlopen": 1}
    assert references(get("acties_op_tijd").cases(q2, "niet_gedaan", "aantal")) == {history.cases["C"].reference}


# --- the same figures through the API, the page and the reports -------------------------------------------


def test_an_analyst_gets_the_small_cells_of_the_new_indicators_suppressed(history, closures, due_actions, analyst):
    goals = token_get(analyst, "/indicators/doelen_bereikt", {"period": "2025Q2"}).json()
    on_time = token_get(analyst, "/indicators/acties_op_tijd", {"period": "2025Q2"}).json()
    reasons = token_get(analyst, "/indicators/afsluitredenen", {"period": "2025Q2"}).json()

    assert goals["suppressed"] is True and goals["available"] is True
    by_label = {row["label"]: row["values"] for row in goals["rows"]}
    # 2 cases with the goal reached: below 5, hidden without the value; the share of it too.
    assert by_label["Doel bereikt"]["aantal"] == {"value": None, "display": "<5", "suppressed": True}
    assert by_label["Doel bereikt"]["aandeel"]["value"] is None
    assert goals["headline"]["suppressed"] is True
    assert on_time["headline"]["suppressed"] is True
    assert all(row["values"]["aantal"]["value"] in (None, 0.0) for row in reasons["rows"])


def test_a_procesregisseur_gets_the_figures_of_the_new_indicators(history, closures, due_actions, procesregisseur):
    goals = token_get(procesregisseur, "/indicators/doelen_bereikt", {"period": "2025Q2"}).json()
    on_time = token_get(procesregisseur, "/indicators/acties_op_tijd", {"period": "2025Q2"}).json()

    assert goals["suppressed"] is False
    assert goals["headline"]["value"] == 66.7
    assert on_time["headline"] == {"value": 50.0, "display": "50,0%", "suppressed": False}


def test_the_monitor_page_and_reports_show_the_new_indicators(client, history, closures, due_actions, ketenmanager):
    client.force_login(ketenmanager)
    html = client.get(reverse("reports:dashboard"), {"period": "2025Q2"}).content.decode()
    content, _ = build_report(parse_params({"period": "2025Q2"}), "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    shown = {(r[0], r[3], r[4]): r[5] for r in rows[1:]}

    for name in ("Afsluitingen naar reden", "Doelen bereikt (doorbraak)", "Afspraken op tijd uitgevoerd"):
        assert name in html
    assert "Nog geen gegevens: bij afsluiting" not in html
    # Suppressed in every report: 6 agreements counted → shown; 3 on time → "<5"; 4 closed cases → "<5".
    assert shown[("acties_op_tijd", "Afspraken met een deadline in de periode", "Aantal")] == "6"
    assert shown[("acties_op_tijd", "Gedaan, op of vóór de deadline", "Aantal")] == "<5"
    assert shown[("doelen_bereikt", "Afgesloten en afgeschaalde casussen", "Casussen")] == "<5"
    assert shown[("afsluitredenen", "Alle afsluitingen, afschalingen en opschalingen", "Aantal")] == "5"
    for fmt in ("xlsx", "pdf"):
        content, filename = build_report(parse_params({"period": "2025Q2"}), fmt)
        assert content and filename.endswith(fmt)
