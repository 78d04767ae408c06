"""Fixed read queries compiled to SQL once per process, run with each request's own values (issue 14 item 3).

The case page reads a handful of lists whose SQL never changes, only the case's id does. Compiling such a query
(select list, joins, ordering) costs the ORM several times what running it costs SQLite. `prepared_list` compiles
it once per process, database and `key`, and from then on runs the same SQL with the request's values and turns
the rows into model instances exactly as the ORM's own iterator does (select_related and annotations included).

How a request's values get in, and nothing else does: `make_queryset(**stand_ins)` builds the queryset with
stand-in numbers in place of the values (the case id, say). It is built and compiled twice, with two different
sets of stand-ins. The SQL must be identical, and the parameters may differ only where a stand-in went in; every
position holding a stand-in becomes a slot that each run fills with that request's value. Any other parameter
that differs between the two builds (a clock, a value from somewhere else) makes preparing fail loudly, and a
stand-in that does not come out as a parameter too. The two builds also run under two different languages and
two time zones a day apart (neither the request's), so a builder that reads the active language, time zone or
today's date gives two different builds and is refused too, rather than keeping the first request's; and a date
or time among the parameters (a clock read when it was built; on SQLite the ISO text the backend passes) is
refused. What the SQL's *shape* depends on (a role that adds a filter) must be part of `key`; `make_queryset`
must not read the request or the user. No rows are kept: every call runs the query.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import weakref
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections
from django.db.models.query import get_related_populators
from django.utils import timezone, translation

_PREPARED: dict = {}

# Two sets of stand-ins far from any id, so they cannot be mistaken for a real value: one positive and odd, one
# negative and even, so that a builder that (wrongly) branches on a value gives two different SQL texts.
_FIRST = 7_350_001_000_001
_SECOND = -9_460_002_000_000
# A date or time as the backends pass it (SQLite gets dates and datetimes as ISO text).
_ISO_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?([+-]\d{2}:?\d{2}|Z)?"  # a date, a datetime
    r"|\d{2}:\d{2}(:\d{2}(\.\d+)?)?"  # a time
)
# The time zones of the two builds: 25 hours apart, so their local dates always differ.
_ZONES = ("Pacific/Kiritimati", "Pacific/Pago_Pago")


class PrepareError(ValueError):
    """The queryset cannot be prepared safely: its SQL or constant parameters depend on more than the slots."""


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str], ...]
    query: object
    select: list
    klass_info: dict
    annotation_col_map: dict
    col_count: int
    has_extra_select: bool
    # Per connection, what reading the rows needs (`_reader`): worked out on a connection's first run.
    readers: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary, compare=False)


def _compile(make_queryset, names: list[str], base: int, alias: str, *, whole: bool = False):
    stand_ins = {name: base - i for i, name in enumerate(names)}
    queryset = make_queryset(**stand_ins)
    if (
        queryset._prefetch_related_lookups
        or queryset._known_related_objects
        or queryset._iterable_class.__name__ != ("ModelIterable" if not whole else "FlatValuesListIterable")
    ):
        raise PrepareError("prepared_list: model rows only, without prefetch or a related manager's known objects")
    if whole and (queryset.query.is_sliced or queryset.query.distinct or queryset.query.combinator):
        # A page or a count is taken of the whole query: one that is sliced, distinct or combined is refused.
        raise PrepareError("prepared: a page or count of a sliced, distinct or combined query")
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    return stand_ins, queryset, compiler, sql, tuple(params)


def _is_time(value) -> bool:
    if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
        return True
    return isinstance(value, str) and _ISO_TIME.fullmatch(value) is not None


def _languages() -> tuple[str | None, str | None]:
    """Two different languages of the site (the second None, no translation, when the site has one)."""
    codes = [code for code, _name in settings.LANGUAGES]
    return (codes[0], codes[1]) if len(codes) > 1 else (codes[0] if codes else None, None)


def _prepare(make_queryset, names: list[str], alias: str, *, whole: bool = False) -> _Plan:
    """`whole`: the query of a page or count (flat ids, unsliced, not distinct), see `prepared_page`."""
    languages = _languages()
    with translation.override(languages[0]), timezone.override(zoneinfo.ZoneInfo(_ZONES[0])):
        first, queryset, compiler, sql, params = _compile(make_queryset, names, _FIRST, alias, whole=whole)
    with translation.override(languages[1]), timezone.override(zoneinfo.ZoneInfo(_ZONES[1])):
        second, _, _, sql2, params2 = _compile(make_queryset, names, _SECOND, alias, whole=whole)
    if sql != sql2 or len(params) != len(params2):
        raise PrepareError("prepared_list: the SQL depends on the values; put what shapes it in the key")
    slots = []
    for position, (a, b) in enumerate(zip(params, params2, strict=True)):
        if a == b:
            continue
        named = [name for name in names if first[name] == a and second[name] == b]
        if len(named) != 1:
            raise PrepareError(f"prepared_list: parameter {position} differs between builds and is no stand-in")
        slots.append((position, named[0]))
    if any(_is_time(p) for p in params):
        raise PrepareError("prepared_list: a date or time is a parameter of the SQL (a clock read when it was built)")
    if {name for _, name in slots} != set(names):
        raise PrepareError("prepared_list: a value is not a parameter of the SQL")
    if any(str(v) in sql for v in (*first.values(), *second.values())):
        raise PrepareError("prepared_list: a stand-in was written into the SQL text")
    return _Plan(
        sql=sql,
        params=params,
        slots=tuple(slots),
        query=queryset.query,
        select=compiler.select,
        klass_info=compiler.klass_info,
        annotation_col_map=compiler.annotation_col_map,
        col_count=compiler.col_count,
        has_extra_select=compiler.has_extra_select,
    )


def prepared_list(key, make_queryset, *, using: str = "default", **values) -> list:
    """`list(make_queryset(**values))`, with the SQL compiled once per process (see the module's docstring).
    `values` are whole numbers (ids); `key` names the query and everything that decides its shape."""
    for name, value in values.items():
        if type(value) is not int:
            raise TypeError(f"prepared_list: {name} must be an int, not {type(value).__name__}")
    connection = connections[using]
    names = sorted(values)
    cache_key = (using, connection.vendor, key, tuple(names))
    plan = _PREPARED.get(cache_key)
    if plan is None:
        plan = _PREPARED[cache_key] = _prepare(make_queryset, names, using)
    params = list(plan.params)
    for position, name in plan.slots:
        params[position] = values[name]
    return _rows(plan, params, connection, using)


def _compiler(plan: _Plan, using: str):
    """The query's compiler with what compiling the plan worked out set on it, as the ORM's iterator finds it."""
    compiler = plan.query.get_compiler(using=using)
    compiler.select, compiler.klass_info, compiler.annotation_col_map = (
        plan.select,
        plan.klass_info,
        plan.annotation_col_map,
    )
    compiler.col_count, compiler.has_extra_select = plan.col_count, plan.has_extra_select
    return compiler


def _reader(plan: _Plan, connection, using: str):
    """What the ORM's iterator works out per query before its first row, worked out once per plan and connection:
    the converters of the selected columns (the connection's own, for the backend's type conversions) and the
    populators of the select_related objects. None when the rows need what the ORM's own iterator does beyond
    that (composite fields)."""
    compiler = _compiler(plan, using)
    fields = [s[0] for s in plan.select[: plan.col_count]]
    if compiler.has_composite_fields(fields):
        return None
    klass_info, select = plan.klass_info, plan.select
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    return _Reader(
        converters=tuple(compiler.get_converters(fields).items()),
        model_cls=klass_info["model"],
        init_list=[f[0].target.attname for f in select[start:end]],
        start=start,
        end=end,
        populators=get_related_populators(klass_info, select, using),
        annotations=tuple((plan.annotation_col_map or {}).items()),
    )


@dataclass(frozen=True)
class _Reader:
    converters: tuple
    model_cls: type
    init_list: list
    start: int
    end: int
    populators: list
    annotations: tuple


def _rows(plan: _Plan, params: list, connection, using: str) -> list:
    """What `ModelIterable` does with a compiled query, on this request's connection."""
    try:
        reader = plan.readers[connection]
    except KeyError:
        reader = plan.readers[connection] = _reader(plan, connection, using)
    if reader is None:
        return _rows_by_compiler(plan, params, connection, using)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        rows = cursor.fetchall()
    converters, model_cls, init_list = reader.converters, reader.model_cls, reader.init_list
    start, end, populators, annotations = reader.start, reader.end, reader.populators, reader.annotations
    objects = []
    for row in rows:
        if converters:
            # SQLCompiler.apply_converters, with the converters worked out once.
            row = list(row)
            for position, (convs, expression) in converters:
                value = row[position]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[position] = value
        obj = model_cls.from_db(using, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations:
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects


def _rows_by_compiler(plan: _Plan, params: list, connection, using: str) -> list:
    """`_rows` through the compiler's own `results_iter`, for rows a `_reader` does not cover."""
    compiler = _compiler(plan, using)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        results = [cursor.fetchall()]
    if plan.has_extra_select:
        results = [[row[: plan.col_count] for row in results[0]]]
    klass_info, select = plan.klass_info, plan.select
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    related_populators = get_related_populators(klass_info, select, using)
    objects = []
    for row in compiler.results_iter(results):
        obj = model_cls.from_db(using, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, obj)
        for name, position in (plan.annotation_col_map or {}).items():
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects


# --- Pages and counts of a prepared query (issue 14 item 3: the werkvoorraad) -----------------------------------
#
# A page is the prepared query's SQL with `LIMIT %s OFFSET %s` appended, its bounds parameters of each run (Django
# writes a slice's bounds into the SQL text, which would make a plan per page); a count is `SELECT COUNT(*)` over
# the prepared query. Both SQLite and PostgreSQL take the bounds as parameters and flatten the counted subquery, so
# the database does what it did for `queryset[a:b]` and `queryset.count()`.
# A builder on an access rule is prepared only when the rule gives the viewer every row (decision 0015).


def _prepared_plan(key, make_queryset, using: str, values: dict, kind: str):
    for name, value in values.items():
        if type(value) is not int:
            raise TypeError(f"prepared: {name} must be an int, not {type(value).__name__}")
    connection = connections[using]
    names = sorted(values)
    cache_key = (using, connection.vendor, key, tuple(names), kind)
    plan = _PREPARED.get(cache_key)
    if plan is None:
        # Checked as a whole (unsliced, not distinct) through its flat ids, whatever is read.
        whole = _prepare(lambda **s: make_queryset(**s).values_list("pk", flat=True), names, using, whole=True)
        if kind == "page":
            rows = _prepare(make_queryset, names, using)
            plan = dataclasses.replace(rows, sql=f"{rows.sql} LIMIT %s OFFSET %s")
        elif kind == "ids":
            plan = dataclasses.replace(whole, sql=f"{whole.sql} LIMIT %s OFFSET %s")
        else:
            counted = _prepare(
                lambda **s: make_queryset(**s).order_by().values_list("pk", flat=True), names, using, whole=True
            )
            plan = dataclasses.replace(counted, sql=f"SELECT COUNT(*) FROM ({counted.sql}) counted")  # noqa: S608 (the compiler's SQL)
        _PREPARED[cache_key] = plan
    params = list(plan.params)
    for position, name in plan.slots:
        params[position] = values[name]
    return plan, params, connection


def prepared_page(key, make_queryset, *, offset: int, limit: int, using: str = "default", **values) -> list:
    """`list(make_queryset(**values)[offset:offset + limit])`, the SQL compiled once per process."""
    plan, params, connection = _prepared_plan(key, make_queryset, using, values, "page")
    return _rows(plan, [*params, int(limit), int(offset)], connection, using)


def prepared_ids(key, make_queryset, *, offset: int, limit: int, using: str = "default", **values) -> list[int]:
    """`list(make_queryset(**values).values_list("pk", flat=True)[offset:offset + limit])`, compiled once."""
    plan, params, connection = _prepared_plan(key, make_queryset, using, values, "ids")
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, [*params, int(limit), int(offset)])
        return [row[0] for row in cursor.fetchall()]


def prepared_count(key, make_queryset, *, using: str = "default", **values) -> int:
    """`make_queryset(**values).count()`, compiled once per process."""
    plan, params, connection = _prepared_plan(key, make_queryset, using, values, "count")
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        return cursor.fetchone()[0]
