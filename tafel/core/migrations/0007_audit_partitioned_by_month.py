"""On PostgreSQL the audit log becomes a table range-partitioned by month on `at` (issue 13 item 5), with the
existing rows: so the audit log's retention drops a month's partition instead of deleting rows. The primary key
becomes (id, at), as PostgreSQL requires the partition key in it; ids keep coming from the same identity. One
partition per month from the oldest row to twelve months ahead, plus a DEFAULT partition for anything else
(tafel/core/auditpartitions.py makes the coming months' partitions daily). SQLite keeps its plain table.
"""

import datetime

from django.db import migrations

TABLE = "core_auditevent"
OLD = "core_auditevent_unpartitioned"


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _indexes(cursor, table):
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE %s",
        [table, "%_pkey"],
    )
    return cursor.fetchall()


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        indexes = _indexes(cursor, TABLE)
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{OLD}"')
        cursor.execute(f'ALTER TABLE "{OLD}" RENAME CONSTRAINT "{TABLE}_pkey" TO "{OLD}_pkey"')
        cursor.execute(
            f'CREATE TABLE "{TABLE}" (LIKE "{OLD}" INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE '
            "INCLUDING CONSTRAINTS) PARTITION BY RANGE (at)"
        )
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id, at)')
        cursor.execute(f'SELECT min(at) FROM "{OLD}"')
        oldest = cursor.fetchone()[0]
        today = datetime.date.today().replace(day=1)
        month = oldest.astimezone(datetime.UTC).date().replace(day=1) if oldest else today
        last = _add_months(today, 12)
        while month <= last:
            nxt = _add_months(month, 1)
            cursor.execute(
                f'CREATE TABLE "{TABLE}_y{month.year:04d}m{month.month:02d}" PARTITION OF "{TABLE}" '
                f"FOR VALUES FROM ('{month.isoformat()} 00:00:00+00') TO ('{nxt.isoformat()} 00:00:00+00')"
            )
            month = nxt
        cursor.execute(f'CREATE TABLE "{TABLE}_default" PARTITION OF "{TABLE}" DEFAULT')
        cursor.execute(f'INSERT INTO "{TABLE}" OVERRIDING SYSTEM VALUE SELECT * FROM "{OLD}"')
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{TABLE}\"', 'id'), "
            f'COALESCE((SELECT max(id) FROM "{TABLE}"), 1), (SELECT count(*) > 0 FROM "{TABLE}"))'
        )
        cursor.execute(f'DROP TABLE "{OLD}"')
        for _name, definition in indexes:
            cursor.execute(definition.replace(f"public.{OLD} ", f"public.{TABLE} ").replace(f" {OLD} ", f" {TABLE} "))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        indexes = _indexes(cursor, TABLE)
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{OLD}"')
        cursor.execute(f'ALTER TABLE "{OLD}" RENAME CONSTRAINT "{TABLE}_pkey" TO "{OLD}_pkey"')
        cursor.execute(
            f'CREATE TABLE "{TABLE}" (LIKE "{OLD}" INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING STORAGE '
            "INCLUDING CONSTRAINTS)"
        )
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id)')
        cursor.execute(f'INSERT INTO "{TABLE}" OVERRIDING SYSTEM VALUE SELECT * FROM "{OLD}"')
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{TABLE}\"', 'id'), "
            f'COALESCE((SELECT max(id) FROM "{TABLE}"), 1), (SELECT count(*) > 0 FROM "{TABLE}"))'
        )
        cursor.execute(f'DROP TABLE "{OLD}" CASCADE')
        for _name, definition in indexes:
            if "_default" in _name or "_y" in _name.removeprefix(TABLE)[:3]:
                continue
            cursor.execute(definition.replace(f"public.{OLD} ", f"public.{TABLE} ").replace(f" {OLD} ", f" {TABLE} "))


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_nen7513_fields_and_hash_chain")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
