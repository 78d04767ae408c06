"""The audit log by month: on PostgreSQL a table range-partitioned on `at`, one partition per month, so the
audit log's own retention removes a month by dropping its partition (instant, no long DELETE, no bloat); on
SQLite a plain table from which old months are deleted.

Migration `core 0007` turns the existing table into the partitioned one (rows included). `ensure_partitions`
(run daily by the scheduler, and by `manage.py audit_partitions`) keeps the coming months' partitions made; a
DEFAULT partition catches a row for a month that has none yet, and `ensure_partitions` moves such rows into the
month's own partition when it makes it. `remove_months_before` is the retention: it seals the chain, records
the last hash of what it removes (`AuditArchive`, the anchor `audit_verify` continues from) and removes the
months, leaving an audit event that says so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from tafel.core.models import AuditArchive, AuditEvent

TABLE = AuditEvent._meta.db_table
DEFAULT_PARTITION = f"{TABLE}_default"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def _bound(month: datetime.date) -> str:
    return f"{month.isoformat()} 00:00:00+00"


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s", [TABLE]
        )
        return cursor.fetchone() is not None


def monthly_partitions() -> dict[datetime.date, str]:
    """The month partitions that exist: {first day of the month: table name}."""
    if not is_partitioned():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    out = {}
    for name in names:
        suffix = name.removeprefix(f"{TABLE}_y")
        if suffix != name and len(suffix) == 7 and suffix[4] == "m":
            out[datetime.date(int(suffix[:4]), int(suffix[5:]), 1)] = name
    return out


def create_partition_sql(month: datetime.date) -> str:
    return (
        f'CREATE TABLE IF NOT EXISTS "{partition_name(month)}" PARTITION OF "{TABLE}" '
        f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(add_months(month, 1))}')"
    )


def ensure_partitions(*, months_ahead: int = 12, today: datetime.date | None = None) -> list[str]:
    """Make the partitions of this month and the next `months_ahead` months (PostgreSQL). Rows the DEFAULT
    partition caught for such a month are moved into it. Returns the names of the partitions made."""
    if not is_partitioned():
        return []
    today = today or timezone.localdate()
    existing = monthly_partitions()
    made = []
    for offset in range(months_ahead + 1):
        month = add_months(month_start(today), offset)
        if month in existing:
            continue
        name = partition_name(month)
        low, high = _bound(month), _bound(add_months(month, 1))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'CREATE TABLE "{name}" (LIKE "{TABLE}" INCLUDING DEFAULTS)')
            cursor.execute(
                f'INSERT INTO "{name}" SELECT * FROM "{DEFAULT_PARTITION}" WHERE at >= %s AND at < %s',  # noqa: S608
                [low, high],
            )
            # Table names come from the model, never from input.
            cursor.execute(f'DELETE FROM "{DEFAULT_PARTITION}" WHERE at >= %s AND at < %s', [low, high])  # noqa: S608
            cursor.execute(
                f"ALTER TABLE \"{TABLE}\" ATTACH PARTITION \"{name}\" FOR VALUES FROM ('{low}') TO ('{high}')"
            )
        made.append(name)
    return made


@dataclass
class Removal:
    months: list[datetime.date] = field(default_factory=list)
    rows: int = 0
    refused: str = ""


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)


def remove_months_before(before: datetime.date, *, dry_run: bool = False) -> Removal:
    """The audit log's retention: remove every month before `before` (the first day of a month). The chain is
    sealed first; what is removed must be the chain's beginning (every remaining row comes after it), and its
    last hash is kept as the anchor from which `audit_verify` checks the rest."""
    from django.db.models import Count, Max, Min

    from tafel.core.auditchain import seal_pending

    before = month_start(before)
    result = Removal()
    if not dry_run:
        seal_pending()
    old = AuditEvent.objects.filter(at__lt=_aware(before)).order_by()
    stats = old.aggregate(n=Count("id"), first=Min("at"), last_seq=Max("seq"), first_seq=Min("seq"))
    if not stats["n"]:
        return result
    remaining_min = AuditEvent.objects.filter(at__gte=_aware(before)).order_by().aggregate(m=Min("seq"))["m"]
    if remaining_min is not None and stats["last_seq"] is not None and remaining_min < stats["last_seq"]:
        result.refused = (
            "Regels van na de grens staan in de keten vóór regels van ervoor; kies een grens een maand eerder."
        )
        return result
    month = month_start(stats["first"].astimezone(datetime.UTC).date())
    partitions = monthly_partitions()
    while month < before:
        nxt = add_months(month, 1)
        rows = AuditEvent.objects.filter(at__gte=_aware(month), at__lt=_aware(nxt)).order_by()
        agg = rows.aggregate(n=Count("id"), first_seq=Min("seq"), last_seq=Max("seq"))
        if agg["n"] or month in partitions:
            result.months.append(month)
            result.rows += agg["n"]
            if not dry_run:
                _remove_month(month, nxt, agg, partitions.get(month))
        month = nxt
    return result


def _remove_month(month, nxt, agg, partition: str | None) -> None:
    last_hash = ""
    if agg["last_seq"] is not None:
        last_hash = AuditEvent.objects.filter(seq=agg["last_seq"]).values_list("hash", flat=True).first() or ""
    with transaction.atomic():
        AuditArchive.objects.update_or_create(
            month=month,
            defaults={
                "first_seq": agg["first_seq"],
                "last_seq": agg["last_seq"],
                "last_hash": last_hash,
                "rows": agg["n"],
                "removed_at": timezone.now(),
            },
        )
        with connection.cursor() as cursor:
            if partition:
                cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{partition}"')
                cursor.execute(f'DROP TABLE "{partition}"')
            else:
                # SQLite (or rows in PostgreSQL's DEFAULT partition): the retention is the one delete the
                # append-only log allows, past the model's guard.
                cursor.execute(
                    f'DELETE FROM "{TABLE}" WHERE at >= %s AND at < %s',  # noqa: S608 - table name from the model
                    [
                        connection.ops.adapt_datetimefield_value(_aware(month)),
                        connection.ops.adapt_datetimefield_value(_aware(nxt)),
                    ],
                )
