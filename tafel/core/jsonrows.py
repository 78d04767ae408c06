"""Child rows as one JSON column of their parent's query (issue 14: the case page in at most 12 queries).

A page that shows a case with its status history, its changes and its triages' criteria would otherwise spend a
query per list. `json_rows` turns a correlated queryset into one subquery column holding a JSON array of objects
(SQLite's `json_group_array`, PostgreSQL's `jsonb_agg`), and `build` turns each object back into an unsaved-looking
model instance (with its related objects) that templates and schemas read exactly like a fetched one. Only for
reading: the instances are never saved.
"""

from __future__ import annotations

import datetime
import decimal
import json

from django.db import models
from django.db.models import F, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject


class JSONGroupArray(models.Aggregate):
    """The grouped values as one JSON array (NULL when there are none)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # jsonb (not json): Django reads jsonb columns as text and parses them, whatever the driver does with json.
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def fields_of(model, *, only=None, related=None, prefix="") -> JSONObject:
    """A JSON object of `model`'s concrete columns (or `only` those attnames), with `related` (a dict of field name →
    (model, only, related)) nested as objects, the columns read through `prefix` (a lookup path)."""
    parts = {}
    related = related or {}
    for field in model._meta.concrete_fields:
        if only is not None and field.attname not in only and field.name not in related:
            continue
        if field.name in related:
            sub_model, sub_only, sub_related = related[field.name]
            parts[field.name] = fields_of(
                sub_model, only=sub_only, related=sub_related, prefix=f"{prefix}{field.name}__"
            )
        else:
            parts[field.attname] = F(f"{prefix}{field.attname}")
    return JSONObject(**parts)


def json_rows(queryset, *, link: str, value, outer: str = "pk") -> Subquery:
    """A subquery column: `value` (an expression, e.g. `fields_of(...)`) for every row of `queryset` whose `link`
    matches the outer row's `outer` column (its primary key), as a JSON array (None when there are no rows). Order
    is not kept: sort the built rows in Python."""
    rows = (
        queryset.order_by()
        .filter(**{link: OuterRef(outer)})
        .values(link)
        .annotate(_rows=JSONGroupArray(value))
        .values("_rows")
    )
    return Subquery(rows, output_field=JSONField())


def loads(value) -> list:
    """The rows of a `json_rows` column: a list (the drivers return text or parsed values)."""
    if value is None:
        return []
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return list(value)


def _datetime(value):
    if value is None or isinstance(value, datetime.datetime):
        return value
    parsed = datetime.datetime.fromisoformat(value)
    # SQLite keeps UTC without an offset (USE_TZ); PostgreSQL's JSON carries the offset.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def _convert(field, value):
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _datetime(value)
    if kind == "DateField":
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value[:10])
    if kind == "BooleanField":
        return bool(value)
    if kind == "DecimalField":
        return decimal.Decimal(str(value))
    if kind == "JSONField" and isinstance(value, str):
        # SQLite nests a JSON column as its text.
        try:
            return json.loads(value)
        except ValueError:
            return value
    if kind == "BinaryField" and isinstance(value, str):
        return bytes.fromhex(value) if all(c in "0123456789abcdefABCDEF" for c in value) else value.encode()
    return value


def build(model, data: dict | None):
    """A `model` instance from one JSON object of `fields_of` (None for a missing related row)."""
    if not data:
        return None
    pk_name = model._meta.pk.attname
    if data.get(pk_name) is None:
        return None
    values = {}
    related = {}
    for field in model._meta.concrete_fields:
        if field.name in data and isinstance(data[field.name], dict) and field.is_relation:
            related[field.name] = build(field.related_model, data[field.name])
        elif field.attname in data:
            values[field.attname] = _convert(field, data[field.attname])
    instance = model(**values)
    for name, obj in related.items():
        setattr(instance, name, obj)
    instance._state.adding = False
    instance._state.db = "default"
    return instance


def set_prefetched(instance, name: str, items: list) -> None:
    """Make `instance.<name>.all()` answer `items` without a query, as `prefetch_related` would."""
    manager = getattr(instance, name)
    # Many-to-many managers name their cache; reverse foreign keys use the field's cache name.
    cache_name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    queryset = manager.all()
    queryset._result_cache = list(items)
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset


_COMPILED: dict = {}


def compiled(outer_model, key, make_expression, *, output_field=None):
    """`make_expression()` (a subquery column of `outer_model`'s queries) compiled to SQL once per process and
    database, then reused as raw SQL. Compiling a JSON subquery costs the ORM several times what running it costs
    the database (issue 14: the case page's CPU). `key` names the expression and every value it closes over."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    cache_key = (outer_model._meta.label, connection.vendor, key)
    hit = _COMPILED.get(cache_key)
    if hit is None:
        query = outer_model._default_manager.annotate(_column=make_expression()).query
        sql, params = query.get_compiler(connection=connection).compile(query.annotations["_column"])
        hit = _COMPILED[cache_key] = (sql, tuple(params))
    # The SQL is the ORM's own compilation of our expression; values stay parameters.
    return RawSQL(hit[0], hit[1], output_field=output_field or JSONField())  # noqa: S611


_COMPILED_COLUMNS: dict = {}


def compiled_columns(outer_model, key, make_annotations) -> dict:
    """Like `compiled`, for several columns that may refer to one another (an `OuterRef` to an earlier column, which
    the ORM writes out in full): `make_annotations()` gives name → expression; they are annotated together on one
    query of `outer_model` and each compiled there, once per process and database, keeping its output field (and
    so the same conversion of what the database returns). The expressions must not depend on the request: `key`
    names them and every value they close over."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    cache_key = (outer_model._meta.label, connection.vendor, key)
    hit = _COMPILED_COLUMNS.get(cache_key)
    if hit is None:
        query = outer_model._default_manager.annotate(**make_annotations()).query
        compiler = query.get_compiler(connection=connection)
        hit = {}
        for name, expression in query.annotations.items():
            sql, params = compiler.compile(expression)
            hit[name] = (sql, tuple(params), expression.output_field)
        _COMPILED_COLUMNS[cache_key] = hit
    # The SQL is the ORM's own compilation of our expressions; values stay parameters.
    return {name: RawSQL(sql, params, output_field=field) for name, (sql, params, field) in hit.items()}  # noqa: S611
