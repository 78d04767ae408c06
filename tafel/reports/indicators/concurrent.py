"""Computing the monitor's indicators concurrently.

A page or report asks the database some forty independent aggregate questions. One after the other they keep
one core busy; on a few connections they run side by side (PostgreSQL runs each connection in its own
process; SQLite releases the interpreter while it executes a query). `run_tasks` does that when it can:

- only with `TAFEL_MONITOR_WORKERS` > 1, on PostgreSQL or on SQLite in a file (not an in-memory database),
  and only outside a transaction (inside one — a test, a caller's `atomic()` — other connections would not
  see its uncommitted rows, so it runs serially);
- every worker reads the same state of the database, so the figures of one page or report are consistent
  with each other as if computed at one moment — the serial path, in autocommit, could not promise that
  (PostgreSQL: `pg_export_snapshot` / `SET TRANSACTION SNAPSHOT`, REPEATABLE READ; SQLite: the write lock is
  held while the workers make their first read, see `_holding_snapshot`);
- each worker has its own connection, closed when it ends (its temporary tables go with it);
- a task a worker did not finish (no connection to be had, an error) is run again in the calling thread, so
  the outcome — a result or the error — is the serial one.

`shared()` values (the population, shared figures) are computed once for all workers
(`base.SharedWork`); a temporary table is per connection (`in_worker()` tells the population code).
"""

from __future__ import annotations

import contextvars
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

T = TypeVar("T")

_in_worker: contextvars.ContextVar[bool] = contextvars.ContextVar("monitor_worker", default=False)

# The format of PostgreSQL's snapshot identifiers ("00000003-0000001B-1"): checked before it is put in a SET.
_SNAPSHOT = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")


def in_worker() -> bool:
    """Whether this code runs in one of the monitor's worker threads (with its own connection)."""
    return _in_worker.get()


def workers(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many connections `run_tasks` would use now: 1 means serially, in the calling thread."""
    connection = connections[alias]
    wanted = int(getattr(settings, "TAFEL_MONITOR_WORKERS", 1) or 1)
    if wanted <= 1 or connection.in_atomic_block:
        return 1
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return wanted
    return wanted if connection.vendor == "postgresql" else 1


def run_tasks(
    tasks: Sequence[Callable[[], T]],
    *,
    progress: Callable[[int, int], None] | None = None,
    alias: str = DEFAULT_DB_ALIAS,
) -> list[T]:
    """The results of `tasks`, in their order. `progress(done, total)` is called in the calling thread after
    each task. Tasks only read; they run in the caller's context (`shared_work()`, language, time zone)."""
    count = min(workers(alias), len(tasks))
    if count <= 1:
        return _serially(tasks, progress)
    return _concurrently(tasks, count, progress, alias)


def _serially(tasks, progress) -> list:
    results = []
    for n, task in enumerate(tasks, start=1):
        results.append(task())
        if progress:
            progress(n, len(tasks))
    return results


_MISSING = object()


def _concurrently(tasks, count: int, progress, alias: str) -> list:
    pending: queue.SimpleQueue = queue.SimpleQueue()
    for index in range(len(tasks)):
        pending.put(index)
    results = [_MISSING] * len(tasks)
    finished: queue.SimpleQueue = queue.SimpleQueue()  # a task index, or None when a worker stops
    ready = [threading.Event() for _ in range(count)]
    stop = threading.Event()
    failures: list[BaseException] = []

    # Django keeps the active language and time zone per thread (asgiref.local): carried over explicitly.
    language = translation.get_language()
    zone = timezone.get_current_timezone()

    def work(snapshot: str, ready_event: threading.Event) -> None:
        _in_worker.set(True)
        if language:
            translation.activate(language)
        timezone.activate(zone)
        connection = connections[alias]
        try:
            with _reading(connection, snapshot):
                ready_event.set()
                while not stop.is_set():
                    try:
                        index = pending.get_nowait()
                    except queue.Empty:
                        break
                    try:
                        results[index] = tasks[index]()
                    except Exception as exc:  # noqa: BLE001 — the calling thread runs the task again and sees the error
                        failures.append(exc)
                        stop.set()  # the transaction may be aborted: this worker stops, the others too
                        break
                    finished.put(index)
        except Exception as exc:  # noqa: BLE001 — no connection or snapshot: the calling thread does the rest
            failures.append(exc)
        finally:
            ready_event.set()
            connection.close()
            finished.put(None)

    connection = connections[alias]
    threads = []
    with _holding_snapshot(connection) as snapshot:
        if snapshot:
            threads = [
                threading.Thread(
                    target=contextvars.copy_context().run,
                    args=(work, snapshot, ready[n]),
                    name=f"monitor-worker-{n + 1}",
                    daemon=True,
                )
                for n in range(count)
            ]
            for thread in threads:
                thread.start()
            # Every worker has joined the snapshot before it is let go.
            for event in ready:
                event.wait()
    if not threads:
        return _serially(tasks, progress)

    done = 0
    running = count
    while running:
        index = finished.get()
        if index is None:
            running -= 1
            continue
        done += 1
        if progress:
            progress(done, len(tasks))
    for thread in threads:
        thread.join()
    for failure in failures:
        logger.warning("monitor worker stopped, finishing its work serially: %r", failure)

    for index, task in enumerate(tasks):
        if results[index] is _MISSING:
            results[index] = task()
            done += 1
            if progress:
                progress(done, len(tasks))
    return results


@contextmanager
def _holding_snapshot(connection) -> Iterator[str]:
    """In the calling thread: fix the moment the workers will read, and yield its identifier ("" when that
    cannot be done: then everything runs serially). Held until every worker has joined it.

    PostgreSQL exports the snapshot of a REPEATABLE READ transaction. SQLite (WAL) has no exported
    snapshots, but a reader sees the database as it was at its first read: holding the write lock
    (BEGIN IMMEDIATE) while the workers make their first read means no commit can come between them, so they
    all see the same state. Writers wait those few milliseconds (busy_timeout)."""
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute("SELECT pg_export_snapshot()")
                    snapshot = cursor.fetchone()[0]
            except DatabaseError as exc:  # a server that cannot export snapshots: one after the other
                logger.warning("monitor cannot share a snapshot, computing serially: %r", exc)
                transaction.set_rollback(True, using=connection.alias)
                snapshot = ""
            yield snapshot if _SNAPSHOT.match(snapshot) else ""
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
    except DatabaseError as exc:  # the database stayed locked: one after the other
        logger.warning("monitor cannot share a snapshot, computing serially: %r", exc)
        yield ""
        return
    try:
        yield "sqlite"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


@contextmanager
def _reading(connection, snapshot: str) -> Iterator[None]:
    """In a worker: a read transaction on the calling thread's snapshot, for the worker's whole life."""
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                # Just-in-time compilation costs more than it saves on these short aggregate queries.
                cursor.execute("SET LOCAL jit = off")
            yield
        return
    # SQLite: a deferred transaction (not Django's atomic(), which takes the write lock here) whose first
    # read fixes what it sees; its temporary tables need no lock on the database.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        cursor.execute("SELECT COUNT(*) FROM sqlite_master")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")
