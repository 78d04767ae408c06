"""The building blocks of the indicator engine: parameters, result tables, the registry and query helpers.

An indicator is a code, a Dutch name, a written definition (numerator, denominator, time window, exclusions)
and a compute function that returns a table (`Result`) fit for a chart, a screen-reader table, a PDF, an
XLSX sheet and the API. Compute functions only run aggregate queries: the database groups and counts, Python
never walks the cases one by one. Lead times are grouped by whole days in the database; medians and
90th percentiles are then read off that histogram (a few hundred rows, whatever the number of cases).

Compute functions know nothing about who is looking. Small-cell suppression (`tafel.reports.suppression`)
and access (`tafel.access.policy`) are applied on top, by the selectors.
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q, QuerySet

from tafel.reports.periods import Period

# --- parameters -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Params:
    """What every indicator is filtered by. Empty values mean "all"."""

    period: Period
    municipality_id: int | None = None
    theme: str = ""
    route: str = ""
    organisation_id: int | None = None
    overleg_type: str = ""  # OverlegType.code

    def replace(self, **changes) -> Params:
        values = {f: getattr(self, f) for f in self.__dataclass_fields__}
        values.update(changes)
        return Params(**values)

    def as_query(self) -> dict[str, str]:
        """The URL query that reproduces these parameters (drill-down links, report jobs)."""
        query = {"period": self.period.code}
        if self.municipality_id:
            query["municipality"] = str(self.municipality_id)
        if self.theme:
            query["theme"] = self.theme
        if self.route:
            query["route"] = self.route
        if self.organisation_id:
            query["organisation"] = str(self.organisation_id)
        if self.overleg_type:
            query["overleg_type"] = self.overleg_type
        return query


def case_conditions(params: Params, *, path: str = "", case_ref: str = "pk", route: bool = True) -> list:
    """Filter conditions on the case behind a row. `path` leads from the queried model to the case
    ("" for Case itself, "case__" for Aanmelding, Triage, ...) and `case_ref` names the case id in the outer
    query for the EXISTS sub-queries ("pk" for Case, "case_id" for the others). Participation and overleg
    type are tested with EXISTS so that a case is never counted twice through a join."""
    from tafel.cases.models import CaseOrganisation

    conditions: list = []
    if params.municipality_id:
        conditions.append(Q(**{f"{path}municipality_id": params.municipality_id}))
    if params.theme:
        conditions.append(Q(**{f"{path}theme": params.theme}))
    if params.route and route:
        conditions.append(Q(**{f"{path}entry_route": params.route}))
    if params.organisation_id:
        conditions.append(
            Exists(CaseOrganisation.objects.filter(case_id=OuterRef(case_ref), organisation_id=params.organisation_id))
        )
    if params.overleg_type:
        from tafel.meetings.models import AgendaItem

        # Cases discussed (not merely deferred) in an overleg of this type before the period ended.
        conditions.append(
            Exists(
                AgendaItem.objects.filter(
                    case_id=OuterRef(case_ref),
                    deferred=False,
                    meeting__overleg_type__code=params.overleg_type,
                    meeting__starts_at__lt=params.period.end,
                )
            )
        )
    return conditions


def in_period(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


# --- result tables ----------------------------------------------------------------------------------------

COUNT = "count"  # a number of cases, decisions, ... (suppressed when small)
SHARE = "share"  # a percentage, derived from counts
DAYS = "days"  # a median or percentile of a lead time in days, derived from the number of cases
MEAN = "mean"  # an average, derived from the number of cases
NUMBER = "number"  # a configured number (a maximum caseload, a target): never suppressed


@dataclass(eq=False)
class Cell:
    """One figure. `basis` lists the count cells a derived figure was computed from: when any of them is
    suppressed, the derived figure is suppressed too (a share of a hidden count would give the count away)."""

    value: float | int | None
    kind: str = COUNT
    basis: tuple[Cell, ...] = ()
    suppressed: bool = False
    # Why: "small" (below the threshold) or "complement" (hidden to protect a small cell next to it).
    suppressed_because: str = ""

    @property
    def is_count(self) -> bool:
        return self.kind == COUNT


def count(value: int | None) -> Cell:
    return Cell(int(value or 0), COUNT)


def share(numerator: Cell | Iterable[Cell], denominator: Cell) -> Cell:
    parts = (numerator,) if isinstance(numerator, Cell) else tuple(numerator)
    num = sum(c.value or 0 for c in parts)
    value = round(100.0 * num / denominator.value, 1) if denominator.value else None
    return Cell(value, SHARE, basis=(*parts, denominator))


def derived(value: float | None, kind: str, *basis: Cell) -> Cell:
    return Cell(None if value is None else round(float(value), 1), kind, basis=basis)


def number(value: float | int | None) -> Cell:
    return Cell(value, NUMBER)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass
class Row:
    key: str
    label: str
    cells: dict[str, Cell]


@dataclass
class Partition:
    """Cells that add up to a shown total: hiding one of them alone would not hide it (total minus the
    others), so suppression hides a second one (see tafel.reports.suppression)."""

    cells: list[Cell]
    total: Cell


@dataclass
class Result:
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    headline: Cell | None = None
    headline_label: str = ""
    # Extra summary figures shown under the headline (means, medians, counts of a population).
    stats: list[tuple[str, Cell]] = field(default_factory=list)
    partitions: list[Partition] = field(default_factory=list)
    # Columns drawn in the chart (up to two series), in order.
    chart_columns: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    available: bool = True

    def all_cells(self) -> list[Cell]:
        cells = [c for row in self.rows for c in row.cells.values()]
        if self.total:
            cells += list(self.total.cells.values())
        if self.headline:
            cells.append(self.headline)
        cells += [c for _, c in self.stats]
        return cells

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        if self.total and self.total.key == key:
            return self.total
        raise KeyError(key)


def partitioned(result: Result, *column_keys: str) -> Result:
    """Mark the given columns of the rows as adding up to the total row."""
    assert result.total is not None
    for key in column_keys:
        result.partitions.append(
            Partition(cells=[row.cells[key] for row in result.rows], total=result.total.cells[key])
        )
    return result


def no_data_result(note: str) -> Result:
    return Result(columns=[], rows=[], notes=[note], available=False)


# --- the registry -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    numerator: str
    denominator: str
    window: str
    exclusions: str
    notes: str = ""


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    group: str
    definition: Definition
    compute: Callable[[Params], Result] | None
    # The cases behind one row of the table (drill-down), or None when a row is not a set of cases.
    cases: Callable[[Params, str], QuerySet] | None = None
    # What the headline figure measures (the value a goal in the effectiviteitsmatrix is compared with).
    headline: str = ""
    unit: str = COUNT
    # Why the indicator cannot be computed yet (no data in Tafel); empty when it can.
    unavailable_reason: str = ""
    # Rough relative cost at scale, only for scheduling: computed concurrently, the costly ones start first
    # (3: reads the period's population table and what hangs off it; 2: a scan of the period's history).
    cost: int = 1
    # Days after a period's end during which its figure still moves without any change to its own cases
    # (re-entry within 365 days: a new case of the same person later counts for the period's leavers). Until
    # then a closed quarter's figure is computed live, never stored (tafel.reports.stored).
    settles_after_days: int = 0

    @property
    def available(self) -> bool:
        return self.compute is not None and not self.unavailable_reason

    @property
    def drillable(self) -> bool:
        """Whether a figure leads to a list of cases (templates cannot test `cases` itself: they call it)."""
        return self.cases is not None and self.available

    def run(self, params: Params) -> Result:
        """The (unsuppressed) result; computed once per `shared_work()` block for the same parameters.
        Callers never change it: suppression works on a copy."""
        if not self.available:
            return no_data_result(self.unavailable_reason or "Nog geen gegevens.")
        return shared(self.result_key(params), lambda: self.compute(params))

    def result_key(self, params: Params) -> tuple:
        return ("result", self.code, params)


GROUPS = {
    "instroom": "Instroom en routering",
    "doorlooptijd": "Doorlooptijden",
    "kwaliteit": "Proceskwaliteit",
    "uitkomst": "Uitkomsten",
    "netwerk": "Netwerk",
}

REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    if indicator.code in REGISTRY:
        raise ValueError(f"indicator {indicator.code!r} is al geregistreerd")
    if indicator.group not in GROUPS:
        raise ValueError(f"onbekende groep {indicator.group!r}")
    REGISTRY[indicator.code] = indicator
    return indicator


# --- query helpers ----------------------------------------------------------------------------------------


class DaysBetween(models.Func):
    """Whole days (periods of 24 hours, rounded down) from `start` to `end`: a decision 23 hours after the
    aanmelding took 0 days, one 25 hours after it 1 day. Computed by the database on the stored UTC moments
    (SQLite's julianday, PostgreSQL's epoch), so no time-zone conversion runs per row."""

    output_field = models.IntegerField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        end_sql, end_params = compiler.compile(self.source_expressions[0])
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        # 1e-9 days (< 0.1 ms) guards against julianday's floating-point error at exact multiples of a day.
        sql = f"CAST(julianday({end_sql}) - julianday({start_sql}) + 1e-9 AS INTEGER)"
        return sql, (*end_params, *start_params)

    def as_postgresql(self, compiler, connection, **extra):
        end_sql, end_params = compiler.compile(self.source_expressions[0])
        start_sql, start_params = compiler.compile(self.source_expressions[1])
        sql = f"FLOOR(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 86400)::integer"
        return sql, (*end_params, *start_params)


class PlusDays(models.Func):
    """`moment` plus a whole number of days, computed by the database itself. Django writes `F(...) + timedelta`
    on SQLite as a call of its Python function `django_format_dtdelta` for every row compared; the re-entry
    figure compared three such windows per leaving and spent most of its time there. SQLite: `datetime()` of
    the whole seconds gives "YYYY-MM-DD HH:MM:SS" and the stored fraction of a second (characters 20 and on,
    when there is one) is appended unchanged, which is exactly how Django stores the sum, so text comparisons
    with stored moments stay exact. A day is 24 hours on the stored UTC moments, as with timedelta(days=...)."""

    output_field = models.DateTimeField()
    arity = 1

    def __init__(self, moment, days: int, **extra):
        super().__init__(moment, **extra)
        self.days = int(days)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # The whole seconds only go through datetime(), which would round a fraction up to the next second.
        return f"(datetime(substr({sql}, 1, 19), '{self.days:+d} days') || substr({sql}, 20))", (*params, *params)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + make_interval(days => {self.days}))", params


def percentile(histogram: Counter, p: float) -> float | None:
    """The p-th percentile (0–1) of the values in `histogram` (value → how often), by linear interpolation
    between the two nearest ranks — the method of PostgreSQL's percentile_cont and of most spreadsheets:
    sort the n values, take position p·(n−1) (counting from 0) and interpolate."""
    n = sum(histogram.values())
    if n == 0:
        return None
    position = p * (n - 1)
    low_rank = int(position)
    high_rank = min(low_rank + 1, n - 1)
    low = _value_at_rank(histogram, low_rank)
    high = _value_at_rank(histogram, high_rank)
    return low + (high - low) * (position - low_rank)


def _value_at_rank(histogram: Counter, rank: int):
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen > rank:
            return value
    raise IndexError(rank)


def mean_of(histogram: Counter) -> float | None:
    n = sum(histogram.values())
    if n == 0:
        return None
    return sum(value * times for value, times in histogram.items()) / n


def grouped_histograms(qs: QuerySet, group: str, value: str) -> dict[object, Counter]:
    """{group value: Counter(value → number of rows)} in one GROUP BY query."""
    result: dict[object, Counter] = {}
    rows = qs.order_by().values(group, value).annotate(n=models.Count("pk")).values_list(group, value, "n")
    for g, v, n in rows:
        if v is None:
            continue
        result.setdefault(g, Counter())[v] += n
    return result


def histogram_of(qs: QuerySet, value: str) -> Counter:
    """Counter(value → number of rows) for a queryset whose `value` is itself an aggregate (partners per
    case): SELECT value, COUNT(*) FROM (<the queryset>) GROUP BY value, all in the database."""
    try:
        sql, params = qs.order_by().values(value).query.sql_with_params()
    except EmptyResultSet:  # a filter on an empty list of ids: nothing to count
        return Counter()
    connection = connections[qs.db]
    column = connection.ops.quote_name(value)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t.{column}, COUNT(*) FROM ({sql}) t GROUP BY t.{column}", params)  # noqa: S608
        return Counter(dict(cursor.fetchall()))


def grouped_counts(qs: QuerySet, group: str) -> dict[object, int]:
    return dict(qs.order_by().values(group).annotate(n=models.Count("pk")).values_list(group, "n"))


def days_ago(moment: datetime.datetime, days: int) -> datetime.datetime:
    return moment - datetime.timedelta(days=days)


# --- sharing work between indicators ----------------------------------------------------------------------


class SharedWork:
    """The values computed once within one `shared_work()` block, safe to use from several threads (the
    monitor may compute its indicators concurrently, see `tafel.reports.indicators.concurrent`): a key being
    computed by one thread is waited for by the others, never computed twice."""

    def __init__(self) -> None:
        self._values: dict = {}
        self._computing: dict = {}
        self._lock = threading.Lock()
        self.cleanups: list[Callable[[], None]] = []

    def has(self, key) -> bool:
        with self._lock:
            return key in self._values

    def put(self, key, value) -> None:
        with self._lock:
            self._values.setdefault(key, value)

    def get(self, key, compute: Callable[[], object]):
        with self._lock:
            if key in self._values:
                return self._values[key]
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._values:  # computed by another thread while this one waited
                    return self._values[key]
            value = compute()  # an exception leaves the key unset: the next caller tries again
            with self._lock:
                self._values[key] = value
            return value


_shared: ContextVar[SharedWork | None] = ContextVar("indicator_shared_work", default=None)


@contextmanager
def shared_work() -> Iterator[None]:
    """While active, `shared(key, compute)` computes each key once: several indicators read the same
    population (cases in the ZVH-aanpak during the period), and a page or report computes them together.
    Callbacks registered with `on_shared_work_end` (dropping a temporary table) run when it ends."""
    if _shared.get() is not None:  # already inside one: share with it
        yield
        return
    work = SharedWork()
    token = _shared.set(work)
    try:
        yield
    finally:
        _shared.reset(token)
        for cleanup in reversed(work.cleanups):
            cleanup()


def sharing_work() -> bool:
    return _shared.get() is not None


def on_shared_work_end(callback: Callable[[], None]) -> None:
    _shared.get().cleanups.append(callback)


def already_shared(key) -> bool:
    """Whether `key` has been computed in the current `shared_work()` block."""
    work = _shared.get()
    return work is not None and work.has(key)


def provide(key, value) -> None:
    """Put a value computed elsewhere (a stored figure) into the current `shared_work()` block."""
    _shared.get().put(key, value)


def shared(key, compute: Callable[[], object]):
    work = _shared.get()
    if work is None:
        return compute()
    return work.get(key, compute)
