"""Cases destroyed by retention keep counting (SPEC §6, issue 6): the closures of the ZVH-aanpak include
privacy.RetainedCaseStat rows for the periods and filters they can be attributed to. Expected figures are
worked out by hand from the rows made here and the history in conftest.py."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tafel.privacy.models import DestructionRecord, RetainedCaseStat
from tafel.reports.indicators import Params, get
from tafel.reports.periods import parse_period

pytestmark = pytest.mark.django_db


def retained(run, municipality, *, pseudonym: str, status: str = "afgesloten", year=2025, quarter=2, theme="overlast"):
    return RetainedCaseStat.objects.create(
        case_pseudonym=pseudonym,
        municipality=municipality,
        theme=theme,
        route="veld",
        status_at_closure=status,
        created_year=2024,
        created_quarter=4,
        closed_year=year,
        closed_quarter=quarter,
        person_count=2,
        destroyed_at=timezone.now(),
        run=run,
    )


@pytest.fixture
def destroyed(history):
    run = DestructionRecord.objects.create(
        run_at=timezone.now(), run_id="bewaartermijn-test", as_of=timezone.now(), cases_destroyed=4
    )
    # Two destroyed cases closed in 2025Q2 in Hilversum (one jeugd), one closed lokaal in 2025Q2 (not an exit
    # from the ZVH-aanpak that can be told apart from a triage outcome), one closed in 2025Q3.
    retained(run, history.hilversum, pseudonym="p1")
    retained(run, history.hilversum, pseudonym="p2", theme="jeugd")
    retained(run, history.hilversum, pseudonym="p3", status="lokaal")
    retained(run, history.huizen, pseudonym="p4", quarter=3)
    return history


def afgesloten(params: Params) -> int:
    return get("afsluitingen").run(params).row("afgesloten").cells["aantal"].value


def test_destroyed_closed_cases_count_in_their_quarter(destroyed, q2):
    result = get("afsluitingen").run(q2)

    # Live history: A, E and B closed in Q2 (3) + the retained p1 and p2 = 5; lokaal stays 0 (p3 not counted).
    assert result.row("afgesloten").cells["aantal"].value == 5
    assert result.row("lokaal").cells["aantal"].value == 0
    assert result.headline.value == 5
    # Volgen (B, 01-05) 1 + afgesloten 5 = 6 transitions in all.
    assert result.total.cells["aantal"].value == 6
    assert any("bewaartermijn" in note for note in result.notes)


def test_destroyed_cases_follow_the_filters_they_can_answer(destroyed, q2):
    # The year 2025: Q2 (3 live + 2 retained) and p4 in Q3 = 6 (A, reopened 01-09, was not closed again).
    assert afgesloten(Params(period=parse_period("2025"))) == 6
    # Theme jeugd: only p2 (no live jeugd case was closed in Q2).
    assert afgesloten(q2.replace(theme="jeugd")) == 1
    # Huizen in Q2: no live closure, p4 is in Q3.
    assert afgesloten(q2.replace(municipality_id=destroyed.huizen.pk)) == 0
    # A range that cuts the quarter cannot hold a case known only by its quarter: the 3 live ones remain.
    assert afgesloten(Params(period=parse_period("2025-04-01..2025-06-29"))) == 3
    # An overleg type filter cannot be answered for a destroyed case (its meetings are gone): com → only A,
    # discussed in the com of 20-04 and closed 12-05.
    assert afgesloten(q2.replace(overleg_type="com")) == 1


def test_the_definition_says_destroyed_cases_are_included(db):
    exclusions = get("afsluitingen").definition.exclusions

    assert "vernietigd" in exclusions and "bewaarde statistiek" in exclusions
