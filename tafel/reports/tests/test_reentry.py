"""Issue 13 item 2: re-entry (heraanmelding_12m) defined once and right — a new melding or aanmelding within
12 months after a case left active handling (closed, stepped down, or moved to volgen op afstand) counts as
re-entry, once per case. Every figure below is worked out by hand from the cases made here (2027Q1, apart from
the history in conftest.py, which lies in 2025-2026)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tafel.cases.models import EntryRoute, Theme
from tafel.reports.indicators import Params, get
from tafel.reports.periods import parse_period

from .conftest import Builder, at

pytestmark = pytest.mark.django_db

HG, OV = Theme.HUISELIJK_GEWELD, Theme.OVERLAST


def run(code: str, params: Params):
    return get(code).run(params)


@pytest.fixture
def q1_2027():
    return Params(period=parse_period("2027Q1"))


@pytest.fixture
def world(history):
    from tafel.testing import make_municipality

    b = Builder(history)
    weesp = make_municipality("Weesp", max_caseload=50)

    def running(name, created, theme=HG):
        b.create(name, created, weesp, theme, EntryRoute.VELD)
        b.triage(name, created + datetime.timedelta(days=1), "zvh_com")

    # V: moved to volgen op afstand on 01-02; a new police melding about its person on 01-06 joins the followed
    #    case and reopens it (121 days) → re-entry.
    running("V", at(2027, 1, 2, 9))
    b.status("V", at(2027, 2, 1), "volgen")
    b.create("V2", at(2027, 6, 1, 9), weesp, HG, EntryRoute.POLITIE_VT, existing_person=b.person_of("V"))
    # L: stepped down to local handling on 10-02; a new case about its person on 01-09 (203 days) → re-entry.
    running("L", at(2027, 1, 3, 9))
    b.status("L", at(2027, 2, 10), "lokaal")
    b.create("L2", at(2027, 9, 1, 9), weesp, HG, EntryRoute.VELD, existing_person=b.person_of("L"))
    # K: closed on 01-03, nothing after → no re-entry.
    running("K", at(2027, 1, 4, 9), theme=OV)
    b.status("K", at(2027, 3, 1), "afgesloten")
    # R: left and came back twice in the quarter: volgen 20-01, reopened 01-02, closed 15-02, reopened 10-03 →
    #    one case in the denominator, one re-entry.
    running("R", at(2027, 1, 5, 9))
    b.status("R", at(2027, 1, 20), "volgen")
    b.status("R", at(2027, 2, 1), "actief")
    b.status("R", at(2027, 2, 15), "afgesloten")
    b.status("R", at(2027, 3, 10), "actief")
    # T: closed on 15-01; a new case about its person on 20-01-2028 (370 days) → too late, no re-entry.
    running("T", at(2027, 1, 6, 9), theme=OV)
    b.status("T", at(2027, 1, 15), "afgesloten")
    b.create("T2", at(2028, 1, 20, 9), weesp, OV, EntryRoute.VELD, existing_person=b.person_of("T"))
    return history


def test_reentry_after_closed_volgen_stepped_down_and_reopened_twice_counts_once_per_case(world, q1_2027):
    # Left active handling in 2027Q1: V, L, K, R, T = 5. Re-entered within 365 days: V, L, R = 3 → 60.0%.
    result = run("heraanmelding_12m", q1_2027)

    assert result.total.cells["afgesloten"].value == 5
    assert result.total.cells["heraangemeld"].value == 3
    assert result.total.cells["aandeel"].value == 60.0
    # Per theme: huiselijk geweld V, L, R of V, L, R (3 of 3 = 100%); overlast K, T (0 of 2) — small cells.
    assert result.row("huiselijk_geweld").cells["heraangemeld"].value == 3
    assert result.row("overlast").cells["heraangemeld"].value == 0
    cases = get("heraanmelding_12m").cases(q1_2027, "totaal", "heraangemeld")
    assert set(cases.values_list("pk", flat=True)) == {world.cases[n].pk for n in ("V", "L", "R")}
    left = get("heraanmelding_12m").cases(q1_2027, "totaal", "afgesloten")
    assert left.count() == 5


def test_the_definition_beside_the_figure_says_closed_stepped_down_or_volgen(world, q1_2027):
    definition = get("heraanmelding_12m").definition
    assert "afgeschaald naar lokaal" in definition.denominator and "volgen op afstand" in definition.denominator
    assert "Elke casus telt één keer" in definition.numerator


def test_retention_destroyed_cases_keep_counting_with_their_reentry(world, q1_2027, settings):
    """Retention destroys the closed cases K, T and the stepped-down L (R and V are running again). The figure
    for 2027Q1 stays 5 and 3: their leaving and re-entry were kept when they were destroyed."""
    from tafel.cases.models import Case
    from tafel.privacy.models import RetainedCaseStat
    from tafel.privacy.services.retention import case_pseudonym, retention_run

    pseudonyms = {name: case_pseudonym(world.case(name)) for name in ("K", "T", "L")}
    settings.TAFEL_RETENTION_MONTHS = 60
    retention_run(as_of=timezone.make_aware(datetime.datetime(2040, 1, 1)))

    assert not Case.objects.filter(pk__in=[world.cases[n].pk for n in ("K", "T", "L")]).exists()
    kept = {p: s.reentry_exits for p, s in ((s.case_pseudonym, s) for s in RetainedCaseStat.objects.all())}
    assert kept[pseudonyms["L"]] == [{"y": 2027, "q": 1, "r": True}]
    assert kept[pseudonyms["K"]] == [{"y": 2027, "q": 1, "r": False}]
    result = run("heraanmelding_12m", q1_2027)
    assert result.total.cells["afgesloten"].value == 5
    assert result.total.cells["heraangemeld"].value == 3
    assert any("vernietigd" in note for note in result.notes)
    # The list behind the figure has only the cases that still exist.
    cases = get("heraanmelding_12m").cases(q1_2027, "totaal", "heraangemeld")
    assert set(cases.values_list("pk", flat=True)) == {world.cases[n].pk for n in ("V", "R")}


@pytest.mark.parametrize("microsecond", [0, 1, 999_999])
def test_the_window_end_is_computed_by_the_database_to_the_microsecond(history, microsecond):
    """PlusDays (the re-entry window's end) equals Python's moment + 365 days, also with fractions of a second:
    a new melding exactly at the end is inside the window, one a microsecond later is not."""
    import datetime

    from django.db.models import F

    from tafel.cases.models import Case
    from tafel.reports.indicators.base import PlusDays

    case = history.case("A")
    moment = case.created_at.replace(microsecond=microsecond)
    Case.objects.filter(pk=case.pk).update(created_at=moment)
    end = moment + datetime.timedelta(days=365)
    rows = Case.objects.filter(pk=case.pk).annotate(end=PlusDays(F("created_at"), 365))

    assert rows.get().end == end
    assert rows.filter(end__gte=end).exists()
    assert not rows.filter(end__gte=end + datetime.timedelta(microseconds=1)).exists()
