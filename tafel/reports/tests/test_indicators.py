"""Every indicator on the hand-made history of conftest.py, for 2025Q2. Expected figures are worked out by
hand in the comments from the table in conftest.py, never by calling the code under test."""

from __future__ import annotations

import pytest

from tafel.reports.indicators import Params, get
from tafel.reports.periods import parse_period

pytestmark = pytest.mark.django_db


def run(code: str, params: Params):
    return get(code).run(params)


def values(result, column: str) -> dict[str, object]:
    return {row.key: row.cells[column].value for row in result.rows}


# --- volumes ----------------------------------------------------------------------------------------------


def test_aanmeldingen_count_every_aanmelding_in_the_period_by_its_own_route(history, q2):
    # In Q2: A (veld), B (topx), C (veld), D (veilig_thuis), B's second aanmelding on 15-05 (veld),
    # G (politie_vt, 30-06 23:30). H (01-07 00:30) is in Q3. Total 6.
    result = run("aanmeldingen", q2)

    assert values(result, "aantal") == {"topx": 1, "veilig_thuis": 1, "veld": 3, "politie_vt": 1}
    assert result.total.cells["aantal"].value == 6
    assert result.headline.value == 6
    # Shares: 3 of 6 = 50.0%, 1 of 6 = 16.7%.
    assert result.row("veld").cells["aandeel"].value == 50.0
    assert result.row("topx").cells["aandeel"].value == 16.7


def test_the_period_ends_at_local_midnight(history):
    # G at 30-06 23:30 local (21:30 UTC) is Q2; H at 01-07 00:30 local (22:30 UTC on 30-06) is Q3.
    q3 = Params(period=parse_period("2025Q3"))
    result = run("casussen_thema", q3)

    # Q3 new cases: H (01-07). A2 joined A and made no case.
    assert result.total.cells["aantal"].value == 1
    assert result.row("overlast").cells["aantal"].value == 1


def test_new_cases_by_theme_route_and_municipality(history, q2):
    # New cases in Q2: A (HG, veld, Hilversum), B (VP, topx, Hilversum), C (jeugd, veld, Huizen),
    # D (HG, veilig_thuis, Hilversum), G (overlast, politie_vt, Huizen). B's second aanmelding joined B.
    by_theme = run("casussen_thema", q2)
    assert values(by_theme, "aantal") == {
        "huiselijk_geweld": 2,
        "veelpleger": 1,
        "jeugd": 1,
        "nazorg": 0,
        "overlast": 1,
        "zorgmijding": 0,
        "overig": 0,
    }
    assert by_theme.total.cells["aantal"].value == 5

    by_route = run("casussen_route", q2)
    assert values(by_route, "aantal") == {"topx": 1, "veilig_thuis": 1, "veld": 2, "politie_vt": 1}

    by_municipality = run("casussen_gemeente", q2)
    assert values(by_municipality, "aantal") == {str(history.hilversum.pk): 3, str(history.huizen.pk): 2}
    # 3 of 5 = 60.0%
    assert by_municipality.row(str(history.hilversum.pk)).cells["aandeel"].value == 60.0


def test_filters_by_municipality_theme_route_organisation_and_overleg_type(history, q2):
    assert run("casussen_thema", q2.replace(municipality_id=history.huizen.pk)).total.cells["aantal"].value == 2
    assert run("casussen_thema", q2.replace(theme="huiselijk_geweld")).total.cells["aantal"].value == 2
    assert run("casussen_thema", q2.replace(route="veld")).total.cells["aantal"].value == 2
    # GGZ takes part in A and D.
    assert run("casussen_thema", q2.replace(organisation_id=history.ggz.pk)).total.cells["aantal"].value == 2
    # Discussed in a Casus-op-Maat overleg: A and D (B was in MDA++ overleggen only).
    com = run("casussen_thema", q2.replace(overleg_type="com"))
    assert com.total.cells["aantal"].value == 2
    assert com.row("huiselijk_geweld").cells["aantal"].value == 2


