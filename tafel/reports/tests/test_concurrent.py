"""The monitor's indicators computed side by side on PostgreSQL (tafel.reports.indicators.concurrent): the same
figures as one after the other, from one snapshot of the database, with every worker connection closed, and a
serial fallback that keeps the serial outcome when a worker fails."""

from __future__ import annotations

import threading
import time
from unittest.mock import patch

import pytest
from django.db import connection, connections, transaction
from django.utils import translation

from tafel.organisations.models import Municipality
from tafel.reports.indicators.base import shared, shared_work
from tafel.reports.indicators.concurrent import in_worker, run_tasks, workers
from tafel.reports.selectors import compute

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent computing is for PostgreSQL only"
)


def figures(monitor) -> dict:
    """Every cell of every indicator, as plain values."""
    shown = {}
    for item in monitor.items:
        result = item.result
        cells = {}
        for row in [*result.rows, *([result.total] if result.total else [])]:
            cells[(row.key, "label")] = str(row.label)
            for key, cell in row.cells.items():
                cells[(row.key, key)] = (cell.value, cell.suppressed)
        if result.headline is not None:
            cells[("headline", "")] = (result.headline.value, result.headline.suppressed)
        for label, cell in result.stats:
            cells[("stat", label)] = (cell.value, cell.suppressed)
        shown[item.code] = cells
    return shown


def open_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def settled_connections(expected: int) -> int:
    """The number of connections once closed ones are gone: a server process ends just after its client
    closed the connection, so give it up to two seconds."""
    deadline = time.monotonic() + 2
    while (n := open_connections()) != expected and time.monotonic() < deadline:
        time.sleep(0.02)
    return n


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_figures_equal_the_serial_ones(history, q2, settings):
    municipality = history.cases["A"].municipality_id
    for params in (q2, q2.replace(municipality_id=municipality), q2.replace(theme="overlast")):
        settings.TAFEL_MONITOR_WORKERS = 1
        serial = compute(params, suppressed=True)
        settings.TAFEL_MONITOR_WORKERS = 3
        assert workers() == 3
        before = open_connections()
        side_by_side = compute(params, suppressed=True)

        assert figures(side_by_side) == figures(serial)
        assert [i.code for i in side_by_side.items] == [i.code for i in serial.items]
        # Every worker's connection is closed again.
        assert settled_connections(before) == before

    # The workers compute in the caller's language.
    settings.TAFEL_MONITOR_WORKERS = 1
    with translation.override("en"):
        serial = compute(q2, suppressed=True)
    settings.TAFEL_MONITOR_WORKERS = 3
    with translation.override("en"):
        side_by_side = compute(q2, suppressed=True)
    assert figures(side_by_side) == figures(serial)
    with translation.override("nl"):
        dutch = compute(q2, suppressed=True)
    assert figures(dutch) != figures(side_by_side)  # the labels differ: the language did reach the workers


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_tasks_run_in_worker_threads_and_report_progress_in_order(settings):
    settings.TAFEL_MONITOR_WORKERS = 2
    calls = []

    def task(n):
        def run():
            time.sleep(0.01)
            return n, in_worker(), threading.current_thread().name

        return run

    results = run_tasks([task(n) for n in range(6)], progress=lambda done, total: calls.append((done, total)))

    assert [n for n, _, _ in results] == list(range(6))
    assert all(worker for _, worker, _ in results)
    assert {name for _, _, name in results} <= {"monitor-worker-1", "monitor-worker-2"}
    assert calls == [(n, 6) for n in range(1, 7)]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_every_worker_reads_the_same_snapshot(settings):
    """Task `first` counts the municipalities, then another connection adds one and commits, then task
    `second` counts: both see the database as it was when the computation started."""
    settings.TAFEL_MONITOR_WORKERS = 2
    counted, added = threading.Event(), threading.Event()

    def add_one_elsewhere():
        counted.wait(10)
        try:
            Municipality.objects.create(name="Nieuwe gemeente")
        finally:
            connections.close_all()
            added.set()

    def first():
        n = Municipality.objects.count()
        counted.set()
        added.wait(10)
        return n

    def second():
        added.wait(10)
        return Municipality.objects.count()

    other = threading.Thread(target=add_one_elsewhere)
    other.start()
    results = run_tasks([first, second])
    other.join()

    assert results == [0, 0]
    assert Municipality.objects.count() == 1  # it was added: the workers did not see it


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_task_failing_in_a_worker_is_run_again_in_the_calling_thread(settings, caplog):
    settings.TAFEL_MONITOR_WORKERS = 2

    def flaky():
        if in_worker():
            raise RuntimeError("worker connection lost")
        return "computed serially"

    assert run_tasks([lambda: 1, flaky, lambda: 3]) == [1, "computed serially", 3]
    assert "worker connection lost" in caplog.text


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_everywhere_raises_its_error(settings):
    settings.TAFEL_MONITOR_WORKERS = 2

    def broken():
        raise ValueError("no such indicator")

    before = open_connections()
    with pytest.raises(ValueError, match="no such indicator"):
        run_tasks([lambda: 1, broken])
    assert settled_connections(before) == before


