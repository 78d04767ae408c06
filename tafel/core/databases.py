"""Several databases and connection poolers (issue 14 item 6; docs/operations.md "Scaling out").

- **The monitor's replica.** With `DATABASE_REPLICA_URL` set, the alias `replica` points at a PostgreSQL read
  replica (a hot standby) and `settings.TAFEL_MONITOR_DATABASE` names it. The monitor's figures — the dashboard,
  one indicator through the API, the report jobs — are computed inside `monitor_reads()`, and only there does
  `MonitorRouter` send reads of the domain tables to the replica. Everything else reads the primary, and every
  write goes to the primary: a report job's progress, the audit rows, the cache. The replica may lag a moment
  behind; for aggregate figures of a quarter that does not matter, for anything a person acts on it would.
- **PgBouncer in transaction mode** (`TAFEL_PGBOUNCER=transaction`): a connection is the client's for one
  transaction only, so nothing may rely on state that outlives a transaction on one server connection. Django
  is configured for it in settings (no server-side cursors; psycopg prepares no statements), `checks` refuses
  what cannot work, and `temporary_tables_usable` tells the monitor when a temporary table would not survive.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

# The apps whose tables the monitor's indicators read. Reads of anything else — sessions, users' logins, the
# audit log and its chain, the task queue, the cache, the report job rows — stay on the primary even inside
# `monitor_reads()`, so nothing that is written and read back in one flow ever reads a stale copy.
MONITOR_APPS = frozenset({"cases", "persons", "meetings", "organisations", "lifecycle", "privacy", "reports"})
# Rows of the reports app that are not figures: a job reads its own row back after writing it.
PRIMARY_ONLY_MODELS = frozenset({"reports.reportjob", "reports.reportjobfile"})

_monitor_reading: ContextVar[bool] = ContextVar("monitor_reading", default=False)


def monitor_database() -> str:
    """The alias the monitor's figures are read from: the replica when one is configured, else the primary."""
    return getattr(settings, "TAFEL_MONITOR_DATABASE", DEFAULT_DB_ALIAS) or DEFAULT_DB_ALIAS


@contextmanager
def monitor_reads() -> Iterator[str]:
    """While active (in this thread and the monitor's worker threads, which copy the context), reads of the
    monitor's tables go to `monitor_database()`. Yields that alias."""
    token = _monitor_reading.set(True)
    try:
        yield monitor_database()
    finally:
        _monitor_reading.reset(token)


def reading_for_monitor() -> bool:
    return _monitor_reading.get()


class MonitorRouter:
    """Reads inside `monitor_reads()` of the monitor's tables → the replica (when configured); every other
    read and every write → the primary. Migrations run on the primary only (the replica copies them)."""

    def db_for_read(self, model, **hints):
        alias = monitor_database()
        if (
            alias != DEFAULT_DB_ALIAS
            and _monitor_reading.get()
            and model._meta.app_label in MONITOR_APPS
            and model._meta.label_lower not in PRIMARY_ONLY_MODELS
        ):
            return alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there may point at one read here.
        aliases = {DEFAULT_DB_ALIAS, monitor_database()}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db != DEFAULT_DB_ALIAS and db == monitor_database():
            return False
        return None


def temporary_tables_usable(connection) -> bool:
    """Whether a temporary table made now on `connection` can be read by the next statements on it. Not on a
    read replica (a hot standby refuses to create tables, temporary ones too), and not outside a transaction
    behind PgBouncer in transaction mode (the next statement may run on another server connection)."""
    if connection.alias != DEFAULT_DB_ALIAS and connection.alias == monitor_database():
        return False
    if getattr(settings, "TAFEL_PGBOUNCER", "") == "transaction" and not connection.in_atomic_block:
        return False
    return True