def test_triage_outcomes_count_every_decision_with_lokaal_by_reason(history, q2):
    # Decisions in Q2: A zvh_com, B zvh_mda, C lokaal reason g, D verrijken and later zvh_com. E's was in Feb.
    result = run("triage_uitkomst", q2)

    counts = values(result, "aantal")
    assert counts["zvh_com"] == 2
    assert counts["zvh_mda"] == 1
    assert counts["lokaal_g"] == 1
    assert counts["verrijken"] == 1
    assert counts["riec"] == counts["niet_geaccepteerd"] == counts["lokaal_a"] == 0
    assert result.total.cells["aantal"].value == 5
    # Headline: ZVH-aanpak among routing decisions (without verrijken): 3 of 4 = 75.0%.
    assert result.headline.value == 75.0


def test_caseload_at_the_end_of_a_past_quarter_is_read_from_the_history(history, q2):
    # On 1 July 2025 00:00 only D is actief: A and B and E were closed (A was reopened later, in September).
    result = run("caseload", q2)

    assert result.row(str(history.hilversum.pk)).cells["actief"].value == 1
    assert result.row(str(history.hilversum.pk)).cells["maximum"].value == 4
    # 1 of 4 = 25.0%
    assert result.row(str(history.hilversum.pk)).cells["bezetting"].value == 25.0
    assert result.row(str(history.huizen.pk)).cells["actief"].value == 0
    assert result.total.cells["actief"].value == 1


def test_caseload_of_the_current_quarter_is_the_current_status(history):
    # Now (the real clock, late 2026): A (reopened) and D are actief in Hilversum.
    result = run("caseload", Params(period=parse_period("")))

    assert result.row(str(history.hilversum.pk)).cells["actief"].value == 2


# --- lead times -------------------------------------------------------------------------------------------


def test_lead_time_to_triage_decision_median_and_p90(history, q2):
    # Routing decisions in Q2, days from aanmelding (09:00) to decision (15:00):
    # A 02-04 → 05-04 = 3; B 10-04 → 20-04 = 10; C 15-04 → 16-04 = 1; D 01-05 → 20-05 = 19 (the enrichment
    # counts in; 'verrijken' itself is no routing decision). Sorted 1, 3, 10, 19:
    # median = (3 + 10) / 2 = 6.5; p90 at position 0.9 × 3 = 2.7 → 10 + 0.7 × (19 − 10) = 16.3.
    result = run("doorlooptijd_triage", q2)

    assert result.total.cells["n"].value == 4
    assert result.total.cells["mediaan"].value == 6.5
    assert result.total.cells["p90"].value == 16.3
    assert result.headline.value == 6.5
    # Huiselijk geweld: A 3 and D 19 → median 11.0; veelpleger: B alone → 10.
    assert result.row("huiselijk_geweld").cells["n"].value == 2
    assert result.row("huiselijk_geweld").cells["mediaan"].value == 11.0
    assert result.row("veelpleger").cells["mediaan"].value == 10.0
    assert result.row("nazorg").cells["mediaan"].value is None


def test_lead_time_to_closure_excludes_open_cases(history, q2):
    # Closed in Q2: A 02-04 → 12-05 = 40 days; B 10-04 → 20-06 = 71; E 01-02 → 01-06 = 120 (across the change
    # to summer time: 09:00 CET to 15:00 CEST is 120 days and 5 hours, so 120 whole days).
    # D (still actief) and C (lokaal: a triage outcome, not a closure) are not in it.
    # Sorted 40, 71, 120: median 71; p90 at position 1.8 → 71 + 0.8 × 49 = 110.2.
    result = run("doorlooptijd_afsluiting", q2)

    assert result.total.cells["n"].value == 3
    assert result.total.cells["mediaan"].value == 71.0
    assert result.total.cells["p90"].value == 110.2
    assert result.row("huiselijk_geweld").cells["n"].value == 1  # A only: D is open
    assert result.row("huiselijk_geweld").cells["mediaan"].value == 40.0


