"""Writing demo rows fast: ids allocated here, rows inserted with one executemany per table and batch.

Why not bulk_create: Django's per-object work (model instances, related-object descriptors, per-value field
preparation) outweighed the database: 10,000 cases took 31 s of CPU with bulk_create and take 9 s here, so
100,000 cases (about 2.5 million rows) fit in a minute and a half. Rows here are plain dicts of column
values that are already in database form (dates and JSON adapted once through `connection.ops`). Every
field a row leaves out gets its model default, so a field added later with a default keeps working. Ids are
allocated from the table's current maximum, which is safe because the demo only runs on a database without
cases and nothing else writes meanwhile; PostgreSQL sequences are moved past them afterwards (SQLite's
AUTOINCREMENT follows by itself).
"""

from __future__ import annotations

import datetime

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from .plan import at

CHUNK = 5000


class RowWriter:
    def __init__(self) -> None:
        self.ops = connection.ops
        self._next: dict[type, int] = {}
        self._dt: dict[int, object] = {}
        self._sql: dict[type, tuple[str, list[str], dict[str, object]]] = {}

    def next_id(self, model) -> int:
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value

    def dt(self, minute: int | None):
        """A moment (minutes relative to BASE) in database form; cached, the same minutes recur a lot."""
        if minute is None:
            return None
        value = self._dt.get(minute)
        if value is None:
            value = self._dt[minute] = self.ops.adapt_datetimefield_value(at(minute))
        return value

    def clear_cache(self) -> None:
        """Moments recur within a case and its batch; keeping all of them would grow with the data set."""
        self._dt.clear()

    def date(self, value: datetime.date | None):
        return self.ops.adapt_datefield_value(value)

    def json(self, value):
        return self.ops.adapt_json_value(value, None)

    def _statement(self, model):
        if model not in self._sql:
            # A generated column (Case.triage_rank) is the database's to fill: it takes no value on insert.
            fields = [f for f in model._meta.concrete_fields if not f.generated]
            columns = ", ".join(self.ops.quote_name(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            # Names come from the model's _meta, every value is a parameter.
            sql = f"INSERT INTO {self.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
            defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in fields if not f.primary_key}
            self._sql[model] = (sql, [f.attname for f in fields], defaults)
        return self._sql[model]

    def insert(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        sql, attnames, defaults = self._statement(model)
        params = [tuple(row[a] if a in row else defaults[a] for a in attnames) for row in rows]
        with connection.cursor() as cursor:
            for start in range(0, len(params), CHUNK):
                cursor.executemany(sql, params[start : start + CHUNK])

    def reset_sequences(self) -> None:
        """Move PostgreSQL's id sequences past the ids written here (a no-op on SQLite)."""
        statements = self.ops.sequence_reset_sql(no_style(), list(self._next))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
