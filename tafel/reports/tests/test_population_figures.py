"""The figures that now read counts stored for the monitor (issue 14, the current quarter's dashboard) equal, on
generated data, the computation they replaced — for the current quarter, past quarters and a year, with and
without filters:

- the population's figures (casusregie and both network indicators), computed in one task from the partner count
  stored on the case: the partner participations of the period's cases grouped per case and per organisation,
  the house left out;
- triage quality's decisions with every criterion argued, from the count stored with the decision: the criteria
  rows of each decision counted;
- the new cases per theme, route and municipality, from one pass shared by the three indicators: a pass each."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.db.models import Count, OuterRef, Q, Subquery

from tafel.cases.argued import refresh_criteria_argued
from tafel.cases.models import CaseOrganisation, Criterion, Theme, Triage, TriageCriterion
from tafel.organisations.models import Organisation, OrganisationType
from tafel.reports.indicators import Params, get
from tafel.reports.indicators.base import shared_work
from tafel.reports.indicators.lifecycle import zvh_cases_during
from tafel.reports.indicators.populations import zvh_population_figures
from tafel.reports.periods import current_quarter, parse_period, quarter_of

pytestmark = pytest.mark.django_db


def previous(period, n: int = 1):
    for _ in range(n):
        period = quarter_of(period.first_day - datetime.timedelta(days=1))
    return period


def reference(params: Params) -> tuple[Counter, dict, int, int]:
    """The figures as the monitor computed them before the stored count: from the participations themselves."""
    cases = zvh_cases_during(params)
    ids = set(cases.values_list("pk", flat=True))
    per_case = Counter(dict.fromkeys(ids, 0))
    per_organisation: Counter = Counter()
    participations = CaseOrganisation.objects.filter(case_id__in=ids).exclude(organisation__type=OrganisationType.ZVH)
    for case_id, org_id in participations.values_list("case_id", "organisation_id"):
        per_case[case_id] += 1
        per_organisation[org_id] += 1
    histogram = Counter(per_case.values())
    figures = cases.aggregate(n=Count("pk"), n_regisseur=Count("pk", filter=Q(casusregisseur__isnull=False)))
    return histogram, dict(per_organisation), figures["n"], figures["n_regisseur"]


def test_the_population_figures_equal_a_count_from_the_participations():
    from tafel.demo.benchdata import generate

    generate(400, seed=11, years=2, verbose=False)
    now = current_quarter()
    periods = [now, previous(now), previous(now, 2), previous(now, 5), parse_period(str(now.first_day.year - 1))]
    some_organisation = Organisation.objects.exclude(type=OrganisationType.ZVH).order_by("pk").first()
    checked = 0
    for period in periods:
        base = Params(period=period)
        variants = [
            base,
            base.replace(theme=Theme.HUISELIJK_GEWELD),
            base.replace(route="veld"),
            base.replace(organisation_id=some_organisation.pk),
        ]
        for params in variants:
            histogram, per_organisation, total, with_regisseur = reference(params)
            for shared in (True, False):  # the population table of a page or report, and the plain sub-query
                if shared:
                    with shared_work():
                        figures = zvh_population_figures(params)
                        per_case = get("netwerk_per_casus").run(params)
                        per_partner = get("netwerk_per_organisatie").run(params)
                else:
                    figures = zvh_population_figures(params)
                    per_case = get("netwerk_per_casus").run(params)
                    per_partner = get("netwerk_per_organisatie").run(params)
                assert +figures.per_partner_count == +histogram
                assert sum(figures.per_partner_count.values()) == figures.total == total
                assert figures.with_casusregisseur == with_regisseur
                assert figures.per_organisation == per_organisation
                assert per_case.total.cells["aantal"].value == total
                assert {row.key: row.cells["casussen"].value for row in per_partner.rows} == {
                    str(k): v for k, v in per_organisation.items()
                }
            checked += total
    assert checked > 500  # the data reaches into every period checked


def test_the_drilldown_behind_a_bucket_lists_the_cases_counted_in_it():
    from tafel.demo.benchdata import generate

    generate(150, seed=12, years=1, verbose=False)
    params = Params(period=current_quarter())
    indicator = get("netwerk_per_casus")
    result = indicator.run(params)
    for row in result.rows:
        assert indicator.cases(params, row.key, "aantal").count() == row.cells["aantal"].value


def test_decisions_with_every_criterion_argued_equal_a_count_of_their_criteria():
    import io

    from django.core.management import call_command

    call_command("demo", seed=4, cases=80, verbosity=0, stdout=io.StringIO())
    # Some arguments blanked behind the service's back (as an old row might hold), then the stored counts
    # refreshed by the rule, so that not every decision is fully argued.
    blank = TriageCriterion.objects.filter(criterion="c").order_by("pk").values_list("pk", flat=True)[::3]
    TriageCriterion.objects.filter(pk__in=list(blank)).update(argument="")
    refresh_criteria_argued(Triage, TriageCriterion)
    argued = (
        TriageCriterion.objects.filter(triage_id=OuterRef("pk"))
        .exclude(argument="")
        .order_by()
        .values("triage_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    now = current_quarter()
    seen = 0
    for period in [now, previous(now), previous(now, 2), previous(now, 3), parse_period(str(now.first_day.year))]:
        for params in (Params(period=period), Params(period=period, theme=Theme.HUISELIJK_GEWELD)):
            triages = Triage.objects.filter(decided_at__gte=period.start, decided_at__lt=period.end)
            if params.theme:
                triages = triages.filter(case__theme=params.theme)
            expected = triages.annotate(n=Subquery(argued)).filter(n__gte=len(Criterion.values)).count()
            result = get("triage_kwaliteit").run(params)
            assert result.row("alle_criteria").cells["aantal"].value == expected
            seen += triages.count() - expected
    assert seen > 0  # some decisions were not fully argued


def test_new_cases_per_theme_route_and_municipality_from_one_pass_equal_a_pass_each():
    from tafel.cases.models import Case
    from tafel.demo.benchdata import generate

    generate(300, seed=13, years=1, verbose=False)
    now = current_quarter()
    for period in (now, previous(now), previous(now, 2)):
        for params in (Params(period=period), Params(period=period, route="veld")):
            cases = Case.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
            if params.route:
                cases = cases.filter(entry_route=params.route)
            with shared_work():
                for code, field in (
                    ("casussen_thema", "theme"),
                    ("casussen_route", "entry_route"),
                    ("casussen_gemeente", "municipality_id"),
                ):
                    expected = {str(k): n for k, n in cases.order_by().values_list(field).annotate(n=Count("pk")) if n}
                    rows = get(code).run(params).rows
                    assert {row.key: row.cells["aantal"].value for row in rows if row.cells["aantal"].value} == expected