@pytest.mark.django_db
def test_inside_a_transaction_it_runs_serially(settings):
    # Tests run inside a transaction whose rows other connections cannot see: always one after the other.
    settings.TAFEL_MONITOR_WORKERS = 4
    assert connection.in_atomic_block
    assert workers() == 1
    assert run_tasks([lambda: in_worker(), lambda: threading.current_thread().name]) == [
        False,
        threading.current_thread().name,
    ]


@pytest.mark.django_db(transaction=True)
def test_one_worker_or_an_in_memory_database_means_serially(settings):
    settings.TAFEL_MONITOR_WORKERS = 1
    assert workers() == 1
    settings.TAFEL_MONITOR_WORKERS = 3
    with transaction.atomic():
        assert workers() == 1
    # An SQLite database in memory would be another database on every other connection: serially there.
    assert workers() == (1 if connection.vendor == "sqlite" and connection.is_in_memory_db() else 3)
    if connection.vendor == "sqlite":
        with patch.object(type(connections["default"]), "is_in_memory_db", return_value=True):
            assert workers() == 1


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """A database alias on an SQLite file in WAL mode, as the demo's (whatever database the tests run on)."""
    alias = "monitor_sqlite_file"
    configured = connections.configure_settings(
        {
            "default": dict(connections.settings["default"]),
            alias: {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "monitor.sqlite3"),
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
                    "transaction_mode": "IMMEDIATE",
                },
            },
        }
    )
    connections.settings[alias] = configured[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE figure (id integer PRIMARY KEY)")
            cursor.execute("INSERT INTO figure (id) VALUES (1), (2)")
        yield alias
        connections[alias].close()
    del connections.settings[alias]
    del connections[alias]


def count_figures(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM figure")
        return cursor.fetchone()[0]


def test_on_an_sqlite_file_the_workers_read_one_state_side_by_side(sqlite_file, settings):
    """As on PostgreSQL: `first` counts, another connection adds a row and commits, `second` counts; both see
    the state at the start. The writer waits only while the workers make their first read."""
    settings.TAFEL_MONITOR_WORKERS = 2
    assert workers(sqlite_file) == 2
    counted, added = threading.Event(), threading.Event()

    def add_one_elsewhere():
        counted.wait(10)
        try:
            with connections[sqlite_file].cursor() as cursor:
                cursor.execute("INSERT INTO figure (id) VALUES (3)")
        finally:
            connections[sqlite_file].close()
            added.set()

    def first():
        n = count_figures(sqlite_file)
        counted.set()
        added.wait(10)
        return n, threading.current_thread().name

    def second():
        added.wait(10)
        # A worker may make temporary tables inside its read transaction (the population table does).
        with connections[sqlite_file].cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE ids (id integer PRIMARY KEY)")
            cursor.execute("INSERT INTO ids (id) SELECT value FROM json_each(%s)", ["[1, 2, 3]"])
            cursor.execute("SELECT COUNT(*) FROM ids")
            made = cursor.fetchone()[0]
        return count_figures(sqlite_file), made

    other = threading.Thread(target=add_one_elsewhere)
    other.start()
    (first_count, thread_name), (second_count, made) = run_tasks([first, second], alias=sqlite_file)
    other.join()

    assert thread_name.startswith("monitor-worker-")
    assert (first_count, second_count, made) == (2, 2, 3)
    assert count_figures(sqlite_file) == 3  # the row was added: the workers did not see it
    assert not [t for t in threading.enumerate() if t.name.startswith("monitor-worker-")]


@pytest.mark.django_db
def test_a_worker_fills_its_own_population_table_with_the_periods_cases(history, q2):
    from tafel.reports.indicators import concurrent
    from tafel.reports.indicators.lifecycle import zvh_cases_during
    from tafel.reports.indicators.populations import population_table

    expected = set(zvh_cases_during(q2).values_list("pk", flat=True))
    token = concurrent._in_worker.set(True)
    try:
        with shared_work():
            table = population_table(q2.period)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT population_case_id FROM {table}")  # noqa: S608 - our own table name
                filled = {row[0] for row in cursor.fetchall()}
    finally:
        concurrent._in_worker.reset(token)
    assert filled == expected and expected


def test_shared_work_computes_a_key_once_for_all_threads():
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.05)
        return "population"

    seen = []
    with shared_work():
        import contextvars

        threads = [
            threading.Thread(target=contextvars.copy_context().run, args=(lambda: seen.append(shared("k", slow)),))
            for _ in range(5)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert seen == ["population"] * 5
    assert len(calls) == 1


def test_a_failed_shared_computation_is_tried_again():
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("first try fails")
        return "second try"

    with shared_work():
        with pytest.raises(RuntimeError):
            shared("k", flaky)
        assert shared("k", flaky) == "second try"
    assert len(attempts) == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_without_a_shared_snapshot_it_runs_serially(settings, monkeypatch):
    import re

    from tafel.reports.indicators import concurrent

    settings.TAFEL_MONITOR_WORKERS = 3
    monkeypatch.setattr(concurrent, "_SNAPSHOT", re.compile(r"^never$"))
    assert run_tasks([lambda: in_worker(), lambda: 2]) == [False, 2]
    assert not connection.in_atomic_block
