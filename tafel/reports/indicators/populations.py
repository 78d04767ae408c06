"""Figures about the cases in the ZVH-aanpak during a period, computed together once and shared by the
indicators that need them (casusregie and plans, partners per case, cases per partner organisation)."""

from __future__ import annotations

import itertools
import os
import threading
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL

from tafel.cases.models import Case, CaseOrganisation
from tafel.core.databases import temporary_tables_usable
from tafel.organisations.models import Organisation, OrganisationType
from tafel.reports.indicators.base import (
    Params,
    case_conditions,
    on_shared_work_end,
    shared,
    sharing_work,
)
from tafel.reports.indicators.concurrent import in_worker
from tafel.reports.indicators.lifecycle import zvh_case_ids_during, zvh_cases_during


def partners():
    """Participations of partner organisations: the house itself runs the process in every case, so counting
    it would add one to every case (the rule of the count stored on the case, tafel/cases/partners.py). The
    house's id is looked up in a sub-query of its own rather than by joining every participation with its
    organisation."""
    house = Organisation.objects.filter(type=OrganisationType.ZVH).values("pk")
    return CaseOrganisation.objects.exclude(organisation_id__in=house)


def plan_annotations(params: Params) -> dict:
    """On Case: a published plan; the latest published plan meeting the convenant's quality criteria
    (001:L3340); and the latest published plan that was published with an explicit reason although it failed
    them. The judgement is the one rule `tafel.meetings.services.plan_quality`, stored on the plan when it is
    published (issue 12, item 3): the monitor reads the stored outcome and never judges a plan itself."""
    from tafel.meetings.models import Plan

    def published(case_ref):
        return Plan.objects.filter(case_id=case_ref, published_at__isnull=False, published_at__lt=params.period.end)

    # Inside `good` the plan is the outer row, so the case is one level further out.
    latest = Subquery(published(OuterRef(OuterRef("pk"))).order_by("-published_at", "-id").values("pk")[:1])
    good = published(OuterRef("pk")).filter(pk=latest, meets_quality=True)
    confirmed = published(OuterRef("pk")).filter(pk=latest).exclude(quality_override_reason="")
    return {
        "has_plan": Exists(published(OuterRef("pk"))),
        "good_plan": Exists(good),
        "confirmed_incomplete_plan": Exists(confirmed),
    }


_temporary_tables = itertools.count(1)


def zvh_population(params: Params) -> QuerySet:
    """The cases in the ZVH-aanpak during the period (lifecycle.zvh_cases_during), which five queries of
    three indicators read. Within one `shared_work()` block (a page, a report) the case ids of the period are
    derived from the status history once, into a temporary table that lives until the block ends, and each
    filter (municipality, theme, ...) is applied on top; outside one it is the plain sub-query, and so it is
    where a temporary table would not hold (a read replica; PgBouncer in transaction mode outside a
    transaction: tafel.core.databases.temporary_tables_usable)."""
    if not _materializing():
        return zvh_cases_during(params)
    table = population_table(params.period)
    # The table name is our own (process id and a counter), never input.
    subquery = RawSQL(f"SELECT population_case_id FROM {table}", ())  # noqa: S608, S611
    return Case.objects.order_by().filter(*case_conditions(params), pk__in=subquery)


def zvh_population_ids(params: Params):
    """The ids of `zvh_population`, for `case_id__in=`. Without a case filter inside a `shared_work()` block
    this is the temporary table itself, not a join of it with all cases (on PostgreSQL that join was a scan of
    the case table in each of the network indicators' queries)."""
    if _materializing() and not case_conditions(params):
        table = population_table(params.period)
        return RawSQL(f"SELECT population_case_id FROM {table}", ())  # noqa: S608, S611
    return zvh_population(params).values("pk")


def _materializing() -> bool:
    return sharing_work() and temporary_tables_usable(connections[router.db_for_read(Case)])


def population_table(period) -> str:
    """The name of the temporary table holding the population of `period` on this thread's connection (a
    temporary table is seen only by the connection that made it; the monitor's workers each have their own)."""
    return shared(("zvh_population", period, threading.get_ident()), lambda: _materialize(period))