def test_lead_time_to_first_meeting_skips_deferred_items(history, q2):
    # First discussion in a held overleg: A 20-04 (18 days after 02-04); B deferred on 25-04, discussed 05-05
    # (25 days after 10-04); D 10-06 (40 days after 01-05). Sorted 18, 25, 40: median 25,
    # p90 at 1.8 → 25 + 0.8 × 15 = 37.
    result = run("doorlooptijd_eerste_overleg", q2)

    assert result.total.cells["n"].value == 3
    assert result.total.cells["mediaan"].value == 25.0
    assert result.total.cells["p90"].value == 37.0


# --- process quality --------------------------------------------------------------------------------------


def test_triage_quality_override_all_criteria_and_desk_versus_team(history, q2):
    # 5 decisions in Q2. Override: B (criterion b failed, reason given) → 1 of 5 = 20.0%.
    # Every decision judged all five criteria with an argument (the service demands it): 5 of 5.
    # Team: D's second decision; desk: the other 4.
    result = run("triage_kwaliteit", q2)

    assert result.row("override").cells["aantal"].value == 1
    assert result.row("override").cells["aandeel"].value == 20.0
    assert result.row("alle_criteria").cells["aantal"].value == 5
    assert result.row("alle_criteria").cells["aandeel"].value == 100.0
    assert result.row("bureau").cells["aantal"].value == 4
    assert result.row("team").cells["aantal"].value == 1
    assert result.row("caseload_override").cells["aantal"].value == 0
    assert result.headline.value == 20.0


def test_casusregie_on_cases_in_the_zvh_aanpak_during_the_period(history, q2):
    # In the ZVH-aanpak at some moment of Q2: A, B, D (accepted in Q2) and E (actief on 1 April). C is lokaal.
    # Casusregisseur named: D only → 1 of 4 = 25.0%. No plans published.
    result = run("casusregie", q2)

    assert result.total.cells["aantal"].value == 4
    assert result.row("casusregisseur").cells["aantal"].value == 1
    assert result.row("casusregisseur").cells["aandeel"].value == 25.0
    assert result.row("plan").cells["aantal"].value == 0


def test_meeting_quality_deferred_share(history, q2):
    # Agenda items of held overleggen in Q2: A 20-04, B 25-04 (deferred), B 05-05, D 10-06 → 1 of 4 = 25.0%.
    result = run("overleg_kwaliteit", q2)

    assert result.row("doorgeschoven").cells["aantal"].value == 1
    assert result.row("doorgeschoven").cells["noemer"].value == 4
    assert result.row("doorgeschoven").cells["aandeel"].value == 25.0


# --- outcomes ---------------------------------------------------------------------------------------------


def test_exits_from_the_zvh_aanpak(history, q2):
    # Q2: B actief → volgen (01-05); A actief → afgesloten (12-05); E → afgesloten (01-06);
    # B actief → afgesloten (20-06, after the reopening of 15-05). Total 4.
    result = run("afsluitingen", q2)

    assert values(result, "aantal") == {"volgen": 1, "afgesloten": 3, "lokaal": 0, "riec": 0}
    assert result.headline.value == 3


def test_reentry_within_twelve_months_counts_a_case_once(history, q2):
    # Left active handling in Q2: B (to volgen op afstand, 01-05), A (closed 12-05), E (closed 01-06).
    # A: reopened 01-09 and a new aanmelding 01-10, both within 365 days → counts once.
    # B: a new melding about its person on 15-05 joined the followed case and reopened it → counts (before the
    #    issue-13 definition B was left out: it counted only cases finally closed).
    # E: a new case about E's person on 01-03-2026 (273 days) → counts.
    # 3 of 3 = 100.0%.
    result = run("heraanmelding_12m", q2)

    assert result.total.cells["afgesloten"].value == 3
    assert result.total.cells["heraangemeld"].value == 3
    assert result.total.cells["aandeel"].value == 100.0
    assert result.headline.value == 100.0
    assert result.row("huiselijk_geweld").cells["heraangemeld"].value == 1
    assert result.row("veelpleger").cells["heraangemeld"].value == 1
    assert result.row("overlast").cells["heraangemeld"].value == 1


