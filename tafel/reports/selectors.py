"""Every read of the monitor: the dashboard, one indicator (API), the drill-down, the effectiviteitsmatrix
and the data of a report. One selector per question, always scoped by the viewer: the page, the API, the
PDF/XLSX/CSV and the management command read their figures here, so they cannot differ."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from tafel.access.policy import may_drill_down, may_view_reports, sees_all_cases
from tafel.cases.access import cases_visible_to
from tafel.cases.models import EntryRoute, Theme
from tafel.core.audit import audit_many
from tafel.core.audit_events import CoreEvent
from tafel.core.databases import monitor_reads
from tafel.core.errors import AccessDenied, NotFound
from tafel.core.models import AuditPurpose
from tafel.reports import charts, stored
from tafel.reports.indicators import GROUPS, Indicator, Params, Result, all_indicators, get
from tafel.reports.indicators.base import COUNT, NUMBER, SHARE, Cell, already_shared, provide, shared_work
from tafel.reports.indicators.concurrent import run_tasks
from tafel.reports.periods import Period
from tafel.reports.suppression import display, legend, suppress, threshold


def suppression_applies(user) -> bool:
    """Aggregates only, small cells hidden: everyone except a reader who may open every case behind the
    figures anyway (the house's procesregisseur). Exports always apply it."""
    return not (may_drill_down(user) and sees_all_cases(user))


def _require_reader(viewer) -> None:
    if not may_view_reports(viewer):
        raise AccessDenied(
            "De monitor is er voor de ketenmanager, de analist/stuurgroep, de procesregisseur en de beheerder."
        )


# --- the figures ------------------------------------------------------------------------------------------


@dataclass
class IndicatorView:
    indicator: Indicator
    result: Result
    chart: str = ""

    @property
    def code(self) -> str:
        return self.indicator.code


@dataclass
class GroupView:
    code: str
    name: str
    items: list[IndicatorView]


@dataclass
class Monitor:
    params: Params
    items: list[IndicatorView]
    suppressed: bool
    threshold: int
    generated_at: object
    drill_down: bool = False
    filters: list[tuple[str, str]] = field(default_factory=list)

    @property
    def groups(self) -> list[GroupView]:
        groups = []
        for code, name in GROUPS.items():
            items = [i for i in self.items if i.indicator.group == code]
            if items:
                groups.append(GroupView(code, name, items))
        return groups

    @property
    def legend(self) -> str:
        return legend(self.threshold)

    def item(self, code: str) -> IndicatorView:
        return next(i for i in self.items if i.code == code)


def chart_for(indicator: Indicator, result: Result) -> str:
    """The bar chart of an indicator's rows (the data table beside it is the accessible version)."""
    if not result.available or not result.rows or not result.chart_columns:
        return ""
    columns = {c.key: c for c in result.columns}
    series = []
    for key in result.chart_columns[:2]:
        cells = [row.cells[key] for row in result.rows]
        series.append(
            charts.Series(
                name=columns[key].label,
                values=[None if c.suppressed else c.value for c in cells],
                displays=[display(c) for c in cells],
            )
        )
    maximum = 100.0 if all(columns[k].kind == SHARE for k in result.chart_columns[:2]) else None
    labels = [row.label for row in result.rows]
    return charts.bar_chart(indicator.name, labels, series, maximum=maximum)


def _filters(params: Params) -> list[tuple[str, str]]:
    from tafel.organisations.models import Municipality, Organisation

    shown = [("Periode", params.period.label)]
    if params.municipality_id:
        name = Municipality.objects.filter(pk=params.municipality_id).values_list("name", flat=True).first()
        shown.append(("Gemeente", name or str(params.municipality_id)))
    if params.theme:
        shown.append(("Thema", dict(Theme.choices).get(params.theme, params.theme)))
    if params.route:
        shown.append(("Instroomroute", dict(EntryRoute.choices).get(params.route, params.route)))
    if params.organisation_id:
        name = Organisation.objects.filter(pk=params.organisation_id).values_list("name", flat=True).first()
        shown.append(("Organisatie", name or str(params.organisation_id)))
    if params.overleg_type:
        from tafel.meetings.models import OverlegType

        name = OverlegType.objects.filter(code=params.overleg_type).values_list("name", flat=True).first()
        shown.append(("Soort overleg", name or params.overleg_type))
    return shown


def prefetch(pairs: list[tuple[Indicator, Params]], *, progress=None) -> None:
    """Compute the results of these (indicator, parameters) pairs into the current `shared_work()` block, in
    one go: on PostgreSQL side by side and from one snapshot (indicators.concurrent), the costly ones first.
    Pairs already computed in the block are skipped. Figures of a closed quarter are read from the stored ones
    when nothing changed them since, and stored when computed (tafel.reports.stored)."""
    todo, seen = [], set()
    for indicator, params in sorted(pairs, key=lambda pair: -pair[0].cost):
        key = indicator.result_key(params)
        if indicator.available and key not in seen and not already_shared(key):
            seen.add(key)
            todo.append((indicator, params))
    with monitor_reads() as alias:
        batch = stored.Batch(todo)
        for key, result in batch.found.items():
            provide(key, result)
        todo = [(i, p) for i, p in todo if i.result_key(p) not in batch.found]
        results = run_tasks([functools.partial(i.run, p) for i, p in todo], progress=progress, alias=alias)
    batch.store({i.result_key(p): result for (i, p), result in zip(todo, results, strict=True)})


def compute(
    params: Params, *, suppressed: bool, codes: list[str] | None = None, progress=None, also: list | None = None
) -> Monitor:
    """The figures of the monitor for `params`, without an access check: the callers check (the selectors
    below for a viewer, the report job for the user who asked for it). `progress(done, total)` is called after
    each indicator (the report's progress bar). `also`: more (indicator, parameters) pairs to compute in the
    same go (the goals' figures), read afterwards from the same `shared_work()` block. The figures are read
    from the monitor's database: the replica when one is configured (tafel.core.databases)."""
    with monitor_reads():
        return _compute(params, suppressed=suppressed, codes=codes, progress=progress, also=also)


def _compute(params: Params, *, suppressed: bool, codes: list[str] | None, progress, also: list | None) -> Monitor:
    indicators = [i for i in all_indicators() if codes is None or i.code in codes]
    items = []
    with shared_work():
        prefetch([(i, params) for i in indicators] + list(also or []), progress=progress)
        for indicator in indicators:
            result = indicator.run(params)
            if suppressed:
                result = suppress(result)
            items.append(IndicatorView(indicator, result, chart_for(indicator, result)))
    return Monitor(
        params=params,
        items=items,
        suppressed=suppressed,
        threshold=threshold(),
        generated_at=timezone.now(),
        filters=_filters(params),
    )


def monitor(*, viewer, params: Params, codes: list[str] | None = None) -> Monitor:
    _require_reader(viewer)
    result = compute(params, suppressed=suppression_applies(viewer), codes=codes)
    result.drill_down = may_drill_down(viewer)
    return result


def compute_with_goals(
    params: Params, *, suppressed: bool, per_quarter: bool, progress=None
) -> tuple[Monitor, list[GoalView]]:
    """Every indicator and the effectiviteitsmatrix's goals, without an access check: the figures and the
    goals' figures computed in one go (one snapshot), then the goals read them."""
    with monitor_reads(), shared_work():
        goals = active_goals()
        also = goal_pairs(goals, params, per_quarter=per_quarter)
        figures = compute(params, suppressed=suppressed, progress=progress, also=also)
        views = goal_views(params, suppressed=suppressed, per_quarter=per_quarter, goals=goals)
    return figures, views


def dashboard(*, viewer, params: Params) -> tuple[Monitor, list]:
    """The monitor page: every indicator and the goals for the period (a goal on the same indicator and
    filters reuses the figure computed for the page)."""
    _require_reader(viewer)
    figures, goals = compute_with_goals(params, suppressed=suppression_applies(viewer), per_quarter=False)
    figures.drill_down = may_drill_down(viewer)
    return figures, goals


def indicator_result(*, viewer, code: str, params: Params) -> tuple[Indicator, Result, bool]:
    """One indicator for the API: suppressed unless the viewer may see every case behind it."""
    _require_reader(viewer)
    indicator = get(code)
    if indicator is None:
        raise NotFound(f"Onbekende indicator: {code}.")
    with monitor_reads():
        result = indicator.run(params)
    suppressed = suppression_applies(viewer)
    return indicator, suppress(result) if suppressed else result, suppressed


def indicator_list(*, viewer) -> list[Indicator]:
    _require_reader(viewer)
    return all_indicators()


# --- drill-down -------------------------------------------------------------------------------------------


def drilldown_cases(*, viewer, code: str, params: Params, row: str, column: str = "") -> QuerySet:
    """The cases behind one figure, limited to the cases the viewer may see. Aggregate-only readers
    (analyst, stuurgroep, ketenmanager, beheerder) get NotFound: for them no case list exists."""
    if not may_drill_down(viewer):
        raise NotFound("Deze lijst bestaat niet of u heeft er geen toegang toe.")
    indicator = get(code)
    if indicator is None or indicator.cases is None or not indicator.available:
        raise NotFound("Deze lijst bestaat niet of u heeft er geen toegang toe.")
    behind = indicator.cases(params, row, column)
    if behind is None:
        raise NotFound("Achter dit cijfer staat geen lijst van casussen.")
    return (
        cases_visible_to(viewer)
        .filter(pk__in=behind.order_by().values("pk"))
        .select_related("municipality")
        .order_by("-created_at", "-id")
    )


def audit_drilldown(*, viewer, cases) -> None:
    """A drill-down list shows case references: each shown case is a read."""
    audit_many(
        actor=viewer,
        event=CoreEvent.CASE_LIST,
        case_ids=[c.pk for c in cases],
        reason="monitor",
        purpose=AuditPurpose.VERANTWOORDING,
    )


# --- the effectiviteitsmatrix (PDCA) ----------------------------------------------------------------------


@dataclass
class GoalQuarter:
    period: Period
    display: str
    value: float | None
    reached: bool | None  # None: no value (no cases, or hidden)

    @property
    def status(self) -> str:
        if self.reached is None:
            return "geen waarde"
        return "gehaald" if self.reached else "niet gehaald"


@dataclass
class GoalView:
    goal: object
    indicator: Indicator | None
    quarters: list[GoalQuarter]
    chart: str = ""

    @property
    def target_text(self) -> str:
        from tafel.reports.models import Direction

        word = "minimaal" if self.goal.direction == Direction.AT_LEAST else "maximaal"
        return f"{word} {self.target_display}"

    @property
    def target_display(self) -> str:
        unit = self.indicator.unit if self.indicator else COUNT
        value = float(self.goal.target_value)
        return display(Cell(value, unit if unit != COUNT else NUMBER))


def goal_quarters(period: Period) -> list[Period]:
    """The quarters a goal is shown for: the quarters of a year, or the four quarters up to and including
    the chosen quarter (a full PDCA cycle)."""
    from tafel.reports.periods import quarter_of

    if period.kind == "year":
        return period.quarters()
    last = period.quarters()[-1]
    quarters = [last]
    while len(quarters) < 4:
        quarters.insert(0, quarter_of(quarters[0].first_day - datetime.timedelta(days=1)))
    return quarters


def goal_params(goal, params: Params) -> Params:
    """The parameters a goal is measured with: its overleg type and theme within `params`."""
    return params.replace(
        overleg_type=goal.overleg_type.code if goal.overleg_type_id else params.overleg_type,
        theme=goal.theme or params.theme,
    )


def goal_measure(goal, params: Params, *, suppressed: bool) -> tuple[float | None, str]:
    """The headline of the goal's indicator for its overleg type and theme within `params`."""
    indicator = get(goal.indicator_code)
    if indicator is None or not indicator.available:
        return None, "–"
    result = indicator.run(goal_params(goal, params))
    if suppressed:
        result = suppress(result)
    cell = result.headline
    if cell is None or cell.suppressed or cell.value is None:
        return None, display(cell) or "–"
    return float(cell.value), display(cell)


def active_goals() -> list:
    from tafel.reports.models import Goal

    return list(Goal.objects.filter(active=True).select_related("overleg_type"))


def goal_pairs(goals: list, params: Params, *, per_quarter: bool) -> list[tuple[Indicator, Params]]:
    """Every (indicator, parameters) the goals need: per quarter, with each goal's overleg type and theme."""
    periods = goal_quarters(params.period) if per_quarter else [params.period]
    pairs = []
    for goal in goals:
        indicator = get(goal.indicator_code)
        if indicator is not None and indicator.available:
            pairs += [(indicator, goal_params(goal, params.replace(period=period))) for period in periods]
    return pairs


def goal_views(
    params: Params, *, suppressed: bool, per_quarter: bool = True, goals: list | None = None
) -> list[GoalView]:
    """Every active goal with its measured value per quarter (or for the period only), target against
    measured value: the closed PDCA loop of SPEC §7."""
    goals = active_goals() if goals is None else goals
    periods = goal_quarters(params.period) if per_quarter else [params.period]
    views = []
    with monitor_reads(), shared_work():
        prefetch(goal_pairs(goals, params, per_quarter=per_quarter))  # nothing left when the caller did it
        for goal in goals:
            quarters = []
            for period in periods:
                value, shown = goal_measure(goal, params.replace(period=period), suppressed=suppressed)
                quarters.append(GoalQuarter(period, shown, value, goal.reached(value)))
            view = GoalView(goal, get(goal.indicator_code), quarters)
            if per_quarter and len(quarters) > 1:
                target = float(goal.target_value)
                view.chart = charts.line_chart(
                    goal.title,
                    [q.period.code for q in quarters],
                    [
                        charts.Series("Gemeten", [q.value for q in quarters], [q.display for q in quarters]),
                        charts.Series("Streefwaarde", [target] * len(quarters), [view.target_display] * len(quarters)),
                    ],
                )
            views.append(view)
    return views


def goal_matrix(*, viewer, params: Params, per_quarter: bool = True, goals: list | None = None) -> list[GoalView]:
    _require_reader(viewer)
    return goal_views(params, suppressed=suppression_applies(viewer), per_quarter=per_quarter, goals=goals)