def _materialize(period) -> str:
    ids = zvh_case_ids_during(period)
    sql, sql_params = ids.query.sql_with_params()
    connection = connections[ids.db]
    table = connection.ops.quote_name(f"reports_population_{os.getpid()}_{next(_temporary_tables)}")
    with connection.cursor() as cursor:
        # A named key column: SQLite would otherwise resolve a bare "id" in the sub-query against the outer
        # table and run it once per row.
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (population_case_id bigint PRIMARY KEY)")
        # Filled by the database from the status history, in a worker too: since one task computes every
        # figure of the population (`zvh_population_figures`), a page fills one such table. (Workers used to
        # derive the ids once into Python and each fill its own copy from them; for a single table that cost
        # 15-20 ms more CPU at 100,000 cases than this INSERT ... SELECT.)
        cursor.execute(f"INSERT INTO {table} (population_case_id) {sql}", sql_params)
    if in_worker():
        return table  # dropped with the worker's connection, which is closed when it ends

    def drop() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

    on_shared_work_end(drop)
    return table


@dataclass
class PopulationFigures:
    total: int = 0
    with_casusregisseur: int = 0
    with_plan: int = 0
    with_good_plan: int = 0
    with_confirmed_incomplete_plan: int = 0
    # Number of partner organisations → number of cases (cases without a partner under 0).
    per_partner_count: Counter = field(default_factory=Counter)
    # Organisation id → number of cases it takes part in (the house left out).
    per_organisation: dict[int, int] = field(default_factory=dict)


def zvh_population_figures(params: Params) -> PopulationFigures:
    """Every figure the monitor reads off the period's population, computed once per `shared_work()` block: the
    casusregie and plan figures and both network figures. One task computes them on one population table (the
    monitor's workers would otherwise each fill their own copy of it)."""
    return shared(("zvh_population_figures", params), lambda: _figures(params))


def _figures(params: Params) -> PopulationFigures:
    """Three queries:

    - one pass over the population's cases: its size, the cases with a casusregisseur and the histogram of
      partners per case, from the count stored on the case (`Case.partner_count`, tafel/cases/partners.py) —
      grouping every case's participations per request was the larger part of the network figures' time;
    - one over the latest published plan of each of its cases (there is at most one per case, and no more
      plans than cases), which answers the three plan conditions of `plan_annotations` at once — as three
      EXISTS filters they were three more passes over the population;
    - one over the population's partner participations, counted per organisation."""
    from tafel.meetings.models import Plan

    population = zvh_population(params)
    per_partner_count: Counter = Counter()
    with_casusregisseur = 0
    rows = (
        population.values("partner_count")
        .annotate(n=Count("pk"), n_regisseur=Count("pk", filter=Q(casusregisseur__isnull=False)))
        .values_list("partner_count", "n", "n_regisseur")
    )
    for partner_count, n, n_regisseur in rows:
        per_partner_count[partner_count] += n
        with_casusregisseur += n_regisseur
    end = params.period.end
    published = Plan.objects.filter(published_at__isnull=False, published_at__lt=end)
    # The same plan as `plan_annotations`' latest: none published later, or at the same moment with a higher id.
    later = published.filter(case_id=OuterRef("case_id")).filter(
        Q(published_at__gt=OuterRef("published_at")) | Q(published_at=OuterRef("published_at"), id__gt=OuterRef("id"))
    )
    latest = published.filter(~Exists(later), case_id__in=zvh_population_ids(params))
    plans = latest.aggregate(
        n=Count("pk"),
        good=Count("pk", filter=Q(meets_quality=True)),
        confirmed=Count("pk", filter=~Q(quality_override_reason="")),
    )
    per_organisation = dict(
        partners()
        .filter(case_id__in=zvh_population_ids(params))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    return PopulationFigures(
        total=sum(per_partner_count.values()),
        with_casusregisseur=with_casusregisseur,
        with_plan=plans["n"],
        with_good_plan=plans["good"],
        with_confirmed_incomplete_plan=plans["confirmed"],
        per_partner_count=per_partner_count,
        per_organisation=per_organisation,
    )


def partner_histogram(params: Params) -> Counter:
    """Number of partner organisations → number of cases in the ZVH-aanpak during the period; cases without a
    partner make the 0 bucket."""
    return Counter(zvh_population_figures(params).per_partner_count)