def test_reentry_drilldown_lists_the_reentered_cases(history, q2):
    cases = get("heraanmelding_12m").cases(q2, "totaal", "heraangemeld")

    assert set(cases.values_list("pk", flat=True)) == {
        history.cases["A"].pk,
        history.cases["B"].pk,
        history.cases["E"].pk,
    }


def test_new_meldingen_during_the_zvh_aanpak(history, q2):
    # Only B's aanmelding of 15-05 arrived while its case was in the aanpak (volgen), route veld.
    result = run("meldingen_tijdens", q2)

    assert result.total.cells["aantal"].value == 1
    assert result.row("veld").cells["aantal"].value == 1


def test_scale_scores_mean_per_group(history, q2):
    # A's discussion: professionals 4 and 7 → mean 5.5; the client 6 → 6.0. One case, three scores.
    result = run("schaalscores", q2)
    row = result.row("immediate_safety")

    assert row.cells["scores"].value == 3
    assert row.cells["casussen"].value == 1
    assert row.cells["professionals"].value == 5.5
    assert row.cells["client"].value == 6.0


# --- network ----------------------------------------------------------------------------------------------


def test_partners_per_case_exclude_the_house(history, q2):
    # Cases in the aanpak during Q2: A (police, GGZ; the house is not counted) 2; B (police) 1;
    # D (police, GGZ, gemeente) 3; E (police) 1. Mean 7 / 4 = 1.75 → 1.8 (one decimal); median (1 + 2) / 2 = 1.5.
    result = run("netwerk_per_casus", q2)

    assert values(result, "aantal")["1"] == 2
    assert values(result, "aantal")["2"] == 1
    assert values(result, "aantal")["3"] == 1
    assert result.total.cells["aantal"].value == 4
    assert result.headline.value == 1.8
    assert result.stats[0][1].value == 1.5


def test_cases_per_partner_organisation(history, q2):
    # Police in all four, GGZ in A and D, the gemeente in D.
    result = run("netwerk_per_organisatie", q2)

    counts = {row.label.split(" (")[0]: row.cells["casussen"].value for row in result.rows}
    assert counts == {"Politie Test": 4, "GGZ Test": 2, "Gemeente Hilversum": 1}
    assert result.headline.value == 3


def test_indicators_without_data_say_so(history, q2):
    result = run("politiemeldingen", q2)

    assert not result.available
    assert "Nog geen gegevens" in result.notes[0]


def test_every_indicator_runs_on_an_empty_database_with_all_filters(db):
    from tafel.reports.indicators import all_indicators

    params = Params(
        period=parse_period("2025"),
        municipality_id=1,
        theme="jeugd",
        route="veld",
        organisation_id=1,
        overleg_type="com",
    )
    for indicator in all_indicators():
        result = indicator.run(params)
        assert result.available == indicator.available
        if result.total is not None:
            assert all(c.value in (0, None, 0.0) for c in result.total.cells.values() if c.kind == "count")


