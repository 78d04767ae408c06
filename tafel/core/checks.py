"""System checks for running Tafel as several processes (issue 14 item 6; docs/operations.md "Scaling out").

`manage.py check --deploy` (run by deploy/serve.sh before the server starts) fails on an error here: a
configuration that would break under PgBouncer's transaction pooling, or a monitor database that does not
exist, is refused before a single request, with what to change. Each message is in Dutch and English.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

PGBOUNCER_DOC = "docs/operations.md, 'Scaling out' / 'Opschalen'"


@register("tafel")
def scaling_checks(app_configs=None, **kwargs) -> list:
    problems = []
    databases = settings.DATABASES
    monitor = getattr(settings, "TAFEL_MONITOR_DATABASE", "default")
    if monitor not in databases:
        problems.append(
            Error(
                f"De monitor leest uit database {monitor!r}, maar die is niet ingesteld. — The monitor reads from "
                f"database {monitor!r}, which is not configured.",
                hint="Zet DATABASE_REPLICA_URL, of laat TAFEL_MONITOR_DATABASE op 'default'.",
                id="tafel.E140",
            )
        )
    if getattr(settings, "TAFEL_PGBOUNCER", "") == "transaction":
        problems += _transaction_pooling_problems(databases)
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("LocMemCache") and not (settings.DEBUG or getattr(settings, "DEMO_MODE", False)):
        problems.append(
            Warning(
                "De cache staat in het geheugen van elk proces: met meer dan één webproces ziet elk proces een "
                "andere cache. — The cache lives in each process's memory: with several web processes each sees "
                "a different cache.",
                hint="Laat TAFEL_CACHE_URL leeg (database-cache) of kies file: of redis://. " + PGBOUNCER_DOC,
                id="tafel.W141",
            )
        )
    return problems


def _transaction_pooling_problems(databases: dict) -> list:
    problems = []
    for alias, db in databases.items():
        if "postgresql" not in db.get("ENGINE", ""):
            problems.append(
                Error(
                    f"TAFEL_PGBOUNCER=transaction, maar database {alias!r} is geen PostgreSQL. — "
                    f"TAFEL_PGBOUNCER=transaction, but database {alias!r} is not PostgreSQL.",
                    hint="PgBouncer staat alleen voor PostgreSQL; laat TAFEL_PGBOUNCER leeg. " + PGBOUNCER_DOC,
                    id="tafel.E142",
                )
            )
            continue
        if not db.get("DISABLE_SERVER_SIDE_CURSORS"):
            problems.append(
                Error(
                    f"Database {alias!r}: server-side cursors staan aan; achter PgBouncer in transaction-modus "
                    "kan het volgende FETCH op een andere serververbinding landen. — Database "
                    f"{alias!r}: server-side cursors are on; behind PgBouncer in transaction mode the next FETCH "
                    "may reach another server connection.",
                    hint="Zet DISABLE_SERVER_SIDE_CURSORS = True (TAFEL_PGBOUNCER=transaction doet dat). "
                    + PGBOUNCER_DOC,
                    id="tafel.E143",
                )
            )
        if db.get("OPTIONS", {}).get("prepare_threshold") is not None:
            problems.append(
                Error(
                    f"Database {alias!r}: psycopg maakt prepared statements (prepare_threshold), die PgBouncer in "
                    "transaction-modus niet tussen serververbindingen meeneemt. — Database "
                    f"{alias!r}: psycopg makes named prepared statements (prepare_threshold), which PgBouncer in "
                    "transaction mode does not carry between server connections.",
                    hint="Verwijder prepare_threshold uit OPTIONS (of zet het op None). " + PGBOUNCER_DOC,
                    id="tafel.E144",
                )
            )
    return problems