@pytest.fixture
def plans(history):
    """Published plans (ORM; the plan services belong to the meetings app):
    A: v1 on 10-04, good, 3 actions with owner and deadline; v2 on 11-05 without next evaluation date,
       1 action without owner → A's latest plan is not good.
    D: v1 on 25-05, good: goal, casusregisseur, next date, 2 actions with owner and deadline (one with a
       rationale), a bodemeis with a guard.
    E: v1 on 02-07 (after Q2) → no plan within Q2."""
    import datetime

    from tafel.meetings.models import Action, ActionType, Bodemeis, Plan

    from .conftest import at

    def plan(name, number, when, *, next_date=True):
        return Plan.objects.create(
            case=history.cases[name],
            number=number,
            published_at=when,
            published_by=history.regisseur,
            goals="Veiligheid voor de kinderen.",
            casusregisseur=history.regisseur,
            next_meeting_date=datetime.date(2025, 9, 1) if next_date else None,
            supplied_by_org=history.house,
            created_by=history.regisseur,
            created_at=when,
        )

    def action(p, *, owner=True, deadline=True, rationale=""):
        Action.objects.create(
            plan=p,
            case=p.case,
            owner=history.regisseur if owner else None,
            what="Iets doen.",
            deadline=datetime.date(2025, 8, 1) if deadline else None,
            type=ActionType.PROFESSIONAL_ACTION,
            rationale=rationale,
        )

    a1 = plan("A", 1, at(2025, 4, 10))
    for _ in range(3):
        action(a1)
    a2 = plan("A", 2, at(2025, 5, 11), next_date=False)
    action(a2, owner=False)
    d1 = plan("D", 1, at(2025, 5, 25))
    action(d1, rationale="Omdat de school zich zorgen maakt.")
    action(d1)
    Bodemeis.objects.create(
        plan=d1, text="Geen geweld.", guard=history.regisseur, if_broken="Dezelfde dag overleg over een huisverbod."
    )
    plan("E", 1, at(2025, 7, 2))
    # Publication stores the one quality rule's outcome on the plan; these plans are written directly.
    from tafel.meetings.services import plan_quality_store

    plan_quality_store(Plan.objects.filter(published_at__isnull=False))


def test_plan_quality_is_judged_on_the_latest_plan(history, plans, q2):
    # Population A, B, D, E. Published plan before the end of Q2: A and D → 2 of 4 = 50.0%.
    # Latest plan meets the criteria: D only (A's v2 lacks the next evaluation date and an owner) → 25.0%.
    result = run("casusregie", q2)

    assert result.row("plan").cells["aantal"].value == 2
    assert result.row("plan").cells["aandeel"].value == 50.0
    assert result.row("plan_kwaliteit").cells["aantal"].value == 1
    assert result.row("plan_kwaliteit").cells["aandeel"].value == 25.0


def test_population_plan_figures_equal_the_per_case_plan_conditions(history, plans, q2):
    """The population's plan figures (one pass over the latest plans) count exactly the cases the drill-down's
    per-case conditions (`plan_annotations`) select, also for a latest plan published with a reason although it
    failed the criteria, and with a filter."""
    from tafel.meetings.models import Plan
    from tafel.reports.indicators.lifecycle import zvh_cases_during
    from tafel.reports.indicators.populations import plan_annotations, zvh_population_figures

    latest_of_a = Plan.objects.filter(case=history.cases["A"]).order_by("-published_at", "-id").first()
    Plan.objects.filter(pk=latest_of_a.pk).update(quality_override_reason="Spoed: de school begint.")

    for params in (q2, q2.replace(municipality_id=history.hilversum.pk), q2.replace(theme="jeugd")):
        figures = zvh_population_figures(params)
        cases = zvh_cases_during(params).annotate(**plan_annotations(params))
        assert figures.with_plan == cases.filter(has_plan=True).count()
        assert figures.with_good_plan == cases.filter(good_plan=True).count()
        assert figures.with_confirmed_incomplete_plan == cases.filter(confirmed_incomplete_plan=True).count()
    assert zvh_population_figures(q2).with_confirmed_incomplete_plan == 1


def test_action_quality_counts_the_latest_plan_of_each_case(history, plans, q2):
    # Latest plan published in Q2 per case: A v2 (1 action, no owner), D v1 (2 actions, one with a rationale).
    # A's v1 actions are superseded. 3 actions: with owner 2 (66.7%), deadline 3 (100.0%), rationale 1 (33.3%).
    result = run("acties_kwaliteit", q2)

    assert result.total.cells["aantal"].value == 3
    assert result.row("eigenaar").cells["aantal"].value == 2
    assert result.row("eigenaar").cells["aandeel"].value == 66.7
    assert result.row("deadline").cells["aantal"].value == 3
    assert result.row("onderbouwing").cells["aandeel"].value == 33.3
